import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ErrorResponse } from '../../contract/common';
import type { ImportProblem } from '../../domain/imports/csv-table';
import { badRequest } from '../errors';

/**
 * What the service-user and prescription imports share with the pharmacy import
 * (care/methadone-import.ts): the request, the per-row report, the refusals and the modes.
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

export const ImportReport = z.object({
  importId: z.string().nullable().describe('Null for a dry run or a refused import'),
  kind: z.enum(IMPORT_KINDS),
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
  created: z.array(z.object({ row: z.number().int(), serviceUserId: z.string(), id: z.string() })).describe('What was written (or, for a dry run, nothing)'),
});
export type ImportReport = z.infer<typeof ImportReport>;
export type ReportProblem = z.infer<typeof Problem>;

export const RefusedImport = ErrorResponse.extend({ report: ImportReport }).describe('Nothing was written: the file, or (all_or_nothing) a row, has problems; the report lists them all');

export class ImportRefused extends Error {
  constructor(readonly report: ImportReport) {
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

export function makeReport(
  kind: ImportKind,
  body: { fileName?: string | undefined; mode: ImportReport['mode']; dryRun: boolean },
  sha256: string,
  rowsTotal: number,
  checked: { rowsValid: number; rowsRejected: number; rejected: ReportProblem[] } | { fileProblems: ImportProblem[] },
): ImportReport {
  const fileLevel = 'fileProblems' in checked;
  const refused = fileLevel || (body.mode === 'all_or_nothing' && checked.rowsRejected > 0);
  return {
    importId: null,
    kind,
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
    created: [],
  };
}

export function refusal(r: ImportReport, fileLevel: boolean) {
  const code = fileLevel ? 'import_file_invalid' : 'import_has_errors';
  const message = fileLevel
    ? `The file cannot be imported: ${r.rejected.map((p) => `${p.field} ${p.message}`).join('; ')}. Nothing was imported.`
    : `${r.rowsRejected} of ${r.rowsTotal} row(s) have problems, so nothing was imported (all or nothing): correct the file, or import the valid rows only.`;
  const problems = r.rejected.map((p) => ({ field: `row ${p.row}: ${p.field}`, message: p.message }));
  return { error: { code, message, field: problems[0]?.field ?? 'csv', problems }, report: r };
}
