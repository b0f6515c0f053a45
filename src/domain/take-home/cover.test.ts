import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { clinicInstant } from '../time/clinic-time';
import { allCoveredSessions, coveredSessions, dayCount, daysFromTo, supplyCovers, takeHomeDoseRefusals } from './cover';
import { checkReturn, supplyAccount } from './returns';
import { addDays, careRecord } from './test-fixtures';
import type { ReturnRequest, TakeHomeReturn, TakeHomeSupply } from './records';

const TZ = 'Europe/London';
const SESSIONS = [
  { code: 'AM', start: '08:00', end: '11:30' },
  { code: 'PM', start: '13:00', end: '17:30' },
];
const at = (date: string, time: string) => clinicInstant(Temporal.PlainDate.from(date), time, TZ);

const supplyData = (over: Partial<TakeHomeSupply> = {}): TakeHomeSupply => ({
  fromDate: '2026-03-28',
  toDate: '2026-03-30',
  sessions: ['AM', 'PM'],
  days: 3,
  doses: 6,
  route: 'iv',
  dosePerSessionMg: 130,
  totalMg: 780,
  ampoules: [
    { itemId: 'p100', strengthMg: 100, perDose: 1, count: 6, registerSeq: 3 },
    { itemId: 'p30', strengthMg: 30, perDose: 1, count: 6, registerSeq: 2 },
  ],
  equipment: [],
  safeStorageConfirmed: true,
  collectedBy: 'service_user',
  idRequested: true,
  idShown: true,
  witnessId: 'w',
  assessmentRecordId: 'a',
  prescriptionVersion: 1,
  notes: null,
  ...over,
});

const returned = (supplyRecordId: string, over: Partial<TakeHomeReturn> = {}) =>
  careRecord<TakeHomeReturn>('take_home_return', '2026-03-29', { supplyRecordId, unusedAmpoules: [], sharpsReturned: { bins: 0, loose: 0 }, endsSupply: false, endedAt: null, witnessId: null, notes: null, ...over });

describe('take-home cover', () => {
  it('covers every named session of every day, across the spring clock change', () => {
    const supply = careRecord('take_home_supply', '2026-03-28', supplyData());
    const covered = allCoveredSessions(supplyCovers([supply], []), SESSIONS, TZ);
    expect(covered.map((c) => `${c.clinicDate} ${c.session}`)).toEqual(['2026-03-28 AM', '2026-03-28 PM', '2026-03-29 AM', '2026-03-29 PM', '2026-03-30 AM', '2026-03-30 PM']);
    expect(takeHomeDoseRefusals(covered, '2026-03-29', 'PM')).toMatchObject([{ rule: 'take_home_supplied_for_session' }]);
    expect(takeHomeDoseRefusals(covered, '2026-03-31', 'AM')).toEqual([]);
  });

  it('a return that ends the supply hands back the sessions not yet begun; one under way stays covered', () => {
    const supply = careRecord('take_home_supply', '2026-03-28', supplyData());
    const ended = returned(supply.recordId, { endsSupply: true, endedAt: at('2026-03-29', '09:00').toString() });
    const covered = allCoveredSessions(supplyCovers([supply], [ended, returned(supply.recordId)]), SESSIONS, TZ);
    expect(covered.map((c) => `${c.clinicDate} ${c.session}`)).toEqual(['2026-03-28 AM', '2026-03-28 PM', '2026-03-29 AM']);
  });

  it('never covers more sessions than days × sessions, and ending early only removes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 14 }), fc.subarray(['AM', 'PM'], { minLength: 1 }), fc.option(fc.integer({ min: -2000, max: 30000 })), (start, days, sessions, endMinutes) => {
        const fromDate = addDays('2026-01-01', start);
        const cover = { supplyRecordId: 's', fromDate, toDate: addDays(fromDate, days - 1), sessions, endedAt: null };
        const all = coveredSessions(cover, SESSIONS, TZ);
        expect(all.length).toBe(days * sessions.length);
        expect(dayCount(cover.fromDate, cover.toDate)).toBe(days);
        expect(daysFromTo(cover.fromDate, cover.toDate)).toHaveLength(days);
        if (endMinutes !== null) {
          const endedAt = at(fromDate, '00:00').add({ minutes: endMinutes });
          const some = coveredSessions({ ...cover, endedAt }, SESSIONS, TZ);
          expect(all).toEqual(expect.arrayContaining(some));
          // What stays covered is exactly what had begun when it ended.
          for (const c of all) {
            const opens = at(c.clinicDate, SESSIONS.find((s) => s.code === c.session)!.start);
            expect(some.some((x) => x.clinicDate === c.clinicDate && x.session === c.session)).toBe(Temporal.Instant.compare(opens, endedAt) <= 0);
          }
        }
      }),
    );
  });
});

describe('take-home returns', () => {
  const supply = careRecord('take_home_supply', '2026-03-28', supplyData());
  const cover = supplyCovers([supply], [])[0]!;
  const req = (over: Partial<ReturnRequest> = {}): ReturnRequest => ({ supplyRecordId: supply.recordId, unusedAmpoules: [], sharpsReturned: { bins: 1, loose: 0 }, endsSupply: false, notes: null, ...over });
  const ctx = (returns: ReturnType<typeof returned>[] = [], now = at('2026-03-29', '09:00')) => ({ now, supply, returns, cover: supplyCovers([supply], returns)[0] ?? cover, sessions: SESSIONS, timeZone: TZ });

  it('takes back no more of a strength than was supplied, less what is already back', () => {
    expect(checkReturn(req({ unusedAmpoules: [{ strengthMg: 100, count: 6 }] }), ctx()).ok).toBe(true);
    const earlier = returned(supply.recordId, { unusedAmpoules: [{ strengthMg: 100, count: 4, patientReturnId: 'r1' }] });
    expect(supplyAccount(supply.data, [earlier], supply.recordId).returned.get(100)).toBe(4);
    expect(checkReturn(req({ unusedAmpoules: [{ strengthMg: 100, count: 3 }] }), ctx([earlier]))).toMatchObject({ ok: false, refusals: [{ rule: 'more_returned_than_supplied', field: 'unusedAmpoules[0].count' }] });
    expect(checkReturn(req({ unusedAmpoules: [{ strengthMg: 10, count: 1 }] }), ctx())).toMatchObject({ ok: false, refusals: [{ rule: 'strength_not_supplied' }] });
  });

  it('ends a supply once, and only while sessions remain', () => {
    expect(checkReturn(req({ endsSupply: true }), ctx()).ok).toBe(true);
    const ended = returned(supply.recordId, { endsSupply: true, endedAt: at('2026-03-29', '09:00').toString() });
    expect(checkReturn(req({ endsSupply: true }), ctx([ended]))).toMatchObject({ ok: false, refusals: [{ rule: 'supply_already_ended' }] });
    expect(checkReturn(req({ endsSupply: true }), ctx([], at('2026-03-30', '14:00')))).toMatchObject({ ok: false, refusals: [{ rule: 'supply_already_over' }] });
  });
});
