import { Temporal } from 'temporal-polyfill';
import type { CareRecord } from '../care/care-record';
import { inDateOrder } from '../care/care-record';
import { ContinuityPlanData } from '../continuity/continuity-plan';
import type { TakeHomeReturn, TakeHomeSupply } from '../take-home/records';

/**
 * What the portal takes from care records kept by other parts of openhat (take-home supplies and
 * continuity plans). Each reader copies named fields the person may see and nothing else, so what
 * staff keep on those records (witnesses, register entries, notes, who approved) never reaches the
 * portal, even if fields are added to them later.
 */

// ---------------------------------------------------------------------------------------------
// Take-home supplies

export interface PortalTakeHomeSupply {
  supplyId: string;
  suppliedOn: string;
  /** The first and last clinic days the supply covers. */
  from: string;
  to: string;
  sessions: string[];
  days: number;
  doses: number;
  doseMg: number;
  route: 'iv' | 'im';
  /** Ended early at a return (the person is expected at the clinic again). */
  ended: boolean;
}

/** Supplies covering any day from `keepDays` ago on, newest first. */
export function portalTakeHome(records: readonly CareRecord[], today: string, keepDays = 28): PortalTakeHomeSupply[] {
  const since = Temporal.PlainDate.from(today).subtract({ days: keepDays }).toString();
  const ended = new Set(
    records
      .filter((r) => r.kind === 'take_home_return')
      .map((r) => r.data as Partial<TakeHomeReturn>)
      .filter((d) => d.endsSupply === true && typeof d.supplyRecordId === 'string')
      .map((d) => d.supplyRecordId!),
  );
  const out: PortalTakeHomeSupply[] = [];
  for (const r of inDateOrder(records.filter((x) => x.kind === 'take_home_supply'))) {
    const d = r.data as Partial<TakeHomeSupply>;
    if (typeof d.fromDate !== 'string' || typeof d.toDate !== 'string' || d.toDate < since) continue;
    out.push({
      supplyId: r.recordId,
      suppliedOn: r.effectiveDate,
      from: d.fromDate,
      to: d.toDate,
      sessions: Array.isArray(d.sessions) ? d.sessions.filter((s): s is string => typeof s === 'string') : [],
      days: typeof d.days === 'number' ? d.days : 0,
      doses: typeof d.doses === 'number' ? d.doses : 0,
      doseMg: typeof d.dosePerSessionMg === 'number' ? d.dosePerSessionMg : 0,
      route: d.route === 'im' ? 'im' : 'iv',
      ended: ended.has(r.recordId),
    });
  }
  return out.reverse();
}

// ---------------------------------------------------------------------------------------------
// Continuity plan

export interface PortalContinuityPlan {
  planId: string;
  planDate: string;
  option: 'planned_reduction' | 'transfer';
  /** The funding end date the plan was made for. */
  fundedUntil: string;
  /** A reduction: the dose a session when the plan was made, then each step. */
  reduction: { route: 'iv' | 'im'; fromDoseMg: number; steps: { fromDate: string; doseMg: number }[] } | null;
  transfer: { kind: 'service' | 'medication'; to: string | null; startDate: string } | null;
  approvedOn: string | null;
}

/**
 * The person's approved continuity plan (the newest by date); drafts and withdrawn plans are never
 * shown, nor a record that does not read as a plan.
 */
export function portalContinuityPlan(records: readonly CareRecord[]): PortalContinuityPlan | null {
  const approved = inDateOrder(records.filter((r) => r.kind === 'continuity_plan'))
    .map((r) => ({ r, parsed: ContinuityPlanData.safeParse(r.data) }))
    .filter((x) => x.parsed.success && x.parsed.data.status === 'approved');
  const latest = approved.at(-1);
  if (!latest || !latest.parsed.success) return null;
  const plan = latest.parsed.data;
  return {
    planId: latest.r.recordId,
    planDate: latest.r.effectiveDate,
    option: plan.option,
    fundedUntil: plan.fundedUntil,
    reduction: plan.reduction
      ? { route: plan.reduction.route, fromDoseMg: plan.reduction.fromDoseMg, steps: plan.reduction.steps.map((s) => ({ fromDate: s.fromDate, doseMg: s.doseMg })) }
      : null,
    transfer: plan.transfer ? { kind: plan.transfer.kind, to: plan.transfer.to, startDate: plan.transfer.startDate } : null,
    approvedOn: plan.approval?.approvedOn ?? null,
  };
}
