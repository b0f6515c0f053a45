import { z } from 'zod';
import { Temporal } from 'temporal-polyfill';
import { refuse, type Decision, type Refusal } from '../refusal';
import type { EpisodeState } from '../episode/episode-event';
import { inDateOrder, type CareRecord } from './care-record';
import type { MonitoringSettings } from './monitoring-settings';
import type { CareRuleInput, CareRules, PersonInCare } from './person-in-care';
import type { WorkItem } from './work-list';

/**
 * The Treatment Outcomes Profile (TOP): the national outcome form for adult drug treatment in
 * England (NTA, then Public Health England, now OHID; reported to NDTMS). The keyworker asks about
 * the past 28 days (four weeks) at treatment start, at reviews and at exit. Sections, items and
 * ranges follow the paper form; see docs/outcomes.md for the sources.
 *
 * Every item may be left unanswered (the form's "NA": not disclosed, refused, or not asked): send
 * null. An unanswered item is missing, never zero: it is listed in `notAnswered` and no change is
 * worked out from it. Every item must be sent (null when not answered), so that forgetting an item
 * is an error naming it rather than a silent "not answered".
 *
 * A "days" item is written on the form as days in each of the four weeks (0–7 each) and a total
 * (0–28). Send `weeks` (week 1 first: the week before the interview), or `days`, or both; both
 * must agree. The record keeps both: `days` is the total, `weeks` null when only a total was given.
 */

export const TOP_STAGES = ['start', 'review', 'exit'] as const;
export type TopStage = (typeof TOP_STAGES)[number];

export const TOP_STAGE_LABELS: Record<TopStage, string> = { start: 'treatment start', review: 'review', exit: 'treatment exit' };

/** Days before treatment started from which a profile (e.g. at assessment) counts as this episode's start profile. */
export const START_PROFILE_LOOKBACK_DAYS = 28;
/** An exit profile is listed as due for this many days after discharge. */
export const EXIT_PROFILE_WINDOW_DAYS = 28;
/** A review profile is listed this many days before its due date (the usual two-week window). */
export const REVIEW_LISTED_DAYS_BEFORE = 14;

const required = (what: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is missing: give the answer, or null if not answered (refused or not asked)' : `must be ${what}`),
});

const weekDays = z.int('must be a whole number of days from 0 to 7').min(0, 'must be from 0 to 7 days').max(7, 'must be from 0 to 7 days (a week has 7)');
const totalDays = z.int('must be a whole number of days from 0 to 28').min(0, 'must be from 0 to 28 days').max(28, 'must be from 0 to 28 days (the form covers four weeks)');
const weeks = z
  .tuple([weekDays, weekDays, weekDays, weekDays], { error: 'must be the days in each of the four weeks, week 1 (the most recent) first: [w1, w2, w3, w4]' })
  .describe('Days in each of the four weeks before the interview, 0–7 each, week 1 (the most recent) first');

const daysShape = {
  weeks: weeks.nullable().optional(),
  days: totalDays.nullable().optional().describe('Total days in the four weeks, 0–28 (worked out from `weeks` when they are given)'),
};

type DaysInput = { weeks?: readonly number[] | null | undefined; days?: number | null | undefined };

const sum = (ns: readonly number[]) => ns.reduce((a, b) => a + b, 0);

/** The weeks and the total must say the same; at least one must be given. Issues are on the item itself. */
function checkDays(v: DaysInput, ctx: z.RefinementCtx) {
  const hasWeeks = v.weeks !== null && v.weeks !== undefined;
  const hasDays = v.days !== null && v.days !== undefined;
  if (!hasWeeks && !hasDays) {
    ctx.addIssue({ code: 'custom', message: 'give the days in each of the four weeks (weeks) or the total (days), or send null if not answered' });
  } else if (hasWeeks && hasDays && sum(v.weeks!) !== v.days) {
    ctx.addIssue({ code: 'custom', message: `the four weeks add up to ${sum(v.weeks!)} days, but the total says ${v.days}` });
  }
}

