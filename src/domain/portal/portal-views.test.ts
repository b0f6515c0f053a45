import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { defaultClinicSettings } from '../clinic/clinic-settings';
import type { DoseStage } from '../dosing/session-rules';
import type { PrescriptionContent } from '../prescription/prescription';
import { historyFrom, nextKeyworkOn, portalAppointments, portalDoseOutcome, portalDoseTimes, type DoseTimesInput } from './portal-views';

const settings = defaultClinicSettings('Test');
const rx = (over: Partial<PrescriptionContent> = {}): PrescriptionContent => ({
  status: 'active',
  diamorphine: { sessions: ['AM', 'PM'], ivDoseMg: 100, imDoseMg: 80, titration: null, topUp: null, retitrationStartDoseMg: 30 },
  methadone: null,
  startDate: '2026-03-01',
  endDate: null,
  reviewDate: '2026-03-09',
  ...over,
});
const input = (now: string, over: Partial<DoseTimesInput> = {}): DoseTimesInput => {
  const instant = Temporal.Instant.from(now);
  return {
    today: instant.toZonedDateTimeISO('Europe/London').toPlainDate().toString(),
    now: instant,
    timeZone: 'Europe/London',
    clinicSessions: settings.sessions,
    prescription: rx(),
    inTreatment: true,
    absent: false,
    given: new Set(),
    ...over,
  };
};
const statuses = (r: ReturnType<typeof portalDoseTimes>) => r.days.map((d) => [d.date, d.noDoses, d.sessions.map((s) => `${s.sessionCode}:${s.status}`)]);

describe('dose times on the portal', () => {
  it("shows today's and tomorrow's sessions with their windows, and the next one", () => {
    const r = portalDoseTimes(input('2026-03-02T09:30:00Z', { given: new Set(['2026-03-02 AM']) }));
    expect(statuses(r)).toEqual([
      ['2026-03-02', null, ['AM:given', 'PM:later']],
      ['2026-03-03', null, ['AM:later', 'PM:later']],
    ]);
    expect(r.next).toEqual({ date: '2026-03-02', sessionCode: 'PM', label: 'Afternoon', opens: '13:00', closes: '17:30', status: 'later' });
  });

  it('says a window is open now, or closed once it has passed without a dose', () => {
    expect(portalDoseTimes(input('2026-03-02T08:10:00Z')).next).toMatchObject({ sessionCode: 'AM', status: 'open_now' });
    const evening = portalDoseTimes(input('2026-03-02T18:00:00Z'));
    expect(statuses(evening)[0]).toEqual(['2026-03-02', null, ['AM:closed', 'PM:closed']]);
    expect(evening.next).toMatchObject({ date: '2026-03-03', sessionCode: 'AM' });
  });

  it('follows the clinic clock across the spring change (08:00 BST is 07:00 UTC)', () => {
    expect(portalDoseTimes(input('2026-03-28T07:30:00Z')).next).toMatchObject({ date: '2026-03-28', sessionCode: 'AM', status: 'later' });
    expect(portalDoseTimes(input('2026-03-29T07:30:00Z')).next).toMatchObject({ date: '2026-03-29', sessionCode: 'AM', status: 'open_now' });
  });

  it('lists only the sessions on the prescription', () => {
    const pmOnly = rx({ diamorphine: { ...rx().diamorphine, sessions: ['PM'] } });
    expect(statuses(portalDoseTimes(input('2026-03-02T07:00:00Z', { prescription: pmOnly })))[0]).toEqual(['2026-03-02', null, ['PM:later']]);
  });

  it('gives no times, with the reason, when there is no dose to come', () => {
    const reasonOf = (over: Partial<DoseTimesInput>) => portalDoseTimes(input('2026-03-02T07:00:00Z', over)).days.map((d) => d.noDoses);
    expect(reasonOf({ absent: true })).toEqual(['away', 'away']);
    expect(reasonOf({ inTreatment: false })).toEqual(['not_in_treatment', 'not_in_treatment']);
    expect(reasonOf({ prescription: null })).toEqual(['no_prescription', 'no_prescription']);
    expect(reasonOf({ prescription: rx({ status: 'suspended' }) })).toEqual(['paused', 'paused']);
    expect(reasonOf({ prescription: rx({ status: 'ended' }) })).toEqual(['stopped', 'stopped']);
    expect(reasonOf({ prescription: rx({ startDate: '2026-03-03' }) })).toEqual(['not_started', null]);
    expect(reasonOf({ prescription: rx({ endDate: '2026-03-02' }) })).toEqual([null, 'ended']);
    expect(portalDoseTimes(input('2026-03-02T07:00:00Z', { absent: true })).next).toBeNull();
  });

  it("today's sessions without a dose run closed, then at most one open, then later, whatever the time (property)", () => {
    const day = Temporal.Instant.from('2026-03-02T00:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 24 * 60 - 1 }), fc.subarray(['AM', 'PM']), (minute, given) => {
        const r = portalDoseTimes(input(day.add({ minutes: minute }).toString(), { given: new Set(given.map((c) => `2026-03-02 ${c}`)) }));
        const today = r.days[0]!.sessions.filter((s) => s.status !== 'given').map((s) => s.status);
        const order = { closed: 0, open_now: 1, later: 2, given: -1 };
        expect([...today].sort((a, b) => order[a] - order[b])).toEqual(today);
        expect(today.filter((s) => s === 'open_now').length).toBeLessThanOrEqual(1);
        expect(r.days[1]!.sessions.every((s) => s.status === 'later')).toBe(true);
        expect(r.next).not.toBeNull();
        expect(['open_now', 'later']).toContain(r.next!.status);
      }),
    );
  });
});

