import type { PrescriptionContent } from '../prescription/prescription';
import { normaliseNhsNumber } from '../service-user/nhs-number';
import { parseCsvTable, parseImportDate, parseMg, parseYesNo, type ImportProblem, type ParsedTable } from './csv-table';

/**
 * Prescriptions from a CSV: one row per person (by NHS number), the prescription to sign for them.
 * Only the shape is checked here (numbers, dates, the titration plan as written); every clinical
 * rule (first-dose limit, maximum doses, sessions, titration, review date, the prescriber's
 * licence, the person's episode) is checked by the server through the same signing workflow as
 * the API (clinical/prescription-workflow.ts), so no import can get round one.
 *
 * Columns: nhs_number, sessions ("AM PM" or "AM,PM"), iv_dose_mg, im_dose_mg, start_date,
 * review_date, end_date, titration_start_mg, titration_steps ("2026-03-03:60; 2026-03-04:90"),
 * retitration_start_mg (defaults to titration_start_mg), top_up_max_mg, top_up_wait_minutes,
 * methadone_drug, methadone_daily_mg, methadone_pharmacy, methadone_supervised (yes/no), reason.
 */

export const PRESCRIPTION_COLUMNS = [
  'nhs_number',
  'sessions',
  'iv_dose_mg',
  'im_dose_mg',
  'start_date',
  'review_date',
  'end_date',
  'titration_start_mg',
  'titration_steps',
  'retitration_start_mg',
  'top_up_max_mg',
  'top_up_wait_minutes',
  'methadone_drug',
  'methadone_daily_mg',
  'methadone_pharmacy',
  'methadone_supervised',
  'reason',
] as const;
export type PrescriptionColumn = (typeof PRESCRIPTION_COLUMNS)[number];
export const PRESCRIPTION_REQUIRED: readonly PrescriptionColumn[] = ['nhs_number', 'sessions', 'start_date', 'review_date'];

export type ImportedContent = Omit<PrescriptionContent, 'status'>;

export interface PrescriptionRow {
  row: number;
  nhsNumber: string | null;
  content: ImportedContent | null;
  reason: string | null;
  problems: ImportProblem[];
}

/** A prescription field (as the rules name it, e.g. diamorphine.ivDoseMg) → its column. */
export function columnOfPrescriptionField(field: string | undefined): PrescriptionColumn | '(row)' {
  const f = (field ?? '').replace(/^content\./, '');
  const map: Record<string, PrescriptionColumn> = {
    'diamorphine.sessions': 'sessions',
    'diamorphine.ivDoseMg': 'iv_dose_mg',
    'diamorphine.imDoseMg': 'im_dose_mg',
    'diamorphine.titration': 'titration_start_mg',
    'diamorphine.titration.startDoseMg': 'titration_start_mg',
    'diamorphine.titration.steps': 'titration_steps',
    'diamorphine.retitrationStartDoseMg': 'retitration_start_mg',
    'diamorphine.topUp': 'top_up_max_mg',
    'diamorphine.topUp.maxMg': 'top_up_max_mg',
    'diamorphine.topUp.minWaitMinutes': 'top_up_wait_minutes',
    methadone: 'methadone_drug',
    'methadone.drug': 'methadone_drug',
    'methadone.dailyDoseMg': 'methadone_daily_mg',
    'methadone.pharmacy': 'methadone_pharmacy',
    startDate: 'start_date',
    endDate: 'end_date',
    reviewDate: 'review_date',
  };
  if (map[f]) return map[f];
  if (f.startsWith('diamorphine.titration.steps')) return 'titration_steps';
  return '(row)';
}

const STEP = /^(.+?)\s*[:=]\s*(\d+(?:\.\d+)?)\s*(?:mg)?$/i;

