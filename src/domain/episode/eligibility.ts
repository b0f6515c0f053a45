import { Temporal } from 'temporal-polyfill';
import type { Decision, Refusal } from '../refusal';
import { refuse } from '../refusal';

/**
 * Who HAT is for, decided criterion by criterion at assessment. Each clinic keeps its own list
 * (with the defaults below), so the decision records, for every criterion in force, whether it was
 * met, not met, or waived and why: an assessor may waive a criterion, but never silently.
 */

export const ADULT_AGE = 18;

export interface EligibilityCriterion {
  /** Stable snake_case code, stored with each outcome. */
  code: string;
  /** The words the assessor reads. */
  label: string;
  enabled: boolean;
  /** Worked out by openhat rather than answered by the assessor. */
  automatic?: 'age_18_or_over';
}

export const DEFAULT_ELIGIBILITY_CRITERIA: readonly EligibilityCriterion[] = [
  { code: 'long_term_opioid_dependence', label: 'Long-term opioid dependence', enabled: true },
  {
    code: 'previous_treatment_without_benefit',
    label: 'Previous treatment (e.g. methadone, buprenorphine, rehabilitation) tried without benefit',
    enabled: true,
  },
  { code: 'adult', label: 'Aged 18 or over', enabled: true, automatic: 'age_18_or_over' },
  // Off by default. In the seed study ("This is hardcore": a qualitative study exploring service
  // users' experiences of Heroin-Assisted Treatment in Middlesbrough, Harm Reduction Journal),
  // requiring people to be stable on oral methadone before starting kept out the very people HAT
  // is for: those whom methadone had not stabilised. A clinic may still switch it on.
  { code: 'stable_on_methadone', label: 'Stable on oral methadone before starting', enabled: false },
];

export interface CriterionOutcome {
  code: string;
  outcome: 'met' | 'not_met' | 'waived';
  /** Required for a waiver: why this person should be treated although the criterion is not met. */
  reason?: string;
}

