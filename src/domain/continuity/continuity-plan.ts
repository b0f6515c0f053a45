import { z } from 'zod';
import { refuse, type Decision, type Refusal } from '../refusal';
import type { PrescriptionContent } from '../prescription/prescription';
import { inDateOrder, type CareRecord } from '../care/care-record';
import { daysBetween, doseToday, MAX_STEP_DAYS, MAX_STEPS, MIN_STEP_DAYS } from './reduction';

export * from './reduction';

/**
 * A continuity plan: what happens to one person's treatment if the clinic's funding ends. Either a
 * planned reduction of their diamorphine (down to nothing, or to a "transfer dose" at which another
 * medication or service takes over) by the last funded day, or a transfer to another service or
 * medication, with dates.
 *
 * A plan is a care record (kind `continuity_plan`) kept as versions: drafted (by the system or a
 * prescriber), approved by a prescriber who signs with their password (a new version with reason
 * "approved"), and superseded when withdrawn or replaced. A plan never changes a prescription: the
 * prescriber writes each new prescription version as usual, and every prescribing rule applies.
 *
 * Rules (all pure, below):
 * - a reduction never goes up: every step is at most the step before, the first at most the dose
 *   the person may have today, and the dose today is never above the prescription in force;
 * - steps are 7 to 14 days apart, the first on or after the plan's date, the last (at the end
 *   dose) on or before the last funded day;
 * - ending above zero needs a transfer (something must take over); a transfer starts between the
 *   plan's date and the last funded day;
 * - a plan is for the clinic's current funding end date, and for someone in treatment;
 * - one live (draft or approved) plan per person;
 * - approval only of a complete draft (the transfer named) whose dates have not passed.
 */

const isoDate = z.iso.date('must be a date as YYYY-MM-DD');

