import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { defaultClinicSettings } from '../clinic/clinic-settings';
import { ServiceUserRecordSchema } from '../service-user/record';
import type { CareRecord } from './care-record';
import type { PersonInCare } from './person-in-care';
import {
  BreathTestData,
  breathAlcoholForAssessment,
  breathTestReadings,
  breathTestRequiredToday,
  breathTestRules,
  breathTestTakenAt,
  checkBreathTest,
  type BreathReading,
  type BreathTestRecordData,
} from './breath-tests';

const settings = defaultClinicSettings('Test clinic'); // Europe/London; reduce at 0.25, refuse at 0.5 mg/L
const tz = settings.timeZone;
const baseRecord = ServiceUserRecordSchema.parse({ familyName: 'Bloggs', givenName: 'Jo', dateOfBirth: '1980-05-17', address: { lines: ['1 High Street'] } });

let seq = 0;
function test(
  effectiveDate: string,
  mgPerL: number,
  over: Partial<CareRecord<BreathTestRecordData>> = {},
): CareRecord<BreathTestRecordData> {
  seq++;
  return {
    recordId: `r${seq}`,
    version: 1,
    serviceUserId: 'su-1',
    kind: 'breath_test',
    effectiveDate,
    occurredAt: null,
    data: { reading: { value: mgPerL, unit: 'mg_per_l_breath' }, mgPerL, reason: 'daily_required', notes: null },
    enteredInError: false,
    reason: null,
    source: 'staff',
    importId: null,
    recordedAt: `${effectiveDate}T08:50:00.000Z`,
    recordedBy: 'staff-1',
    ...over,
  };
}

function person(over: Partial<PersonInCare> = {}, alcohol = true): PersonInCare {
  return {
    serviceUserId: 'su-1',
    record: { ...baseRecord, alcohol: { knownUse: alcohol, notes: null } },
    episodeState: 'maintenance' as PersonInCare['episodeState'],
    inTreatment: true,
    absent: false,
    treatmentStartedOn: '2026-02-01',
    dischargedOn: null,
    prescription: null,
    records: [],
    assessmentBreathTests: [],
    ...over,
  };
}

const input = (p: PersonInCare, today = '2026-03-10', s = settings) => ({ person: p, settings: s, today, now: Temporal.Instant.from(`${today}T12:00:00Z`) });

describe('breath test data', () => {
  it('keeps the reading as shown and in mg/L of breath', () => {
    const d = BreathTestData.parse({ reading: { value: 35, unit: 'ug_per_100ml_breath' }, reason: 'on_request' });
    expect(checkBreathTest(d)).toEqual({ ok: true, value: { reading: { value: 35, unit: 'ug_per_100ml_breath' }, mgPerL: 0.35, reason: 'on_request', notes: null } });
    expect(checkBreathTest(BreathTestData.parse({ reading: { value: 80, unit: 'mg_per_100ml_blood' }, reason: 'other', notes: 'smelt of alcohol' }))).toMatchObject({ ok: true, value: { mgPerL: 0.35 } });
  });

  it('names the field of a bad reading or unit', () => {
    const r = BreathTestData.safeParse({ reading: { value: -1, unit: 'promille' }, reason: 'daily' });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['reading.unit', 'reading.value', 'reason']);
  });
});

describe('when a breath test was taken', () => {
  it('its occurredAt; else when first recorded, on its own day; else unknown', () => {
    expect(breathTestTakenAt(test('2026-03-10', 0, { occurredAt: '2026-03-10T08:30:00.000Z' }), tz)).toBe('2026-03-10T08:30:00.000Z');
    expect(breathTestTakenAt(test('2026-03-10', 0), tz)).toBe('2026-03-10T08:50:00.000Z');
    // Back-dated to yesterday with no time: the recording time is not the test's.
    expect(breathTestTakenAt(test('2026-03-09', 0, { recordedAt: '2026-03-10T08:50:00.000Z' }), tz)).toBeNull();
    // Corrected later without a time: the correction's time is not the test's.
    expect(breathTestTakenAt(test('2026-03-10', 0, { version: 2, recordedAt: '2026-03-10T11:00:00.000Z' }), tz)).toBeNull();
    // Recorded at 00:30 BST on 1 April is 23:30 UTC on 31 March: the clinic date decides.
    expect(breathTestTakenAt(test('2026-04-01', 0, { recordedAt: '2026-03-31T23:30:00.000Z' }), tz)).toBe('2026-03-31T23:30:00.000Z');
    expect(breathTestTakenAt(test('2026-03-31', 0, { recordedAt: '2026-03-31T23:30:00.000Z' }), tz)).toBeNull();
  });

  it('only readings with a known time are offered to the assessment', () => {
    const known = test('2026-03-10', 0.1);
    const unknown = test('2026-03-10', 0.4, { version: 2, recordedAt: '2026-03-10T09:00:00.000Z' });
    expect(breathTestReadings([known, unknown], tz)).toEqual([{ recordId: known.recordId, mgPerL: 0.1, at: known.recordedAt }]);
  });
});

