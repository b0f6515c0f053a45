import { z } from 'zod';
import { Temporal } from 'temporal-polyfill';
import { refuse, type Decision } from '../refusal';
import { currentRecords, latestOf } from './care-record';
import { recordsOf, type CareRuleInput, type CareRules } from './person-in-care';
import type { WorkItem } from './work-list';

/**
 * Care: the care plan agreed with the person (goals in each area of their life, who does what,
 * by when), key-work sessions, and referrals to other services (housing, benefits, mental and
 * physical health, blood-borne-virus testing and treatment...).
 *
 * The latest plan (by its date) is the plan in force; it says when it is to be reviewed. Someone
 * in treatment without a plan should have one agreed within two weeks of starting.
 */

const isoDate = z.iso.date('must be a date as YYYY-MM-DD');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const optionalText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).nullable().default(null);

export const CARE_DOMAINS = [
  'drug_use',
  'alcohol',
  'physical_health',
  'mental_health',
  'housing',
  'finances_benefits',
  'employment_education',
  'family_relationships',
  'offending',
  'other',
] as const;
export type CareDomain = (typeof CARE_DOMAINS)[number];

const careDomain = z.enum(CARE_DOMAINS, `must be one of ${CARE_DOMAINS.join(', ')}`);

/** Days after starting treatment by which a first care plan should be agreed. */
export const FIRST_CARE_PLAN_WITHIN_DAYS = 14;
/** How far ahead a review appears on the work list, so that it can be booked. */
export const CARE_PLAN_REVIEW_NOTICE_DAYS = 7;
/** A review date later than this after the plan is a typing slip, not a plan. */
export const CARE_PLAN_LONGEST_REVIEW_DAYS = 365;

// ---------------------------------------------------------------------------------------------
// Care plans

export const CarePlanGoal = z.object({
  domain: careDomain,
  goal: text(500),
  actions: text(2000).describe('What will be done, and by whom'),
  owner: z.enum(['service_user', 'keyworker', 'other'], 'must be service_user, keyworker or other'),
  targetDate: isoDate.nullable().default(null),
  status: z.enum(['open', 'achieved', 'dropped'], 'must be open, achieved or dropped').default('open'),
});

export const CarePlanData = z.object({
  goals: z.array(CarePlanGoal).min(1, 'give at least one goal').max(20, 'give at most 20 goals'),
  agreedWithServiceUser: z.boolean('must be true or false'),
  reviewOn: isoDate
    .nullable()
    .default(null)
    .describe("When to review the plan; must be after the plan's date. Default: the plan's date plus the clinic's care-plan review interval"),
});
export type CarePlan = z.output<typeof CarePlanData>;

/** The plan as stored: the review date filled in from the clinic's interval when not given. */
export function checkCarePlan(d: CarePlan, effectiveDate: string, reviewDays: number): Decision<CarePlan & { reviewOn: string }> {
  const reviewOn = d.reviewOn ?? addDays(effectiveDate, reviewDays);
  if (reviewOn <= effectiveDate) {
    return { ok: false, refusals: [refuse('review_not_after_plan', `The review date (${reviewOn}) must be after the plan's date (${effectiveDate})`, 'reviewOn')] };
  }
  const latest = addDays(effectiveDate, CARE_PLAN_LONGEST_REVIEW_DAYS);
  if (reviewOn > latest) {
    return { ok: false, refusals: [refuse('review_too_far', `Review a care plan within a year: ${reviewOn} is after ${latest}`, 'reviewOn')] };
  }
  return { ok: true, value: { ...d, reviewOn } };
}

export interface CarePlanDue {
  dueOn: string;
  overdue: boolean;
  /** True when no plan has been agreed yet. */
  first: boolean;
}

/**
 * When the person's care plan is next due: a first plan 14 days after starting treatment (today,
 * if the start is unknown); otherwise the review date of the plan in force (for a plan stored
 * without one, its date plus the clinic's interval). Dates only: no clock change can move it.
 */
export function carePlanDue(f: { today: string; treatmentStartedOn: string | null; latest: { effectiveDate: string; reviewOn: string | null } | null; reviewDays: number }): CarePlanDue {
  if (!f.latest) {
    const dueOn = f.treatmentStartedOn ? addDays(f.treatmentStartedOn, FIRST_CARE_PLAN_WITHIN_DAYS) : f.today;
    return { dueOn, overdue: dueOn < f.today, first: true };
  }
  const dueOn = f.latest.reviewOn ?? addDays(f.latest.effectiveDate, f.reviewDays);
  return { dueOn, overdue: dueOn < f.today, first: false };
}

