import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ClinicParams, ErrorResponse, errors } from '../../contract/common';
import { checkRows, dayKey, MAX_IMPORT_ROWS, parsePharmacyCsv, resolvePeople, type CheckedImport, type ClinicDirectory, type CsvProblem, type ParsedCsv } from '../../domain/care/methadone-csv';
import { clinicDate } from '../../domain/time/clinic-time';
import { clinicCareRecords, insertCareImport, insertCareRecords, listCareImports } from '../../store/care-records';
import type { Orm } from '../../store/database';
import { listServiceUsers, lockServiceUser } from '../../store/service-users';
import { auditRead } from '../../store/transaction';
import { readStoredClinicSettings } from '../../domain/clinic/clinic-settings';
import { currentSettings } from '../../store/clinics';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { badRequest } from '../errors';
import { sendWrite } from '../write';

/**
 * Importing a community pharmacy's methadone collection log (CSV; the format is described in
 * domain/care/methadone-csv.ts).
 *
 * - dryRun: check only; the report says what an import would do (200), nothing is written.
 * - all_or_nothing: if any row has a problem, nothing is written and the answer is 422
 *   (code `import_has_errors`) with the full report; otherwise every row is imported (201).
 * - valid_rows_only: exactly the valid rows are imported and the rest reported (201), even if that
 *   is none of them (the import is still recorded, so the pharmacy's file is accounted for).
 * - A problem with the file as a whole (not CSV, unknown or missing columns, no rows, over 10,000
 *   rows) refuses it in either mode: 422, code `import_file_invalid`, nothing written.
 *
 * A real import writes the import (with the file's SHA-256 and every rejected row) and each
 * collection, pointing at it, in one transaction, after locking each person in the file (in id
 * order, so two imports cannot deadlock) so that nobody records the same day meanwhile.
 */

export const MAX_CSV_BYTES = 2 * 1024 * 1024;

const IMPORT_MODES = ['all_or_nothing', 'valid_rows_only'] as const;

const ImportRequest = z.object({
  fileName: z.string().trim().min(1, 'must not be empty').max(255, 'must be at most 255 characters').optional(),
  csv: z.string().min(1, 'must not be empty').max(MAX_CSV_BYTES, 'must be at most 2 MiB; split the file').describe('The whole CSV file as text (UTF-8; a byte-order mark is allowed)'),
  mode: z.enum(IMPORT_MODES, 'must be all_or_nothing or valid_rows_only').describe('all_or_nothing: any problem refuses the whole file; valid_rows_only: import the valid rows, report the rest'),
  dryRun: z.boolean().default(false).describe('Check and report only; write nothing'),
});

const Problem = z.object({
  row: z.number().int().describe('The row as a spreadsheet shows it (header = 1)'),
  field: z.string().describe('The column, or (file) / (row)'),
  message: z.string(),
});

const ImportReport = z.object({
  importId: z.string().nullable().describe('Null for a dry run or a refused import'),
  dryRun: z.boolean(),
  mode: z.enum(IMPORT_MODES),
  outcome: z.enum(['imported', 'refused', 'would_import', 'would_be_refused']),
  fileName: z.string().nullable(),
  sha256: z.string(),
  rowsTotal: z.number().int().describe('Data rows in the file (blank lines not counted)'),
  rowsValid: z.number().int(),
  rowsRejected: z.number().int(),
  rowsImported: z.number().int(),
  rejected: z.array(Problem).describe('Every problem found, by row; a row may have several'),
  recordIds: z.array(z.string()).describe('The collections written'),
});
type ImportReport = z.infer<typeof ImportReport>;

const RefusedImport = ErrorResponse.extend({ report: ImportReport }).describe('Nothing was written: the file, or (all_or_nothing) a row, has problems; the report lists them all');

const ImportOut = z.object({
  importId: z.string(),
  fileName: z.string().nullable(),
  sha256: z.string(),
  mode: z.string(),
  rowsTotal: z.number().int(),
  rowsImported: z.number().int(),
  rejected: z.array(Problem),
  importedAt: z.string(),
  importedBy: z.string().nullable(),
});