describe('breathAlcoholForAssessment', () => {
  const now = Temporal.Instant.from('2026-03-10T09:00:00Z');
  const r = (recordId: string, at: string, mgPerL: number): BreathReading => ({ recordId, at, mgPerL });

  it('the latest reading within the valid minutes, never one from the future', () => {
    const tests = [r('a', '2026-03-10T08:10:00Z', 0.6), r('b', '2026-03-10T08:50:00Z', 0.3), r('c', '2026-03-10T09:05:00Z', 0)];
    expect(breathAlcoholForAssessment(tests, now, 60)).toEqual({ recordId: 'b', mgPerL: 0.3, at: '2026-03-10T08:50:00Z' });
    expect(breathAlcoholForAssessment(tests.slice(0, 1), now, 60)).toEqual({ recordId: 'a', mgPerL: 0.6, at: '2026-03-10T08:10:00Z' });
    expect(breathAlcoholForAssessment(tests.slice(0, 1), now, 30)).toBeNull();
    expect(breathAlcoholForAssessment([r('old', '2026-03-10T07:30:00Z', 0)], now, 60)).toBeNull();
    expect(breathAlcoholForAssessment([], now, 60)).toBeNull();
  });

  it('exactly the valid minutes old still counts; a minute more does not', () => {
    expect(breathAlcoholForAssessment([r('a', '2026-03-10T08:00:00Z', 0.1)], now, 60)?.recordId).toBe('a');
    expect(breathAlcoholForAssessment([r('a', '2026-03-10T07:59:00Z', 0.1)], now, 60)).toBeNull();
  });

  it('of two at the same moment, the higher', () => {
    expect(breathAlcoholForAssessment([r('low', '2026-03-10T08:50:00Z', 0.1), r('high', '2026-03-10T08:50:00.000Z', 0.4), r('low2', '2026-03-10T08:50:00Z', 0.2)], now, 60)?.recordId).toBe('high');
  });

  it('properties: in the window, not in the future, and no later reading in the window was passed over', () => {
    const minute = fc.integer({ min: -300, max: 300 });
    fc.assert(
      fc.property(fc.array(fc.tuple(minute, fc.integer({ min: 0, max: 2000 })), { maxLength: 12 }), fc.integer({ min: 5, max: 240 }), (raw, valid) => {
        const tests = raw.map(([m, mg], i) => r(`t${i}`, now.add({ minutes: m }).toString(), mg / 1000));
        const chosen = breathAlcoholForAssessment(tests, now, valid);
        const inWindow = raw.filter(([m]) => m <= 0 && m >= -valid);
        if (inWindow.length === 0) {
          expect(chosen).toBeNull();
          return;
        }
        expect(chosen).not.toBeNull();
        const m = Temporal.Instant.from(chosen!.at).since(now).total({ unit: 'minutes' });
        expect(m).toBeLessThanOrEqual(0);
        expect(m).toBeGreaterThanOrEqual(-valid);
        const latest = Math.max(...inWindow.map(([x]) => x));
        expect(m).toBe(latest);
        expect(chosen!.mgPerL).toBe(Math.max(...inWindow.filter(([x]) => x === latest).map(([, mg]) => mg / 1000)));
        expect(tests.some((t) => t.recordId === chosen!.recordId && t.mgPerL === chosen!.mgPerL)).toBe(true);
      }),
    );
  });
});

