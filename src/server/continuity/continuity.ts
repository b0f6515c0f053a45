import type { Temporal } from 'temporal-polyfill';
import { ClinicParams, errors } from '../../contract/common';
import type { CareRecord } from '../../domain/care/care-record';
import { draftPlan, livePlan, planRefusals, planStateOf, type ContinuityPlan } from '../../domain/continuity/continuity-plan';
import { continuityStatus, warningText } from '../../domain/continuity/continuity-status';
import { TREATMENT_STATES } from '../../domain/episode/episode-event';
import { refuse } from '../../domain/refusal';
import { displayName } from '../../domain/service-user/record';
import { versionInForce } from '../../domain/prescription/versions';
import { clinicDate } from '../../domain/time/clinic-time';
import { dateToInstant } from '../../domain/time/clock';
import { clinicCareRecords, insertCareRecord, insertCareRecordVersion, personCareRecords } from '../../store/care-records';
import { currentSettings } from '../../store/clinics';
import type { Orm } from '../../store/database';
import { clinicEpisodes } from '../../store/episodes';
import { listServiceUsers } from '../../store/service-users';
import { auditRead } from '../../store/transaction';
import { clinicIdOf } from '../clinic-output';
import { lockPerson } from '../clinical/person';
import type { App, AppContext } from '../context';
import { refused } from '../errors';
import { sendWrite } from '../write';
import { ContinuityResponse, DraftsResponse, PeerSupportResponse, StatusResponse } from './schemas';

async function statusAt(orm: Orm, clinicId: string, now: Temporal.Instant) {
  const settings = (await currentSettings(orm, clinicId))!.settings;
  const today = clinicDate(now, settings.timeZone);
  const status = continuityStatus(today, settings.continuity);
  return { settings, today: today.toString(), status, warning: warningText(status) };
}

/**
 * The clinic's funding horizon (recorded in its settings) and what it means: the status and banner,
 * everyone in treatment with their plan's state, drafting a plan for each person without one, and
 * the peer support the clinic offers.
 */
