import { columnKey, parseCsvTable, parseImportDate, parseMg, type ImportProblem } from '../imports/csv-table';
import { normaliseNhsNumber } from '../service-user/nhs-number';
import { MethadoneCollectionData, type CollectionStatus, type MethadoneCollection } from './methadone';

/**
 * A community pharmacy's methadone collection log, as the CSV it sends. Parsing and every check
 * that needs nothing from the database are here; the server looks people up and reads what is
 * already recorded, then `checkRows` finishes the job.
 *
 * The file: a header row, then one row per scheduled collection. Header names are matched without
 * regard to case, and spaces or hyphens count as underscores ("NHS Number" is nhs_number):
 *
 *   nhs_number       the person's NHS number (10 digits, spaces or hyphens allowed), or
 *   service_user_id  their id in openhat; at least one of the two columns, and a value in each row
 *   date             the day the dose was due: YYYY-MM-DD, or DD/MM/YYYY as UK pharmacies write it
 *                    (never MM/DD/YYYY); not after today
 *   status           collected, not_collected, partial or supervised (spellings: STATUS_SPELLINGS)
 *   dose_mg          the dose due, mg (optional; "60" or "60 mg")
 *   collected_mg     the amount collected, mg: required for partial, empty for not_collected
 *   pharmacy, notes  optional text
 *
 * Row numbers are the rows a spreadsheet shows: the header is row 1, and blank lines count (they
 * are skipped, not errors). The file is read as every import reads its CSV (parseCsvTable in
 * domain/imports/csv-table.ts), with a larger row limit.
 */

export const CSV_COLUMNS = ['nhs_number', 'service_user_id', 'date', 'status', 'dose_mg', 'collected_mg', 'pharmacy', 'notes'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

export const MAX_IMPORT_ROWS = 10_000;

/**
 * The status spellings accepted, after lower-casing and treating spaces and hyphens as
 * underscores. DNC is "did not collect" and DNA "did not attend", as pharmacy logs write them.
 */
export const STATUS_SPELLINGS: Readonly<Record<string, CollectionStatus>> = {
  collected: 'collected',
  not_collected: 'not_collected',
  uncollected: 'not_collected',
  missed: 'not_collected',
  did_not_collect: 'not_collected',
  dnc: 'not_collected',
  did_not_attend: 'not_collected',
  dna: 'not_collected',
  partial: 'partial',
  partly_collected: 'partial',
  partially_collected: 'partial',
  part_collected: 'partial',
  supervised: 'supervised',
  supervised_consumption: 'supervised',
};

/** A problem with a row (header = row 1) and a column, or "(file)" / "(row)" for the whole file or row. */
export type CsvProblem = ImportProblem;

export interface CsvRow {
  row: number;
  /** Ten digits, when given and valid. */
  nhsNumber: string | null;
  /** As written, when given and shaped like an id. */
  serviceUserId: string | null;
  /** The due date, YYYY-MM-DD, when valid. */
  date: string | null;
  /** The collection, when every field is valid. */
  data: MethadoneCollection | null;
  problems: CsvProblem[];
}

export interface ParsedCsv {
  /** Data rows (blank lines not counted). */
  rowsTotal: number;
  rows: CsvRow[];
  /** Problems with the file as a whole (bad CSV, unknown or missing columns, too many rows): nothing can be imported. */
  fileProblems: CsvProblem[];
}

export function normaliseStatus(value: string): CollectionStatus | null {
  return STATUS_SPELLINGS[columnKey(value)] ?? null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FIELD_COLUMN: Record<string, CsvColumn> = { status: 'status', doseMg: 'dose_mg', collectedMg: 'collected_mg', pharmacy: 'pharmacy', notes: 'notes' };

function rowOf(row: number, values: Partial<Record<CsvColumn, string>>, today: string): CsvRow {
  const problems: CsvProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ row, field, message });
  const text = (c: CsvColumn) => (values[c] ?? '').trim();

  let nhsNumber: string | null = null;
  let serviceUserId: string | null = null;
  if (text('nhs_number')) {
    nhsNumber = normaliseNhsNumber(text('nhs_number'));
    if (!nhsNumber) problem('nhs_number', 'is not a valid NHS number (10 digits with a correct check digit)');
  }
  if (text('service_user_id')) {
    if (UUID.test(text('service_user_id'))) serviceUserId = text('service_user_id').toLowerCase();
    else problem('service_user_id', 'is not a service user id (a UUID)');
  }
  if (!text('nhs_number') && !text('service_user_id')) problem('service_user_id' in values ? 'service_user_id' : 'nhs_number', "give the person's NHS number or service user id");

  const parsedDate = parseImportDate(text('date'), today);
  if (!parsedDate.ok) problem('date', parsedDate.message);

  const status = normaliseStatus(text('status'));
  if (!status) {
    problem(
      'status',
      text('status') === ''
        ? 'is required'
        : `is not a status this import knows ("${text('status').slice(0, 40)}"): use collected, not_collected, partial or supervised (also accepted: ${Object.keys(STATUS_SPELLINGS).filter((s) => !['collected', 'not_collected', 'partial', 'supervised'].includes(s)).join(', ')})`,
    );
  }
  const mg = (c: 'dose_mg' | 'collected_mg'): number | null | undefined => {
    const n = parseMg(text(c));
    if (n === undefined) problem(c, 'must be a number of mg, e.g. 60 or 62.5');
    return n;
  };
  const doseMg = mg('dose_mg');
  const collectedMg = mg('collected_mg');

  let data: MethadoneCollection | null = null;
  if (status && doseMg !== undefined && collectedMg !== undefined) {
    const parsed = MethadoneCollectionData.safeParse({ status, doseMg, collectedMg, pharmacy: text('pharmacy') || null, notes: text('notes') || null });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problem(FIELD_COLUMN[String(issue.path[0])] ?? '(row)', issue.message);
    } else data = parsed.data;
  }
  return { row, nhsNumber, serviceUserId, date: parsedDate.ok ? parsedDate.date : null, data: problems.length === 0 ? data : null, problems };
}

