import { Temporal } from 'temporal-polyfill';
import type { CareRecord } from '../care/care-record';
import type { MonitoringSettings } from '../care/monitoring-settings';
import { inDateOrder } from '../care/care-record';
import { toxicologyTrends, type ToxicologyRecordData } from '../care/toxicology';
import { TOP_STAGES, type OutcomeProfile, type TopStage } from '../care/outcome-profile';
import type { DischargeReason, EpisodeState } from '../episode/episode-event';
import { PLACE_HOLDING_STATES } from '../episode/episode-event';
import { summariseDose, type DoseEvent, type AdverseEvent } from '../dosing/dose-record';
import { kaplanMeier, survivalAt } from './kaplan-meier';
import { suppress, suppressCount, suppressRate, suppressStatistic, type Shown, type SuppressedTable } from './suppression';

/**
 * The commissioners' dashboard, computed from plain inputs (no store, no clock): raw figures
 * first, then every count suppressed before it leaves this module. Nothing per person is output:
 * only counts, means, medians and rates over groups.
 */

/** A person's latest episode, reduced to clinic dates. */
export interface EpisodeFacts {
  state: EpisodeState;
  referredOn: string;
  inductionOn: string | null;
  dischargedOn: string | null;
  dischargeReason: DischargeReason | null;
}

/** A dose (or top-up) with all its steps: what doseReportFacts summarises. */
export interface DoseFacts {
  serviceUserId: string;
  clinicDate: string;
  sessionCode: string;
  kind: string;
  events: readonly DoseEvent[];
}

export type AdverseCounts = Record<AdverseEvent | 'naloxone_used', number>;

/**
 * The doses of a period, counted: what the dashboard needs of them. The store aggregates these
 * from dose_outcomes in SQL (aggregateDoseOutcomes); doseCounts computes the same from doses with
 * their steps.
 */
export interface DoseCounts {
  /** Scheduled doses (kind 'dose', not top-ups) per session code and outcome; a session with no dose has no entry. */
  attendance: ReadonlyMap<string, Readonly<Record<DoseOutcome, number>>>;
  /** Doses and top-ups with each adverse event recorded at observation, and with naloxone used. */
  adverse: Readonly<AdverseCounts>;
}

export interface ReportInput {
  /** Clinic dates, inclusive. */
  from: string;
  to: string;
  places: number;
  threshold: number;
  monitoring: Pick<MonitoringSettings, 'streetHeroinMarkers'>;
  episodes: readonly EpisodeFacts[];
  /** The doses in the period (from–to), counted. */
  doses: DoseCounts;
  toxicology: readonly CareRecord<ToxicologyRecordData>[];
  outcomes: readonly CareRecord<OutcomeProfile>[];
}

const pd = (d: string) => Temporal.PlainDate.from(d);
const daysBetween = (a: string, b: string) => pd(a).until(pd(b), { largestUnit: 'days' }).days;
const inPeriod = (d: string | null, from: string, to: string): d is string => d !== null && d >= from && d <= to;

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
const mean = (values: readonly number[]) => (values.length === 0 ? null : Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10);

// ---------------------------------------------------------------------------------------------
// Raw figures (tested against hand-computed values)

/** People holding a place now, by state; places commissioned. */
export function placesUsed(episodes: readonly EpisodeFacts[]) {
  const byState = { accepted: 0, induction: 0, maintenance: 0 };
  for (const e of episodes) if (PLACE_HOLDING_STATES.has(e.state)) byState[e.state as keyof typeof byState] += 1;
  return byState;
}

const WAITING_STATES: ReadonlySet<EpisodeState> = new Set(['referred', 'assessing', 'waiting_list', 'accepted']);

