import { z } from 'zod';
import { Temporal } from 'temporal-polyfill';
import type { ClinicSettings } from '../clinic/clinic-settings';
import type { PreDoseAlert } from '../service-user/record';
import { refuse, type Decision, type Refusal } from '../refusal';
import { inDateOrder, type CareRecord } from './care-record';
import type { MonitoringSettings } from './monitoring-settings';
import { recordsOf, type CareRuleInput, type CareRules, type PersonInCare } from './person-in-care';
import type { WorkItem } from './work-list';

/**
 * Toxicology: a urine, oral-fluid, blood or hair sample, tested at the clinic (point of care) or
 * sent to a laboratory, or an attempt that came to nothing (refused, or not possible). Each result
 * names a substance from the clinic's panel (settings.monitoring.toxicologyPanel) as positive,
 * negative or a measured level. A laboratory sample is recorded when taken, with no results; the
 * results are added later by a correction (reason e.g. "lab results received").
 *
 * Schedule: every `toxicologyIntervalDays` (the person's own, else the clinic's; weekly by default)
 * after the last sample actually taken. A refusal or an attempt that was not possible is shown but
 * does not reset the schedule: the sample is still due.
 *
 * Street heroin: prescribed diamorphine is metabolised to 6-MAM and morphine, so neither tells
 * street heroin from the prescription; the markers of street heroin are the impurities of illicit
 * manufacture (acetylcodeine, papaverine, noscapine: settings.monitoring.streetHeroinMarkers).
 */

export const TOXICOLOGY_OUTCOMES = ['taken', 'refused', 'not_possible'] as const;
export type ToxicologyOutcome = (typeof TOXICOLOGY_OUTCOMES)[number];
export const TOXICOLOGY_SAMPLE_TYPES = ['urine', 'oral_fluid', 'blood', 'hair'] as const;
export const TOXICOLOGY_METHODS = ['point_of_care', 'laboratory'] as const;
export const TOXICOLOGY_RESULTS = ['positive', 'negative', 'level'] as const;

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const ToxicologyResult = z
  .object({
    substance: text(60).describe("A substance in the clinic's toxicology panel"),
    result: z.enum(TOXICOLOGY_RESULTS, 'must be positive, negative or level'),
    level: z.number().min(0, 'must be 0 or more').max(1_000_000, 'must be at most 1000000').nullable().default(null).describe('The measured level; only (and always) with result "level"'),
    unit: text(20).nullable().default(null).describe('The unit of the level, e.g. ng/mL; only (and always) with a level'),
  })
  .superRefine((r, ctx) => {
    if (r.result === 'level' && r.level === null) ctx.addIssue({ code: 'custom', path: ['level'], message: 'give the level measured' });
    if (r.result !== 'level' && r.level !== null) ctx.addIssue({ code: 'custom', path: ['level'], message: `must be empty for a ${r.result} result (use result "level")` });
    if (r.level !== null && r.unit === null) ctx.addIssue({ code: 'custom', path: ['unit'], message: 'give the unit of the level' });
    if (r.level === null && r.unit !== null) ctx.addIssue({ code: 'custom', path: ['unit'], message: 'must be empty without a level' });
  });

export const ToxicologyData = z
  .object({
    outcome: z.enum(TOXICOLOGY_OUTCOMES, 'must be taken, refused or not_possible').describe('Whether a sample was taken'),
    reasonNotTaken: text(500).nullable().default(null).describe('Why no sample was taken; required when refused or not possible'),
    sampleType: z.enum(TOXICOLOGY_SAMPLE_TYPES, 'must be urine, oral_fluid, blood or hair').nullable().default(null).describe('Required when taken'),
    method: z.enum(TOXICOLOGY_METHODS, 'must be point_of_care or laboratory').nullable().default(null).describe('Required when taken'),
    results: z.array(ToxicologyResult).max(60, 'at most 60 results').default([]).describe('Only when taken; may be empty while laboratory results are awaited'),
    notes: text(2000).nullable().default(null),
  })
  .superRefine((d, ctx) => {
    const taken = d.outcome === 'taken';
    if (!taken && d.reasonNotTaken === null) ctx.addIssue({ code: 'custom', path: ['reasonNotTaken'], message: `give the reason no sample was taken (${d.outcome.replace('_', ' ')})` });
    if (taken && d.reasonNotTaken !== null) ctx.addIssue({ code: 'custom', path: ['reasonNotTaken'], message: 'must be empty when a sample was taken' });
    if (taken && d.sampleType === null) ctx.addIssue({ code: 'custom', path: ['sampleType'], message: 'give the type of sample taken' });
    if (taken && d.method === null) ctx.addIssue({ code: 'custom', path: ['method'], message: 'say whether it was tested at the clinic (point_of_care) or sent to a laboratory' });
    if (!taken && d.results.length > 0) ctx.addIssue({ code: 'custom', path: ['results'], message: 'must be empty when no sample was taken' });
    const seen = new Set<string>();
    d.results.forEach((r, i) => {
      const key = r.substance.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['results', i, 'substance'], message: `${r.substance} is listed twice` });
      seen.add(key);
    });
  });
