import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import type { CareRecord } from '../care/care-record';
import type { PrescriptionContent } from '../prescription/prescription';
import {
  approvalRefusals,
  approved,
  checkPlanInput,
  ContinuityPlanData,
  doseToday,
  draftPlan,
  MAX_STEP_DAYS,
  MIN_STEP_DAYS,
  planRefusals,
  planStateOf,
  reductionDoseOn,
  reductionSchedule,
  type ContinuityPlan,
  type PlanContext,
} from './continuity-plan';
import { continuityStatus } from './continuity-status';

const plus = (date: string, days: number) => Temporal.PlainDate.from(date).add({ days }).toString();
const gap = (a: string, b: string) => Temporal.PlainDate.from(a).until(b).days;

function prescription(over: Partial<PrescriptionContent['diamorphine']> = {}, status: PrescriptionContent['status'] = 'active'): PrescriptionContent {
  return {
    status,
    diamorphine: { sessions: ['AM', 'PM'], ivDoseMg: 100, imDoseMg: 80, titration: null, topUp: null, retitrationStartDoseMg: 30, ...over },
    methadone: null,
    startDate: '2026-01-01',
    endDate: null,
    reviewDate: '2026-03-09',
  };
}

const ctx = (over: Partial<PlanContext> = {}): PlanContext => ({
  today: '2026-02-28',
  planDate: '2026-02-28',
  fundedUntil: '2026-08-31',
  prescription: prescription(),
  inTreatment: true,
  ...over,
});

const draft = (over: Partial<Parameters<typeof draftPlan>[0]> = {}) =>
  draftPlan({ today: '2026-02-28', fundedUntil: '2026-08-31', noticeFrom: '2026-02-28', prescription: prescription(), ...over });

