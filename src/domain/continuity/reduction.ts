import { Temporal } from 'temporal-polyfill';
import { plannedDoseMg, type PrescriptionContent, type Route } from '../prescription/prescription';
import type { ContinuityPlan, PlanOption, Reduction, ReductionStep, Transfer } from './continuity-plan';

/**
 * Drafting continuity plans: the reduction schedule and the drafted plan, pure functions of the
 * prescription in force and the dates. Free of schemas, so the staff app can redraft on screen with
 * the same rules (the server checks every plan again).
 */

/** Steps of a reduction are at least a week and at most two weeks apart. */
export const MIN_STEP_DAYS = 7;
export const MAX_STEP_DAYS = 14;
/** A draft takes fortnightly steps when each step is at most this share of the starting dose; weekly otherwise. */
export const FORTNIGHTLY_MAX_STEP_FRACTION = 0.1;
/** With less time than this (four weekly steps) a draft proposes a transfer, not a reduction. */
export const MIN_REDUCTION_DAYS = 28;
export const MAX_STEPS = 60;
/** A plan should be approved within this many days of the notice date (the work-list due date). */
export const APPROVE_WITHIN_DAYS = 28;

// ---------------------------------------------------------------------------------------------
// The reduction schedule

const date = (d: string | Temporal.PlainDate) => (typeof d === 'string' ? Temporal.PlainDate.from(d) : d);
export const daysBetween = (from: string | Temporal.PlainDate, to: string | Temporal.PlainDate) => date(from).until(date(to), { largestUnit: 'days' }).days;
const later = (a: string, b: string) => (a > b ? a : b);

/**
 * Steps from `fromDoseMg` down to `toDoseMg`, ending on `end` at the latest and starting at least a
 * step after `start`: fortnightly when that keeps each step to a tenth of the starting dose or less,
 * weekly otherwise; equal steps (rounded to whole mg, each at least 1 mg down), the last exactly at
 * `toDoseMg`. Null when there is nothing to reduce or not even one step's time.
 */
export function reductionSchedule(input: { start: string; end: string; fromDoseMg: number; toDoseMg: number }): { stepDays: number; steps: ReductionStep[] } | null {
  const days = daysBetween(input.start, input.end);
  const drop = input.fromDoseMg - input.toDoseMg;
  if (drop <= 0 || days < MIN_STEP_DAYS) return null;
  const fortnights = Math.floor(days / MAX_STEP_DAYS);
  const fortnightly = fortnights >= 1 && drop / fortnights <= FORTNIGHTLY_MAX_STEP_FRACTION * input.fromDoseMg;
  const stepDays = fortnightly ? MAX_STEP_DAYS : MIN_STEP_DAYS;
  const n = Math.min(Math.floor(days / stepDays), drop, MAX_STEPS);
  const end = date(input.end);
  const steps: ReductionStep[] = [];
  for (let i = 1; i <= n; i++) {
    steps.push({ fromDate: end.subtract({ days: (n - i) * stepDays }).toString(), doseMg: input.toDoseMg + Math.round((drop * (n - i)) / n) });
  }
  return { stepDays, steps };
}

/** The dose on a date under a reduction: the last step begun, or the starting dose before the first. */
export function reductionDoseOn(reduction: Reduction, on: string): number {
  let dose = reduction.fromDoseMg;
  for (const s of reduction.steps) if (s.fromDate <= on) dose = s.doseMg;
  return dose;
}

// ---------------------------------------------------------------------------------------------
// Drafting

export interface DraftInput {
  /** Today at the clinic. */
  today: string;
  fundedUntil: string;
  noticeFrom: string;
  /** The prescription in force now (null if none). */
  prescription: PrescriptionContent | null;
  /** What the prescriber chose, when redrafting; by default a reduction to nothing. */
  option?: PlanOption;
  toDoseMg?: number;
  transfer?: Transfer | null;
  notes?: string | null;
}

function prescribedRoute(p: PrescriptionContent): Route {
  return p.diamorphine.ivDoseMg !== null ? 'iv' : 'im';
}

/** The dose a session may be today under the prescription, by the route a plan reduces. */
export function doseToday(p: PrescriptionContent, route: Route, today: string): number | null {
  return plannedDoseMg(p.diamorphine, route, today);
}

/**
 * A drafted plan, a pure function of the prescription in force and the dates: a reduction from
 * today's dose, over the notice period (never starting before it), to nothing (or to the transfer
 * dose asked for) by the last funded day; or, without an active prescription or with too little
 * time, a transfer for the prescriber to name.
 */
export function draftPlan(input: DraftInput): ContinuityPlan {
  const active = input.prescription?.status === 'active' ? input.prescription : null;
  const base = { status: 'draft' as const, fundedUntil: input.fundedUntil, approval: null };
  const transferPlan = (note: string | null): ContinuityPlan => ({
    ...base,
    option: 'transfer',
    reduction: null,
    transfer: input.transfer ?? { kind: 'medication', to: null, startDate: later(input.today, input.fundedUntil) },
    notes: input.notes ?? note,
  });
  if (input.option === 'transfer') return transferPlan(null);
  if (!active) return transferPlan('No active prescription when this was drafted: the prescriber chooses what happens.');
  const route = prescribedRoute(active);
  const fromDoseMg = doseToday(active, route, input.today)!;
  const toDoseMg = Math.max(0, Math.min(input.toDoseMg ?? 0, fromDoseMg));
  const start = later(input.today, input.noticeFrom);
  const days = daysBetween(start, input.fundedUntil);
  const schedule = days >= MIN_REDUCTION_DAYS ? reductionSchedule({ start, end: input.fundedUntil, fromDoseMg, toDoseMg }) : null;
  if (!schedule) {
    return transferPlan(
      fromDoseMg <= toDoseMg
        ? `The dose today (${fromDoseMg} mg) is already at the transfer dose: the prescriber chooses the transfer.`
        : `Only ${Math.max(0, days)} days until funding ends: too little time for a gentle reduction, so the prescriber chooses a transfer.`,
    );
  }
  const last = schedule.steps.at(-1)!;
  return {
    ...base,
    option: 'planned_reduction',
    reduction: { route, fromDoseMg, toDoseMg, steps: schedule.steps },
    transfer: input.transfer ?? (toDoseMg > 0 ? { kind: 'medication', to: null, startDate: last.fromDate } : null),
    notes: input.notes ?? null,
  };
}