export interface EligibilityDecision {
  eligible: boolean;
  /** One outcome per enabled criterion, in the clinic's order, automatic ones filled in. */
  outcomes: CriterionOutcome[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date written YYYY-MM-DD that exists (no 31 April, no 29 February 2023), or null. */
export function parseCalendarDate(text: string): Temporal.PlainDate | null {
  if (!ISO_DATE.test(text)) return null;
  try {
    return Temporal.PlainDate.from(text, { overflow: 'reject' });
  } catch {
    return null;
  }
}

/**
 * Age in whole years on a date, by the English rule: a birthday counts from the start of the day,
 * and someone born on 29 February has their birthday on 1 March in a year without one. Throws
 * for a date that is not YYYY-MM-DD or a date of birth after `onDate`.
 */
export function ageOn(dateOfBirth: string, onDate: string): number {
  const born = parseCalendarDate(dateOfBirth);
  const on = parseCalendarDate(onDate);
  if (!born) throw new RangeError(`date of birth "${dateOfBirth}" is not a date written YYYY-MM-DD`);
  if (!on) throw new RangeError(`"${onDate}" is not a date written YYYY-MM-DD`);
  if (Temporal.PlainDate.compare(born, on) > 0) throw new RangeError(`date of birth ${dateOfBirth} is after ${onDate}`);
  // Compared as (month, day) pairs rather than by adding years, which would move a 29 February
  // birthday back to 28 February in a common year.
  const birthdayPassed = on.month > born.month || (on.month === born.month && on.day >= born.day);
  return on.year - born.year - (birthdayPassed ? 0 : 1);
}

/**
 * Checks an assessor's outcomes against the clinic's criteria and decides eligibility: eligible
 * when every enabled criterion is met or waived. Every problem is reported at once, each naming
 * the outcome concerned, so the assessor can correct the whole form in one go.
 */
export function decideEligibility(
  criteria: readonly EligibilityCriterion[],
  outcomes: readonly CriterionOutcome[],
  person: { dateOfBirth: string },
  onDate: string,
): Decision<EligibilityDecision> {
  const refusals: Refusal[] = [];
  const byCode = new Map(criteria.map((criterion) => [criterion.code, criterion]));
  const given = new Map<string, { outcome: CriterionOutcome; index: number }>();

  outcomes.forEach((outcome, index) => {
    const criterion = byCode.get(outcome.code);
    if (!criterion) {
      refusals.push(
        refuse('unknown_criterion', `"${outcome.code}" is not one of this clinic's eligibility criteria`, `outcomes[${index}].code`),
      );
      return;
    }
    // A criterion the clinic has switched off plays no part, whatever was sent for it.
    if (!criterion.enabled) return;
    if (given.has(outcome.code)) {
      refusals.push(
        refuse('criterion_duplicated', `"${criterion.label}" has more than one outcome; give exactly one`, `outcomes[${index}]`),
      );
      return;
    }
    given.set(outcome.code, { outcome, index });
    if (outcome.outcome === 'waived' && !outcome.reason?.trim()) {
      refusals.push(
        refuse('waiver_reason_required', `waiving "${criterion.label}" needs a reason`, `outcomes[${index}].reason`),
      );
    }
  });

  const decided: CriterionOutcome[] = [];
  for (const criterion of criteria) {
    if (!criterion.enabled) continue;
    const entry = given.get(criterion.code);
    if (criterion.automatic === 'age_18_or_over') {
      const automatic = ageOutcome(criterion, entry, person.dateOfBirth, onDate);
      if ('rule' in automatic) refusals.push(automatic);
      else decided.push(automatic);
      continue;
    }
    if (!entry) {
      refusals.push(refuse('criterion_missing', `no outcome given for "${criterion.label}"`, 'outcomes'));
      continue;
    }
    decided.push(cleanOutcome(entry.outcome));
  }

  if (refusals.length > 0) return { ok: false, refusals };
  const eligible = decided.every((o) => o.outcome === 'met' || o.outcome === 'waived');
  return { ok: true, value: { eligible, outcomes: decided } };
}

/** The age criterion comes from the date of birth. The assessor need not answer it; an answer
 * that contradicts the date of birth is refused, but it may be waived with a reason. */
function ageOutcome(
  criterion: EligibilityCriterion,
  entry: { outcome: CriterionOutcome; index: number } | undefined,
  dateOfBirth: string,
  onDate: string,
): CriterionOutcome | Refusal {
  if (!parseCalendarDate(onDate)) {
    return refuse('invalid_date', `the assessment date "${onDate}" is not a date written YYYY-MM-DD`, 'onDate');
  }
  if (!parseCalendarDate(dateOfBirth)) {
    return refuse('invalid_date', `date of birth "${dateOfBirth}" is not a date written YYYY-MM-DD`, 'dateOfBirth');
  }
  if (dateOfBirth > onDate) {
    return refuse('invalid_date', `date of birth ${dateOfBirth} is after the assessment date ${onDate}`, 'dateOfBirth');
  }
  const age = ageOn(dateOfBirth, onDate);
  const computed = age >= ADULT_AGE ? 'met' : 'not_met';
  if (!entry) return { code: criterion.code, outcome: computed };
  const { outcome, index } = entry;
  if (outcome.outcome === 'waived') return cleanOutcome(outcome);
  if (outcome.outcome !== computed) {
    return refuse(
      'age_contradicts_date_of_birth',
      `"${criterion.label}" was given as ${outcome.outcome}, but someone born ${dateOfBirth} is ${age} on ${onDate}`,
      `outcomes[${index}].outcome`,
    );
  }
  return cleanOutcome(outcome);
}

/** Keeps the assessor's reason (trimmed) whenever one was given: for a waiver it is required, and
 * for "not met" it is often the most useful line in the record. */
function cleanOutcome(outcome: CriterionOutcome): CriterionOutcome {
  const reason = outcome.reason?.trim();
  return { code: outcome.code, outcome: outcome.outcome, ...(reason ? { reason } : {}) };
}