/** Referrals in the period by what has happened since, and waiting times (referral to induction) of inductions in the period. */
export function referrals(episodes: readonly EpisodeFacts[], from: string, to: string) {
  const referred = episodes.filter((e) => inPeriod(e.referredOn, from, to));
  const outcome = { startedTreatment: 0, stillWaiting: 0, didNotStart: 0 };
  for (const e of referred) {
    if (e.inductionOn !== null) outcome.startedTreatment += 1;
    else if (WAITING_STATES.has(e.state)) outcome.stillWaiting += 1;
    else outcome.didNotStart += 1;
  }
  const waits = episodes.filter((e) => inPeriod(e.inductionOn, from, to)).map((e) => daysBetween(e.referredOn, e.inductionOn!));
  return { outcome, inductions: waits.length, medianWaitDays: median(waits), longestWaitDays: waits.length ? Math.max(...waits) : null };
}

/** Retention from induction (on or before `to`) to discharge, censored at `to` while still in treatment. */
export function retention(episodes: readonly EpisodeFacts[], to: string) {
  const started = episodes.filter((e) => e.inductionOn !== null && e.inductionOn <= to);
  const durations = started.map((e) => {
    const ended = e.dischargedOn !== null && e.dischargedOn <= to;
    return { days: daysBetween(e.inductionOn!, ended ? e.dischargedOn! : to), ended };
  });
  const status = { stillInTreatment: 0, dischargedPlanned: 0, dischargedOther: 0 };
  started.forEach((e, i) => {
    if (!durations[i]!.ended) status.stillInTreatment += 1;
    else if (e.dischargeReason === 'planned' || e.dischargeReason === 'transfer') status.dischargedPlanned += 1;
    else status.dischargedOther += 1;
  });
  return { status, durations, steps: kaplanMeier(durations) };
}

export type DoseOutcome = 'given' | 'refused' | 'missed' | 'not_given';
export const DOSE_OUTCOMES: readonly DoseOutcome[] = ['given', 'refused', 'missed', 'not_given'];

export function doseOutcome(events: readonly DoseEvent[]): DoseOutcome {
  const s = summariseDose(events);
  if (s.givenMg > 0) return 'given';
  if (s.stage === 'refused') return 'refused';
  if (s.stage === 'missed') return 'missed';
  return 'not_given';
}

export const ADVERSE_EVENTS: readonly AdverseEvent[] = ['overdose', 'naloxone_given', 'ambulance_called', 'injection_site_problem', 'other'];

/** What the dashboard needs of one dose: stored per dose in dose_outcomes, kept up to date with every step. */
export interface DoseReportFacts {
  outcome: DoseOutcome;
  /** The distinct adverse events recorded at observation, in byte (code unit) order. */
  adverseEvents: AdverseEvent[];
  /** Naloxone given after it (an amount recorded, or 'naloxone_given' among the adverse events). */
  naloxoneUsed: boolean;
}

export function doseReportFacts(events: readonly DoseEvent[]): DoseReportFacts {
  const seen = new Set<AdverseEvent>();
  let naloxoneUsed = false;
  for (const e of events) {
    if (e.type !== 'observed') continue;
    e.adverseEvents.forEach((a) => seen.add(a));
    if ((e.naloxoneMg ?? 0) > 0 || e.adverseEvents.includes('naloxone_given')) naloxoneUsed = true;
  }
  return { outcome: doseOutcome(events), adverseEvents: [...seen].sort(), naloxoneUsed };
}

const noAdverse = (): AdverseCounts => ({ overdose: 0, naloxone_given: 0, ambulance_called: 0, injection_site_problem: 0, other: 0, naloxone_used: 0 });
const noOutcomes = (): Record<DoseOutcome, number> => ({ given: 0, refused: 0, missed: 0, not_given: 0 });

/** A group of `doses` doses with the same facts (one dose, or a row of the store's GROUP BY). */
export interface DoseFactsGroup extends DoseReportFacts {
  sessionCode: string;
  kind: string;
  doses: number;
}

