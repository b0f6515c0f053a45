import { z } from 'zod';
import { ClinicParams, errors } from '../../contract/common';
import { buildNdtmsRows, NDTMS_FIELDS, ndtmsCsv, ndtmsSex, validateNdtms } from '../../domain/exports/ndtms';
import { currentSettings } from '../../store/clinics';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { episodeFacts } from './export-data';

const MonthQuery = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM')
    .describe('The month of the return, YYYY-MM'),
  format: z.enum(['json', 'csv']).default('json'),
});

const Cell = z.union([z.string(), z.number(), z.null()]);
const NdtmsResponse = z.object({
  month: z.string(),
  fields: z.array(z.string()).describe('The fields in file order (see docs/ndtms.md)'),
  rows: z.array(z.record(z.string(), Cell)),
  problems: z.array(z.object({ row: z.number(), clientId: z.string(), field: z.string(), message: z.string() })).describe('Empty when the return is fit to submit'),
});

/**
 * The monthly national return (NDTMS adult dataset shape). It carries client identifiers (initials,
 * date of birth, sex, postcode district) under NDTMS's legal basis, so only the clinic's
 * administrators may download it, and each download is audited with the month and row count.
 */
export function registerNdtmsReturn(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/clinics/:clinicId/exports/ndtms',
    {
      schema: {
        summary: 'The monthly NDTMS adult dataset return: one row per episode active in the month, with validation problems (JSON or CSV)',
        tags: ['exports'],
        params: ClinicParams,
        querystring: MonthQuery,
        response: { 200: NdtmsResponse.or(z.string()), ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const { month, format } = req.query;
      const settings = (await currentSettings(ctx.db.orm, clinicId))!.settings;
      const facts = await episodeFacts(ctx.db.orm, clinicId, settings.timeZone, null);
      const rows = buildNdtmsRows(
        month,
        facts.map((f) => ({
          serviceUserId: f.serviceUserId,
          episodeId: f.episodeId,
          givenName: f.record.givenName,
          familyName: f.record.familyName,
          dateOfBirth: f.record.dateOfBirth,
          sex: ndtmsSex(f.record.sex ?? 'not_known'),
          postcode: f.record.address?.postcode ?? null,
          noFixedAbode: f.record.noFixedAbode,
          referredOn: f.referredOn,
          triagedOn: f.triagedOn,
          notEligibleOn: f.eligible === false ? f.eligibilityDecidedOn : null,
          treatmentStartedOn: f.treatmentStartedOn,
          dischargedOn: f.dischargedOn,
          dischargeReason: f.dischargeReason,
          outcomeProfiles: f.outcomeProfiles,
        })),
      );
      const problems = validateNdtms(month, rows);
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'ndtms_return', details: { month, format, rows: rows.length, problems: problems.length } });
      if (format === 'csv') {
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="ndtms-${month}.csv"`)
          .send(ndtmsCsv(rows));
      }
      return { month, fields: NDTMS_FIELDS.map((f) => f.field), rows: rows as unknown as Record<string, string | number | null>[], problems };
    },
  );
}