describe('dose history on the portal', () => {
  it('says given, not given, missed or still going on, for every stage', () => {
    const stages: DoseStage[] = ['assessed', 'prepared', 'given', 'in_observation', 'discharged', 'refused', 'withheld', 'missed', 'prepared_not_given'];
    expect(Object.fromEntries(stages.map((s) => [s, portalDoseOutcome(s, 0)]))).toEqual({
      assessed: 'in_progress',
      prepared: 'in_progress',
      given: 'in_progress',
      in_observation: 'in_progress',
      discharged: 'in_progress',
      refused: 'not_given',
      withheld: 'not_given',
      missed: 'missed',
      prepared_not_given: 'not_given',
    });
    for (const s of stages) expect(portalDoseOutcome(s, 60)).toBe('given');
  });

  it('counts today as the first of the days asked for', () => {
    expect(historyFrom('2026-03-28', 28)).toBe('2026-03-01');
    expect(historyFrom('2026-03-02', 1)).toBe('2026-03-02');
    expect(historyFrom('2026-03-01', 2)).toBe('2026-02-28');
  });
});

describe('appointments on the portal', () => {
  it('lists what is known, soonest first, with "due now" for today or overdue', () => {
    expect(portalAppointments({ today: '2026-03-10', reviewOn: '2026-03-16', keyworkOn: null, drugTestOn: '2026-03-09' })).toEqual([
      { kind: 'drug_test', on: '2026-03-09', dueNow: true },
      { kind: 'prescriber_review', on: '2026-03-16', dueNow: false },
    ]);
    expect(portalAppointments({ today: '2026-03-10', reviewOn: null, keyworkOn: '2026-03-10', drugTestOn: null })).toEqual([{ kind: 'keywork', on: '2026-03-10', dueNow: true }]);
  });

  it("takes the next key-work session from the latest session's plan, if it has not passed", () => {
    const s = (effectiveDate: string, nextSessionOn: string | null) => ({ effectiveDate, data: { nextSessionOn } });
    expect(nextKeyworkOn([s('2026-03-03', '2026-03-10'), s('2026-03-10', '2026-03-17')], '2026-03-11')).toBe('2026-03-17');
    expect(nextKeyworkOn([s('2026-03-10', '2026-03-17'), s('2026-03-03', '2026-03-12')], '2026-03-11')).toBe('2026-03-17');
    expect(nextKeyworkOn([s('2026-03-03', '2026-03-10')], '2026-03-11')).toBeNull();
    expect(nextKeyworkOn([s('2026-03-03', '2026-03-10'), s('2026-03-10', null)], '2026-03-04')).toBeNull();
    expect(nextKeyworkOn([], '2026-03-04')).toBeNull();
  });
});