/** The usual days for each week of the past four: a days-only item (injecting, crime, work, college, tobacco). */
const daysItem = (about: string) =>
  z.object(daysShape, required('the days in each week ({ "weeks": [w1, w2, w3, w4] }) or the total ({ "days": n }), or null')).superRefine(checkDays).nullable().describe(about);

export const SUBSTANCES = ['alcohol', 'opiates', 'crack', 'cocaine', 'amphetamines', 'cannabis', 'other'] as const;
export type Substance = (typeof SUBSTANCES)[number];

/** What the form records for each substance, with the unit of its "average amount on a using day". */
export const SUBSTANCE_FORM: Record<Substance, { label: string; unit: 'units' | 'g' | 'spliffs'; maxPerDay: number }> = {
  alcohol: { label: 'Alcohol', unit: 'units', maxPerDay: 200 },
  opiates: { label: 'Opiates/opioids (illicit)', unit: 'g', maxPerDay: 50 },
  crack: { label: 'Crack', unit: 'g', maxPerDay: 50 },
  cocaine: { label: 'Cocaine', unit: 'g', maxPerDay: 50 },
  amphetamines: { label: 'Amphetamines', unit: 'g', maxPerDay: 50 },
  cannabis: { label: 'Cannabis', unit: 'spliffs', maxPerDay: 100 },
  other: { label: 'Other problem substance', unit: 'g', maxPerDay: 50 },
};

const UNIT_WORDS = { units: 'units of alcohol', g: 'grams', spliffs: 'spliffs' } as const;

function amountCheck(v: DaysInput & { averagePerUsingDay?: number | null | undefined }, ctx: z.RefinementCtx) {
  checkDays(v, ctx);
  const total = v.weeks ? sum(v.weeks) : v.days;
  if (total === 0 && v.averagePerUsingDay !== null && v.averagePerUsingDay !== undefined && v.averagePerUsingDay > 0) {
    ctx.addIssue({ code: 'custom', path: ['averagePerUsingDay'], message: 'must be empty (null) or 0 when there were no using days' });
  }
}

function amountOf(s: Substance) {
  const f = SUBSTANCE_FORM[s];
  return z
    .number('must be a number')
    .min(0, 'must not be negative')
    .max(f.maxPerDay, `must be at most ${f.maxPerDay} ${UNIT_WORDS[f.unit]} a day`)
    .nullable()
    .optional()
    .describe(`Average amount on a using day, in ${UNIT_WORDS[f.unit]} (null or left out: not answered)`);
}

function substanceRow(s: Exclude<Substance, 'other'>) {
  const about = `${SUBSTANCE_FORM[s].label}: days used in the past four weeks${s === 'opiates' ? ' (street heroin and any non-prescribed opioid, such as methadone or buprenorphine)' : ''}; null if not answered`;
  return z
    .object({ ...daysShape, averagePerUsingDay: amountOf(s) }, required('the days used (weeks or days) and the average amount, or null'))
    .superRefine(amountCheck)
    .nullable()
    .describe(about);
}

const otherSubstanceRow = z
  .object(
    {
      ...daysShape,
      averagePerUsingDay: amountOf('other'),
      name: z.string('must be the name of the substance, or null').trim().min(1, 'must not be empty').max(60).nullable().describe('Which substance (required when any days were used)'),
    },
    required('the name, the days used (weeks or days) and the average amount, or null'),
  )
  .superRefine((v, ctx) => {
    amountCheck(v, ctx);
    const total = v.weeks ? sum(v.weeks) : v.days;
    if ((total ?? 0) > 0 && !v.name) ctx.addIssue({ code: 'custom', path: ['name'], message: 'say which substance (days of use are recorded)' });
  })
  .nullable()
  .describe('Other problem substance: its name and days used in the past four weeks; null if not answered');

const yesNo = (about: string) => z.boolean(required('true (yes) or false (no), or null if not answered')).nullable().describe(about);
const rating = (about: string) =>
  z.int(required('a whole number from 0 (poor) to 20 (good), or null if not answered')).min(0, 'must be from 0 (poor) to 20 (good)').max(20, 'must be from 0 (poor) to 20 (good)').nullable().describe(about);

