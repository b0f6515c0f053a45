import type { Temporal } from 'temporal-polyfill';
import { errors } from '../../contract/common';
import type { CareRecord } from '../../domain/care/care-record';
import { approvalRefusals, approved, checkPlanInput, ContinuityPlanData, type ContinuityPlan, type PlanContext } from '../../domain/continuity/continuity-plan';
import { continuityLetter } from '../../domain/continuity/letter';
import { TREATMENT_STATES } from '../../domain/episode/episode-event';
import { versionInForce } from '../../domain/prescription/versions';
import { dateToInstant } from '../../domain/time/clock';
import { clinicDate } from '../../domain/time/clinic-time';
import { careRecordVersions, insertCareRecordVersion } from '../../store/care-records';
import { currentSettings } from '../../store/clinics';
import { currentVersion } from '../../store/service-users';
import { getStaff } from '../../store/staff';
import { auditRead } from '../../store/transaction';
import { signedIn } from '../authorize';
import { RecordParams, registerCareRecordRoutes } from '../care/care-routes';
import { clinicIdOf } from '../clinic-output';
import { idParam } from '../clinical/output';
import { lockPerson, type PersonState } from '../clinical/person';
import { verifySignature } from '../clinical/signature';
import type { App, AppContext } from '../context';
import { conflict, notFound, refused } from '../errors';
import { sendWrite } from '../write';
import { ApprovalRequest, PlanRecordOut } from './schemas';
import { z } from 'zod';

/** What the plan rules need to know about the person and the clinic, now. */
export function planContext(person: PersonState, planDate: string, now: Temporal.Instant): PlanContext {
  return {
    today: person.today,
    planDate,
    fundedUntil: person.settings.continuity.fundedUntil,
    prescription: versionInForce(person.prescriptions, now)?.content ?? null,
    inTreatment: person.episode !== null && TREATMENT_STATES.has(person.episode.episode.state),
  };
}

/**
 * Continuity plans: a care record kind (`continuity-plans`: record a draft, list, versions,
 * corrections — a correction makes a draft again, or withdraws the plan), plus approval with the
 * prescriber's signature and the letter for the service user.
 */
export function registerContinuityPlans(app: App, ctx: AppContext) {
  registerCareRecordRoutes(app, ctx, {
    kind: 'continuity_plan',
    path: 'continuity-plans',
    noun: 'continuity plan',
    tag: 'continuity',
    data: ContinuityPlanData,
    check: (data, person, when, others) => checkPlanInput(data, planContext(person, when.effectiveDate, ctx.clock.now()), others as CareRecord<ContinuityPlan>[]),
  });

  app.post(
    '/api/v1/clinics/:clinicId/continuity-plans/:recordId/approval',
    {
      schema: {
        summary: "Approve a draft continuity plan, signed with the prescriber's password (a new version with reason \"approved\"). It changes no prescription.",
        tags: ['continuity'],
        params: RecordParams,
        body: ApprovalRequest,
        response: { 201: PlanRecordOut, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const recordId = idParam(req, 'recordId', 'Continuity plan');
      const { staff } = signedIn(req);
      await verifySignature(ctx, req, staff, req.body.signature.password);
      return sendWrite(ctx, req, reply, 201, async (w) => {
        const first = (await careRecordVersions(w.tx, clinicId, recordId))[0];
        if (!first || first.kind !== 'continuity_plan') throw notFound('Continuity plan');
        const now = dateToInstant(w.now);
        const person = await lockPerson(w.tx, clinicId, first.serviceUserId, now);
        // Read again under the person's lock: a correction made meanwhile is the version we approve.
        const latest = (await careRecordVersions<ContinuityPlan>(w.tx, clinicId, recordId)).at(-1)!;
        if (latest.enteredInError) throw conflict('entered_in_error', 'This plan was marked entered in error');
        const plan = ContinuityPlanData.parse(latest.data);
        const refusals = approvalRefusals(plan, planContext(person, latest.effectiveDate, now));
        if (refusals.length > 0) throw refused(refusals);
        return insertCareRecordVersion(w, clinicId, latest, {
          effectiveDate: latest.effectiveDate,
          occurredAt: latest.occurredAt ? new Date(latest.occurredAt) : null,
          data: approved(plan, { staffId: staff.staffId, name: staff.displayName }, person.today),
          enteredInError: false,
          reason: 'approved',
        });
      });
    },
  );

  app.get(
    '/api/v1/clinics/:clinicId/continuity-plans/:recordId/letter',
    {
      schema: {
        summary: 'The plain-language letter about a plan for the service user (printable HTML; a draft is marked as one)',
        tags: ['continuity'],
        params: RecordParams,
        response: { 200: z.string().describe('text/html'), ...errors(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const recordId = idParam(req, 'recordId', 'Continuity plan');
      const latest = (await careRecordVersions<ContinuityPlan>(ctx.db.orm, clinicId, recordId)).at(-1);
      if (!latest || latest.kind !== 'continuity_plan' || latest.enteredInError) throw notFound('Continuity plan');
      const settings = (await currentSettings(ctx.db.orm, clinicId))!.settings;
      const person = (await currentVersion(ctx.db.orm, clinicId, latest.serviceUserId))!.record;
      const keyworker = person.keyworkerStaffId ? await getStaff(ctx.db.orm, person.keyworkerStaffId) : null;
      const plan = ContinuityPlanData.parse(latest.data);
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'continuity_plan_letter', entityId: recordId, details: { serviceUserId: latest.serviceUserId, version: latest.version } });
      const html = continuityLetter({
        clinicName: settings.name,
        personName: person.preferredName ?? person.givenName,
        plan,
        today: clinicDate(ctx.clock.now(), settings.timeZone).toString(),
        keyworker: keyworker?.displayName ?? null,
        prescriber: plan.approval?.approvedByName ?? null,
        peerSupport: settings.peerSupport,
      });
      return reply.header('content-type', 'text/html; charset=utf-8').send(html);
    },
  );
}
