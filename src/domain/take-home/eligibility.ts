import { Temporal } from 'temporal-polyfill';
import { inDateOrder, type CareRecord } from '../care/care-record';
import type { ToxicologyRecordData } from '../care/toxicology';
import { plannedDoseMg, type PrescriptionContent } from '../prescription/prescription';
import { mayBeDosedUnder } from '../prescription/versions';
import type { StabilityAssessment } from './records';
import type { TakeHomeSettings } from './take-home-settings';

/**
 * Who may have take-home doses, worked out afresh whenever it is asked (a pure function of the
 * person's records and today's date), so that authorisation stops the moment a criterion fails.
 *
 * The criteria the data can answer are computed here; the ones only a conversation can answer
 * (a lockable box at home, children in the household, safe-storage advice) come from the
 * prescriber's latest stability assessment, which also carries their decision. A person is
 * authorised only when take-home doses are on at the clinic, the latest assessment authorises
 * them, every criterion is met now, and nothing stands in the way (away, re-titration, a review
 * needed after an absence, no active prescription, titration still under way).
 *
 * Suspension is automatic and sticks: a refusal for intoxication, a street-heroin positive or a
 * missed dose on or after the day of the authorising assessment keeps the person suspended until
 * a prescriber records a new assessment (the "last N weeks" windows reach back to the assessment
 * whenever it is older than N weeks), and so does an absence that began on or after that day.
 * Events before the assessment but within the last N weeks block only until they are N weeks old:
 * the prescriber saw them when deciding.
 */

/** Refusals at the hatch that count against take-home: intoxication, sedation, sedatives, alcohol. */
export const INTOXICATION_REFUSAL_RULES = [
  'sedation_unresponsive',
  'respiratory_depression',
  'sedation_too_high',
  'signs_of_intoxication',
  'recent_sedative_use',
  'breath_alcohol_too_high',
  'breath_alcohol_reduce',
] as const;

const RULE_WORDS: Record<string, string> = {
  sedation_unresponsive: 'unresponsive (sedation 4)',
  respiratory_depression: 'respiratory depression',
  sedation_too_high: 'sedation 3',
  signs_of_intoxication: 'signs of intoxication',
  recent_sedative_use: 'recent sedatives',
  breath_alcohol_too_high: 'breath alcohol',
  breath_alcohol_reduce: 'breath alcohol',
};

export const CRITERIA = [
  'weeks_in_treatment',
  'intoxication_refusals',
  'street_heroin',
  'missed_doses',
  'fixed_address',
  'lockable_box',
  'children_considered',
  'safe_storage_advice',
] as const;
export type CriterionCode = (typeof CRITERIA)[number];

export const CRITERION_LABELS: Record<CriterionCode, string> = {
  weeks_in_treatment: 'Weeks in treatment',
  intoxication_refusals: 'No dose refused for intoxication, sedation or alcohol',
  street_heroin: 'Toxicology negative for street heroin',
  missed_doses: 'No missed doses',
  fixed_address: 'A home address (not no fixed abode)',
  lockable_box: 'A lockable box at home',
  children_considered: 'Children in the household considered',
  safe_storage_advice: 'Safe-storage advice given',
};

export interface Criterion {
  code: CriterionCode;
  label: string;
  met: boolean;
  /** Why, with the figures. */
  detail: string;
}

export interface Reason {
  code: string;
  message: string;
}

/** The dose history the criteria read: refusals at the hatch and doses recorded as missed. */
export interface TakeHomeDoseFacts {
  /** The first clinic date the facts cover (nothing earlier was read). */
  from: string;
  refusals: readonly { clinicDate: string; session: string; rules: readonly string[] }[];
  missed: readonly { clinicDate: string; session: string }[];
}

export interface TakeHomeEpisodeFacts {
  inTreatment: boolean;
  /** Clinic date induction started in the current episode. */
  treatmentStartedOn: string | null;
  absent: boolean;
  retitrationRequired: boolean;
  reviewRequired: boolean;
  /** Clinic dates on which absences began in the current episode. */
  absenceStartedOn: readonly string[];
}

