import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ErrorResponse, errors } from '../../contract/common';
import type { ImportProblem } from '../../domain/imports/csv-table';
import type { careImports } from '../../store/schema';
import { badRequest } from '../errors';

/**
 * What the service-user and prescription imports share with the pharmacy import
 * (care/methadone-import.ts): the request, the per-row problems, the refusals, the modes and the
 * list of past imports.
 *
 * - dryRun: check only (200), nothing written.
 * - all_or_nothing: any row with a problem refuses the file (422 import_has_errors), nothing written.
 * - valid_rows_only: the valid rows are imported, the rest reported (201).
 * - A problem with the file as a whole refuses it in either mode (422 import_file_invalid).
 */

export const MAX_CSV_BYTES = 2 * 1024 * 1024;
export const IMPORT_MODES = ['all_or_nothing', 'valid_rows_only'] as const;
export const IMPORT_KINDS = ['service_users', 'prescriptions'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const importRequestFields = {
  fileName: z.string().trim().min(1, 'must not be empty').max(255, 'must be at most 255 characters').optional(),
  csv: z.string().min(1, 'must not be empty').max(MAX_CSV_BYTES, 'must be at most 2 MiB; split the file').describe('The whole CSV file as text (UTF-8; a byte-order mark is allowed)'),
  mode: z.enum(IMPORT_MODES, 'must be all_or_nothing or valid_rows_only').describe('all_or_nothing: any problem refuses the whole file; valid_rows_only: import the valid rows, report the rest'),
  dryRun: z.boolean().default(false).describe('Check and report only; write nothing'),
};

export const Problem = z.object({
  row: z.number().int().describe('The row as a spreadsheet shows it (header = 1)'),
  field: z.string().describe('The column, or (file) / (row)'),
  message: z.string(),
  rule: z.string().optional().describe('The safety rule that refused the row, when one did'),
});

/** What every import's report says (the pharmacy import's too); each adds what it wrote. */
export const importReportFields = {
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
};

export const ImportReport = z.object({
  ...importReportFields,
  kind: z.enum(IMPORT_KINDS),
  created: z.array(z.object({ row: z.number().int(), serviceUserId: z.string(), id: z.string() })).describe('What was written (or, for a dry run, nothing)'),
});
export type ImportReport = z.infer<typeof ImportReport>;
export type ReportProblem = z.infer<typeof Problem>;

/** The answers of an import route, given its report. */
export function importResponses<R extends z.ZodType>(report: R) {
  const refused = ErrorResponse.extend({ report }).describe('Nothing was written: the file, or (all_or_nothing) a row, has problems; the report lists them all');
  return { 200: report.describe('Dry run: what an import would do; nothing written'), 201: report, 422: refused, ...errors(400, 401, 403, 404, 409) };
}

/** What a refusal needs of a report (this one, or the pharmacy import's). */
interface RefusableReport {
  rowsTotal: number;
  rowsRejected: number;
  rejected: readonly ReportProblem[];
}

export class ImportRefused<R extends RefusableReport = ImportReport> extends Error {
  constructor(readonly report: R) {
    super('import refused');
  }
}

/** Thrown to roll back a dry run that was checked by really doing it. */
export class DryRunDone extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run');
  }
}

export function fileHash(csv: string): string {
  if (Buffer.byteLength(csv, 'utf8') > MAX_CSV_BYTES) throw badRequest('csv', 'must be at most 2 MiB; split the file');
  return createHash('sha256').update(csv, 'utf8').digest('hex');
}

/** The report's common fields: the counts and problems of a checked file, or a file refused as a whole. */
export function reportFields(
  body: { fileName?: string | undefined; mode: ImportReport['mode']; dryRun: boolean },
  sha256: string,
  rowsTotal: number,
  checked: { rowsValid: number; rowsRejected: number; rejected: ReportProblem[] } | { fileProblems: ImportProblem[] },
): z.infer<z.ZodObject<typeof importReportFields>> {
  const fileLevel = 'fileProblems' in checked;
  const refused = fileLevel || (body.mode === 'all_or_nothing' && checked.rowsRejected > 0);
  return {
    importId: null,
    dryRun: body.dryRun,
    mode: body.mode,
    outcome: body.dryRun ? (refused ? 'would_be_refused' : 'would_import') : refused ? 'refused' : 'imported',
    fileName: body.fileName ?? null,
    sha256,
    rowsTotal,
    rowsValid: fileLevel ? 0 : checked.rowsValid,
    rowsRejected: fileLevel ? rowsTotal : checked.rowsRejected,
    rowsImported: 0,
    rejected: fileLevel ? checked.fileProblems : checked.rejected,
  };
}

export function makeReport(kind: ImportKind, ...args: Parameters<typeof reportFields>): ImportReport {
  return { ...reportFields(...args), kind, created: [] };
}

export function refusal<R extends RefusableReport>(r: R, fileLevel: boolean) {
  const code = fileLevel ? 'import_file_invalid' : 'import_has_errors';
  const message = fileLevel
    ? `The file cannot be imported: ${r.rejected.map((p) => `${p.field} ${p.message}`).join('; ')}. Nothing was imported.`
    : `${r.rowsRejected} of ${r.rowsTotal} row(s) have problems, so nothing was imported (all or nothing): correct the file, or import the valid rows only.`;
  const problems = r.rejected.map((p) => ({ field: `row ${p.row}: ${p.field}`, message: p.message }));
  return { error: { code, message, field: problems[0]?.field ?? 'csv', problems }, report: r };
}

/** A past import as the lists of imports show it (the list adds what it needs, e.g. the kind). */
export const importOutFields = {
  importId: z.string(),
  fileName: z.string().nullable(),
  sha256: z.string(),
  mode: z.string(),
  rowsTotal: z.number().int(),
  rowsImported: z.number().int(),
  rejected: z.array(Problem),
  importedAt: z.string(),
  importedBy: z.string().nullable(),
};

type StoredImport = typeof careImports.$inferSelect;

/** Newest first, ties by id (so the order is stable). */
export const newestImportFirst = (a: StoredImport, b: StoredImport) => b.importedAt.getTime() - a.importedAt.getTime() || b.importId.localeCompare(a.importId);

/** A stored import as importOutFields. */
export function pastImportOut(i: StoredImport) {
  return {
    importId: i.importId,
    fileName: i.fileName,
    sha256: i.sha256,
    mode: i.mode,
    rowsTotal: i.rowsTotal,
    rowsImported: i.rowsImported,
    rejected: i.rejected as ReportProblem[],
    importedAt: i.importedAt.toISOString(),
    importedBy: i.importedBy,
  };
}