const section = <T extends z.core.$ZodLooseShape>(shape: T, about: string) => z.object(shape, required(`an object with the ${about} items`));

export const OutcomeProfileData = z.object({
  stage: z.enum(TOP_STAGES, 'must be start, review or exit').describe('Treatment stage of this interview: start, review or exit'),
  substanceUse: section(
    {
      alcohol: substanceRow('alcohol'),
      opiates: substanceRow('opiates'),
      crack: substanceRow('crack'),
      cocaine: substanceRow('cocaine'),
      amphetamines: substanceRow('amphetamines'),
      cannabis: substanceRow('cannabis'),
      other: otherSubstanceRow,
      tobacco: daysItem('Tobacco: days used (cigarettes, roll-ups, joints with tobacco, cigars, pipe; not nicotine replacement or e-cigarettes); null if not answered'),
    },
    'substance use',
  ).describe('Section 1: substance use in the past four weeks'),
  injectingRisk: section(
    {
      injected: daysItem('Days injected non-prescribed drugs (0 if none); null if not answered'),
      sharedNeedleOrSyringe: yesNo('Injected with a needle or syringe used by someone else'),
      sharedSpoonWaterOrFilter: yesNo('Injected using a spoon, water or filter used by someone else'),
    },
    'injecting risk behaviour',
  )
    .superRefine((v, ctx) => {
      if (v.injected === null) return;
      const total = v.injected.weeks ? sum(v.injected.weeks) : v.injected.days;
      if (total !== 0) return;
      for (const k of ['sharedNeedleOrSyringe', 'sharedSpoonWaterOrFilter'] as const) {
        if (v[k] === true) ctx.addIssue({ code: 'custom', path: [k], message: 'cannot be yes when no days of injecting are recorded' });
      }
    })
    .describe('Section 2: injecting risk behaviour in the past four weeks'),
  crime: section(
    {
      shoplifting: daysItem('Days shoplifting'),
      drugSelling: daysItem('Days selling drugs'),
      theftFromOrOfVehicle: yesNo('Theft from or of a vehicle'),
      otherPropertyTheftOrBurglary: yesNo('Other property theft or burglary'),
      fraudForgeryOrHandlingStolenGoods: yesNo('Fraud, forgery and handling stolen goods'),
      assaultOrViolence: yesNo('Committing assault or violence'),
    },
    'crime',
  ).describe('Section 3: crime in the past four weeks'),
  healthAndSocialFunctioning: section(
    {
      psychologicalHealth: rating("Client's rating of psychological health (anxiety, depression, problem emotions and feelings), 0 poor to 20 good"),
      paidWork: daysItem('Days in paid work'),
      collegeOrSchool: daysItem('Days attended college or school'),
      physicalHealth: rating("Client's rating of physical health (extent of physical symptoms, bothered by illness), 0 poor to 20 good"),
      acuteHousingProblem: yesNo('Acute housing problem'),
      atRiskOfEviction: yesNo('At risk of eviction'),
      qualityOfLife: rating("Client's rating of overall quality of life (able to enjoy life, gets on with family and partner, etc.), 0 poor to 20 good"),
    },
    'health and social functioning',
  ).describe('Section 4: health and social functioning in the past four weeks'),
  notAnswered: z.array(z.string()).optional().describe('Worked out when recorded: the items left unanswered (anything sent here is replaced)'),
});
export type OutcomeProfileInput = z.output<typeof OutcomeProfileData>;

export interface DaysAnswer {
  /** Days in each of the four weeks, week 1 (the most recent) first; null when only a total was given. */
  weeks: [number, number, number, number] | null;
  /** Total days of the 28. */
  days: number;
}
export interface SubstanceAnswer extends DaysAnswer {
  averagePerUsingDay: number | null;
}
export interface OtherSubstanceAnswer extends SubstanceAnswer {
  name: string | null;
}

