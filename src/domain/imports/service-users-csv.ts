import { checkServiceUserRecord, recordDateProblems, SEXES, type ServiceUserRecord } from '../service-user/record';
import { normaliseNhsNumber } from '../service-user/nhs-number';
import { parseCsvTable, parseImportDate, parseYesNo, type ImportProblem, type ParsedTable } from './csv-table';

/**
 * Service users from a CSV, for a clinic moving from paper or another system. Each row is checked
 * exactly as the API checks a new record (checkServiceUserRecord, recordDateProblems), with each
 * problem named by its column. Duplicates (an NHS number twice in the file, or already at the
 * clinic) are errors: the person's record must be opened, not made twice.
 *
 * episode_state: empty (no episode, as the API allows) or `referred` (a referral opens their first
 * episode, from referral_source, on referral_date or today). `waiting_list` and `in_treatment` are
 * refused per row: reaching them needs an assessment and an eligibility decision on each criterion
 * by a clinician, which a CSV cannot carry; record those steps on the person's episode screen.
 */

export const SERVICE_USER_COLUMNS = [
  'family_name',
  'given_name',
  'preferred_name',
  'date_of_birth',
  'sex',
  'nhs_number',
  'address_line_1',
  'address_line_2',
  'address_line_3',
  'postcode',
  'no_fixed_abode',
  'phone',
  'gp_practice',
  'alcohol_known_use',
  'referral_source',
  'referral_date',
  'episode_state',
  'induction_date',
] as const;
export type ServiceUserColumn = (typeof SERVICE_USER_COLUMNS)[number];
export const SERVICE_USER_REQUIRED: readonly ServiceUserColumn[] = ['family_name', 'given_name', 'date_of_birth'];

export const EPISODE_STATES_IN_FILE = ['referred', 'waiting_list', 'in_treatment'] as const;

export interface ServiceUserRow {
  row: number;
  /** Ten digits, when given and valid (even if the row has other problems). */
  nhsNumber: string | null;
  record: ServiceUserRecord | null;
  referral: { source: string; date: string } | null;
  problems: ImportProblem[];
}

/** The record field (as checkServiceUserRecord names it) → the column it came from. */
export function columnOfRecordField(field: string): ServiceUserColumn | '(row)' {
  const line = /^address\.lines\[(\d+)\]/.exec(field);
  if (line) return `address_line_${Math.min(Number(line[1]) + 1, 3)}` as ServiceUserColumn;
  const map: Record<string, ServiceUserColumn> = {
    familyName: 'family_name',
    givenName: 'given_name',
    preferredName: 'preferred_name',
    dateOfBirth: 'date_of_birth',
    sex: 'sex',
    nhsNumber: 'nhs_number',
    address: 'address_line_1',
    'address.lines': 'address_line_1',
    'address.postcode': 'postcode',
    noFixedAbode: 'no_fixed_abode',
    phone: 'phone',
    gp: 'gp_practice',
    'gp.practice': 'gp_practice',
    alcohol: 'alcohol_known_use',
    'alcohol.knownUse': 'alcohol_known_use',
  };
  return map[field] ?? '(row)';
}

/** Words a paper register or another system may use for sex; empty means "not asked yet". */
const SEX_SYNONYMS: Record<string, ServiceUserRecord['sex']> = {
  m: 'male',
  f: 'female',
  i: 'indeterminate',
  u: 'not_stated',
  'not stated': 'not_stated',
  'prefers not to say': 'not_stated',
  'not known': 'not_known',
  ...Object.fromEntries(SEXES.map((s) => [s, s])),
};
const SEX_WORDS = 'male, female, indeterminate, not_stated, not_known (or M, F, I, U)';

function sexOf(cell: string): ServiceUserRecord['sex'] | undefined {
  const key = cell.trim().toLowerCase().replace(/_/g, ' ');
  if (key === '') return 'not_known';
  return SEX_SYNONYMS[key] ?? SEX_SYNONYMS[key.replace(/ /g, '_')];
}

