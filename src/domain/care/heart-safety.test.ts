import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { defaultClinicSettings } from '../clinic/clinic-settings';
import { ServiceUserRecordSchema, type ServiceUserRecord } from '../service-user/record';
import type { PrescriptionContent } from '../prescription/prescription';
import type { CareRecord, CareRecordKind } from './care-record';
import type { CareRuleInput, PersonInCare } from './person-in-care';
import { EcgData, ecgStatus, ecgWorkItems, heartSafetyRules, methadoneMgPerDay, recentCocainePositive } from './heart-safety';

let seq = 0;
function rec(kind: CareRecordKind, effectiveDate: string, data: unknown): CareRecord {
  seq++;
  return {
    recordId: `00000000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    version: 1,
    serviceUserId: 'su-1',
    kind,
    effectiveDate,
    occurredAt: null,
    data,
    enteredInError: false,
    reason: null,
    source: 'staff',
    importId: null,
    recordedAt: '2026-03-01T10:00:00.000Z',
    recordedBy: null,
  };
}
const ecg = (date: string, qtcMs: number) => rec('ecg', date, EcgData.parse({ qtcMs, correction: 'fridericia' }));
const tox = (date: string, results: { substance: string; result: string; level?: number }[], outcome = 'taken') => rec('toxicology', date, { outcome, results });

const rx = (dailyDoseMg: number | null) =>
  ({ methadone: dailyDoseMg === null ? null : { drug: 'methadone oral solution 1 mg/mL', dailyDoseMg, pharmacy: 'Boots', supervised: false } }) as unknown as PrescriptionContent;
const personRecord = (heartRisks: ServiceUserRecord['heartRisks'] = []) => ServiceUserRecordSchema.parse({ familyName: 'B', givenName: 'J', dateOfBirth: '1980-01-01', noFixedAbode: true, heartRisks });

function input(records: CareRecord[], overrides: Partial<PersonInCare> = {}, today = '2026-03-10'): CareRuleInput {
  return {
    person: {
      serviceUserId: 'su-1',
      record: personRecord(),
      episodeState: 'maintenance',
      inTreatment: true,
      absent: false,
      treatmentStartedOn: '2026-01-01',
      dischargedOn: null,
      prescription: rx(120),
      records,
      assessmentBreathTests: [],
      ...overrides,
    },
    settings: defaultClinicSettings('Test'),
    today,
    now: Temporal.Instant.from(`${today}T10:00:00Z`),
  };
}

describe('ECG data', () => {
  it('QTc is a whole number of ms from 250 to 750', () => {
    expect(EcgData.safeParse({ qtcMs: 249, correction: 'bazett' }).success).toBe(false);
    expect(EcgData.safeParse({ qtcMs: 751, correction: 'bazett' }).success).toBe(false);
    expect(EcgData.safeParse({ qtcMs: 450.5, correction: 'bazett' }).success).toBe(false);
    expect(EcgData.safeParse({ qtcMs: 250, correction: 'machine' }).success).toBe(true);
    expect(EcgData.safeParse({ qtcMs: 750, correction: 'unknown' }).success).toBe(true);
    expect(EcgData.safeParse({ qtcMs: 450, correction: 'hodges' }).error!.issues[0]!.path).toEqual(['correction']);
  });
});

describe('when an ECG is needed', () => {
  it('methadone above the threshold (not at it), from the prescription in force', () => {
    expect(methadoneMgPerDay(input([], { prescription: null }))).toBeNull();
    expect(methadoneMgPerDay(input([], { prescription: rx(null) }))).toBeNull();
    expect(ecgStatus(input([], { prescription: rx(100) })).dueOn).toBeNull();
    expect(ecgStatus(input([], { prescription: rx(101) }))).toMatchObject({ dueOn: '2026-03-10', reasons: ["methadone 101 mg a day (over the clinic's 100 mg)"] });
  });

  it('any heart risk in the record, whatever the methadone dose', () => {
    const s = ecgStatus(input([], { prescription: null, record: personRecord(['heart_disease', 'qt_prolonging_medicine']) }));
    expect(s.reasons).toEqual(['heart disease', 'a QT-prolonging medicine']);
    expect(s.dueOn).toBe('2026-03-10');
  });

  it('a positive cocaine or benzoylecgonine result taken in the last 90 days', () => {
    const low = { prescription: rx(30) };
    expect(ecgStatus(input([tox('2026-02-01', [{ substance: 'Benzoylecgonine', result: 'positive' }])], low)).reasons).toEqual(['positive Benzoylecgonine on toxicology 2026-02-01']);
    // 90 days before 2026-03-10 is 2025-12-10: counts; the day before does not.
    expect(recentCocainePositive(input([tox('2025-12-10', [{ substance: 'cocaine', result: 'positive' }])]))).toEqual({ on: '2025-12-10', substance: 'cocaine' });
    expect(recentCocainePositive(input([tox('2025-12-09', [{ substance: 'cocaine', result: 'positive' }])]))).toBeNull();
    expect(recentCocainePositive(input([tox('2026-03-01', [{ substance: 'cocaine', result: 'negative' }])]))).toBeNull();
    expect(recentCocainePositive(input([tox('2026-03-01', [{ substance: 'morphine', result: 'positive' }])]))).toBeNull();
    // A measured level counts when above 0, as toxicology.ts reads it.
    expect(recentCocainePositive(input([tox('2026-03-01', [{ substance: 'benzoylecgonine', result: 'level', level: 300 }])]))).not.toBeNull();
    expect(recentCocainePositive(input([tox('2026-03-01', [{ substance: 'benzoylecgonine', result: 'level', level: 0 }])]))).toBeNull();
    expect(recentCocainePositive(input([tox('2026-03-01', [{ substance: 'cocaine', result: 'positive' }], 'refused')]))).toBeNull();
    // The latest of several.
    expect(recentCocainePositive(input([tox('2026-02-01', [{ substance: 'cocaine', result: 'positive' }]), tox('2026-03-01', [{ substance: 'cocaine', result: 'positive' }])]))!.on).toBe('2026-03-01');
  });

  it("is due on the day the latest ECG is ecgRepeatDays old (365 by default)", () => {
    const last = ecg('2025-03-10', 430);
    expect(ecgStatus(input([last])).dueOn).toBe('2026-03-10');
    expect(ecgWorkItems(input([last], {}, '2026-03-09'))).toEqual([]);
    expect(ecgWorkItems(input([last], {}, '2026-03-10'))).toEqual([expect.objectContaining({ list: 'ecg_due', severity: 'warning', dueOn: '2026-03-10', overdue: false })]);
    expect(ecgWorkItems(input([last], {}, '2026-03-11'))[0]).toMatchObject({ overdue: true });
    // Looking ahead, for booking.
    expect(ecgWorkItems(input([last], {}, '2026-03-01'), 9)).toHaveLength(1);
    // The newest ECG counts, whatever the order.
    expect(ecgStatus(input([ecg('2026-01-05', 440), last])).dueOn).toBe('2027-01-05');
  });

  it('the item says why and when the last ECG was', () => {
    expect(heartSafetyRules.workItems(input([]))[0]!.text).toBe("ECG due: no ECG on record; needed for methadone 120 mg a day (over the clinic's 100 mg)");
    expect(heartSafetyRules.workItems(input([ecg('2025-01-01', 430)]))[0]!.text).toBe(
      "ECG due: last ECG 2025-01-01 (QTc 430 ms), repeated every 365 days; needed for methadone 120 mg a day (over the clinic's 100 mg)",
    );
  });

  it('nothing due while absent or out of treatment', () => {
    expect(heartSafetyRules.workItems(input([], { absent: true }))).toEqual([]);
    expect(heartSafetyRules.workItems(input([], { inTreatment: false }))).toEqual([]);
  });

  it('is due exactly when needed and the latest ECG is ecgRepeatDays old or more (property)', () => {
    const day = fc.integer({ min: 0, max: 1200 }).map((n) => Temporal.PlainDate.from('2024-01-01').add({ days: n }).toString());
    fc.assert(
      fc.property(fc.option(fc.integer({ min: 0, max: 300 }), { nil: null }), fc.array(day, { maxLength: 5 }), day, fc.integer({ min: 30, max: 730 }), (mg, ecgDays, today, repeat) => {
        const i = input(
          ecgDays.filter((d) => d <= today).map((d) => ecg(d, 420)),
          { prescription: rx(mg) },
          today,
        );
        i.settings.monitoring.ecgRepeatDays = repeat;
        const needed = mg !== null && mg > 100;
        const latest = ecgDays.filter((d) => d <= today).sort().at(-1);
        const age = latest ? Temporal.PlainDate.from(latest).until(today).days : null;
        const due = needed && (age === null || age >= repeat);
        expect(heartSafetyRules.workItems(i).length).toBe(due ? 1 : 0);
      }),
    );
  });
});

describe('QTc', () => {
  it('above the limit (500 ms): a danger item for the prescriber and a danger alert at the hatch', () => {
    const i = input([ecg('2026-03-02', 520)]);
    const items = heartSafetyRules.workItems(i);
    expect(items).toContainEqual(
      expect.objectContaining({ list: 'ecg_due', severity: 'danger', dueOn: '2026-03-02', text: "QTc 520 ms on 2026-03-02 exceeds the clinic's limit of 500 ms: prescriber to review methadone" }),
    );
    expect(heartSafetyRules.alerts(i)).toEqual([{ kind: 'qtc', severity: 'danger', text: "QTc 520 ms on 2026-03-02 exceeds the clinic's limit of 500 ms: prescriber to review methadone" }]);
  });

  it('at the limit, or above the warning level (450 ms): a warning alert, no danger item', () => {
    for (const qtc of [451, 500]) {
      const i = input([ecg('2026-03-02', qtc)]);
      expect(heartSafetyRules.alerts(i)).toEqual([expect.objectContaining({ severity: 'warning' })]);
      expect(heartSafetyRules.workItems(i).filter((w) => w.severity === 'danger')).toEqual([]);
    }
    expect(heartSafetyRules.alerts(input([ecg('2026-03-02', 450)]))).toEqual([]);
  });

  it('only the latest ECG counts: a repeat under the limit clears the danger', () => {
    const i = input([ecg('2026-03-02', 520), ecg('2026-03-09', 470)]);
    expect(heartSafetyRules.alerts(i)).toEqual([expect.objectContaining({ severity: 'warning', text: expect.stringContaining('QTc 470 ms on 2026-03-09') })]);
    expect(heartSafetyRules.workItems(i)).toEqual([]);
  });

  it("follows the clinic's levels", () => {
    const i = input([ecg('2026-03-02', 480)]);
    i.settings.monitoring.qtcLimitMs = 470;
    expect(heartSafetyRules.alerts(i)[0]!.severity).toBe('danger');
    expect(heartSafetyRules.alerts(input([ecg('2026-03-02', 480)]))[0]!.severity).toBe('warning');
  });

  it('severity never falls as the QTc rises (property)', () => {
    const rank = (i: CareRuleInput) => {
      const a = heartSafetyRules.alerts(i)[0];
      return a ? (a.severity === 'danger' ? 2 : 1) : 0;
    };
    fc.assert(
      fc.property(fc.integer({ min: 250, max: 750 }), fc.integer({ min: 250, max: 750 }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(rank(input([ecg('2026-03-02', lo)]))).toBeLessThanOrEqual(rank(input([ecg('2026-03-02', hi)])));
      }),
    );
  });
});
