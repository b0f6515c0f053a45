import { randomBytes } from 'node:crypto';
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { ClinicParams, errors } from '../../contract/common';
import { buildResearchExtract, researchCsv } from '../../domain/exports/research';
import { currentSettings } from '../../store/clinics';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { badRequest } from '../errors';
import { episodeFacts } from './export-data';

const isoDate = z.iso.date('must be a date as YYYY-MM-DD');
const ResearchQuery = z.object({
  from: isoDate.describe('First clinic date of the extract'),
  to: isoDate.describe('Last clinic date of the extract'),
  format: z.enum(['json', 'csv']).default('json'),
});

const Week = z.object({
  weekStarting: z.string(),
  weekStartDay: z.number(),
  dosesGiven: z.number(),
  dosesRefused: z.number(),
  dosesMissed: z.number(),
  dosesWithheld: z.number(),
  topUpsGiven: z.number(),
  toxicologySamples: z.number(),
  streetHeroin: z.string(),
});
const Person = z.object({
  pseudonym: z.string(),
  ageBandAtReferral: z.string(),
  referredOn: z.string(),
  triagedOn: z.string().nullable(),
  eligibilityDecidedOn: z.string().nullable(),
  eligible: z.boolean().nullable(),
  treatmentStartedOn: z.string().nullable(),
  dischargedOn: z.string().nullable(),
  dischargeReason: z.string().nullable(),
  daysToTriage: z.number().nullable(),
  daysToTreatment: z.number().nullable(),
  daysInTreatment: z.number().nullable(),
  weeks: z.array(Week),
  outcomeProfiles: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))),
});
const ResearchResponse = z.object({ from: z.string(), to: z.string(), people: z.array(Person) });

/** Longest extract in one request: dose rows are read for the whole span. */
export const MAX_EXTRACT_DAYS = 3 * 366;

/**
 * The pseudonymised research extract (rules in docs/research-extract.md). A fresh random key is
 * made for every extract and dropped when the answer is sent: it is never stored, logged or returned,
 * so pseudonyms cannot be linked across extracts or back to people.
 */
export function registerResearchExtract(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/clinics/:clinicId/exports/research',
    {
      schema: {
        summary: 'A pseudonymised research extract: episode timings, weekly doses and toxicology, TOP at start, review and exit (JSON or CSV)',
        tags: ['exports'],
        params: ClinicParams,
        querystring: ResearchQuery,
        response: { 200: ResearchResponse.or(z.string()), ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const { from, to, format } = req.query;
      if (to < from) throw badRequest('to', 'must not be before from');
      const span = Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(to)).days;
      if (span > MAX_EXTRACT_DAYS) throw badRequest('to', `must be at most ${MAX_EXTRACT_DAYS} days after from`);
      const settings = (await currentSettings(ctx.db.orm, clinicId))!.settings;
      const facts = await episodeFacts(ctx.db.orm, clinicId, settings.timeZone, { from, to });
      const key = new Uint8Array(randomBytes(32));
      const extract = buildResearchExtract(
        key,
        from,
        to,
        // Only what the extract's rules need: the record itself (names, contacts, notes) stays here.
        facts.map((f) => ({
          serviceUserId: f.serviceUserId,
          dateOfBirth: f.record.dateOfBirth,
          referredOn: f.referredOn,
          triagedOn: f.triagedOn,
          eligibilityDecidedOn: f.eligibilityDecidedOn,
          eligible: f.eligible,
          treatmentStartedOn: f.treatmentStartedOn,
          dischargedOn: f.dischargedOn,
          dischargeReason: f.dischargeReason,
          doses: f.doses,
          toxicology: f.toxicology,
          outcomeProfiles: f.outcomeProfiles,
        })), settings.monitoring.streetHeroinMarkers);
      key.fill(0);
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'research_extract', details: { from, to, format, people: extract.people.length } });
      if (format === 'csv') {
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="research-${from}-to-${to}.csv"`)
          .send(researchCsv(extract));
      }
      return extract as unknown as z.output<typeof ResearchResponse>;
    },
  );
}
