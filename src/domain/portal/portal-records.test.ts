import { describe, expect, it } from 'vitest';
import type { CareRecord, CareRecordKind } from '../care/care-record';
import { portalContinuityPlan, portalTakeHome } from './portal-records';

let n = 0;
const rec = (kind: CareRecordKind, effectiveDate: string, data: unknown, recordId = `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}`): CareRecord => ({
  recordId,
  version: 1,
  serviceUserId: 'p',
  kind,
  effectiveDate,
  occurredAt: null,
  data,
  enteredInError: false,
  reason: null,
  source: 'staff',
  importId: null,
  recordedAt: `${effectiveDate}T10:00:00.000Z`,
  recordedBy: 'staff-1',
});

const supply = (fromDate: string, toDate: string, more: Record<string, unknown> = {}) => ({
  fromDate,
  toDate,
  sessions: ['AM', 'PM'],
  days: 2,
  doses: 4,
  route: 'iv',
  dosePerSessionMg: 60,
  totalMg: 240,
  witnessId: 'witness-staff-id',
  notes: 'a staff note',
  collectedBy: 'representative',
  ...more,
});

describe('take-home supplies on the portal', () => {
  it("copies only the person's own facts: days, doses, dose, route; never who witnessed or staff notes", () => {
    const out = portalTakeHome([rec('take_home_supply', '2026-03-02', supply('2026-03-03', '2026-03-04'))], '2026-03-02');
    expect(out).toEqual([{ supplyId: expect.any(String), suppliedOn: '2026-03-02', from: '2026-03-03', to: '2026-03-04', sessions: ['AM', 'PM'], days: 2, doses: 4, doseMg: 60, route: 'iv', ended: false }]);
    expect(JSON.stringify(out)).not.toMatch(/witness|staff note|representative/);
  });

  it('keeps four weeks, newest first, and marks a supply ended early at a return', () => {
    const old = rec('take_home_supply', '2026-01-01', supply('2026-01-02', '2026-02-01'));
    const recent = rec('take_home_supply', '2026-02-20', supply('2026-02-21', '2026-02-27'));
    const current = rec('take_home_supply', '2026-03-01', supply('2026-03-02', '2026-03-05'));
    const back = rec('take_home_return', '2026-03-03', { supplyRecordId: current.recordId, endsSupply: true, unusedAmpoules: [] });
    const sharpsOnly = rec('take_home_return', '2026-02-27', { supplyRecordId: recent.recordId, endsSupply: false });
    const out = portalTakeHome([old, back, recent, current, sharpsOnly], '2026-03-03');
    expect(out.map((s) => [s.from, s.ended])).toEqual([
      ['2026-03-02', true],
      ['2026-02-21', false],
    ]);
  });

  it('skips a record that does not read as a supply', () => {
    expect(portalTakeHome([rec('take_home_supply', '2026-03-02', { something: 'else' })], '2026-03-02')).toEqual([]);
  });
});

const plan = (status: string, more: Record<string, unknown> = {}) => ({
  status,
  fundedUntil: '2026-12-31',
  option: 'planned_reduction',
  reduction: { route: 'iv', fromDoseMg: 60, toDoseMg: 0, steps: [{ fromDate: '2026-09-01', doseMg: 30 }, { fromDate: '2026-09-08', doseMg: 0 }] },
  transfer: null,
  notes: 'prescriber thinking, staff only',
  approval: status === 'approved' ? { approvedBy: 'doctor-id', approvedByName: 'Dr Name', approvedOn: '2026-06-01' } : null,
  ...more,
});

describe('continuity plan on the portal', () => {
  it('shows only an approved plan, without notes or who approved it', () => {
    const out = portalContinuityPlan([rec('continuity_plan', '2026-06-01', plan('approved'))]);
    expect(out).toEqual({
      planId: expect.any(String),
      planDate: '2026-06-01',
      option: 'planned_reduction',
      fundedUntil: '2026-12-31',
      reduction: { route: 'iv', fromDoseMg: 60, steps: [{ fromDate: '2026-09-01', doseMg: 30 }, { fromDate: '2026-09-08', doseMg: 0 }] },
      transfer: null,
      approvedOn: '2026-06-01',
    });
    expect(JSON.stringify(out)).not.toMatch(/staff only|Dr Name|doctor-id/);
  });

  it('never shows a draft or a withdrawn plan, even the newest; nor a record that is not a plan', () => {
    expect(portalContinuityPlan([rec('continuity_plan', '2026-06-01', plan('draft'))])).toBeNull();
    expect(portalContinuityPlan([rec('continuity_plan', '2026-06-01', plan('superseded'))])).toBeNull();
    expect(portalContinuityPlan([rec('continuity_plan', '2026-06-01', { status: 'approved', letter: 'not a plan' })])).toBeNull();
    const approved = rec('continuity_plan', '2026-06-01', plan('approved'));
    const newerDraft = rec('continuity_plan', '2026-06-10', plan('draft', { option: 'transfer', reduction: null, transfer: { kind: 'service', to: 'Elsewhere', startDate: '2026-11-01' } }));
    expect(portalContinuityPlan([newerDraft, approved])?.planId).toBe(approved.recordId);
  });

  it('takes the newest approved plan', () => {
    const first = rec('continuity_plan', '2026-06-01', plan('approved'));
    const second = rec('continuity_plan', '2026-07-01', plan('approved', { option: 'transfer', reduction: null, transfer: { kind: 'medication', to: 'oral methadone', startDate: '2026-12-01' } }));
    expect(portalContinuityPlan([second, first])).toMatchObject({ planId: second.recordId, transfer: { kind: 'medication', to: 'oral methadone', startDate: '2026-12-01' } });
  });
});