/** Parse a pharmacy's CSV and check every row on its own. */
export function parsePharmacyCsv(csv: string, today: string): ParsedCsv {
  const table = parseCsvTable(csv, CSV_COLUMNS, ['date', 'status'], 'collection', {
    maxRows: MAX_IMPORT_ROWS,
    checkHeader: (has) =>
      has('nhs_number') || has('service_user_id') ? [] : [{ field: 'nhs_number', message: 'the header row needs an nhs_number or a service_user_id column to say whose each row is' }],
  });
  const rows = table.rows.map((t) => {
    const row = rowOf(t.row, t.values, today);
    // The row's shape (more values than columns, a value under an unnamed column) comes first.
    return t.problems.length === 0 ? row : { ...row, data: null, problems: [...t.problems, ...row.problems] };
  });
  return { rowsTotal: table.rowsTotal, rows, fileProblems: table.fileProblems };
}

/** Who is who at the clinic, for matching rows to people. */
export interface ClinicDirectory {
  /** Ten-digit NHS number → the people whose current record has it. */
  byNhsNumber: ReadonlyMap<string, readonly string[]>;
  serviceUserIds: ReadonlySet<string>;
}

export type ResolvedRow = CsvRow & { personId: string | null };

/** Match each row to a person at this clinic (by service_user_id when given, checked against nhs_number when both are). */
export function resolvePeople(rows: readonly CsvRow[], directory: ClinicDirectory): ResolvedRow[] {
  return rows.map((r) => {
    const problems = [...r.problems];
    let personId: string | null = null;
    const byNhs = r.nhsNumber ? (directory.byNhsNumber.get(r.nhsNumber) ?? []) : null;
    if (r.serviceUserId) {
      if (!directory.serviceUserIds.has(r.serviceUserId)) problems.push({ row: r.row, field: 'service_user_id', message: 'is not a service user at this clinic' });
      else personId = r.serviceUserId;
      if (personId && byNhs !== null && !byNhs.includes(personId)) {
        problems.push({ row: r.row, field: 'nhs_number', message: 'is not the NHS number on record for the service user in service_user_id' });
        personId = null;
      }
    } else if (byNhs !== null) {
      if (byNhs.length === 0) problems.push({ row: r.row, field: 'nhs_number', message: 'no service user at this clinic has this NHS number' });
      else if (byNhs.length > 1) problems.push({ row: r.row, field: 'nhs_number', message: 'more than one service user at this clinic has this NHS number; use service_user_id' });
      else personId = byNhs[0]!;
    }
    return { ...r, personId, problems };
  });
}

export const dayKey = (personId: string, date: string) => `${personId} ${date}`;

export interface CheckedImport {
  valid: { row: number; personId: string; date: string; data: MethadoneCollection }[];
  /** Every problem, by row. */
  rejected: CsvProblem[];
  rowsRejected: number;
}

/**
 * The last checks, which need the people matched and what is already recorded (a set of
 * `dayKey(personId, date)`): one collection per person per day. Rows in the file for the same
 * person and day are all rejected, since which of them is right cannot be told.
 */
export function checkRows(rows: readonly ResolvedRow[], alreadyRecorded: ReadonlySet<string>): CheckedImport {
  const rowsByDay = new Map<string, number[]>();
  for (const r of rows) {
    if (r.personId && r.date) rowsByDay.set(dayKey(r.personId, r.date), [...(rowsByDay.get(dayKey(r.personId, r.date)) ?? []), r.row]);
  }
  const valid: CheckedImport['valid'] = [];
  const rejected: CsvProblem[] = [];
  let rowsRejected = 0;
  for (const r of rows) {
    const problems = [...r.problems];
    if (r.personId && r.date) {
      const k = dayKey(r.personId, r.date);
      const same = rowsByDay.get(k)!.filter((n) => n !== r.row);
      if (same.length > 0) problems.push({ row: r.row, field: 'date', message: `the same person and date are also on row${same.length > 1 ? 's' : ''} ${same.join(', ')}; keep one row per person per day` });
      if (alreadyRecorded.has(k)) problems.push({ row: r.row, field: 'date', message: `a methadone collection for this person on ${r.date} is already recorded; correct that record instead` });
    }
    if (problems.length === 0 && r.personId && r.date && r.data) valid.push({ row: r.row, personId: r.personId, date: r.date, data: r.data });
    else {
      rowsRejected++;
      rejected.push(...(problems.length > 0 ? problems : [{ row: r.row, field: '(row)', message: 'could not be read' }]));
    }
  }
  return { valid, rejected, rowsRejected };
}