class ImportRefused extends Error {
  constructor(readonly report: ImportReport) {
    super('import refused');
  }
}

async function directory(orm: Orm, clinicId: string): Promise<ClinicDirectory> {
  const byNhsNumber = new Map<string, string[]>();
  const serviceUserIds = new Set<string>();
  for (const v of await listServiceUsers(orm, clinicId)) {
    serviceUserIds.add(v.serviceUserId);
    if (v.record.nhsNumber) byNhsNumber.set(v.record.nhsNumber, [...(byNhsNumber.get(v.record.nhsNumber) ?? []), v.serviceUserId]);
  }
  return { byNhsNumber, serviceUserIds };
}

/** Match people, (optionally) lock them, and check the rows against what is already recorded. */
async function assess(orm: Orm, clinicId: string, parsed: ParsedCsv, lock: boolean): Promise<CheckedImport> {
  const rows = resolvePeople(parsed.rows, await directory(orm, clinicId));
  const people = [...new Set(rows.flatMap((r) => (r.personId ? [r.personId] : [])))].sort();
  if (lock) for (const id of people) await lockServiceUser(orm, clinicId, id);
  const dates = rows.flatMap((r) => (r.date ? [r.date] : [])).sort();
  const recorded = new Set<string>();
  if (dates.length > 0) {
    const involved = new Set(people);
    for (const r of await clinicCareRecords(orm, clinicId, ['methadone_collection'], { from: dates[0]!, to: dates.at(-1)! })) {
      if (involved.has(r.serviceUserId)) recorded.add(dayKey(r.serviceUserId, r.effectiveDate));
    }
  }
  return checkRows(rows, recorded);
}

function report(
  body: { fileName?: string | undefined; mode: ImportReport['mode']; dryRun: boolean },
  sha256: string,
  parsed: ParsedCsv,
  checked: CheckedImport | null,
): ImportReport {
  const rejected: CsvProblem[] = checked ? checked.rejected : parsed.fileProblems;
  const rowsValid = checked ? checked.valid.length : 0;
  const refused = !checked || (body.mode === 'all_or_nothing' && checked.rowsRejected > 0);
  return {
    importId: null,
    dryRun: body.dryRun,
    mode: body.mode,
    outcome: body.dryRun ? (refused ? 'would_be_refused' : 'would_import') : refused ? 'refused' : 'imported',
    fileName: body.fileName ?? null,
    sha256,
    rowsTotal: parsed.rowsTotal,
    rowsValid,
    rowsRejected: checked ? checked.rowsRejected : parsed.rowsTotal,
    rowsImported: 0,
    rejected,
    recordIds: [],
  };
}

function refusal(r: ImportReport, fileLevel: boolean) {
  const code = fileLevel ? 'import_file_invalid' : 'import_has_errors';
  const message = fileLevel
    ? `The file cannot be imported: ${r.rejected.map((p) => `${p.field} ${p.message}`).join('; ')}. Nothing was imported.`
    : `${r.rowsRejected} of ${r.rowsTotal} row(s) have problems, so nothing was imported (all or nothing): correct the file, or import the valid rows only.`;
  const problems = r.rejected.map((p) => ({ field: `row ${p.row}: ${p.field}`, message: p.message }));
  return { error: { code, message, field: problems[0]?.field ?? 'csv', problems }, report: r };
}