export function registerContinuity(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/clinics/:clinicId/continuity/status',
    {
      schema: {
        summary: "The funding end date, the notice date, the state (open_ended, funded, notice, ended), days left and the staff banner's words (no one's records)",
        tags: ['continuity'],
        params: ClinicParams,
        response: { 200: StatusResponse, ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const { today, status, warning } = await statusAt(ctx.db.orm, clinicIdOf(req), ctx.clock.now());
      return { today, status, warning };
    },
  );

  app.get(
    '/api/v1/clinics/:clinicId/continuity',
    {
      schema: {
        summary: 'The funding status and everyone in treatment with their continuity plan (none, draft or approved)',
        tags: ['continuity'],
        params: ClinicParams,
        response: { 200: ContinuityResponse, ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const { today, status, warning } = await statusAt(ctx.db.orm, clinicId, ctx.clock.now());
      const [people, episodes, plans] = await Promise.all([
        listServiceUsers(ctx.db.orm, clinicId),
        clinicEpisodes(ctx.db.orm, clinicId),
        clinicCareRecords<ContinuityPlan>(ctx.db.orm, clinicId, ['continuity_plan']),
      ]);
      const names = new Map(people.map((p) => [p.serviceUserId, displayName(p.record)]));
      const out = episodes
        .filter((e) => TREATMENT_STATES.has(e.episode.state))
        .map((e) => {
          const theirs = plans.filter((p) => p.serviceUserId === e.serviceUserId);
          const state = planStateOf(theirs, status.fundedUntil);
          const live = livePlan(theirs);
          return {
            serviceUserId: e.serviceUserId,
            displayName: names.get(e.serviceUserId) ?? '(unknown)',
            episodeState: e.episode.state,
            away: e.episode.absence != null,
            plan: { ...state, option: live?.data.option ?? null, approvedOn: live?.data.approval?.approvedOn ?? null },
          };
        })
        .sort((a, b) => a.displayName.localeCompare(b.displayName));
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'continuity', details: { serviceUserIds: out.map((p) => p.serviceUserId) } });
      return { today, status, warning, people: out };
    },
  );

  app.post(
    '/api/v1/clinics/:clinicId/continuity/drafts',
    {
      schema: {
        summary:
          'Draft a continuity plan for everyone in treatment without one for the current funding end date (plans for an earlier date are withdrawn). Drafts only: a prescriber approves each, and no prescription changes.',
        tags: ['continuity'],
        params: ClinicParams,
        response: { 201: DraftsResponse, ...errors(401, 403, 404, 422) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      return sendWrite(ctx, req, reply, 201, async (w) => {
        const now = dateToInstant(w.now);
        const { status } = await statusAt(w.tx, clinicId, now);
        if (status.state === 'open_ended') {
          throw refused([refuse('no_funding_horizon', 'The clinic has no funding end date: record it in the settings (continuity.fundedUntil) first', 'continuity.fundedUntil')]);
        }
        if (status.state === 'ended') {
          throw refused([refuse('funding_ended', `Funding ended on ${status.fundedUntil}: record the new funding end date in the settings first`, 'continuity.fundedUntil')]);
        }
        const fundedUntil = status.fundedUntil!;
        const inTreatment = (await clinicEpisodes(w.tx, clinicId))
          .filter((e) => TREATMENT_STATES.has(e.episode.state))
          .map((e) => e.serviceUserId)
          .sort();
        const drafted = [];
        const superseded = [];
        const skipped = [];
        // One person at a time, in a fixed order, each locked like any other write about them.
        for (const serviceUserId of inTreatment) {
          const person = await lockPerson(w.tx, clinicId, serviceUserId, now);
          if (!person.episode || !TREATMENT_STATES.has(person.episode.episode.state)) continue;
          const live = livePlan(await personCareRecords<ContinuityPlan>(w.tx, clinicId, serviceUserId, ['continuity_plan']));
          if (live && live.data.fundedUntil === fundedUntil) {
            skipped.push({ serviceUserId, recordId: live.recordId, state: live.data.status === 'approved' ? ('approved' as const) : ('draft' as const) });
            continue;
          }
          if (live) {
            await insertCareRecordVersion(w, clinicId, live as CareRecord, {
              effectiveDate: live.effectiveDate,
              occurredAt: live.occurredAt ? new Date(live.occurredAt) : null,
              data: { ...live.data, status: 'superseded' },
              enteredInError: false,
              reason: `Funding end date changed from ${live.data.fundedUntil} to ${fundedUntil}`,
            });
            superseded.push({ serviceUserId, recordId: live.recordId, fundedUntil: live.data.fundedUntil });
          }
          const plan = draftPlan({
            today: person.today,
            fundedUntil,
            noticeFrom: status.noticeFrom!,
            prescription: versionInForce(person.prescriptions, now)?.content ?? null,
          });
          // The drafting rules keep the plan rules (a property test proves it); checked again, as every plan is.
          const problems = planRefusals(plan, { today: person.today, planDate: person.today, fundedUntil, prescription: versionInForce(person.prescriptions, now)?.content ?? null, inTreatment: true });
          if (problems.length > 0) throw refused(problems);
          const record = await insertCareRecord<ContinuityPlan>(w, clinicId, { serviceUserId, kind: 'continuity_plan', effectiveDate: person.today, data: plan });
          drafted.push({ serviceUserId, recordId: record.recordId, option: plan.option });
        }
        await w.audit({ clinicId, action: 'draft', entityType: 'continuity_plans', details: { fundedUntil, drafted: drafted.length, superseded: superseded.length, skipped: skipped.length } });
        return { status, drafted, superseded, skipped };
      });
    },
  );

  app.get(
    '/api/v1/clinics/:clinicId/peer-support',
    {
      schema: {
        summary: 'The peer champions and contacts the clinic offers (from its settings)',
        tags: ['continuity'],
        params: ClinicParams,
        response: { 200: PeerSupportResponse, ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const settings = (await currentSettings(ctx.db.orm, clinicIdOf(req)))!.settings;
      return { contacts: settings.peerSupport };
    },
  );
}