/** A profile as stored: days items carry their total; `notAnswered` lists the unanswered items. */
export interface OutcomeProfile {
  stage: TopStage;
  substanceUse: {
    alcohol: SubstanceAnswer | null;
    opiates: SubstanceAnswer | null;
    crack: SubstanceAnswer | null;
    cocaine: SubstanceAnswer | null;
    amphetamines: SubstanceAnswer | null;
    cannabis: SubstanceAnswer | null;
    other: OtherSubstanceAnswer | null;
    tobacco: DaysAnswer | null;
  };
  injectingRisk: { injected: DaysAnswer | null; sharedNeedleOrSyringe: boolean | null; sharedSpoonWaterOrFilter: boolean | null };
  crime: {
    shoplifting: DaysAnswer | null;
    drugSelling: DaysAnswer | null;
    theftFromOrOfVehicle: boolean | null;
    otherPropertyTheftOrBurglary: boolean | null;
    fraudForgeryOrHandlingStolenGoods: boolean | null;
    assaultOrViolence: boolean | null;
  };
  healthAndSocialFunctioning: {
    psychologicalHealth: number | null;
    paidWork: DaysAnswer | null;
    collegeOrSchool: DaysAnswer | null;
    physicalHealth: number | null;
    acuteHousingProblem: boolean | null;
    atRiskOfEviction: boolean | null;
    qualityOfLife: number | null;
  };
  /** The items left unanswered (field paths), worked out when recorded. */
  notAnswered: string[];
}

function days(v: DaysInput | null): DaysAnswer | null {
  if (v === null) return null;
  const w = v.weeks ? ([...v.weeks] as [number, number, number, number]) : null;
  return { weeks: w, days: w ? sum(w) : v.days! };
}
function substance(v: (DaysInput & { averagePerUsingDay?: number | null | undefined }) | null): SubstanceAnswer | null {
  const d = days(v);
  return d && v ? { ...d, averagePerUsingDay: v.averagePerUsingDay ?? null } : null;
}

/**
 * What is stored for a parsed form: each days item with its total (from the weeks when given), and
 * the list of unanswered items. Amounts on a using day count as unanswered only when days were used.
 */
export function normaliseOutcomeProfile(p: OutcomeProfileInput): OutcomeProfile {
  const s = p.substanceUse;
  const other = substance(s.other);
  const out: OutcomeProfile = {
    stage: p.stage,
    substanceUse: {
      alcohol: substance(s.alcohol),
      opiates: substance(s.opiates),
      crack: substance(s.crack),
      cocaine: substance(s.cocaine),
      amphetamines: substance(s.amphetamines),
      cannabis: substance(s.cannabis),
      other: other && s.other ? { ...other, name: s.other.name } : null,
      tobacco: days(s.tobacco),
    },
    injectingRisk: { ...p.injectingRisk, injected: days(p.injectingRisk.injected) },
    crime: { ...p.crime, shoplifting: days(p.crime.shoplifting), drugSelling: days(p.crime.drugSelling) },
    healthAndSocialFunctioning: {
      ...p.healthAndSocialFunctioning,
      paidWork: days(p.healthAndSocialFunctioning.paidWork),
      collegeOrSchool: days(p.healthAndSocialFunctioning.collegeOrSchool),
    },
    notAnswered: [],
  };
  out.notAnswered = notAnsweredItems(out);
  return out;
}

/** The items of a profile left unanswered, as field paths (an amount only when days were used). */
export function notAnsweredItems(p: Omit<OutcomeProfile, 'notAnswered'>): string[] {
  const missing: string[] = [];
  for (const [sectionName, items] of Object.entries({ substanceUse: p.substanceUse, injectingRisk: p.injectingRisk, crime: p.crime, healthAndSocialFunctioning: p.healthAndSocialFunctioning })) {
    for (const [item, value] of Object.entries(items as Record<string, unknown>)) {
      if (value === null) missing.push(`${sectionName}.${item}`);
      else if (typeof value === 'object' && 'averagePerUsingDay' in value) {
        const row = value as SubstanceAnswer;
        if (row.days > 0 && row.averagePerUsingDay === null) missing.push(`${sectionName}.${item}.averagePerUsingDay`);
      }
    }
  }
  return missing;
}