function rowOf(row: number, v: Partial<Record<PrescriptionColumn, string>>, initial: ImportProblem[]): PrescriptionRow {
  const problems = [...initial];
  const problem = (field: string, message: string) => problems.push({ row, field, message });
  const text = (c: PrescriptionColumn) => v[c] ?? '';

  let nhsNumber: string | null = null;
  if (!text('nhs_number')) problem('nhs_number', 'is required');
  else {
    nhsNumber = normaliseNhsNumber(text('nhs_number'));
    if (!nhsNumber) problem('nhs_number', 'is not a valid NHS number (10 digits with a correct check digit)');
  }
  const sessions = text('sessions')
    .split(/[\s,;/+]+/)
    .filter((s) => s !== '')
    .map((s) => s.toUpperCase());
  if (sessions.length === 0) problem('sessions', 'is required: the session codes, e.g. "AM PM"');
  const mg = (c: PrescriptionColumn, what = 'a number of mg, e.g. 60 or 62.5') => {
    const n = parseMg(text(c));
    if (n === undefined) problem(c, `must be ${what}`);
    return n ?? null;
  };
  const ivDoseMg = mg('iv_dose_mg');
  const imDoseMg = mg('im_dose_mg');
  if (ivDoseMg === null && imDoseMg === null && parseMg(text('iv_dose_mg')) !== undefined && parseMg(text('im_dose_mg')) !== undefined) {
    problem('iv_dose_mg', 'give an IV dose, an IM dose or both');
  }
  const date = (c: PrescriptionColumn, required: boolean) => {
    if (!text(c)) {
      if (required) problem(c, 'is required');
      return null;
    }
    const d = parseImportDate(text(c));
    if (!d.ok) problem(c, d.message);
    return d.ok ? d.date : null;
  };
  const startDate = date('start_date', true);
  const reviewDate = date('review_date', true);
  const endDate = date('end_date', false);

  const startDoseMg = mg('titration_start_mg');
  const steps: { fromDate: string; doseMg: number }[] = [];
  for (const part of text('titration_steps').split(';').map((s) => s.trim()).filter((s) => s !== '')) {
    const m = STEP.exec(part);
    const d = m ? parseImportDate(m[1]!) : null;
    if (!m || !d?.ok) {
      problem('titration_steps', `"${part.slice(0, 40)}" is not a step: write date:mg, steps separated by ";" (e.g. 2026-03-03:60; 2026-03-04:90)`);
      continue;
    }
    steps.push({ fromDate: d.date, doseMg: Number(m[2]) });
  }
  if (steps.length > 0 && startDoseMg === null) problem('titration_start_mg', 'is required with titration_steps');
  const retitration = mg('retitration_start_mg') ?? startDoseMg;
  if (retitration === null && parseMg(text('retitration_start_mg')) !== undefined) {
    problem('retitration_start_mg', 'is required (or give titration_start_mg): where the person restarts after missed doses');
  }
  const topUpMax = mg('top_up_max_mg');
  const topUpWait = parseMg(text('top_up_wait_minutes'));
  if (topUpWait === undefined || (topUpWait !== null && !Number.isInteger(topUpWait))) problem('top_up_wait_minutes', 'must be a whole number of minutes');
  if ((topUpMax === null) !== (topUpWait === null || topUpWait === undefined)) {
    problem(topUpMax === null ? 'top_up_max_mg' : 'top_up_wait_minutes', 'give both top_up_max_mg and top_up_wait_minutes, or neither');
  }

  const methadoneGiven = ['methadone_drug', 'methadone_daily_mg', 'methadone_pharmacy'].some((c) => text(c as PrescriptionColumn) !== '');
  let methadone: ImportedContent['methadone'] = null;
  if (methadoneGiven) {
    const daily = mg('methadone_daily_mg');
    for (const c of ['methadone_drug', 'methadone_daily_mg', 'methadone_pharmacy'] as const) if (!text(c)) problem(c, 'is required with the other methadone columns');
    const supervised = parseYesNo(text('methadone_supervised'));
    if (supervised === null) problem('methadone_supervised', 'must be yes or no');
    if (daily !== null) methadone = { drug: text('methadone_drug'), dailyDoseMg: daily, pharmacy: text('methadone_pharmacy'), supervised: supervised ?? false };
  } else if (text('methadone_supervised')) problem('methadone_supervised', 'is only for a row with methadone cover');
  const reason = text('reason') || null;
  if (reason && reason.length > 500) problem('reason', 'must be at most 500 characters');

  const ok = problems.length === 0 && startDate && reviewDate && retitration !== null;
  return {
    row,
    nhsNumber,
    reason,
    content: ok
      ? {
          diamorphine: {
            sessions,
            ivDoseMg,
            imDoseMg,
            titration: startDoseMg !== null ? { startDoseMg, steps } : null,
            topUp: topUpMax !== null && typeof topUpWait === 'number' ? { maxMg: topUpMax, minWaitMinutes: topUpWait } : null,
            retitrationStartDoseMg: retitration,
          },
          methadone,
          startDate,
          endDate,
          reviewDate,
        }
      : null,
    problems,
  };
}

export type ParsedPrescriptions = Omit<ParsedTable<PrescriptionColumn>, 'rows'> & { rows: PrescriptionRow[] };

export function parsePrescriptionsCsv(csv: string): ParsedPrescriptions {
  const table = parseCsvTable(csv, PRESCRIPTION_COLUMNS, PRESCRIPTION_REQUIRED, 'prescription');
  const rows = table.rows.map((r) => rowOf(r.row, r.values, r.problems));
  // One prescription per person per file: two would supersede each other.
  const byNhs = new Map<string, number[]>();
  for (const r of rows) if (r.nhsNumber) byNhs.set(r.nhsNumber, [...(byNhs.get(r.nhsNumber) ?? []), r.row]);
  for (const r of rows) {
    const others = r.nhsNumber ? byNhs.get(r.nhsNumber)!.filter((x) => x !== r.row) : [];
    if (others.length > 0) {
      r.problems.push({ row: r.row, field: 'nhs_number', message: `is also on row${others.length > 1 ? 's' : ''} ${others.join(', ')}; one prescription per person per file` });
      r.content = null;
    }
  }
  return { ...table, rows };
}
