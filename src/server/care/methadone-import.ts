import { z } from 'zod';
import { ClinicParams, errors } from '../../contract/common';
import { checkRows, dayKey, MAX_IMPORT_ROWS, parsePharmacyCsv, resolvePeople, type CheckedImport, type ClinicDirectory, type ParsedCsv } from '../../domain/care/methadone-csv';
import { clinicCareRecords, insertCareImport, insertCareRecords, listCareImports } from '../../store/care-records';
import type { Orm } from '../../store/database';
import { listServiceUsers, lockServiceUser } from '../../store/service-users';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { clinicToday } from '../clinical/person';
import { sendWrite } from '../write';
import { fileHash, ImportRefused, importOutFields, importReportFields, importRequestFields, importResponses, MAX_CSV_BYTES, newestImportFirst, pastImportOut, refusal, reportFields } from '../imports/import-report';

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

const ImportRequest = z.object(importRequestFields);

const ImportReport = z.object({ ...importReportFields, recordIds: z.array(z.string()).describe('The collections written') });
type ImportReport = z.infer<typeof ImportReport>;

const ImportOut = z.object(importOutFields);

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

function report(body: Parameters<typeof reportFields>[0], sha256: string, parsed: ParsedCsv, checked: CheckedImport | null): ImportReport {
  const counts = checked ? { rowsValid: checked.valid.length, rowsRejected: checked.rowsRejected, rejected: checked.rejected } : { fileProblems: parsed.fileProblems };
  return { ...reportFields(body, sha256, parsed.rowsTotal, counts), recordIds: [] };
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
        response: importResponses(ImportReport),
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const body = req.body;
      const sha256 = fileHash(body.csv);
      const today = await clinicToday(ctx.db.orm, clinicId, ctx.clock.now());
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
      return { imports: rows.sort(newestImportFirst).map(pastImportOut) };
    },
  );
}