let seq = 0;
function record(data: ContinuityPlan, effectiveDate = '2026-02-28'): CareRecord<ContinuityPlan> {
  seq++;
  return {
    recordId: `00000000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    version: 1,
    serviceUserId: 'su-1',
    kind: 'continuity_plan',
    effectiveDate,
    occurredAt: null,
    data,
    enteredInError: false,
    reason: null,
    source: 'staff',
    importId: null,
    recordedAt: `${effectiveDate}T10:00:00.000Z`,
    recordedBy: 'staff-1',
  };
}

const rules = (refusals: { rule: string; field?: string }[]) => refusals.map((r) => [r.rule, r.field]);
const refusalsOf = (d: { ok: true } | { ok: false; refusals: { rule: string; field?: string }[] }) => (d.ok ? [] : d.refusals);

describe('the reduction schedule', () => {
  it('six months: fortnightly steps of about a tenth, from today\'s dose to nothing on the last funded day', () => {
    const s = reductionSchedule({ start: '2026-02-28', end: '2026-08-31', fromDoseMg: 100, toDoseMg: 0 })!;
    expect(s.stepDays).toBe(14);
    expect(s.steps).toHaveLength(13);
    expect(s.steps[0]).toEqual({ fromDate: '2026-03-16', doseMg: 92 });
    expect(s.steps.at(-2)).toEqual({ fromDate: '2026-08-17', doseMg: 8 });
    expect(s.steps.at(-1)).toEqual({ fromDate: '2026-08-31', doseMg: 0 });
  });

  it('three months: weekly, so that no step is bigger than needed', () => {
    const s = reductionSchedule({ start: '2026-06-01', end: '2026-08-31', fromDoseMg: 200, toDoseMg: 0 })!;
    expect(s.stepDays).toBe(7);
    expect(s.steps).toHaveLength(13);
    expect(s.steps.map((x) => x.doseMg)).toEqual([185, 169, 154, 138, 123, 108, 92, 77, 62, 46, 31, 15, 0]);
  });

  it('down to a transfer dose, and never more steps than milligrams to lose', () => {
    expect(reductionSchedule({ start: '2026-02-28', end: '2026-08-31', fromDoseMg: 100, toDoseMg: 40 })!.steps.at(-1)).toEqual({ fromDate: '2026-08-31', doseMg: 40 });
    expect(reductionSchedule({ start: '2026-02-28', end: '2026-08-31', fromDoseMg: 5, toDoseMg: 0 })!.steps.map((x) => x.doseMg)).toEqual([4, 3, 2, 1, 0]);
    expect(reductionSchedule({ start: '2026-02-28', end: '2026-03-06', fromDoseMg: 100, toDoseMg: 0 })).toBeNull();
    expect(reductionSchedule({ start: '2026-02-28', end: '2026-08-31', fromDoseMg: 40, toDoseMg: 40 })).toBeNull();
  });

  const day = fc.integer({ min: 0, max: 3 * 366 }).map((n) => Temporal.PlainDate.from('2025-01-01').add({ days: n }).toString());
  it('property: never goes up, ends at the end dose by the end date, steps 1–2 weeks apart, starting at least a step after the start', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 7, max: 760 }), fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0, max: 1, noNaN: true }), (start, days, from, share) => {
        const end = plus(start, days);
        const to = Math.floor(from * share * 0.99);
        const s = reductionSchedule({ start, end, fromDoseMg: from, toDoseMg: to });
        if (from === to) return expect(s).toBeNull();
        expect(s).not.toBeNull();
        const { stepDays, steps } = s!;
        expect([MIN_STEP_DAYS, MAX_STEP_DAYS]).toContain(stepDays);
        expect(steps.length).toBeGreaterThanOrEqual(1);
        expect(steps.length).toBeLessThanOrEqual(60);
        let before = from;
        steps.forEach((step, i) => {
          expect(step.doseMg).toBeLessThan(before);
          expect(Number.isInteger(step.doseMg)).toBe(true);
          before = step.doseMg;
          if (i > 0) expect(gap(steps[i - 1]!.fromDate, step.fromDate)).toBe(stepDays);
        });
        expect(steps.at(-1)!.doseMg).toBe(to);
        expect(steps.at(-1)!.fromDate <= end).toBe(true);
        expect(gap(start, steps[0]!.fromDate)).toBeGreaterThanOrEqual(stepDays);
        // Fortnightly only when each step stays within a tenth of the starting dose.
        if (stepDays === MAX_STEP_DAYS) for (let i = 0; i < steps.length; i++) expect((i === 0 ? from : steps[i - 1]!.doseMg) - steps[i]!.doseMg).toBeLessThanOrEqual(Math.ceil(0.1 * from) + 1);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('drafting a plan', () => {
  it('reduces from the dose the person may have today (following any titration), never the prescribed maximum', () => {
    const titrating = prescription({ titration: { startDoseMg: 30, steps: [{ fromDate: '2026-02-20', doseMg: 60 }, { fromDate: '2026-03-10', doseMg: 90 }] } });
    const p = draft({ prescription: titrating });
    expect(p).toMatchObject({ status: 'draft', option: 'planned_reduction', fundedUntil: '2026-08-31', transfer: null, approval: null, reduction: { route: 'iv', fromDoseMg: 60, toDoseMg: 0 } });
    expect(planRefusals(p, ctx({ prescription: titrating }))).toEqual([]);
  });

  it('reduces the IM dose when only IM is prescribed', () => {
    expect(draft({ prescription: prescription({ ivDoseMg: null, imDoseMg: 70 }) }).reduction).toMatchObject({ route: 'im', fromDoseMg: 70 });
  });

  it('drafted early, the reduction still waits for the notice period', () => {
    const p = draft({ today: '2025-11-01' });
    expect(p.reduction!.steps[0]!.fromDate).toBe('2026-03-16');
  });

  it('to a transfer dose: the transfer is there to be named, from the day the dose is reached', () => {
    const p = draft({ toDoseMg: 40 });
    expect(p.reduction!.steps.at(-1)).toEqual({ fromDate: '2026-08-31', doseMg: 40 });
    expect(p.transfer).toEqual({ kind: 'medication', to: null, startDate: '2026-08-31' });
    expect(planRefusals(p, ctx())).toEqual([]);
    expect(rules(approvalRefusals(p, ctx()))).toEqual([['transfer_not_named', 'transfer.to']]);
    expect(approvalRefusals({ ...p, transfer: { ...p.transfer!, to: 'oral methadone' } }, ctx())).toEqual([]);
  });

  it('without an active prescription, or with under four weeks left, drafts a transfer for the prescriber to name', () => {
    const suspended = draft({ prescription: prescription({}, 'suspended') });
    expect(suspended).toMatchObject({ option: 'transfer', reduction: null, transfer: { kind: 'medication', to: null, startDate: '2026-08-31' }, notes: expect.stringContaining('No active prescription') });
    expect(draft({ prescription: null }).option).toBe('transfer');
    const late = draft({ today: '2026-08-10' });
    expect(late).toMatchObject({ option: 'transfer', notes: expect.stringContaining('Only 21 days') });
    expect(planRefusals(late, ctx({ today: '2026-08-10', planDate: '2026-08-10' }))).toEqual([]);
  });

  it('a transfer chosen by the prescriber', () => {
    const p = draft({ option: 'transfer', transfer: { kind: 'service', to: 'Teesside Recovery Service', startDate: '2026-07-01' }, notes: 'agreed at review' });
    expect(p).toMatchObject({ option: 'transfer', reduction: null, transfer: { to: 'Teesside Recovery Service' }, notes: 'agreed at review' });
    expect(approvalRefusals(p, ctx())).toEqual([]);
  });

  const day = fc.integer({ min: 0, max: 3 * 366 }).map((n) => Temporal.PlainDate.from('2025-06-01').add({ days: n }).toString());
  it('property: every draft keeps the rules, never goes above today\'s dose and ends by the funding end date', () => {
    fc.assert(
      fc.property(
        day,
        fc.integer({ min: 0, max: 800 }),
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 1, max: 400 }),
        fc.boolean(),
        fc.option(fc.integer({ min: 1, max: 400 })),
        (today, daysToEnd, months, dose, ivOnly, titrationStart) => {
          const fundedUntil = plus(today, daysToEnd);
          const status = continuityStatus(Temporal.PlainDate.from(today), { fundedUntil, noticeMonths: months });
          const rx = prescription({ ivDoseMg: dose, imDoseMg: ivOnly ? null : Math.max(1, dose - 20), titration: titrationStart ? { startDoseMg: titrationStart, steps: [{ fromDate: plus(today, 3), doseMg: dose }] } : null });
          const p = draftPlan({ today, fundedUntil, noticeFrom: status.noticeFrom!, prescription: rx });
          expect(planRefusals(p, { today, planDate: today, fundedUntil, prescription: rx, inTreatment: true })).toEqual([]);
          expect(ContinuityPlanData.parse(p)).toEqual(p);
          if (p.option === 'planned_reduction') {
            const r = p.reduction!;
            const now = doseToday(rx, r.route, today)!;
            expect(r.fromDoseMg).toBe(now);
            for (const s of r.steps) expect(s.doseMg).toBeLessThanOrEqual(now);
            expect(r.steps.at(-1)!.fromDate <= fundedUntil).toBe(true);
            expect(reductionDoseOn(r, fundedUntil)).toBe(0);
            expect(r.steps[0]!.fromDate >= status.noticeFrom!).toBe(true);
          } else {
            expect(p.transfer!.startDate <= fundedUntil).toBe(true);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('the rules a plan keeps', () => {
  const reduction = (steps: { fromDate: string; doseMg: number }[], over = {}) =>
    ({ ...draft(), reduction: { route: 'iv' as const, fromDoseMg: 100, toDoseMg: 0, steps, ...over } }) as ContinuityPlan;

  it('never goes up: not from one step to the next, not above the start, not above the prescription in force', () => {
    expect(rules(planRefusals(reduction([{ fromDate: '2026-03-10', doseMg: 80 }, { fromDate: '2026-03-17', doseMg: 90 }, { fromDate: '2026-03-24', doseMg: 0 }]), ctx()))).toEqual([
      ['dose_increase', 'reduction.steps[1].doseMg'],
    ]);
    expect(rules(planRefusals(reduction([{ fromDate: '2026-03-10', doseMg: 110 }, { fromDate: '2026-03-17', doseMg: 0 }]), ctx()))).toEqual([['dose_increase', 'reduction.steps[0].doseMg']]);
    expect(rules(planRefusals(reduction([{ fromDate: '2026-03-10', doseMg: 0 }], { fromDoseMg: 120 }), ctx()))).toEqual([['plan_above_prescription', 'reduction.fromDoseMg']]);
    expect(rules(planRefusals(reduction([{ fromDate: '2026-03-10', doseMg: 50 }], { toDoseMg: 50, fromDoseMg: 40 }), ctx()))).toEqual(
      expect.arrayContaining([['dose_increase', 'reduction.toDoseMg'], ['dose_increase', 'reduction.steps[0].doseMg']]),
    );
  });

  it('steps one to two weeks apart, from the plan date, ending at the end dose by the funding end', () => {
    expect(rules(planRefusals(reduction([{ fromDate: '2026-03-10', doseMg: 50 }, { fromDate: '2026-03-15', doseMg: 0 }]), ctx()))).toEqual([['step_interval', 'reduction.steps[1].fromDate']]);
    expect(rules(planRefusals(reduction([{ fromDate: '2026-03-10', doseMg: 50 }, { fromDate: '2026-03-25', doseMg: 0 }]), ctx()))).toEqual([['step_interval', 'reduction.steps[1].fromDate']]);
    expect(rules(planRefusals(reduction([{ fromDate: '2026-02-20', doseMg: 0 }]), ctx()))).toEqual([['step_before_plan', 'reduction.steps[0].fromDate']]);
    expect(rules(planRefusals(reduction([{ fromDate: '2026-09-01', doseMg: 0 }]), ctx()))).toEqual([['reduction_after_funding', 'reduction.steps[0].fromDate']]);
    expect(rules(planRefusals(reduction([{ fromDate: '2026-03-10', doseMg: 10 }]), ctx()))).toEqual([['reduction_incomplete', 'reduction.steps[0].doseMg']]);
    expect(rules(planRefusals(reduction([{ fromDate: '2026-03-10', doseMg: 40 }], { toDoseMg: 40 }), ctx()))).toEqual([['transfer_needed', 'transfer']]);
  });

  it('is for the clinic\'s current funding end, for someone in treatment with an active prescription to reduce', () => {
    const p = draft();
    expect(rules(planRefusals(p, ctx({ fundedUntil: '2027-03-31' })))).toEqual([['plan_horizon_mismatch', 'fundedUntil']]);
    expect(rules(planRefusals(p, ctx({ fundedUntil: null })))).toEqual([['no_funding_horizon', 'fundedUntil']]);
    expect(rules(planRefusals(p, ctx({ inTreatment: false })))).toEqual([['not_in_treatment', undefined]]);
    expect(rules(planRefusals(p, ctx({ prescription: prescription({}, 'suspended') })))).toEqual([['no_active_prescription', 'option']]);
    expect(rules(planRefusals({ ...p, reduction: { ...p.reduction!, route: 'im' } }, ctx({ prescription: prescription({ imDoseMg: null }) })))).toEqual([['route_not_prescribed', 'reduction.route']]);
    expect(rules(planRefusals({ ...p, reduction: null }, ctx()))).toEqual([['reduction_required', 'reduction']]);
    expect(rules(planRefusals({ ...p, option: 'transfer', reduction: null }, ctx()))).toEqual([['transfer_required', 'transfer']]);
  });

  it('a transfer starts between the plan date and the last funded day', () => {
    const p = draft({ option: 'transfer', transfer: { kind: 'medication', to: 'buprenorphine', startDate: '2026-09-01' } });
    expect(rules(planRefusals(p, ctx()))).toEqual([['transfer_after_funding', 'transfer.startDate']]);
    expect(rules(planRefusals({ ...p, transfer: { ...p.transfer!, startDate: '2026-02-01' } }, ctx()))).toEqual([['transfer_before_plan', 'transfer.startDate']]);
  });

  it('withdrawing (superseded) is always allowed, whatever has changed', () => {
    expect(planRefusals({ ...draft(), status: 'superseded' }, ctx({ fundedUntil: null, inTreatment: false, prescription: null }))).toEqual([]);
  });
});

describe('recording, correcting and approving', () => {
  it('the care-record routes take drafts only: approval needs the signature; the approval fields are never taken from the request', () => {
    const p = draft();
    expect(rules(refusalsOf(checkPlanInput({ ...p, status: 'approved' }, ctx(), [])))).toEqual([['approval_needs_signature', 'status']]);
    const forged = { ...p, approval: { approvedBy: 'someone', approvedByName: 'Dr Forged', approvedOn: '2026-02-28' } };
    expect(checkPlanInput(forged, ctx(), [])).toEqual({ ok: true, value: { ...p, approval: null } });
  });

  it('one live plan a person: another draft is refused while one is live, a superseded one does not count', () => {
    const p = draft();
    expect(rules(refusalsOf(checkPlanInput(p, ctx(), [record(p)])))).toEqual([['plan_exists', 'status']]);
    expect(checkPlanInput(p, ctx(), [record({ ...p, status: 'superseded' })]).ok).toBe(true);
    expect(checkPlanInput({ ...p, status: 'superseded' }, ctx(), [record(p)]).ok).toBe(true);
  });

  it('approves a complete draft whose dates are ahead; nothing else', () => {
    const p = draft();
    expect(approvalRefusals(p, ctx())).toEqual([]);
    expect(approved(p, { staffId: 'doc', name: 'Dr Who' }, '2026-03-01')).toMatchObject({ status: 'approved', approval: { approvedBy: 'doc', approvedByName: 'Dr Who', approvedOn: '2026-03-01' } });
    expect(rules(approvalRefusals({ ...p, status: 'approved' }, ctx()))).toEqual([['not_a_draft', 'status']]);
    expect(rules(approvalRefusals(p, ctx({ today: '2026-03-20' })))).toEqual([['plan_dates_passed', 'reduction.steps[0].fromDate']]);
    const t = draft({ option: 'transfer', transfer: { kind: 'service', to: '  ', startDate: '2026-04-01' } });
    expect(rules(approvalRefusals(t, ctx({ today: '2026-04-02' })))).toEqual([
      ['transfer_not_named', 'transfer.to'],
      ['plan_dates_passed', 'transfer.startDate'],
    ]);
    expect(rules(approvalRefusals(p, ctx({ fundedUntil: '2026-12-31' })))).toEqual([['plan_horizon_mismatch', 'fundedUntil']]);
  });

  it('a person\'s plan state: none, draft or approved, and whether it is for the current funding end', () => {
    const p = draft();
    expect(planStateOf([], '2026-08-31')).toEqual({ state: 'none', recordId: null, forCurrentHorizon: false });
    const r = record(p);
    expect(planStateOf([r], '2026-08-31')).toEqual({ state: 'draft', recordId: r.recordId, forCurrentHorizon: true });
    const a = record(approved(p, { staffId: 'doc', name: 'Dr' }, '2026-03-01'));
    expect(planStateOf([a], '2026-12-31')).toEqual({ state: 'approved', recordId: a.recordId, forCurrentHorizon: false });
    expect(planStateOf([record({ ...p, status: 'superseded' })], '2026-08-31').state).toBe('none');
  });
});
