import { z } from 'zod';
import { ClinicParams, errors } from '../../contract/common';
import { checkReferral, OPEN_REFERRAL_STATUSES, REFERRAL_SERVICES, ReferralData, type Referral } from '../../domain/care/care-plan';
import { inDateOrder } from '../../domain/care/care-record';
import { displayName } from '../../domain/service-user/record';
import { clinicCareRecords } from '../../store/care-records';
import { listServiceUsers } from '../../store/service-users';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { registerCareRecordRoutes } from './care-routes';

const ClinicReferral = z.object({
  recordId: z.string(),
  version: z.number().int(),
  serviceUserId: z.string(),
  displayName: z.string(),
  effectiveDate: z.string().describe('The clinic date the referral was decided on'),
  data: ReferralData.loose(),
  recordedAt: z.string().describe('When this version (the latest step) was recorded'),
  recordedBy: z.string().nullable(),
});

/**
 * Referrals to other services (housing, benefits, mental and physical health, blood-borne-virus
 * testing and treatment, dental, employment, education). Each step (made, accepted, attending,
 * completed...) is a correction of the record with a reason, so its history shows every step.
 * The clinic-wide list shows what is still open, oldest first.
 */
export function registerReferrals(app: App, ctx: AppContext) {
  registerCareRecordRoutes(app, ctx, {
    kind: 'referral',
    path: 'referrals',
    noun: 'referral',
    tag: 'care',
    data: ReferralData,
    check: (data, person) => checkReferral(data, person.today),
  });

  app.get(
    '/api/v1/clinics/:clinicId/referrals',
    {
      schema: {
        summary: "The clinic's referrals (open ones by default: to make, made, accepted, attending), oldest first",
        tags: ['care'],
        params: ClinicParams,
        querystring: z.object({
          status: z.enum(['open', 'all']).default('open').describe('open: to_make, made, accepted or attending; all: every status'),
          service: z.enum(REFERRAL_SERVICES).optional().describe('Only referrals to this kind of service'),
        }),
        response: { 200: z.object({ referrals: z.array(ClinicReferral) }), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const { status, service } = req.query;
      const [records, people] = await Promise.all([clinicCareRecords<Referral>(ctx.db.orm, clinicId, ['referral']), listServiceUsers(ctx.db.orm, clinicId)]);
      const names = new Map(people.map((p) => [p.serviceUserId, displayName(p.record)]));
      const referrals = inDateOrder(records)
        .filter((r) => (status === 'all' || OPEN_REFERRAL_STATUSES.has(r.data.status)) && (!service || r.data.service === service))
        .map((r) => ({
          recordId: r.recordId,
          version: r.version,
          serviceUserId: r.serviceUserId,
          displayName: names.get(r.serviceUserId) ?? '(unknown)',
          effectiveDate: r.effectiveDate,
          data: r.data,
          recordedAt: r.recordedAt,
          recordedBy: r.recordedBy,
        }));
      await auditRead(ctx.db, ctx.clock, req.actor, {
        clinicId,
        entityType: 'referrals',
        details: { status, ...(service ? { service } : {}), serviceUserIds: [...new Set(referrals.map((r) => r.serviceUserId))] },
      });
      return { referrals };
    },
  );
}
