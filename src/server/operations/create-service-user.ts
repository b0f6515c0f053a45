import { ClinicParams, errors } from '../../contract/common';
import { CreateServiceUserRequest, ServiceUserDetail } from '../../contract/service-users';
import { checkServiceUserRecord, recordDateProblems } from '../../domain/service-user/record';
import { dateToInstant } from '../../domain/time/clock';
import { createServiceUser, findByNhsNumber } from '../../store/service-users';
import { isMember } from '../../store/clinics';
import type { App, AppContext } from '../context';
import { signedIn } from '../authorize';
import { clinicIdOf } from '../clinic-output';
import { badRequest, conflict, invalid } from '../errors';
import { clinicToday, lockPerson } from '../clinical/person';
import { recordEpisodeEvent } from '../clinical/episode-workflow';
import { resolveWhen } from '../clinical/when';
import { alertsFor, episodeSummaryOut, summaryOut } from '../clinical/output';
import { sendWrite } from '../write';

/** A new person's record, optionally with the referral that opens their first episode. */
export function registerCreateServiceUser(app: App, ctx: AppContext) {
  app.post(
    '/api/v1/clinics/:clinicId/service-users',
    {
      schema: {
        summary: 'Add a service user (and optionally their referral)',
        tags: ['service users'],
        params: ClinicParams,
        body: CreateServiceUserRequest,
        response: { 201: ServiceUserDetail, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const checked = checkServiceUserRecord(req.body.record);
      if (!checked.ok) throw invalid(checked.problems.map((p) => ({ ...p, field: `record.${p.field}` })));
      const record = checked.value;
      const { staff } = signedIn(req);
      return sendWrite(ctx, req, reply, 201, async (w) => {
        const now = dateToInstant(w.now);
        const dateProblems = recordDateProblems(record, await clinicToday(w.tx, clinicId, now));
        if (dateProblems.length) throw invalid(dateProblems.map((p) => ({ ...p, field: `record.${p.field}` })));
        if (record.keyworkerStaffId && !(await isMember(w.tx, clinicId, record.keyworkerStaffId))) {
          throw badRequest('record.keyworkerStaffId', 'is not a member of staff at this clinic');
        }
        if (record.nhsNumber && (await findByNhsNumber(w.tx, clinicId, record.nhsNumber)).length > 0) {
          throw conflict('nhs_number_in_use', 'Another service user at this clinic has this NHS number; open their record instead');
        }
        const created = await createServiceUser(w, clinicId, record);
        const person = await lockPerson(w.tx, clinicId, created.serviceUserId, now);
        if (req.body.referral) {
          const { source, reason, at } = req.body.referral;
          await recordEpisodeEvent(w, person, staff, { type: 'referred', source, ...(reason ? { reason } : {}) }, resolveWhen(at, now, 'referral.at'));
        }
        return {
          ...summaryOut(created, person.episode),
          record: created.record,
          reason: created.reason,
          recordedAt: created.recordedAt.toISOString(),
          recordedBy: created.recordedBy,
          episode: episodeSummaryOut(person.episode),
          prescriptionInForce: null,
          alerts: alertsFor(created, person.episode, null),
          photo: null,
        };
      });
    },
  );
}