function rowOf(row: number, v: Partial<Record<ServiceUserColumn, string>>, today: string, initial: ImportProblem[]): ServiceUserRow {
  const problems = [...initial];
  const problem = (field: string, message: string) => problems.push({ row, field, message });
  const text = (c: ServiceUserColumn) => v[c] ?? '';
  const orNull = (c: ServiceUserColumn) => text(c) || null;

  let dateOfBirth: string = text('date_of_birth');
  if (text('date_of_birth')) {
    const d = parseImportDate(text('date_of_birth'));
    if (d.ok) dateOfBirth = d.date;
    else problem('date_of_birth', d.message);
  }
  const yesNo = (c: 'no_fixed_abode' | 'alcohol_known_use') => {
    const b = parseYesNo(text(c));
    if (b === null) problem(c, 'must be yes or no');
    return b ?? false;
  };
  const sex = sexOf(text('sex'));
  if (sex === undefined) problem('sex', `must be empty or one of ${SEX_WORDS}`);
  const noFixedAbode = yesNo('no_fixed_abode');
  const knownUse = yesNo('alcohol_known_use');
  const lines = (['address_line_1', 'address_line_2', 'address_line_3'] as const).map(text).filter((l) => l !== '');
  const address = lines.length > 0 || text('postcode') ? { lines, postcode: orNull('postcode') } : null;

  const input = {
    familyName: text('family_name'),
    givenName: text('given_name'),
    preferredName: orNull('preferred_name'),
    dateOfBirth,
    sex: sex ?? 'not_known',
    nhsNumber: orNull('nhs_number'),
    address,
    noFixedAbode,
    phone: orNull('phone'),
    gp: text('gp_practice') ? { practice: text('gp_practice'), address: null, phone: null } : null,
    alcohol: { knownUse, notes: null },
  };
  let record: ServiceUserRecord | null = null;
  const already = new Set(problems.map((p) => p.field));
  const checked = checkServiceUserRecord(input);
  if (!checked.ok) {
    for (const p of checked.problems) {
      const column = columnOfRecordField(p.field);
      if (column === 'date_of_birth' && already.has('date_of_birth')) continue;
      problem(column, p.message);
    }
  } else {
    record = checked.value;
    for (const p of recordDateProblems(record, today)) problem(columnOfRecordField(p.field), p.message);
  }

  // The episode.
  let referral: ServiceUserRow['referral'] = null;
  const state = text('episode_state').toLowerCase().replace(/[\s-]+/g, '_');
  if (state && !(EPISODE_STATES_IN_FILE as readonly string[]).includes(state)) {
    problem('episode_state', `must be empty or one of ${EPISODE_STATES_IN_FILE.join(', ')}`);
  } else if (state === 'waiting_list' || state === 'in_treatment') {
    problem(
      'episode_state',
      `${state.replace('_', ' ')} is not imported: it needs an assessment and an eligibility decision by a clinician. Import them as referred, then record the assessment, eligibility${state === 'in_treatment' ? ' and induction' : ''} on their episode`,
    );
  } else if (state === 'referred' || text('referral_source') || text('referral_date')) {
    const source = text('referral_source');
    if (!source) problem('referral_source', 'is required for a referral (e.g. GP, self, prison, drug service)');
    else if (source.length > 200) problem('referral_source', 'must be at most 200 characters');
    let date = today;
    if (text('referral_date')) {
      const d = parseImportDate(text('referral_date'));
      if (!d.ok) problem('referral_date', d.message);
      else if (d.date > today) problem('referral_date', `is after today (${today})`);
      else if (record && d.date < record.dateOfBirth) problem('referral_date', 'is before the date of birth');
      else date = d.date;
    }
    referral = { source, date };
  }
  if (text('induction_date') && state !== 'in_treatment') problem('induction_date', 'is only for episode_state in_treatment (which this import does not do)');

  return { row, nhsNumber: text('nhs_number') ? normaliseNhsNumber(text('nhs_number')) : null, record: problems.length === 0 ? record : null, referral: problems.length === 0 ? referral : null, problems };
}

export type ParsedServiceUsers = Omit<ParsedTable<ServiceUserColumn>, 'rows'> & { rows: ServiceUserRow[] };

/** Parse the file and check every row on its own (not yet against the clinic). */
export function parseServiceUsersCsv(csv: string, today: string): ParsedServiceUsers {
  const table = parseCsvTable(csv, SERVICE_USER_COLUMNS, SERVICE_USER_REQUIRED, 'person');
  return { ...table, rows: table.rows.map((r) => rowOf(r.row, r.values, today, r.problems)) };
}

export interface CheckedServiceUsers {
  valid: { row: number; record: ServiceUserRecord; referral: ServiceUserRow['referral'] }[];
  rejected: ImportProblem[];
  rowsRejected: number;
}

/**
 * The last check, against the clinic: an NHS number already there (`existing`, ten digits), or on
 * more than one row of the file (every such row is rejected: which is right cannot be told).
 */
export function checkServiceUserRows(rows: readonly ServiceUserRow[], existing: ReadonlySet<string>): CheckedServiceUsers {
  const nhsOf = (r: ServiceUserRow) => r.nhsNumber;
  const rowsByNhs = new Map<string, number[]>();
  for (const r of rows) {
    const n = nhsOf(r);
    if (n) rowsByNhs.set(n, [...(rowsByNhs.get(n) ?? []), r.row]);
  }
  const valid: CheckedServiceUsers['valid'] = [];
  const rejected: ImportProblem[] = [];
  let rowsRejected = 0;
  for (const r of rows) {
    const problems = [...r.problems];
    const n = nhsOf(r);
    if (n) {
      const others = rowsByNhs.get(n)!.filter((x) => x !== r.row);
      if (others.length > 0) problems.push({ row: r.row, field: 'nhs_number', message: `is also on row${others.length > 1 ? 's' : ''} ${others.join(', ')}; keep one row per person` });
      if (existing.has(n)) problems.push({ row: r.row, field: 'nhs_number', message: 'another service user at this clinic has this NHS number; open their record instead' });
    }
    if (problems.length === 0 && r.record) valid.push({ row: r.row, record: r.record, referral: r.referral });
    else {
      rowsRejected++;
      rejected.push(...(problems.length > 0 ? problems : [{ row: r.row, field: '(row)', message: 'could not be read' }]));
    }
  }
  return { valid, rejected, rowsRejected };
}