// ---------------------------------------------------------------------------------------------
// Which profiles a person may have: one start and at most one exit per treatment episode.

/** What the rules need to know about the person's latest treatment episode (clinic dates). */
export interface OutcomeEpisode {
  state: EpisodeState | null;
  /** The clinic date the episode began (its referral). */
  referredOn: string | null;
  treatmentStartedOn: string | null;
  dischargedOn: string | null;
}

const IN_TREATMENT: ReadonlySet<EpisodeState> = new Set(['induction', 'maintenance']);
const OPEN_BEFORE_TREATMENT: ReadonlySet<EpisodeState> = new Set(['referred', 'assessing', 'waiting_list', 'accepted']);

const plain = (d: string) => Temporal.PlainDate.from(d);

/**
 * The first date of the episode's profiles: 28 days before treatment started (so a start profile
 * done at assessment counts), or the referral if treatment has not started.
 */
export function episodeProfilesFrom(e: Pick<OutcomeEpisode, 'treatmentStartedOn' | 'referredOn'>): string | null {
  if (e.treatmentStartedOn) return plain(e.treatmentStartedOn).subtract({ days: START_PROFILE_LOOKBACK_DAYS }).toString();
  return e.referredOn;
}

/**
 * The domain rules for recording (or correcting to) a profile dated `effectiveDate`, given the
 * person's other current profiles: a start profile while the episode is open (once per episode); a
 * review only in treatment and after the start profile; an exit in treatment or after discharge,
 * once per episode.
 */
export function checkOutcomeProfile(profile: OutcomeProfile, effectiveDate: string, episode: OutcomeEpisode, others: readonly CareRecord<OutcomeProfile>[]): Decision<OutcomeProfile> {
  const refusals: Refusal[] = [];
  const from = episodeProfilesFrom(episode);
  const state = episode.state;
  if (state === null || from === null || state === 'not_eligible') {
    return { ok: false, refusals: [refuse('no_treatment_episode', 'An outcome profile belongs to a treatment episode: this person has no open referral or treatment', 'stage')] };
  }
  if (effectiveDate < from) {
    const why = episode.treatmentStartedOn ? `${START_PROFILE_LOOKBACK_DAYS} days before treatment started on ${episode.treatmentStartedOn}` : 'the referral';
    return { ok: false, refusals: [refuse('before_episode', `The interview date ${effectiveDate} is before this episode's profiles can start (${from}: ${why})`, 'effectiveDate')] };
  }
  const mine = inDateOrder(others.filter((r) => r.effectiveDate >= from));
  const ofStage = (s: TopStage) => mine.filter((r) => r.data.stage === s);
  const inTreatment = IN_TREATMENT.has(state);
  switch (profile.stage) {
    case 'start': {
      if (state === 'discharged') {
        refusals.push(refuse('episode_ended', `Discharged on ${episode.dischargedOn}: a start profile belongs to a new episode (refer them again first)`, 'stage'));
      } else if (!inTreatment && !OPEN_BEFORE_TREATMENT.has(state)) {
        refusals.push(refuse('no_treatment_episode', 'A start profile needs an open referral or treatment', 'stage'));
      }
      const existing = ofStage('start')[0];
      if (existing) {
        refusals.push(refuse('start_profile_exists', `This episode already has a start profile (${existing.effectiveDate}); record a review, or correct that one`, 'stage'));
      }
      break;
    }
    case 'review': {
      if (!inTreatment) refusals.push(refuse('not_in_treatment', 'A review profile is for someone in treatment (induction or maintenance)', 'stage'));
      const starts = ofStage('start');
      if (starts.length === 0) {
        refusals.push(refuse('start_profile_missing', 'Record the start profile first: a review is compared with it', 'stage'));
      } else if (starts.every((s) => s.effectiveDate > effectiveDate)) {
        refusals.push(refuse('start_profile_missing', `The start profile is dated ${starts[0]!.effectiveDate}, after this review (${effectiveDate})`, 'effectiveDate'));
      }
      break;
    }
    case 'exit': {
      if (!episode.treatmentStartedOn || !(inTreatment || state === 'discharged')) {
        refusals.push(refuse('not_in_treatment', 'An exit profile is for someone in treatment or discharged from it', 'stage'));
      }
      const existing = ofStage('exit')[0];
      if (existing) refusals.push(refuse('exit_profile_exists', `This episode already has an exit profile (${existing.effectiveDate}); correct that one instead`, 'stage'));
      break;
    }
  }
  return refusals.length > 0 ? { ok: false, refusals } : { ok: true, value: profile };
}