describe('breath test required today', () => {
  it('required for identified alcohol use in treatment, not while away', () => {
    expect(breathTestRequiredToday(person(), '2026-03-10', tz)).toEqual({ required: true, done: false, latest: null });
    expect(breathTestRequiredToday(person({}, false), '2026-03-10', tz).required).toBe(false);
    expect(breathTestRequiredToday(person({ absent: true }), '2026-03-10', tz).required).toBe(false);
    expect(breathTestRequiredToday(person({ inTreatment: false }), '2026-03-10', tz).required).toBe(false);
  });

  it('satisfied by a breath test dated today or a reading at an assessment today, not yesterday', () => {
    expect(breathTestRequiredToday(person({ records: [test('2026-03-09', 0)] }), '2026-03-10', tz).done).toBe(false);
    expect(breathTestRequiredToday(person({ records: [test('2026-03-10', 0)] }), '2026-03-10', tz)).toMatchObject({ done: true, latest: { mgPerL: 0, source: 'breath_test' } });
    expect(breathTestRequiredToday(person({ assessmentBreathTests: [{ at: '2026-03-10T09:00:00Z', mgPerL: 0.05 }] }), '2026-03-10', tz)).toMatchObject({ done: true, latest: { mgPerL: 0.05, source: 'assessment', recordId: null } });
    // 23:30 UTC on 31 March is 00:30 on 1 April in London (summer time).
    const lateNight = person({ assessmentBreathTests: [{ at: '2026-03-31T23:30:00Z', mgPerL: 0 }] });
    expect(breathTestRequiredToday(lateNight, '2026-03-31', tz).done).toBe(false);
    expect(breathTestRequiredToday(lateNight, '2026-04-01', tz).done).toBe(true);
  });

  it('the latest reading today, by time, whichever its source', () => {
    const p = person({ records: [test('2026-03-10', 0.3, { occurredAt: '2026-03-10T10:00:00.000Z' })], assessmentBreathTests: [{ at: '2026-03-10T09:00:00Z', mgPerL: 0 }] });
    expect(breathTestRequiredToday(p, '2026-03-10', tz).latest).toMatchObject({ mgPerL: 0.3, source: 'breath_test', at: '2026-03-10T10:00:00.000Z' });
    const q = person({ records: [test('2026-03-10', 0.3, { occurredAt: '2026-03-10T08:00:00.000Z' })], assessmentBreathTests: [{ at: '2026-03-10T09:00:00Z', mgPerL: 0 }] });
    expect(breathTestRequiredToday(q, '2026-03-10', tz).latest).toMatchObject({ mgPerL: 0, source: 'assessment' });
  });

  it('work list: only those required and not yet tested today', () => {
    expect(breathTestRules.workItems(input(person()))).toEqual([
      { list: 'breath_test_today', serviceUserId: 'su-1', dueOn: '2026-03-10', overdue: false, severity: 'warning', text: 'Breath test required today (identified alcohol use): not yet done', recordId: null },
    ]);
    expect(breathTestRules.workItems(input(person({ records: [test('2026-03-10', 0)] })))).toEqual([]);
    expect(breathTestRules.workItems(input(person({}, false)))).toEqual([]);
    expect(breathTestRules.workItems(input(person({ absent: true })))).toEqual([]);
  });

  it('alerts: not yet done; a reading at or above the thresholds, with the figures', () => {
    expect(breathTestRules.alerts(input(person()))).toEqual([{ kind: 'breath_test', severity: 'warning', text: 'Breath test required today: not yet done' }]);
    expect(breathTestRules.alerts(input(person({ records: [test('2026-03-10', 0.24)] })))).toEqual([]);
    expect(breathTestRules.alerts(input(person({ records: [test('2026-03-10', 0.25)] })))).toEqual([
      { kind: 'breath_test', severity: 'warning', text: "Breath alcohol 0.25 mg/L today at 08:50: at or above the clinic's threshold to reduce the dose (0.25 mg/L)" },
    ]);
    expect(breathTestRules.alerts(input(person({ records: [test('2026-03-10', 0.5, { occurredAt: '2026-03-10T08:15:00.000Z' })] }, false)))).toEqual([
      { kind: 'breath_test', severity: 'danger', text: "Breath alcohol 0.5 mg/L today at 08:15: at or above the clinic's threshold to refuse a dose (0.5 mg/L)" },
    ]);
    const strict = { ...settings, dosing: { ...settings.dosing, breathAlcoholReduceMgPerL: 0.1 } };
    expect(breathTestRules.alerts(input(person({ records: [test('2026-03-10', 0.12)] }), '2026-03-10', strict))[0]!.text).toContain('(0.1 mg/L)');
    // Only today's readings count.
    expect(breathTestRules.alerts(input(person({ records: [test('2026-03-09', 0.6)] }, false)))).toEqual([]);
  });
});
