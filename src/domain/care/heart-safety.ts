import { z } from 'zod';
import { Temporal } from 'temporal-polyfill';
import type { HEART_RISKS, PreDoseAlert } from '../service-user/record';
import { latestOf } from './care-record';
import { recordsOf, type CareRuleInput, type CareRules } from './person-in-care';
import type { WorkItem } from './work-list';

/**
 * Heart safety. Methadone lengthens the QT interval, and a long QTc (the interval corrected for
 * heart rate) risks torsades de pointes and sudden death. An ECG is needed when the methadone cover
 * is above the clinic's threshold (100 mg a day by default) or when the person has another QT risk
 * (see HEART_RISKS in the service-user record, and recent cocaine use on toxicology); it is
 * repeated every `ecgRepeatDays` (yearly by default). A QTc above the clinic's limit (500 ms) is a
 * danger for the prescriber to act on; above the warning level (450 ms), a warning.
 */

export const QTC_CORRECTIONS = ['bazett', 'fridericia', 'machine', 'unknown'] as const;

const optionalText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).nullable().default(null);

export const EcgData = z.object({
  qtcMs: z
    .number('must be a number of milliseconds')
    .int('must be a whole number of milliseconds')
    .min(250, 'must be at least 250 ms: check the figure')
    .max(750, 'must be at most 750 ms: check the figure'),
  correction: z.enum(QTC_CORRECTIONS, 'must be bazett, fridericia, machine or unknown').describe('How the QT interval was corrected for heart rate'),
  heartRateBpm: z.number('must be a number of beats a minute').int('must be a whole number').min(20, 'must be at least 20 a minute').max(250, 'must be at most 250 a minute').nullable().default(null),
  rhythm: optionalText(200),
  interpretedBy: optionalText(200),
  actionTaken: optionalText(2000),
  notes: optionalText(2000),
});
export type Ecg = z.output<typeof EcgData>;

const HEART_RISK_WORDS: Record<(typeof HEART_RISKS)[number], string> = {
  qt_prolonging_medicine: 'a QT-prolonging medicine',
  heart_disease: 'heart disease',
  family_history_sudden_death: 'family history of sudden death',
  low_potassium_or_magnesium: 'low potassium or magnesium',
  fainting_or_palpitations: 'fainting or palpitations',
  cocaine_or_stimulant_use: 'cocaine or stimulant use',
  other: 'another QT risk',
};

/** How far back a positive cocaine result on toxicology counts as a QT risk. */
export const COCAINE_LOOKBACK_DAYS = 90;
const COCAINE_MARKERS = new Set(['cocaine', 'benzoylecgonine']);

/** As toxicology.ts reads a result: positive, or a measured level above 0. */
const isPositive = (x: { result?: unknown; level?: unknown }) => x.result === 'positive' || (x.result === 'level' && typeof x.level === 'number' && x.level > 0);

interface ToxicologyLike {
  outcome?: unknown;
  results?: { substance?: unknown; result?: unknown; level?: unknown }[];
}

/** Methadone cover in mg a day, from the prescription in force (null if none). */
export function methadoneMgPerDay(input: Pick<CareRuleInput, 'person'>): number | null {
  return input.person.prescription?.methadone?.dailyDoseMg ?? null;
}

/**
 * The latest toxicology sample (taken, within the look-back) positive for cocaine or its
 * metabolite benzoylecgonine: cocaine prolongs the QT interval too.
 */
export function recentCocainePositive(input: Pick<CareRuleInput, 'person' | 'today'>): { on: string; substance: string } | null {
  const since = Temporal.PlainDate.from(input.today).subtract({ days: COCAINE_LOOKBACK_DAYS }).toString();
  let found: { on: string; substance: string } | null = null;
  for (const r of recordsOf<ToxicologyLike>(input.person, 'toxicology')) {
    if (r.effectiveDate < since || r.effectiveDate > input.today || r.data.outcome !== 'taken' || !Array.isArray(r.data.results)) continue;
    const hit = r.data.results.find((x) => typeof x.substance === 'string' && COCAINE_MARKERS.has(x.substance.trim().toLowerCase()) && isPositive(x));
    if (hit && (!found || r.effectiveDate > found.on)) found = { on: r.effectiveDate, substance: String(hit.substance) };
  }
  return found;
}