// ---------------------------------------------------------------------------------------------
// When a profile is due.

export interface OutcomeDue {
  stage: TopStage;
  dueOn: string;
  overdue: boolean;
  /** The date the need arose from: treatment start, the latest profile, or discharge. */
  since: string;
  /** The latest profile (for a review), else null. */
  lastProfile: { recordId: string; stage: TopStage; effectiveDate: string } | null;
  text: string;
}

type DueFacts = Pick<PersonInCare, 'inTreatment' | 'absent' | 'treatmentStartedOn' | 'dischargedOn' | 'records'>;

/**
 * The profile due for a person, if any:
 * - start: by treatment start + `outcomeEntryWithinDays`, while in treatment with no start profile
 *   dated on or after 28 days before treatment started (one done at assessment counts);
 * - review: `outcomeReviewMonths` calendar months after the latest profile, while in treatment and
 *   not away, listed from two weeks before (none once an exit profile is recorded);
 * - exit: on the day of discharge, for 28 days after it, when there is no exit profile since
 *   treatment started.
 * Nothing is due while away, nor for anyone not in treatment (except the exit profile).
 */
export function outcomeDue(person: DueFacts, monitoring: Pick<MonitoringSettings, 'outcomeEntryWithinDays' | 'outcomeReviewMonths'>, today: string): OutcomeDue | null {
  const started = person.treatmentStartedOn;
  if (!started) return null;
  const profiles = inDateOrder(person.records.filter((r): r is CareRecord<OutcomeProfile> => r.kind === 'outcome_profile'));
  const t = plain(today);
  const overdue = (dueOn: string) => Temporal.PlainDate.compare(plain(dueOn), t) < 0;

  if (!person.inTreatment) {
    if (!person.dischargedOn) return null;
    const discharged = plain(person.dischargedOn);
    if (Temporal.PlainDate.compare(discharged.add({ days: EXIT_PROFILE_WINDOW_DAYS }), t) < 0) return null;
    if (Temporal.PlainDate.compare(discharged, t) > 0) return null;
    if (profiles.some((r) => r.data.stage === 'exit' && r.effectiveDate >= started)) return null;
    return {
      stage: 'exit',
      dueOn: person.dischargedOn,
      overdue: overdue(person.dischargedOn),
      since: person.dischargedOn,
      lastProfile: null,
      text: `Exit TOP due: discharged on ${person.dischargedOn}, no exit profile since treatment started on ${started}`,
    };
  }
  if (person.absent) return null;

  const from = plain(started).subtract({ days: START_PROFILE_LOOKBACK_DAYS }).toString();
  const episodes = profiles.filter((r) => r.effectiveDate >= from);
  if (!episodes.some((r) => r.data.stage === 'start')) {
    const dueOn = plain(started).add({ days: monitoring.outcomeEntryWithinDays }).toString();
    return {
      stage: 'start',
      dueOn,
      overdue: overdue(dueOn),
      since: started,
      lastProfile: null,
      text: `Start TOP due by ${dueOn}: treatment started on ${started}, no start profile yet`,
    };
  }
  if (episodes.some((r) => r.data.stage === 'exit')) return null;
  const latest = episodes.at(-1)!;
  const months = monitoring.outcomeReviewMonths;
  const dueOn = plain(latest.effectiveDate).add({ months }).toString();
  if (Temporal.PlainDate.compare(plain(dueOn).subtract({ days: REVIEW_LISTED_DAYS_BEFORE }), t) > 0) return null;
  return {
    stage: 'review',
    dueOn,
    overdue: overdue(dueOn),
    since: latest.effectiveDate,
    lastProfile: { recordId: latest.recordId, stage: latest.data.stage, effectiveDate: latest.effectiveDate },
    text: `${months}-month review TOP ${overdue(dueOn) ? 'overdue since' : 'due'} ${dueOn}: last profile (${TOP_STAGE_LABELS[latest.data.stage]}) on ${latest.effectiveDate}`,
  };
}

