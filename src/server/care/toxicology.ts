import { z } from 'zod';
import { ClinicParams, errors } from '../../contract/common';
import { ServiceUserParams } from '../../contract/service-users';
import { readStoredClinicSettings } from '../../domain/clinic/clinic-settings';
import { checkToxicology, TOXICOLOGY_OUTCOMES, ToxicologyData, toxicologyDue, toxicologyTrends, mondayOf, type ToxicologyRecordData } from '../../domain/care/toxicology';
import { clinicDate } from '../../domain/time/clinic-time';
import { personCareRecords } from '../../store/care-records';
import { currentSettings } from '../../store/clinics';
import { serviceUserExists } from '../../store/service-users';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { idParam } from '../clinical/output';
import { notFound } from '../errors';
import { registerCareRecordRoutes } from './care-routes';
import { clinicCare, onePersonInCare } from './people-in-care';
import { Temporal } from 'temporal-polyfill';

const TAG = 'toxicology';

const StreetHeroin = z.enum(['positive', 'negative', 'markers_not_tested', 'results_pending', 'no_sample']);

const TrendsOut = z.object({
  today: z.string(),
  streetHeroinMarkers: z.array(z.string()),
  weeks: z.array(
    z.object({
      weekStarting: z.string().describe('Monday (clinic date)'),
      weekEnding: z.string().describe('Sunday'),
      samplesTaken: z.number().int(),
      attemptsNotTaken: z.number().int().describe('Refused or not possible'),
      tested: z.boolean(),
      streetHeroin: StreetHeroin.describe('positive: a street-heroin marker positive; negative: a marker tested, none positive; markers_not_tested, results_pending or no_sample otherwise'),
      positives: z.array(z.string()),
    }),
  ),
  substances: z.array(z.object({ substance: z.string(), positiveSamples: z.number().int(), positiveWeeks: z.number().int() })),
  summary: z.object({
    weeks: z.number().int(),
    weeksTested: z.number().int(),
    weeksPositiveStreetHeroin: z.number().int(),
    latest4: z.object({ weeksTested: z.number().int(), weeksPositiveStreetHeroin: z.number().int() }),
  }),
});

const DueOut = z.object({
  serviceUserId: z.string(),
  displayName: z.string(),
  dueOn: z.string(),
  overdue: z.boolean(),
  intervalDays: z.number().int(),
  lastTakenOn: z.string().nullable(),
  lastAttempt: z.object({ on: z.string(), outcome: z.enum(TOXICOLOGY_OUTCOMES) }).nullable(),
});

/**
 * Toxicology: samples (or attempts), the clinic's due list, and a person's week-by-week trends.
 * The results of a laboratory sample are added later by a correction of the record.
 */
export function registerToxicology(app: App, ctx: AppContext) {
  registerCareRecordRoutes(app, ctx, {
    kind: 'toxicology',
    path: 'toxicology',
    noun: 'toxicology test',
    tag: TAG,
    data: ToxicologyData,
    check: (data, person) => checkToxicology(data, person.settings.monitoring.toxicologyPanel),
  });

  app.get(
    '/api/v1/clinics/:clinicId/service-users/:serviceUserId/toxicology/trends',
    {
      schema: {
        summary: "A person's toxicology week by week (Monday to Sunday): tested or not, street heroin or not, and positives by substance",
        tags: [TAG],
        params: ServiceUserParams,
        querystring: z.object({ weeks: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(104, 'must be at most 104').default(12).describe('How many weeks, up to this one') }),
        response: { 200: TrendsOut, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const serviceUserId = idParam(req, 'serviceUserId', 'Service user');
      if (!(await serviceUserExists(ctx.db.orm, clinicId, serviceUserId))) throw notFound('Service user');
      const settings = readStoredClinicSettings((await currentSettings(ctx.db.orm, clinicId))!.settings);
      const today = clinicDate(ctx.clock.now(), settings.timeZone).toString();
      const records = await personCareRecords<ToxicologyRecordData>(ctx.db.orm, clinicId, serviceUserId, ['toxicology']);
      // Weeks before treatment started (and before any sample) are not "no sample" weeks: leave them out.
      const startedOn = (await onePersonInCare(ctx.db.orm, clinicId, serviceUserId, ctx.clock.now()))?.person.treatmentStartedOn ?? today;
      const first = [startedOn, ...records.map((r) => r.effectiveDate)].sort()[0]!;
      const weeksSince = Temporal.PlainDate.from(mondayOf(first)).until(mondayOf(today)).days / 7 + 1;
      const weeks = Math.max(1, Math.min(req.query.weeks, weeksSince));
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'toxicology_trends', entityId: serviceUserId, details: { weeks } });
      return { today, streetHeroinMarkers: settings.monitoring.streetHeroinMarkers, ...toxicologyTrends(records, settings.monitoring, today, weeks) };
    },
  );

  app.get(
    '/api/v1/clinics/:clinicId/toxicology/due',
    {
      schema: {
        summary: 'Who is due (or overdue) a toxicology sample, soonest first',
        tags: [TAG],
        params: ClinicParams,
        querystring: z.object({ withinDays: z.coerce.number().int('must be a whole number').min(0, 'must be 0 or more').max(28, 'must be at most 28').default(0).describe('Also list samples due within this many days') }),
        response: { 200: z.object({ today: z.string(), due: z.array(DueOut) }), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const care = await clinicCare(ctx.db.orm, clinicId, ctx.clock.now());
      const horizon = clinicDate(care.now, care.settings.timeZone).add({ days: req.query.withinDays }).toString();
      const due: z.infer<typeof DueOut>[] = [];
      for (const p of care.people) {
        const d = toxicologyDue(p, care.settings, care.today);
        if (!d || d.dueOn > horizon) continue;
        due.push({
          serviceUserId: p.serviceUserId,
          displayName: p.displayName,
          dueOn: d.dueOn,
          overdue: d.overdue,
          intervalDays: d.intervalDays,
          lastTakenOn: d.lastTakenOn,
          lastAttempt: d.lastAttempt ? { on: d.lastAttempt.on, outcome: d.lastAttempt.outcome } : null,
        });
      }
      due.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.displayName.localeCompare(b.displayName));
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'toxicology_due', details: { serviceUserIds: due.map((d) => d.serviceUserId) } });
      return { today: care.today, due };
    },
  );
}
