import { parse } from 'csv-parse/sync';
import { Temporal } from 'temporal-polyfill';

/**
 * The shared reading of an import CSV (service users, prescriptions, and the pharmacy's methadone
 * log in domain/care/methadone-csv.ts): a header row naming the columns (any case; spaces or
 * hyphens count as underscores), then one row per item. Row numbers are the rows a spreadsheet
 * shows: the header is row 1 and blank lines count (they are skipped, not errors).
 */

export const MAX_IMPORT_ROWS = 5_000;

export interface ImportProblem {
  /** The row as a spreadsheet shows it (header = 1). */
  row: number;
  /** The column concerned (as this import names it), or "(file)" / "(row)". */
  field: string;
  message: string;
}

export interface TableRow<C extends string> {
  row: number;
  values: Partial<Record<C, string>>;
  problems: ImportProblem[];
}

export interface ParsedTable<C extends string> {
  /** Data rows (blank lines not counted). */
  rowsTotal: number;
  rows: TableRow<C>[];
  /** Problems with the file as a whole: nothing can be imported. */
  fileProblems: ImportProblem[];
}

export const columnKey = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '_');

export interface CsvTableOptions<C extends string> {
  /** The most data rows a file may have (default MAX_IMPORT_ROWS). */
  maxRows?: number;
  /**
   * A further rule on which columns the header must have (e.g. one of two), checked after unknown
   * and repeated columns and before the required ones; each problem is named at the header row.
   */
  checkHeader?: (has: (column: C) => boolean) => { field: string; message: string }[];
}

/** Read a CSV into rows of named values; unknown, repeated or missing required columns refuse the file. */
export function parseCsvTable<C extends string>(csv: string, columns: readonly C[], required: readonly C[], item: string, options: CsvTableOptions<C> = {}): ParsedTable<C> {
  const maxRows = options.maxRows ?? MAX_IMPORT_ROWS;
  let records: { record: string[]; info: { records: number } }[];
  try {
    records = parse(csv, { bom: true, trim: true, skip_empty_lines: false, relax_column_count: true, relax_quotes: false, info: true }) as unknown as typeof records;
  } catch (e) {
    const err = e as { message?: string; lines?: number };
    return { rowsTotal: 0, rows: [], fileProblems: [{ row: err.lines ?? 1, field: '(file)', message: `is not a valid CSV file: ${err.message ?? 'it could not be read'}` }] };
  }
  const blank = (r: string[]) => r.every((v) => v.trim() === '');
  const headerAt = records.findIndex((r) => !blank(r.record));
  if (headerAt < 0) return { rowsTotal: 0, rows: [], fileProblems: [{ row: 1, field: '(file)', message: `is empty: it needs a header row naming the columns, then one row per ${item}` }] };
  const header = records[headerAt]!;
  const headerRow = header.info.records;
  const fileProblems: ImportProblem[] = [];
  const positions = new Map<C, number>();
  header.record.forEach((name, i) => {
    if (name.trim() === '') return;
    const column = columnKey(name) as C;
    if (!(columns as readonly string[]).includes(column)) {
      fileProblems.push({ row: headerRow, field: name.trim(), message: `is not a column this import knows; the columns are ${columns.join(', ')}` });
    } else if (positions.has(column)) {
      fileProblems.push({ row: headerRow, field: name.trim(), message: 'appears twice in the header row' });
    } else positions.set(column, i);
  });
  for (const p of options.checkHeader?.((c) => positions.has(c)) ?? []) fileProblems.push({ row: headerRow, ...p });
  for (const c of required) if (!positions.has(c)) fileProblems.push({ row: headerRow, field: c, message: 'column is missing from the header row' });
  const data = records.slice(headerAt + 1).filter((r) => !blank(r.record));
  if (data.length === 0) fileProblems.push({ row: headerRow + 1, field: '(file)', message: 'has no rows under the header' });
  if (data.length > maxRows) {
    fileProblems.push({ row: data[maxRows]!.info.records, field: '(file)', message: `has more than ${maxRows.toLocaleString('en-GB')} rows; split it into smaller files` });
  }
  if (fileProblems.length > 0) return { rowsTotal: data.length, rows: [], fileProblems };
  const width = header.record.length;
  const rows = data.map(({ record, info }) => {
    const values: Partial<Record<C, string>> = {};
    for (const [column, i] of positions) values[column] = (record[i] ?? '').trim();
    const problems: ImportProblem[] = [];
    if (record.length > width) problems.push({ row: info.records, field: '(row)', message: `has ${record.length} values but the header has ${width} columns` });
    record.forEach((v, i) => {
      if (i < width && header.record[i]!.trim() === '' && v.trim() !== '') {
        problems.push({ row: info.records, field: `(column ${i + 1})`, message: 'has a value under a column with no name in the header row' });
      }
    });
    return { row: info.records, values, problems };
  });
  return { rowsTotal: data.length, rows, fileProblems: [] };
}

const UK_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A date written YYYY-MM-DD or DD/MM/YYYY (as UK records write it; never MM/DD/YYYY), as YYYY-MM-DD.
 * With `today` (YYYY-MM-DD), a later date is refused too.
 */
export function parseImportDate(value: string, today?: string): { ok: true; date: string } | { ok: false; message: string } {
  const v = value.trim();
  if (v === '') return { ok: false, message: 'is required' };
  const iso = ISO_DATE.exec(v);
  const uk = UK_DATE.exec(v);
  const parts = iso ? { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) } : uk ? { year: Number(uk[3]), month: Number(uk[2]), day: Number(uk[1]) } : null;
  if (!parts) return { ok: false, message: 'must be a date as YYYY-MM-DD or DD/MM/YYYY' };
  let date: string;
  try {
    date = Temporal.PlainDate.from(parts, { overflow: 'reject' }).toString();
  } catch {
    return { ok: false, message: `is not a real date (${v})` };
  }
  if (today !== undefined && date > today) return { ok: false, message: `is after today (${today})` };
  return { ok: true, date };
}

const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0', '']);

/** yes/no, y/n, true/false, 1/0; empty is no. */
export function parseYesNo(value: string): boolean | null {
  const v = value.trim().toLowerCase();
  if (YES.has(v)) return true;
  if (NO.has(v)) return false;
  return null;
}

const MG = /^(\d+(?:\.\d+)?)\s*(?:mg)?$/i;

/** "60" or "60 mg" as a number; empty is null; anything else undefined. */
export function parseMg(value: string): number | null | undefined {
  const v = value.trim();
  if (v === '') return null;
  const m = MG.exec(v);
  return m ? Number(m[1]) : undefined;
}