export interface TakeHomeInput {
  today: string;
  settings: TakeHomeSettings;
  streetHeroinMarkers: readonly string[];
  /** The person's toxicology interval (their own, else the clinic's). */
  toxicologyIntervalDays: number;
  episode: TakeHomeEpisodeFacts;
  /** Locked to the re-titration dose after missed doses; null when not known to the caller. */
  retitrationLocked: boolean | null;
  /** null when not known to the caller (then the dose criteria are not checked, and nobody is authorised). */
  doses: TakeHomeDoseFacts | null;
  /** The prescription in force now. */
  prescription: PrescriptionContent | null;
  noFixedAbode: boolean;
  childrenInHousehold: number;
  /** Current stability assessments (latest version of each, entered-in-error left out). */
  assessments: readonly CareRecord<StabilityAssessment>[];
  toxicology: readonly CareRecord<ToxicologyRecordData>[];
}

export interface TakeHomeEvaluation {
  enabledAtClinic: boolean;
  criteria: Criterion[];
  /** Criteria the caller could not check (no dose history given). */
  notChecked: CriterionCode[];
  latestAssessment: CareRecord<StabilityAssessment> | null;
  authorised: boolean;
  /** When authorised: the most days one supply may cover now (the assessment's, within the clinic's). */
  maxDaysPerSupply: number | null;
  /** Everything that stops authorisation now, each with its figures; empty when authorised. */
  suspendedBecause: Reason[];
}

const date = (d: string) => Temporal.PlainDate.from(d);
const minusDays = (d: string, days: number) => date(d).subtract({ days }).toString();
const earlier = (a: string, b: string | null) => (b !== null && b < a ? b : a);
const daysBetween = (from: string, to: string) => date(from).until(date(to), { largestUnit: 'days' }).days;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The first date of the "last N weeks" (N × 7 days up to and including today). */
export function weeksWindowStart(today: string, weeks: number): string {
  return minusDays(today, weeks * 7 - 1);
}

/** The latest current stability assessment, by date. */
export function latestAssessment(assessments: readonly CareRecord<StabilityAssessment>[]): CareRecord<StabilityAssessment> | null {
  return inDateOrder(assessments).at(-1) ?? null;
}

/**
 * The first date whose dose history the criteria need: the longest "last N weeks" window, or the
 * latest assessment's date if that is earlier (events since it void it).
 */
export function doseFactsNeededFrom(today: string, settings: TakeHomeSettings, assessmentDate: string | null): string {
  const weeks = Math.max(settings.criteria.noIntoxicationRefusalWeeks, settings.criteria.noMissedDoseWeeks);
  return earlier(weeksWindowStart(today, weeks), assessmentDate);
}

type MarkerFinding = 'positive' | 'negative' | 'not_tested' | 'pending';

function markerFinding(r: ToxicologyRecordData, markers: ReadonlySet<string>): { finding: MarkerFinding; positives: string[] } {
  if (r.results.length === 0) return { finding: 'pending', positives: [] };
  const tested = r.results.filter((x) => markers.has(x.substance.trim().toLowerCase()));
  const positives = tested.filter((x) => x.result === 'positive' || (x.result === 'level' && (x.level ?? 0) > 0)).map((x) => x.substance);
  if (positives.length) return { finding: 'positive', positives };
  return { finding: tested.length ? 'negative' : 'not_tested', positives: [] };
}

function listed<T>(items: readonly T[], words: (t: T) => string, max = 3): string {
  const shown = items.slice(0, max).map(words).join('; ');
  return items.length > max ? `${shown}; and ${items.length - max} more` : shown;
}