export const carePlanRules: CareRules = {
  /**
   * One item per person in treatment (and not away) whose first plan or review is due within a
   * week: info while it is coming up, warning from the day it is due.
   */
  workItems({ person, settings, today }: CareRuleInput): WorkItem[] {
    if (!person.inTreatment || person.absent) return [];
    const plan = latestOf(currentRecords(recordsOf<CarePlan>(person, 'care_plan')));
    const due = carePlanDue({
      today,
      treatmentStartedOn: person.treatmentStartedOn,
      latest: plan ? { effectiveDate: plan.effectiveDate, reviewOn: plan.data.reviewOn ?? null } : null,
      reviewDays: settings.monitoring.carePlanReviewDays,
    });
    if (due.dueOn > addDays(today, CARE_PLAN_REVIEW_NOTICE_DAYS)) return [];
    const when = due.overdue ? `overdue since ${due.dueOn}` : due.dueOn === today ? 'due today' : `due on ${due.dueOn}`;
    let text: string;
    if (!plan) {
      text = `Agree a first care plan: ${when}${person.treatmentStartedOn ? ` (${FIRST_CARE_PLAN_WITHIN_DAYS} days after starting treatment on ${person.treatmentStartedOn})` : ''}`;
    } else {
      const open = (plan.data.goals ?? []).filter((g) => (g.status ?? 'open') === 'open').length;
      text = `Review the care plan of ${plan.effectiveDate}: ${when}; ${open} open goal${open === 1 ? '' : 's'}${plan.data.agreedWithServiceUser ? '' : '; not yet agreed with them'}`;
    }
    return [
      {
        list: 'care_plan_review_due',
        serviceUserId: person.serviceUserId,
        dueOn: due.dueOn,
        overdue: due.overdue,
        severity: due.dueOn <= today ? 'warning' : 'info',
        text,
        recordId: plan?.recordId ?? null,
      },
    ];
  },
  alerts: () => [],
};

// ---------------------------------------------------------------------------------------------
// Key-work sessions

export const KeyworkSessionData = z
  .object({
    attendance: z.enum(['attended', 'did_not_attend', 'cancelled'], 'must be attended, did_not_attend or cancelled'),
    durationMinutes: z
      .number()
      .int('must be a whole number of minutes')
      .min(5, 'must be at least 5 minutes')
      .max(240, 'must be at most 240 minutes')
      .nullable()
      .default(null)
      .describe('Required when attended'),
    topics: z
      .array(careDomain)
      .max(CARE_DOMAINS.length)
      .default([])
      .refine((t) => new Set(t).size === t.length, 'list each topic once'),
    notes: optionalText(10_000).describe('Required when attended'),
    nextSessionOn: isoDate.nullable().default(null).describe("Must be after the session's date"),
  })
  .superRefine((d, ctx) => {
    if (d.attendance === 'attended') {
      if (d.durationMinutes === null) ctx.addIssue({ code: 'custom', path: ['durationMinutes'], message: 'give the length of a session that took place' });
      if (!d.notes) ctx.addIssue({ code: 'custom', path: ['notes'], message: 'write notes of a session that took place' });
    } else if (d.durationMinutes !== null) {
      ctx.addIssue({ code: 'custom', path: ['durationMinutes'], message: 'give a length only for a session that took place' });
    }
  });
export type KeyworkSession = z.output<typeof KeyworkSessionData>;

export function checkKeyworkSession(d: KeyworkSession, effectiveDate: string): Decision<KeyworkSession> {
  if (d.nextSessionOn !== null && d.nextSessionOn <= effectiveDate) {
    return { ok: false, refusals: [refuse('next_session_not_after', `The next session (${d.nextSessionOn}) must be after this one (${effectiveDate})`, 'nextSessionOn')] };
  }
  return { ok: true, value: d };
}

// ---------------------------------------------------------------------------------------------
// Referrals

export const REFERRAL_SERVICES = ['housing', 'benefits', 'mental_health', 'physical_health', 'bbv_testing', 'bbv_treatment', 'dental', 'employment', 'education', 'other'] as const;
export const REFERRAL_STATUSES = ['to_make', 'made', 'accepted', 'declined', 'attending', 'completed', 'closed'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
/** Still being worked on: on the open referrals list. */
export const OPEN_REFERRAL_STATUSES: ReadonlySet<ReferralStatus> = new Set(['to_make', 'made', 'accepted', 'attending']);
/** These follow the referral being made, so they need the date it was made. */
const MADE_STATUSES: ReadonlySet<ReferralStatus> = new Set(['made', 'accepted', 'declined', 'attending', 'completed']);

export const ReferralData = z
  .object({
    service: z.enum(REFERRAL_SERVICES, `must be one of ${REFERRAL_SERVICES.join(', ')}`),
    organisation: text(200),
    reason: text(2000),
    status: z.enum(REFERRAL_STATUSES, `must be one of ${REFERRAL_STATUSES.join(', ')}`).describe('Change it by correcting the record, with a reason: the history shows each step'),
    madeOn: isoDate.nullable().default(null).describe('Required once the referral is made'),
    notes: optionalText(2000),
  })
  .superRefine((d, ctx) => {
    if (MADE_STATUSES.has(d.status) && !d.madeOn) ctx.addIssue({ code: 'custom', path: ['madeOn'], message: `give the date the referral was made (status ${d.status})` });
    if (d.status === 'to_make' && d.madeOn) ctx.addIssue({ code: 'custom', path: ['madeOn'], message: 'a referral still to make has no date made' });
  });
export type Referral = z.output<typeof ReferralData>;

export function checkReferral(d: Referral, today: string): Decision<Referral> {
  if (d.madeOn !== null && d.madeOn > today) {
    return { ok: false, refusals: [refuse('date_in_future', `Made on ${d.madeOn} is after today (${today})`, 'madeOn')] };
  }
  return { ok: true, value: d };
}

// ---------------------------------------------------------------------------------------------

function addDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}