export function outcomeWorkItems(input: CareRuleInput): WorkItem[] {
  const due = outcomeDue(input.person, input.settings.monitoring, input.today);
  if (!due) return [];
  return [
    {
      list: 'outcomes_due',
      serviceUserId: input.person.serviceUserId,
      dueOn: due.dueOn,
      overdue: due.overdue,
      severity: due.overdue ? 'warning' : 'info',
      text: due.text,
      recordId: due.lastProfile?.recordId ?? null,
    },
  ];
}

export const outcomeRules: CareRules = {
  workItems: outcomeWorkItems,
  alerts: () => [],
};

// ---------------------------------------------------------------------------------------------
// Change since the start profile.

export type ChangeDirection = 'better' | 'worse' | 'same' | 'unknown';

export interface OutcomeMeasureChange {
  /** The item, as a field path of the profile (e.g. `substanceUse.opiates.days`). */
  measure: string;
  label: string;
  start: number | boolean | null;
  latest: number | boolean | null;
  /** latest − start for numbers; null for yes/no items or when either is missing. */
  change: number | null;
  direction: ChangeDirection;
}

type Better = 'fewer' | 'more' | 'no';
interface Measure {
  measure: string;
  label: string;
  better: Better;
  get: (p: OutcomeProfile) => number | boolean | null;
}

const daysOf = (a: DaysAnswer | null) => (a === null ? null : a.days);

/** Every measure compared: fewer days of use, injecting and crime are better; higher ratings and more days of work or study are better; yes to no on risk items is better. */
export const OUTCOME_MEASURES: readonly Measure[] = [
  ...SUBSTANCES.map((s): Measure => ({ measure: `substanceUse.${s}.days`, label: `${SUBSTANCE_FORM[s].label}: days used`, better: 'fewer', get: (p) => daysOf(p.substanceUse[s]) })),
  { measure: 'substanceUse.alcohol.averagePerUsingDay', label: 'Alcohol: units on a drinking day', better: 'fewer', get: (p) => p.substanceUse.alcohol?.averagePerUsingDay ?? null },
  { measure: 'substanceUse.tobacco.days', label: 'Tobacco: days used', better: 'fewer', get: (p) => daysOf(p.substanceUse.tobacco) },
  { measure: 'injectingRisk.injected.days', label: 'Days injected', better: 'fewer', get: (p) => daysOf(p.injectingRisk.injected) },
  { measure: 'injectingRisk.sharedNeedleOrSyringe', label: 'Injected with a needle or syringe used by someone else', better: 'no', get: (p) => p.injectingRisk.sharedNeedleOrSyringe },
  { measure: 'injectingRisk.sharedSpoonWaterOrFilter', label: 'Injected with a spoon, water or filter used by someone else', better: 'no', get: (p) => p.injectingRisk.sharedSpoonWaterOrFilter },
  { measure: 'crime.shoplifting.days', label: 'Days shoplifting', better: 'fewer', get: (p) => daysOf(p.crime.shoplifting) },
  { measure: 'crime.drugSelling.days', label: 'Days selling drugs', better: 'fewer', get: (p) => daysOf(p.crime.drugSelling) },
  { measure: 'crime.theftFromOrOfVehicle', label: 'Theft from or of a vehicle', better: 'no', get: (p) => p.crime.theftFromOrOfVehicle },
  { measure: 'crime.otherPropertyTheftOrBurglary', label: 'Other property theft or burglary', better: 'no', get: (p) => p.crime.otherPropertyTheftOrBurglary },
  { measure: 'crime.fraudForgeryOrHandlingStolenGoods', label: 'Fraud, forgery and handling stolen goods', better: 'no', get: (p) => p.crime.fraudForgeryOrHandlingStolenGoods },
  { measure: 'crime.assaultOrViolence', label: 'Committing assault or violence', better: 'no', get: (p) => p.crime.assaultOrViolence },
  { measure: 'healthAndSocialFunctioning.psychologicalHealth', label: 'Psychological health (0–20)', better: 'more', get: (p) => p.healthAndSocialFunctioning.psychologicalHealth },
  { measure: 'healthAndSocialFunctioning.physicalHealth', label: 'Physical health (0–20)', better: 'more', get: (p) => p.healthAndSocialFunctioning.physicalHealth },
  { measure: 'healthAndSocialFunctioning.qualityOfLife', label: 'Overall quality of life (0–20)', better: 'more', get: (p) => p.healthAndSocialFunctioning.qualityOfLife },
  { measure: 'healthAndSocialFunctioning.paidWork.days', label: 'Days in paid work', better: 'more', get: (p) => daysOf(p.healthAndSocialFunctioning.paidWork) },
  { measure: 'healthAndSocialFunctioning.collegeOrSchool.days', label: 'Days at college or school', better: 'more', get: (p) => daysOf(p.healthAndSocialFunctioning.collegeOrSchool) },
  { measure: 'healthAndSocialFunctioning.acuteHousingProblem', label: 'Acute housing problem', better: 'no', get: (p) => p.healthAndSocialFunctioning.acuteHousingProblem },
  { measure: 'healthAndSocialFunctioning.atRiskOfEviction', label: 'At risk of eviction', better: 'no', get: (p) => p.healthAndSocialFunctioning.atRiskOfEviction },
];