export interface EcgStatus {
  /** Why an ECG is needed, in staff's words; empty when none is. */
  reasons: string[];
  methadoneMgPerDay: number | null;
  latest: { recordId: string; on: string; qtcMs: number; correction: Ecg['correction'] } | null;
  /** When the next ECG is due (today when needed and none is on record); null when none is needed. */
  dueOn: string | null;
  /** The latest QTc against the clinic's levels. */
  qtc: 'none' | 'normal' | 'warning' | 'danger';
}

/**
 * Whether and when an ECG is due, and how the latest QTc stands. An ECG is due on the day the
 * latest one is `ecgRepeatDays` old (so a yearly ECG falls due on its anniversary), or today if
 * there is none.
 */
export function ecgStatus(input: Pick<CareRuleInput, 'person' | 'settings' | 'today'>): EcgStatus {
  const m = input.settings.monitoring;
  const methadone = methadoneMgPerDay(input);
  const reasons: string[] = [];
  if (methadone !== null && methadone > m.methadoneEcgThresholdMgPerDay) reasons.push(`methadone ${methadone} mg a day (over the clinic's ${m.methadoneEcgThresholdMgPerDay} mg)`);
  for (const risk of input.person.record.heartRisks ?? []) reasons.push(HEART_RISK_WORDS[risk] ?? risk);
  const cocaine = recentCocainePositive(input);
  if (cocaine) reasons.push(`positive ${cocaine.substance} on toxicology ${cocaine.on}`);
  const ecg = latestOf(recordsOf<Ecg>(input.person, 'ecg'));
  const latest = ecg ? { recordId: ecg.recordId, on: ecg.effectiveDate, qtcMs: ecg.data.qtcMs, correction: ecg.data.correction } : null;
  const dueOn = reasons.length === 0 ? null : latest ? Temporal.PlainDate.from(latest.on).add({ days: m.ecgRepeatDays }).toString() : input.today;
  const qtc = !latest ? 'none' : latest.qtcMs > m.qtcLimitMs ? 'danger' : latest.qtcMs > m.qtcWarningMs ? 'warning' : 'normal';
  return { reasons, methadoneMgPerDay: methadone, latest, dueOn, qtc };
}

/** The work items for one person, optionally looking ahead (for booking ECGs). */
export function ecgWorkItems(input: CareRuleInput, withinDays = 0): WorkItem[] {
  const { person, settings, today } = input;
  if (!person.inTreatment || person.absent) return [];
  const s = ecgStatus(input);
  const items: WorkItem[] = [];
  if (s.latest && s.qtc === 'danger') {
    items.push({
      list: 'ecg_due',
      serviceUserId: person.serviceUserId,
      dueOn: s.latest.on,
      overdue: s.latest.on < today,
      severity: 'danger',
      text: `QTc ${s.latest.qtcMs} ms on ${s.latest.on} exceeds the clinic's limit of ${settings.monitoring.qtcLimitMs} ms: prescriber to review methadone`,
      recordId: s.latest.recordId,
    });
  }
  const horizon = Temporal.PlainDate.from(today).add({ days: withinDays }).toString();
  if (s.dueOn !== null && s.dueOn <= horizon) {
    const last = s.latest ? `last ECG ${s.latest.on} (QTc ${s.latest.qtcMs} ms), repeated every ${settings.monitoring.ecgRepeatDays} days` : 'no ECG on record';
    items.push({
      list: 'ecg_due',
      serviceUserId: person.serviceUserId,
      dueOn: s.dueOn,
      overdue: s.dueOn < today,
      severity: 'warning',
      text: `ECG due: ${last}; needed for ${s.reasons.join(', ')}`,
      recordId: s.latest?.recordId ?? null,
    });
  }
  return items;
}

export const heartSafetyRules: CareRules = {
  workItems: (input) => ecgWorkItems(input),
  alerts(input): PreDoseAlert[] {
    const { settings } = input;
    const s = ecgStatus(input);
    if (!s.latest) return [];
    if (s.qtc === 'danger') {
      return [{ kind: 'qtc', severity: 'danger', text: `QTc ${s.latest.qtcMs} ms on ${s.latest.on} exceeds the clinic's limit of ${settings.monitoring.qtcLimitMs} ms: prescriber to review methadone` }];
    }
    if (s.qtc === 'warning') {
      return [{ kind: 'qtc', severity: 'warning', text: `QTc ${s.latest.qtcMs} ms on ${s.latest.on} is above the clinic's warning level of ${settings.monitoring.qtcWarningMs} ms: ask about fainting or palpitations and tell the prescriber of any` }];
    }
    return [];
  },
};