/** Every criterion and the verdict. */
export function evaluateTakeHome(input: TakeHomeInput): TakeHomeEvaluation {
  const { today, settings } = input;
  const c = settings.criteria;
  const latest = latestAssessment(input.assessments);
  // Events from the day of an authorising assessment on void it.
  const authorisedOn = latest?.data.authorised ? latest.effectiveDate : null;
  const criteria: Criterion[] = [];
  const notChecked: CriterionCode[] = [];
  const add = (code: CriterionCode, met: boolean, detail: string) => criteria.push({ code, label: CRITERION_LABELS[code], met, detail });

  // Weeks in treatment, from the induction of the current episode.
  const e = input.episode;
  if (!e.inTreatment || !e.treatmentStartedOn) {
    add('weeks_in_treatment', false, `Not in treatment now (at least ${plural(c.minWeeksInTreatment, 'week')} needed)`);
  } else {
    const weeks = Math.floor(Math.max(0, daysBetween(e.treatmentStartedOn, today)) / 7);
    add('weeks_in_treatment', weeks >= c.minWeeksInTreatment, `${plural(weeks, 'week')} in treatment since ${e.treatmentStartedOn} (at least ${c.minWeeksInTreatment} needed)`);
  }

  // Refusals at the hatch for intoxication, sedation, sedatives or alcohol.
  if (input.doses) {
    const weeks = c.noIntoxicationRefusalWeeks;
    const since = earlier(weeksWindowStart(today, weeks), authorisedOn);
    const counted = new Set<string>(INTOXICATION_REFUSAL_RULES);
    const found = input.doses.refusals
      .filter((r) => r.clinicDate >= since && r.clinicDate <= today && r.rules.some((x) => counted.has(x)))
      .sort((a, b) => b.clinicDate.localeCompare(a.clinicDate) || b.session.localeCompare(a.session));
    const words = windowWords(today, weeks, since);
    if (input.doses.from > since) add('intoxication_refusals', false, `The dose history was read only from ${input.doses.from}, not from ${since}`);
    else {
      add(
        'intoxication_refusals',
        found.length === 0,
        found.length === 0
          ? `None ${words}`
          : `${plural(found.length, 'dose')} refused ${words}: ${listed(found, (r) => `${r.clinicDate} ${r.session} (${[...new Set(r.rules.filter((x) => counted.has(x)).map((x) => RULE_WORDS[x] ?? x))].join(', ')})`)}`,
      );
    }
  } else notChecked.push('intoxication_refusals');

  // Toxicology: nothing positive for street heroin (or refused) in the window, and enough samples
  // tested negative for its markers to cover the window at the person's testing interval.
  {
    const weeks = c.streetHeroinNegativeWeeks;
    const windowStart = minusDays(today, weeks * 7);
    const since = earlier(windowStart, authorisedOn);
    const markers = new Set(input.streetHeroinMarkers.map((m) => m.trim().toLowerCase()));
    const samples = inDateOrder(input.toxicology).filter((r) => r.effectiveDate >= since && r.effectiveDate <= today);
    const positives = samples.flatMap((r) => {
      if (r.data.outcome !== 'taken') return [];
      const f = markerFinding(r.data, markers);
      return f.finding === 'positive' ? [{ on: r.effectiveDate, what: f.positives.join(', ') }] : [];
    });
    const refusedOn = samples.filter((r) => r.data.outcome === 'refused').map((r) => r.effectiveDate);
    const negativeDays = new Set(
      samples.filter((r) => r.effectiveDate >= windowStart && r.data.outcome === 'taken' && markerFinding(r.data, markers).finding === 'negative').map((r) => r.effectiveDate),
    );
    const interval = Math.max(1, input.toxicologyIntervalDays);
    const needed = Math.max(1, Math.floor((weeks * 7) / interval));
    const problems: string[] = [];
    if (positives.length) problems.push(`positive for street heroin on ${listed([...positives].reverse(), (p) => `${p.on} (${p.what})`)}`);
    if (refusedOn.length) problems.push(`sample refused on ${listed([...refusedOn].reverse(), (d) => d)} (a refused sample is not a negative one)`);
    if (negativeDays.size < needed) problems.push(`${plural(negativeDays.size, 'sample')} tested negative since ${windowStart}, ${needed} needed (one every ${plural(interval, 'day')} for ${plural(weeks, 'week')})`);
    add(
      'street_heroin',
      problems.length === 0,
      problems.length === 0
        ? `${plural(negativeDays.size, 'sample')} negative for street heroin since ${windowStart} (${needed} needed); none positive or refused since ${since}`
        : capitalise(problems.join('; ')),
    );
  }

  // Missed doses.
  if (input.doses) {
    const weeks = c.noMissedDoseWeeks;
    const since = earlier(weeksWindowStart(today, weeks), authorisedOn);
    const found = input.doses.missed.filter((m) => m.clinicDate >= since && m.clinicDate <= today).sort((a, b) => b.clinicDate.localeCompare(a.clinicDate) || b.session.localeCompare(a.session));
    const words = windowWords(today, weeks, since);
    if (input.doses.from > since) add('missed_doses', false, `The dose history was read only from ${input.doses.from}, not from ${since}`);
    else add('missed_doses', found.length === 0, found.length === 0 ? `None missed ${words}` : `${plural(found.length, 'dose')} missed ${words}: ${listed(found, (m) => `${m.clinicDate} ${m.session}`)}`);
  } else notChecked.push('missed_doses');

  add('fixed_address', !input.noFixedAbode, input.noFixedAbode ? 'Recorded as no fixed abode: nowhere to keep doses safely' : 'An address is on the record');

  // What only the prescriber's conversation can tell.
  const a = latest?.data ?? null;
  const assessed = (detail: string) => `${detail} (assessment ${latest!.effectiveDate})`;
  if (c.lockableBoxRequired) {
    add('lockable_box', a?.lockableBox === true, a ? assessed(a.lockableBox ? 'Yes' : 'No lockable box at home') : 'Not assessed yet');
  }
  if (c.childrenConsideredRequired) {
    const onRecord = `${plural(input.childrenInHousehold, 'child', 'children')} in the household on the record`;
    add(
      'children_considered',
      a?.childrenConsidered === true,
      a ? assessed(a.childrenConsidered ? `Considered: ${a.childrenNote ?? ''}; ${onRecord}` : `Not considered; ${onRecord}`) : `Not assessed yet; ${onRecord}`,
    );
  }
  add('safe_storage_advice', a?.safeStorageAdviceGiven === true, a ? assessed(a.safeStorageAdviceGiven ? 'Given' : 'Not given') : 'Not assessed yet');

  // The verdict.
  const reasons: Reason[] = [];
  if (!settings.enabled) reasons.push({ code: 'take_home_not_enabled', message: 'Take-home doses are not switched on at this clinic' });
  if (!latest) reasons.push({ code: 'no_assessment', message: 'No stability assessment by a prescriber yet' });
  else {
    if (!latest.data.authorised) reasons.push({ code: 'not_authorised', message: `The latest stability assessment (${latest.effectiveDate}) does not authorise take-home doses` });
    if (e.treatmentStartedOn && latest.effectiveDate < e.treatmentStartedOn) {
      reasons.push({ code: 'assessment_before_this_episode', message: `The latest stability assessment (${latest.effectiveDate}) is from before this treatment episode began (${e.treatmentStartedOn})` });
    }
  }
  for (const x of criteria) if (!x.met) reasons.push({ code: `${x.code}_criterion_not_met`, message: `${x.label}: ${x.detail}` });
  if (!e.inTreatment) reasons.push({ code: 'not_in_treatment', message: 'Not in treatment (induction or maintenance)' });
  if (e.absent) reasons.push({ code: 'absent', message: 'Recorded as away: no supply during an absence' });
  if (e.reviewRequired) reasons.push({ code: 'review_required', message: "Back from an absence: a prescriber's review is needed first" });
  if (e.retitrationRequired) reasons.push({ code: 'retitration_required', message: 'Re-titration after an absence is not finished' });
  if (input.retitrationLocked) reasons.push({ code: 'retitration_locked', message: 'Locked to the re-titration dose after missed doses' });
  if (authorisedOn) {
    const since = e.absenceStartedOn.filter((d) => d >= authorisedOn);
    if (since.length) reasons.push({ code: 'absence_since_assessment', message: `Away since the authorising assessment (absence from ${since.join(', ')}): a new assessment is needed` });
  }
  const rx = input.prescription;
  const dosable = mayBeDosedUnder(rx, today);
  if (!dosable.ok) reasons.push({ code: 'no_active_prescription', message: dosable.refusals.map((r) => r.message).join('; ') });
  else if (rx) {
    const order = rx.diamorphine;
    const titrating = (['iv', 'im'] as const).filter((route) => {
      const prescribed = route === 'iv' ? order.ivDoseMg : order.imDoseMg;
      return prescribed !== null && (plannedDoseMg(order, route, today) ?? 0) < prescribed;
    });
    if (titrating.length) reasons.push({ code: 'titration_in_progress', message: 'The prescription is still titrating towards its dose' });
  }
  if (notChecked.length) reasons.push({ code: 'not_checked', message: `Not checked here: ${notChecked.map((x) => CRITERION_LABELS[x]).join(', ')}` });

  const authorised = reasons.length === 0;
  return {
    enabledAtClinic: settings.enabled,
    criteria,
    notChecked,
    latestAssessment: latest,
    authorised,
    maxDaysPerSupply: authorised ? Math.min(latest!.data.maxDaysPerSupply ?? 0, settings.maxDaysPerSupply) : null,
    suspendedBecause: reasons,
  };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "in the last 4 weeks (since 2026-03-10)" or, when the authorising assessment is older, "since 2026-01-05 (the authorising assessment)". */
function windowWords(today: string, weeks: number, since: string): string {
  return since < weeksWindowStart(today, weeks) ? `since ${since} (the authorising assessment)` : `in the last ${plural(weeks, 'week')} (since ${since})`;
}