export function directionOf(better: Better, start: number | boolean | null, latest: number | boolean | null): ChangeDirection {
  if (start === null || latest === null) return 'unknown';
  if (start === latest) return 'same';
  if (better === 'no') return latest === false ? 'better' : 'worse';
  const up = (latest as number) > (start as number);
  return up === (better === 'more') ? 'better' : 'worse';
}

export interface OutcomeChange {
  start: { recordId: string; effectiveDate: string } | null;
  latest: { recordId: string; effectiveDate: string; stage: TopStage } | null;
  measures: OutcomeMeasureChange[];
}

/**
 * A person's change: their latest start profile against the latest profile after it, measure by
 * measure. A missing answer on either side makes the direction unknown; so does a different "other
 * problem substance" (its days are not comparable).
 */
export function outcomeChange(profiles: readonly CareRecord<OutcomeProfile>[]): OutcomeChange {
  const ordered = inDateOrder(profiles.filter((r) => !r.enteredInError));
  const startIndex = ordered.findLastIndex((r) => r.data.stage === 'start');
  if (startIndex < 0) return { start: null, latest: null, measures: [] };
  const start = ordered[startIndex]!;
  const latest = ordered.length - 1 > startIndex ? ordered.at(-1)! : null;
  const otherDiffers = (() => {
    const a = start.data.substanceUse.other?.name;
    const b = latest?.data.substanceUse.other?.name;
    return Boolean(a && b && a.trim().toLowerCase() !== b.trim().toLowerCase());
  })();
  const measures = OUTCOME_MEASURES.map((m): OutcomeMeasureChange => {
    const s = m.get(start.data);
    const l = latest ? m.get(latest.data) : null;
    const incomparable = otherDiffers && m.measure === 'substanceUse.other.days';
    const direction = incomparable ? 'unknown' : directionOf(m.better, s, l);
    const change = !incomparable && typeof s === 'number' && typeof l === 'number' ? l - s : null;
    return { measure: m.measure, label: m.label, start: s, latest: l, change, direction };
  });
  return {
    start: { recordId: start.recordId, effectiveDate: start.effectiveDate },
    latest: latest ? { recordId: latest.recordId, effectiveDate: latest.effectiveDate, stage: latest.data.stage } : null,
    measures,
  };
}
