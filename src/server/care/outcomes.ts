import { z } from 'zod';
import { Temporal } from 'temporal-polyfill';
import { ClinicParams, errors } from '../../contract/common';
import { ServiceUserParams } from '../../contract/service-users';
import {
  checkOutcomeProfile,
  normaliseOutcomeProfile,
  outcomeChange,
  outcomeDue,
  OutcomeProfileData,
  TOP_STAGES,
  type OutcomeEpisode,
  type OutcomeProfile,
} from '../../domain/care/outcome-profile';
import type { CareRecord } from '../../domain/care/care-record';
import { clinicDate } from '../../domain/time/clinic-time';
import { personCareRecords } from '../../store/care-records';
import { serviceUserExists } from '../../store/service-users';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { idParam } from '../clinical/output';
import type { PersonState } from '../clinical/person';
import { notFound } from '../errors';
import { registerCareRecordRoutes } from './care-routes';
import { clinicCare } from './people-in-care';

/**
 * Treatment Outcomes Profiles (TOP): recorded at treatment start, every few months in treatment and
 * at exit (see src/domain/care/outcome-profile.ts and docs/outcomes.md), the change since the
 * start profile, and who is due one.
 */

/** The person's latest episode, as clinic dates. */
export function outcomeEpisode(person: PersonState): OutcomeEpisode {
  const stored = person.episode;
  if (!stored) return { state: null, referredOn: null, treatmentStartedOn: null, dischargedOn: null };
  const dateOf = (at: string | undefined) => (at ? clinicDate(Temporal.Instant.from(at), person.settings.timeZone).toString() : null);
  return {
    state: stored.episode.state,
    referredOn: dateOf(stored.events.find((e) => e.type === 'referred')?.at ?? stored.episode.referredAt),
    treatmentStartedOn: dateOf(stored.events.find((e) => e.type === 'induction_started')?.at),
    dischargedOn: dateOf(stored.events.find((e) => e.type === 'discharged')?.at),
  };
}

const Stage = z.enum(TOP_STAGES);
const Ref = z.object({ recordId: z.string(), effectiveDate: z.string() });

const ChangeOut = z.object({
  start: Ref.nullable().describe('The latest start profile; null when there is none'),
  latest: Ref.extend({ stage: Stage }).nullable().describe('The latest profile after it; null when there is none'),
  measures: z.array(
    z.object({
      measure: z.string().describe('The item, as a field path of the profile'),
      label: z.string(),
      start: z.union([z.number(), z.boolean()]).nullable(),
      latest: z.union([z.number(), z.boolean()]).nullable(),
      change: z.number().nullable().describe('latest − start for numbers; null for yes/no items or when either is missing'),
      direction: z.enum(['better', 'worse', 'same', 'unknown']),
    }),
  ),
});

const DueOut = z.object({
  serviceUserId: z.string(),
  displayName: z.string(),
  stage: Stage,
  dueOn: z.string(),
  overdue: z.boolean(),
  severity: z.enum(['info', 'warning']),
  since: z.string().describe('Treatment start (start profile), the latest profile (review) or discharge (exit)'),
  lastProfile: Ref.extend({ stage: Stage }).nullable(),
  text: z.string(),
});

export function registerOutcomes(app: App, ctx: AppContext) {
  registerCareRecordRoutes(app, ctx, {
    kind: 'outcome_profile',
    path: 'outcomes',
    noun: 'Treatment Outcomes Profile',
    tag: 'outcomes',
    data: OutcomeProfileData,
    check: (data, person, when, others) => checkOutcomeProfile(normaliseOutcomeProfile(data), when.effectiveDate, outcomeEpisode(person), others as CareRecord<OutcomeProfile>[]),
  });

  app.get(
    '/api/v1/clinics/:clinicId/service-users/:serviceUserId/outcomes/change',
    {
      schema: {
        summary: "A person's change since their start profile: start against the latest profile after it, measure by measure",
        tags: ['outcomes'],
        params: ServiceUserParams,
        response: { 200: ChangeOut, ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const serviceUserId = idParam(req, 'serviceUserId', 'Service user');
      if (!(await serviceUserExists(ctx.db.orm, clinicId, serviceUserId))) throw notFound('Service user');
      const profiles = await personCareRecords<OutcomeProfile>(ctx.db.orm, clinicId, serviceUserId, ['outcome_profile']);
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'outcome_change', entityId: serviceUserId });
      return outcomeChange(profiles);
    },
  );

  app.get(
    '/api/v1/clinics/:clinicId/outcomes/due',
    {
      schema: {
        summary: 'Who is due (or overdue) an outcome profile: start, review or exit, soonest first',
        tags: ['outcomes'],
        params: ClinicParams,
        response: { 200: z.object({ today: z.string(), due: z.array(DueOut) }), ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const care = await clinicCare(ctx.db.orm, clinicId, ctx.clock.now());
      const due: z.infer<typeof DueOut>[] = [];
      for (const person of care.people) {
        const d = outcomeDue(person, care.settings.monitoring, care.today);
        if (!d) continue;
        due.push({ serviceUserId: person.serviceUserId, displayName: person.displayName, ...d, severity: d.overdue ? 'warning' : 'info' });
      }
      due.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.displayName.localeCompare(b.displayName));
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'outcomes_due', details: { serviceUserIds: due.map((d) => d.serviceUserId) } });
      return { today: care.today, due };
    },
  );
}