export type ToxicologyRecordData = z.output<typeof ToxicologyData>;

/** Every substance must be in the clinic's panel; it is stored with the panel's spelling. */
export function checkToxicology(data: ToxicologyRecordData, panel: readonly string[]): Decision<ToxicologyRecordData> {
  const byKey = new Map(panel.map((s) => [s.trim().toLowerCase(), s]));
  const refusals: Refusal[] = [];
  const results = data.results.map((r, i) => {
    const known = byKey.get(r.substance.trim().toLowerCase());
    if (!known) {
      refusals.push(refuse('substance_not_in_panel', `${r.substance} is not in the clinic's toxicology panel (${panel.join(', ')})`, `results[${i}].substance`));
      return r;
    }
    return { ...r, substance: known };
  });
  if (refusals.length) return { ok: false, refusals };
  return { ok: true, value: { ...data, results } };
}

const plainDate = (d: string) => Temporal.PlainDate.from(d);
const addDays = (d: string, days: number) => plainDate(d).add({ days }).toString();

export function intervalWords(days: number): string {
  if (days === 1) return 'daily';
  if (days === 7) return 'weekly';
  if (days === 14) return 'fortnightly';
  return `every ${days} days`;
}

const OUTCOME_WORDS: Record<ToxicologyOutcome, string> = { taken: 'taken', refused: 'refused', not_possible: 'not possible' };

export interface ToxicologyDue {
  /** The clinic date the next sample is due. */
  dueOn: string;
  overdue: boolean;
  intervalDays: number;
  /** The date of the last sample actually taken; null if none. */
  lastTakenOn: string | null;
  /** The latest attempt of any outcome (a refusal shows here without resetting the schedule). */
  lastAttempt: { on: string; outcome: ToxicologyOutcome; recordId: string } | null;
}

/**
 * When the person's next toxicology sample is due; null when nothing is due (not in treatment, or
 * away). Due `intervalDays` after the last sample taken; never taken: on the day treatment started
 * (today if that is not known). Nothing falls due before treatment started: a sample from an
 * earlier episode does not make someone overdue on their first day back.
 */
export function toxicologyDue(person: PersonInCare, settings: ClinicSettings, today: string): ToxicologyDue | null {
  if (!person.inTreatment || person.absent) return null;
  const intervalDays = person.record.toxicologyIntervalDays ?? settings.monitoring.toxicologyIntervalDays;
  const ordered = inDateOrder(recordsOf<ToxicologyRecordData>(person, 'toxicology'));
  const lastTaken = ordered.filter((r) => r.data.outcome === 'taken').at(-1) ?? null;
  const last = ordered.at(-1) ?? null;
  const start = person.treatmentStartedOn;
  let dueOn: string;
  if (lastTaken) {
    dueOn = addDays(lastTaken.effectiveDate, intervalDays);
    if (start && dueOn < start) dueOn = start;
  } else {
    dueOn = start ?? today;
  }
  return {
    dueOn,
    overdue: dueOn < today,
    intervalDays,
    lastTakenOn: lastTaken?.effectiveDate ?? null,
    lastAttempt: last ? { on: last.effectiveDate, outcome: last.data.outcome, recordId: last.recordId } : null,
  };
}

/** "Toxicology overdue since 2026-03-09 (weekly; last sample 2026-03-02; refused 2026-03-09)". */
export function toxicologyDueText(due: ToxicologyDue, today: string): string {
  const when = due.overdue ? `overdue since ${due.dueOn}` : due.dueOn === today ? 'due today' : `due ${due.dueOn}`;
  const parts = [intervalWords(due.intervalDays), due.lastTakenOn ? `last sample ${due.lastTakenOn}` : 'no sample yet'];
  if (due.lastAttempt && due.lastAttempt.outcome !== 'taken') parts.push(`${OUTCOME_WORDS[due.lastAttempt.outcome]} ${due.lastAttempt.on}`);
  return `Toxicology ${when} (${parts.join('; ')})`;
}

function workItems({ person, settings, today }: CareRuleInput): WorkItem[] {
  const due = toxicologyDue(person, settings, today);
  if (!due || due.dueOn > today) return [];
  return [
    {
      list: 'toxicology_due',
      serviceUserId: person.serviceUserId,
      dueOn: due.dueOn,
      overdue: due.overdue,
      severity: due.overdue ? 'warning' : 'info',
      text: toxicologyDueText(due, today),
      recordId: null,
    },
  ];
}

function alerts({ person, settings, today }: CareRuleInput): PreDoseAlert[] {
  const due = toxicologyDue(person, settings, today);
  if (!due?.overdue) return [];
  return [{ kind: 'toxicology', severity: 'info', text: `Toxicology sample overdue since ${due.dueOn}: ask for one today` }];
}