export const PLAN_STATUSES = ['draft', 'approved', 'superseded'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export const PLAN_OPTIONS = ['planned_reduction', 'transfer'] as const;
export type PlanOption = (typeof PLAN_OPTIONS)[number];
export const TRANSFER_KINDS = ['service', 'medication'] as const;

export const ReductionStepSchema = z.object({
  fromDate: isoDate.describe('Clinic date from which this dose applies'),
  doseMg: z.number().int('must be whole mg').min(0, 'must not be negative').max(1000, 'must be at most 1000 mg'),
});
export type ReductionStep = z.output<typeof ReductionStepSchema>;

export const ReductionSchema = z.object({
  route: z.enum(['iv', 'im'], 'must be iv or im').describe('The route whose dose a session goes down (IV when prescribed)'),
  fromDoseMg: z.number().int('must be whole mg').min(1, 'must be at least 1 mg').max(1000, 'must be at most 1000 mg').describe('The dose a session when the plan was made'),
  toDoseMg: z.number().int('must be whole mg').min(0, 'must not be negative').max(1000, 'must be at most 1000 mg').describe('0, or the dose at which a transfer takes over'),
  steps: z.array(ReductionStepSchema).min(1, 'give at least one step').max(MAX_STEPS, `give at most ${MAX_STEPS} steps`),
});
export type Reduction = z.output<typeof ReductionSchema>;

export const TransferSchema = z.object({
  kind: z.enum(TRANSFER_KINDS, 'must be service or medication'),
  to: z
    .string()
    .trim()
    .max(200, 'must be at most 200 characters')
    .nullable()
    .describe('The service, or the medication (e.g. oral methadone, injectable hydromorphone, buprenorphine); null until the prescriber names it'),
  startDate: isoDate,
});
export type Transfer = z.output<typeof TransferSchema>;

export const ApprovalSchema = z.object({ approvedBy: z.string(), approvedByName: z.string(), approvedOn: isoDate });

export const ContinuityPlanData = z.object({
  status: z.enum(PLAN_STATUSES, 'must be draft, approved or superseded').default('draft'),
  fundedUntil: isoDate.describe("The clinic's funding end date the plan was made for"),
  option: z.enum(PLAN_OPTIONS, 'must be planned_reduction or transfer'),
  reduction: ReductionSchema.nullable().default(null),
  transfer: TransferSchema.nullable().default(null),
  notes: z.string().trim().max(2000, 'must be at most 2000 characters').nullable().default(null),
  approval: ApprovalSchema.nullable().default(null).describe('Set by the approval route (with the prescriber\'s signature) only'),
});
export type ContinuityPlan = z.output<typeof ContinuityPlanData>;

// ---------------------------------------------------------------------------------------------
// Checking

export interface PlanContext {
  /** Today at the clinic. */
  today: string;
  /** The plan record's date. */
  planDate: string;
  /** The clinic's funding end date now (null if open-ended). */
  fundedUntil: string | null;
  /** The prescription in force now. */
  prescription: PrescriptionContent | null;
  inTreatment: boolean;
}

function reductionRefusals(r: Reduction, plan: ContinuityPlan, ctx: PlanContext): Refusal[] {
  const out: Refusal[] = [];
  const active = ctx.prescription?.status === 'active' ? ctx.prescription : null;
  if (!active) {
    out.push(refuse('no_active_prescription', 'There is no active prescription to reduce: plan a transfer instead', 'option'));
  } else {
    const today = doseToday(active, r.route, ctx.today);
    if (today === null) {
      out.push(refuse('route_not_prescribed', `The prescription in force has no ${r.route.toUpperCase()} dose`, 'reduction.route'));
    } else if (r.fromDoseMg > today) {
      out.push(refuse('plan_above_prescription', `The plan starts from ${r.fromDoseMg} mg, above today's prescribed ${r.route.toUpperCase()} dose of ${today} mg: a plan never raises a dose`, 'reduction.fromDoseMg'));
    }
  }
  if (r.toDoseMg > r.fromDoseMg) {
    out.push(refuse('dose_increase', `The end dose (${r.toDoseMg} mg) is above the starting dose (${r.fromDoseMg} mg): a plan never raises a dose`, 'reduction.toDoseMg'));
  }
  let previousDose = r.fromDoseMg;
  let previousDate: string | null = null;
  r.steps.forEach((s, i) => {
    if (s.doseMg > previousDose) {
      out.push(refuse('dose_increase', `Step ${i + 1} (${s.doseMg} mg from ${s.fromDate}) is above the dose before it (${previousDose} mg): a plan never raises a dose`, `reduction.steps[${i}].doseMg`));
    }
    if (previousDate === null) {
      if (s.fromDate < ctx.planDate) out.push(refuse('step_before_plan', `The first step (${s.fromDate}) is before the plan's date (${ctx.planDate})`, `reduction.steps[${i}].fromDate`));
    } else {
      const gap = daysBetween(previousDate, s.fromDate);
      if (gap < MIN_STEP_DAYS || gap > MAX_STEP_DAYS) {
        out.push(refuse('step_interval', `Steps must be ${MIN_STEP_DAYS} to ${MAX_STEP_DAYS} days apart: ${previousDate} to ${s.fromDate} is ${gap} days`, `reduction.steps[${i}].fromDate`));
      }
    }
    previousDose = s.doseMg;
    previousDate = s.fromDate;
  });
  const last = r.steps.at(-1)!;
  if (last.doseMg !== r.toDoseMg) {
    out.push(refuse('reduction_incomplete', `The last step (${last.doseMg} mg) must reach the end dose (${r.toDoseMg} mg)`, `reduction.steps[${r.steps.length - 1}].doseMg`));
  }
  if (last.fromDate > plan.fundedUntil) {
    out.push(refuse('reduction_after_funding', `The last step (${last.fromDate}) is after funding ends (${plan.fundedUntil})`, `reduction.steps[${r.steps.length - 1}].fromDate`));
  }
  if (r.toDoseMg > 0 && !plan.transfer) {
    out.push(refuse('transfer_needed', `The reduction ends at ${r.toDoseMg} mg, not nothing: name the transfer that takes over`, 'transfer'));
  }
  return out;
}

/** The rules every live (draft or approved) plan keeps. Withdrawing (superseding) is always allowed. */
export function planRefusals(plan: ContinuityPlan, ctx: PlanContext): Refusal[] {
  if (plan.status === 'superseded') return [];
  const out: Refusal[] = [];
  if (!ctx.inTreatment) out.push(refuse('not_in_treatment', 'A continuity plan is for someone in treatment'));
  if (ctx.fundedUntil === null) {
    out.push(refuse('no_funding_horizon', 'The clinic has no funding end date: record it in the settings first', 'fundedUntil'));
  } else if (plan.fundedUntil !== ctx.fundedUntil) {
    out.push(refuse('plan_horizon_mismatch', `The plan is for funding ending ${plan.fundedUntil}, but the clinic's funding now ends ${ctx.fundedUntil}`, 'fundedUntil'));
  }
  if (plan.option === 'planned_reduction') {
    if (!plan.reduction) out.push(refuse('reduction_required', 'A planned reduction needs its steps', 'reduction'));
    else out.push(...reductionRefusals(plan.reduction, plan, ctx));
  } else if (!plan.transfer) {
    out.push(refuse('transfer_required', 'A transfer plan needs the transfer: where to, and from when', 'transfer'));
  }
  if (plan.transfer) {
    if (plan.transfer.startDate < ctx.planDate) {
      out.push(refuse('transfer_before_plan', `The transfer (${plan.transfer.startDate}) is before the plan's date (${ctx.planDate})`, 'transfer.startDate'));
    }
    if (plan.transfer.startDate > plan.fundedUntil) {
      out.push(refuse('transfer_after_funding', `The transfer (${plan.transfer.startDate}) must start by the last funded day (${plan.fundedUntil}), so that nobody is left without treatment`, 'transfer.startDate'));
    }
  }
  return out;
}

/** The live plan: the newest not superseded. */
export function livePlan<D extends { status: PlanStatus }>(records: readonly CareRecord<D>[]): CareRecord<D> | null {
  return inDateOrder(records.filter((r) => r.kind === 'continuity_plan' && r.data.status !== 'superseded')).at(-1) ?? null;
}

/**
 * A plan recorded or corrected through the care-record routes: a draft (or withdrawn). Approval
 * needs the prescriber's signature, so it has its own route; the approval fields are never taken
 * from the request.
 */
export function checkPlanInput(plan: ContinuityPlan, ctx: PlanContext, others: readonly CareRecord<ContinuityPlan>[]): Decision<ContinuityPlan> {
  const out: Refusal[] = [];
  if (plan.status === 'approved') {
    out.push(refuse('approval_needs_signature', "A plan is approved with the prescriber's signature (POST continuity-plans/{recordId}/approval), not by a correction", 'status'));
  }
  const live = livePlan(others);
  if (live && plan.status !== 'superseded') {
    out.push(refuse('plan_exists', `There is already a ${live.data.status} plan (${live.recordId}): correct that one, or withdraw it first`, 'status'));
  }
  out.push(...planRefusals(plan, ctx));
  return out.length > 0 ? { ok: false, refusals: out } : { ok: true, value: { ...plan, approval: null } };
}

/** What approval needs beyond the plan's own rules: a complete draft whose dates are still ahead. */
export function approvalRefusals(plan: ContinuityPlan, ctx: PlanContext): Refusal[] {
  if (plan.status !== 'draft') return [refuse('not_a_draft', `Only a draft can be approved; this plan is ${plan.status}`, 'status')];
  const out = planRefusals(plan, ctx);
  if (plan.transfer && !plan.transfer.to?.trim()) {
    out.push(refuse('transfer_not_named', `Name the ${plan.transfer.kind} the person moves to before approving`, 'transfer.to'));
  }
  const first = plan.reduction?.steps[0];
  if (first && first.fromDate < ctx.today) {
    out.push(refuse('plan_dates_passed', `The first step (${first.fromDate}) has already passed: redraft the plan`, 'reduction.steps[0].fromDate'));
  }
  if (plan.transfer && plan.transfer.startDate < ctx.today) {
    out.push(refuse('plan_dates_passed', `The transfer date (${plan.transfer.startDate}) has already passed: redraft the plan`, 'transfer.startDate'));
  }
  return out;
}

/** The approved version's data. */
export function approved(plan: ContinuityPlan, by: { staffId: string; name: string }, today: string): ContinuityPlan {
  return { ...plan, status: 'approved', approval: { approvedBy: by.staffId, approvedByName: by.name, approvedOn: today } };
}

// ---------------------------------------------------------------------------------------------
// A person's plan state, for the list

export type PlanState = 'none' | 'draft' | 'approved';

export interface PersonPlanState {
  state: PlanState;
  recordId: string | null;
  /** The live plan was made for the clinic's current funding end date. */
  forCurrentHorizon: boolean;
}

export function planStateOf(records: readonly CareRecord<ContinuityPlan>[], fundedUntil: string | null): PersonPlanState {
  const live = livePlan(records);
  if (!live) return { state: 'none', recordId: null, forCurrentHorizon: false };
  return { state: live.data.status === 'approved' ? 'approved' : 'draft', recordId: live.recordId, forCurrentHorizon: live.data.fundedUntil === fundedUntil };
}