/** Counts groups of doses (already limited to the period) into DoseCounts. */
export function tallyDoses(groups: Iterable<DoseFactsGroup>): DoseCounts {
  const attendance = new Map<string, Record<DoseOutcome, number>>();
  const adverse = noAdverse();
  for (const g of groups) {
    if (g.kind === 'dose') {
      const row = attendance.get(g.sessionCode) ?? noOutcomes();
      row[g.outcome] += g.doses;
      attendance.set(g.sessionCode, row);
    }
    for (const a of g.adverseEvents) adverse[a] += g.doses;
    if (g.naloxoneUsed) adverse.naloxone_used += g.doses;
  }
  return { attendance, adverse };
}

/** The doses (with their steps) dated in the period, counted: what the store's aggregation of dose_outcomes gives. */
export function doseCounts(doses: readonly DoseFacts[], from: string, to: string): DoseCounts {
  return tallyDoses(doses.filter((d) => inPeriod(d.clinicDate, from, to)).map((d) => ({ sessionCode: d.sessionCode, kind: d.kind, doses: 1, ...doseReportFacts(d.events) })));
}

/** Several clinics' counts added up. */
export function addDoseCounts(counts: readonly DoseCounts[]): DoseCounts {
  const attendance = new Map<string, Record<DoseOutcome, number>>();
  const adverse = noAdverse();
  for (const c of counts) {
    for (const [session, row] of c.attendance) {
      const sum = attendance.get(session) ?? noOutcomes();
      for (const o of DOSE_OUTCOMES) sum[o] += row[o];
      attendance.set(session, sum);
    }
    for (const k of Object.keys(adverse) as (keyof AdverseCounts)[]) adverse[k] += c.adverse[k];
  }
  return { attendance, adverse };
}