export const toxicologyRules: CareRules = { workItems, alerts };

// ---------------------------------------------------------------------------------------------
// Trends

/** Whether a taken sample showed street heroin: a positive (or a level above 0) for any marker. */
export type StreetHeroinFinding = 'positive' | 'negative' | 'markers_not_tested' | 'results_pending' | 'no_sample';

export interface ToxicologyWeek {
  /** Monday of the week (clinic date). */
  weekStarting: string;
  /** Sunday of the week. */
  weekEnding: string;
  samplesTaken: number;
  /** Refused or not possible. */
  attemptsNotTaken: number;
  tested: boolean;
  /**
   * positive: any marker positive in any sample; negative: a marker was tested and none positive;
   * markers_not_tested: results came back without any street-heroin marker; results_pending: a
   * sample taken but no results yet; no_sample: nothing taken that week.
   */
  streetHeroin: StreetHeroinFinding;
  /** Substances positive that week (panel spelling), in the order first seen. */
  positives: string[];
}

export interface ToxicologyTrends {
  weeks: ToxicologyWeek[];
  /** Per substance over the whole period: positive samples and weeks with a positive. */
  substances: { substance: string; positiveSamples: number; positiveWeeks: number }[];
  summary: {
    weeks: number;
    weeksTested: number;
    weeksPositiveStreetHeroin: number;
    /** The same counts over the latest four weeks (this week and the three before). */
    latest4: { weeksTested: number; weeksPositiveStreetHeroin: number };
  };
}

const isPositive = (r: ToxicologyRecordData['results'][number]) => r.result === 'positive' || (r.result === 'level' && (r.level ?? 0) > 0);

/** Monday of the week containing a clinic date. */
export function mondayOf(date: string): string {
  const d = plainDate(date);
  return d.subtract({ days: d.dayOfWeek - 1 }).toString();
}

/**
 * Week by week (Monday to Sunday, clinic dates), the latest `weeks` weeks up to the one containing
 * today, oldest first: whether a sample was taken, whether it showed street heroin, and which
 * substances were positive. A "level" result counts as positive when the level is above 0.
 */
export function toxicologyTrends(records: readonly CareRecord<ToxicologyRecordData>[], monitoring: Pick<MonitoringSettings, 'streetHeroinMarkers'>, today: string, weeks: number): ToxicologyTrends {
  const markers = new Set(monitoring.streetHeroinMarkers.map((m) => m.trim().toLowerCase()));
  const lastMonday = plainDate(mondayOf(today));
  const out: ToxicologyWeek[] = [];
  const perSubstance = new Map<string, { substance: string; positiveSamples: number; positiveWeeks: number }>();
  for (let i = weeks - 1; i >= 0; i--) {
    const start = lastMonday.subtract({ days: 7 * i });
    const weekStarting = start.toString();
    const weekEnding = start.add({ days: 6 }).toString();
    const inWeek = inDateOrder(records.filter((r) => r.effectiveDate >= weekStarting && r.effectiveDate <= weekEnding));
    const taken = inWeek.filter((r) => r.data.outcome === 'taken');
    const positives: string[] = [];
    let markerPositive = false;
    let markerTested = false;
    let pending = false;
    for (const r of taken) {
      if (r.data.results.length === 0) pending = true;
      for (const res of r.data.results) {
        const key = res.substance.toLowerCase();
        if (markers.has(key)) markerTested = true;
        if (!isPositive(res)) continue;
        if (markers.has(key)) markerPositive = true;
        const s = perSubstance.get(key) ?? { substance: res.substance, positiveSamples: 0, positiveWeeks: 0 };
        s.positiveSamples += 1;
        if (!positives.some((p) => p.toLowerCase() === key)) {
          positives.push(res.substance);
          s.positiveWeeks += 1;
        }
        perSubstance.set(key, s);
      }
    }
    const streetHeroin: StreetHeroinFinding =
      taken.length === 0 ? 'no_sample' : markerPositive ? 'positive' : markerTested ? 'negative' : pending ? 'results_pending' : 'markers_not_tested';
    out.push({ weekStarting, weekEnding, samplesTaken: taken.length, attemptsNotTaken: inWeek.length - taken.length, tested: taken.length > 0, streetHeroin, positives });
  }
  const count = (ws: ToxicologyWeek[]) => ({ weeksTested: ws.filter((w) => w.tested).length, weeksPositiveStreetHeroin: ws.filter((w) => w.streetHeroin === 'positive').length });
  return {
    weeks: out,
    substances: [...perSubstance.values()].sort((a, b) => b.positiveWeeks - a.positiveWeeks || b.positiveSamples - a.positiveSamples || a.substance.localeCompare(b.substance)),
    summary: { weeks: out.length, ...count(out), latest4: count(out.slice(-4)) },
  };
}