export function registerMethadoneImport(app: App, ctx: AppContext) {
  app.post(
    '/api/v1/clinics/:clinicId/methadone-collections/imports',
    {
      // JSON escaping can double a CSV full of quotes; the 2 MiB limit on the file itself is checked below.
      bodyLimit: 2 * MAX_CSV_BYTES + 64 * 1024,
      schema: {
        summary: "Import a community pharmacy's methadone collection log (CSV), or check it first (dryRun)",
        description: `Columns (header names in any case): nhs_number or service_user_id, date (YYYY-MM-DD or DD/MM/YYYY), status (collected, not_collected, partial, supervised; also "not collected", "missed", "DNC", "DNA", "partly collected", "supervised consumption"), dose_mg, collected_mg, pharmacy, notes. At most ${MAX_IMPORT_ROWS} rows and 2 MiB. Each problem names the row as a spreadsheet shows it (header = row 1) and the column. dryRun: 200 with the report (outcome would_import or would_be_refused), nothing written. all_or_nothing with any problem, or a problem with the whole file in either mode: 422 with the full report, nothing written. Otherwise 201: valid_rows_only writes exactly the valid rows (the import is recorded even if none were).`,
        tags: ['methadone'],
        params: ClinicParams,
        body: ImportRequest,
        response: { 200: ImportReport.describe('Dry run: what an import would do; nothing written'), 201: ImportReport, 422: RefusedImport, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const body = req.body;
      if (Buffer.byteLength(body.csv, 'utf8') > MAX_CSV_BYTES) throw badRequest('csv', 'must be at most 2 MiB; split the file');
      const sha256 = createHash('sha256').update(body.csv, 'utf8').digest('hex');
      const settings = readStoredClinicSettings((await currentSettings(ctx.db.orm, clinicId))!.settings);
      const today = clinicDate(ctx.clock.now(), settings.timeZone).toString();
      const parsed = parsePharmacyCsv(body.csv, today);

      if (body.dryRun) {
        const checked = parsed.fileProblems.length > 0 ? null : await assess(ctx.db.orm, clinicId, parsed, false);
        const r = report(body, sha256, parsed, checked);
        await auditRead(ctx.db, ctx.clock, req.actor, {
          clinicId,
          entityType: 'methadone_collection_import_check',
          details: { fileName: r.fileName, sha256, rowsTotal: r.rowsTotal, rowsValid: r.rowsValid, serviceUserIds: [...new Set(checked?.valid.map((v) => v.personId) ?? [])] },
        });
        return reply.code(200).send(r);
      }

      if (parsed.fileProblems.length > 0) return reply.code(422).send(refusal(report(body, sha256, parsed, null), true));
      try {
        return await sendWrite(ctx, req, reply, 201, async (w) => {
          const checked = await assess(w.tx, clinicId, parsed, true);
          const r = report(body, sha256, parsed, checked);
          if (r.outcome === 'refused') throw new ImportRefused(r);
          const imported = await insertCareImport(w, clinicId, {
            kind: 'methadone_collection',
            fileName: r.fileName,
            sha256,
            mode: body.mode,
            rowsTotal: r.rowsTotal,
            rowsImported: checked.valid.length,
            rejected: r.rejected,
          });
          const records = await insertCareRecords(
            w,
            clinicId,
            checked.valid.map((v) => ({ serviceUserId: v.personId, kind: 'methadone_collection' as const, effectiveDate: v.date, occurredAt: null, data: v.data, importId: imported.importId })),
          );
          const recordIds = records.map((r) => r.recordId);
          return { ...r, importId: imported.importId, rowsImported: recordIds.length, recordIds };
        });
      } catch (e) {
        if (e instanceof ImportRefused) return reply.code(422).send(refusal(e.report, false));
        throw e;
      }
    },
  );

  app.get(
    '/api/v1/clinics/:clinicId/methadone-collections/imports',
    {
      schema: {
        summary: 'Pharmacy methadone imports, newest first, with the rows each rejected',
        tags: ['methadone'],
        params: ClinicParams,
        response: { 200: z.object({ imports: z.array(ImportOut) }), ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const rows = await listCareImports(ctx.db.orm, clinicId, 'methadone_collection');
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'methadone_collection_imports' });
      return {
        imports: rows
          .sort((a, b) => b.importedAt.getTime() - a.importedAt.getTime() || b.importId.localeCompare(a.importId))
          .map((i) => ({
          importId: i.importId,
          fileName: i.fileName,
          sha256: i.sha256,
          mode: i.mode,
          rowsTotal: i.rowsTotal,
          rowsImported: i.rowsImported,
          rejected: i.rejected as CsvProblem[],
          importedAt: i.importedAt.toISOString(),
          importedBy: i.importedBy,
        })),
      };
    },
  );
}