/** Scheduled doses (not top-ups) per session: given, refused, missed, not given (withheld, prepared and not given, or no outcome); sessions in order. */
export function attendance(counts: DoseCounts) {
  return new Map([...counts.attendance.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** Doses (and top-ups) with each adverse event recorded at observation, and with naloxone given. */
export function adverseEvents(counts: DoseCounts): AdverseCounts {
  return { ...counts.adverse };
}

/** The months (YYYY-MM) a period touches. */
export function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = Temporal.PlainYearMonth.from(from.slice(0, 7)); m.toString() <= to.slice(0, 7); m = m.add({ months: 1 })) out.push(m.toString());
  return out;
}

/**
 * Month by month: people with a sample taken, and people with street heroin found (any marker in
 * settings.monitoring.streetHeroinMarkers positive), judged by toxicologyTrends on the person's
 * samples that month.
 */
export function toxicologyByMonth(records: readonly CareRecord<ToxicologyRecordData>[], monitoring: Pick<MonitoringSettings, 'streetHeroinMarkers'>, from: string, to: string) {
  return monthsOf(from, to).map((month) => {
    const inMonth = records.filter((r) => r.effectiveDate.startsWith(month) && inPeriod(r.effectiveDate, from, to));
    const byPerson = new Map<string, CareRecord<ToxicologyRecordData>[]>();
    for (const r of inMonth) byPerson.set(r.serviceUserId, [...(byPerson.get(r.serviceUserId) ?? []), r]);
    let tested = 0;
    let positive = 0;
    const monthEnd = Temporal.PlainYearMonth.from(month).toPlainDate({ day: 1 }).add({ months: 1 }).subtract({ days: 1 }).toString();
    for (const rs of byPerson.values()) {
      const weeks = toxicologyTrends(rs, monitoring, monthEnd, 6).weeks;
      if (weeks.some((w) => w.tested)) tested += 1;
      if (weeks.some((w) => w.streetHeroin === 'positive')) positive += 1;
    }
    return { month, tested, positive };
  });
}

export const TOP_MEASURES = [
  { key: 'opiateDays', label: 'Days used opiates (of 28)', get: (p: OutcomeProfile) => p.substanceUse.opiates?.days ?? null },
  { key: 'crackDays', label: 'Days used crack (of 28)', get: (p: OutcomeProfile) => p.substanceUse.crack?.days ?? null },
  { key: 'injectingDays', label: 'Days injected (of 28)', get: (p: OutcomeProfile) => p.injectingRisk.injected?.days ?? null },
  { key: 'qualityOfLife', label: 'Quality of life (0–20)', get: (p: OutcomeProfile) => p.healthAndSocialFunctioning.qualityOfLife },
] as const;
export type TopMeasureKey = (typeof TOP_MEASURES)[number]['key'];

/**
 * TOP change: each person's latest profile of each stage (treatment start, review, exit) dated in
 * the period; per stage the number of people and, per measure, the mean over those who answered.
 */
export function topChange(records: readonly CareRecord<OutcomeProfile>[], from: string, to: string) {
  const latest = new Map<string, CareRecord<OutcomeProfile>>();
  for (const r of inDateOrder(records.filter((r) => !r.enteredInError && inPeriod(r.effectiveDate, from, to)))) latest.set(`${r.serviceUserId}|${r.data.stage}`, r);
  return TOP_STAGES.map((stage) => {
    const profiles = [...latest.values()].filter((r) => r.data.stage === stage).map((r) => r.data);
    const measures = TOP_MEASURES.map((m) => {
      const answered = profiles.map(m.get).filter((v): v is number => v !== null);
      return { key: m.key, n: answered.length, mean: mean(answered) };
    });
    return { stage, people: profiles.length, measures };
  });
}

// ---------------------------------------------------------------------------------------------
// The suppressed report: what every route returns

export const RETENTION_TIMEPOINTS = [0, 30, 90, 180, 365, 730] as const;
const STAGE_LABEL: Record<TopStage, string> = { start: 'Treatment start', review: 'Review (6 months)', exit: 'Treatment exit' };
const SUPPRESSED = '*' as const;

/**
 * Survival and numbers at risk at fixed days since induction. A number at risk below the threshold
 * is hidden; so is one that differs from the last number shown by 1 to threshold−1 (the
 * difference would be a small count of people who left); the survival beside a hidden number is
 * hidden too.
 */
export function retentionCurve(steps: ReturnType<typeof kaplanMeier>, durations: readonly { days: number }[], t: number) {
  let lastShown: number | null = null;
  return RETENTION_TIMEPOINTS.filter((day) => day === 0 || durations.some((d) => d.days >= day)).map((day) => {
    const at = survivalAt(steps, durations.length, day);
    let atRisk = suppressCount(at.atRisk, t);
    if (typeof atRisk === 'number' && lastShown !== null && lastShown - atRisk > 0 && lastShown - atRisk < t) atRisk = SUPPRESSED;
    if (typeof atRisk === 'number') lastShown = atRisk;
    return { day, atRisk, retainedPercent: typeof atRisk === 'number' ? (atRisk === 0 ? null : Math.round(at.survival * 1000) / 10) : SUPPRESSED };
  });
}

export interface Report {
  from: string;
  to: string;
  threshold: number;
  places: { commissioned: number; table: SuppressedTable; occupancyPercent: number | '*' | null };
  referrals: { table: SuppressedTable; inductions: Shown; medianWaitDays: number | '*' | null; longestWaitDays: number | '*' | null };
  retention: {
    table: SuppressedTable;
    /** Survival (percent) and numbers at risk at fixed days since induction; hidden where fewer than the threshold are at risk. */
    curve: { day: number; atRisk: Shown; retainedPercent: number | '*' | null }[];
  };
  attendance: { table: SuppressedTable; givenPercent: { session: string; percent: number | '*' | null }[] };
  adverseEvents: { label: string; doses: Shown }[];
  toxicology: { month: string; tested: Shown; positive: Shown; positivePercent: number | '*' | null }[];
  top: { stage: string; people: Shown; measures: { key: TopMeasureKey; label: string; n: Shown; mean: number | '*' | null }[] }[];
}

const ADVERSE_LABELS: Record<AdverseEvent | 'naloxone_used', string> = {
  overdose: 'Overdose',
  naloxone_given: 'Naloxone given (recorded as an adverse event)',
  ambulance_called: 'Ambulance called',
  injection_site_problem: 'Injection site problem',
  other: 'Other adverse event',
  naloxone_used: 'Doses after which naloxone was used',
};

export function buildReport(input: ReportInput): Report {
  const t = input.threshold;
  const { from, to } = input;

  const places = placesUsed(input.episodes);
  const placesTable = suppress({ rows: ['Accepted, not yet started', 'Induction', 'Maintenance'], columns: ['People'], cells: [[places.accepted], [places.induction], [places.maintenance]] }, t);

  const ref = referrals(input.episodes, from, to);
  const refTable = suppress({ rows: ['Referred in the period'], columns: ['Started treatment', 'Still waiting', 'Did not start'], cells: [[ref.outcome.startedTreatment, ref.outcome.stillWaiting, ref.outcome.didNotStart]] }, t);

  const ret = retention(input.episodes, to);
  const retTable = suppress({ rows: ['Started treatment'], columns: ['Still in treatment', 'Left: planned or transfer', 'Left: other reasons'], cells: [[ret.status.stillInTreatment, ret.status.dischargedPlanned, ret.status.dischargedOther]] }, t);
  const curve = retentionCurve(ret.steps, ret.durations, t);

  const att = attendance(input.doses);
  const sessions = [...att.keys()];
  const attTable = suppress({ rows: sessions, columns: ['Given', 'Refused', 'Missed', 'Not given'], cells: sessions.map((s) => DOSE_OUTCOMES.map((o) => att.get(s)![o])) }, t);

  const adverse = adverseEvents(input.doses);
  const tox = toxicologyByMonth(input.toxicology, input.monitoring, from, to);
  const top = topChange(input.outcomes, from, to);

  return {
    from,
    to,
    threshold: t,
    places: { commissioned: input.places, table: placesTable, occupancyPercent: suppressRate(placesTable.total, input.places) },
    referrals: {
      table: refTable,
      inductions: suppressCount(ref.inductions, t),
      medianWaitDays: suppressStatistic(ref.medianWaitDays, ref.inductions, t),
      longestWaitDays: ref.inductions > 0 && ref.inductions < t ? SUPPRESSED : ref.longestWaitDays,
    },
    retention: { table: retTable, curve },
    attendance: { table: attTable, givenPercent: sessions.map((session, i) => ({ session, percent: suppressRate(attTable.cells[i]![0]!, attTable.rowTotals[i]!) })) },
    adverseEvents: (Object.keys(ADVERSE_LABELS) as (keyof typeof ADVERSE_LABELS)[]).map((k) => ({ label: ADVERSE_LABELS[k], doses: suppressCount(adverse[k], t) })),
    toxicology: tox.map((m) => {
      const tested = suppressCount(m.tested, t);
      const positive = suppressCount(m.positive, t);
      return { month: m.month, tested, positive, positivePercent: suppressRate(positive, tested) };
    }),
    top: top.map((s) => ({
      stage: STAGE_LABEL[s.stage],
      people: suppressCount(s.people, t),
      measures: s.measures.map((m) => ({ key: m.key, label: TOP_MEASURES.find((x) => x.key === m.key)!.label, n: suppressCount(m.n, t), mean: suppressStatistic(m.mean, m.n, t) })),
    })),
  };
}

/** Combines several clinics' inputs into one (counts add up; places add up). */
export function combineInputs(inputs: readonly ReportInput[], base: Pick<ReportInput, 'from' | 'to' | 'threshold' | 'monitoring'>): ReportInput {
  return {
    ...base,
    places: inputs.reduce((s, i) => s + i.places, 0),
    episodes: inputs.flatMap((i) => i.episodes),
    doses: addDoseCounts(inputs.map((i) => i.doses)),
    toxicology: inputs.flatMap((i) => i.toxicology),
    outcomes: inputs.flatMap((i) => i.outcomes),
  };
}
