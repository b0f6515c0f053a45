import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { defaultClinicSettings } from '../clinic/clinic-settings';
import { ServiceUserRecordSchema } from '../service-user/record';
import type { PrescriptionContent } from '../prescription/prescription';
import type { CareRecord, CareRecordKind } from './care-record';
import type { CareRuleInput, PersonInCare } from './person-in-care';
import {
  checkCollection,
  collectionProblems,
  COLLECTION_STATUSES,
  consecutiveNonCollections,
  MethadoneAlertActionData,
  MethadoneCollectionData,
  methadoneRules,
  nonCollectionRun,
  type CollectionStatus,
} from './methadone';

let seq = 0;
function rec(kind: CareRecordKind, effectiveDate: string, data: unknown, extra: Partial<CareRecord> = {}): CareRecord {
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
    recordedAt: `2026-03-01T10:00:${String(seq % 60).padStart(2, '0')}.000Z`,
    recordedBy: null,
    ...extra,
  };
}
const collection = (date: string, status: CollectionStatus) => rec('methadone_collection', date, MethadoneCollectionData.parse({ status, ...(status === 'partial' ? { collectedMg: 10 } : {}) }));
const action = (date: string) => rec('methadone_alert_action', date, { action: 'contacted_pharmacy', notes: null });

const methadone = { drug: 'methadone oral solution 1 mg/mL', dailyDoseMg: 30, pharmacy: 'Boots', supervised: false };
function input(records: CareRecord[], overrides: Partial<PersonInCare> = {}, today = '2026-03-10'): CareRuleInput {
  return {
    person: {
      serviceUserId: 'su-1',
      record: ServiceUserRecordSchema.parse({ familyName: 'B', givenName: 'J', dateOfBirth: '1980-01-01', noFixedAbode: true }),
      episodeState: 'maintenance',
      inTreatment: true,
      absent: false,
      treatmentStartedOn: '2026-01-01',
      dischargedOn: null,
      prescription: { methadone } as unknown as PrescriptionContent,
      records,
      assessmentBreathTests: [],
      ...overrides,
    },
    settings: defaultClinicSettings('Test'),
    today,
    now: Temporal.Instant.from(`${today}T10:00:00Z`),
  };
}

describe('collection data', () => {
  it('names the field for each cross-field rule', () => {
    const p = (d: unknown) => {
      const parsed = MethadoneCollectionData.safeParse(d);
      const issues = parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
      // The schema enforces exactly what collectionProblems finds.
      const problems = collectionProblems({ doseMg: null, collectedMg: null, pharmacy: null, notes: null, ...(d as object) } as never);
      expect(issues).toEqual(problems.map((r) => r.field));
      return problems.map((r) => [r.rule, r.field]);
    };
    expect(p({ status: 'partial' })).toEqual([['collected_amount_required', 'collectedMg']]);
    expect(p({ status: 'partial', doseMg: 60, collectedMg: 60 })).toEqual([['partial_amount_not_less_than_dose', 'collectedMg']]);
    expect(p({ status: 'partial', doseMg: 60, collectedMg: 30 })).toEqual([]);
    expect(p({ status: 'partial', collectedMg: 30 })).toEqual([]);
    expect(p({ status: 'not_collected', collectedMg: 30 })).toEqual([['collected_amount_not_allowed', 'collectedMg']]);
    expect(p({ status: 'not_collected', doseMg: 60 })).toEqual([]);
    expect(p({ status: 'collected', doseMg: 60, collectedMg: 70 })).toEqual([['collected_more_than_dose', 'collectedMg']]);
    expect(p({ status: 'supervised', doseMg: 60, collectedMg: 60 })).toEqual([]);
  });

  it('refuses amounts of zero or less, and unknown statuses', () => {
    const bad = MethadoneCollectionData.safeParse({ status: 'collected', doseMg: 0 });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(['doseMg']);
    expect(MethadoneCollectionData.safeParse({ status: 'collected', collectedMg: -5 }).success).toBe(false);
    expect(MethadoneCollectionData.safeParse({ status: 'lost' }).error!.issues[0]!.message).toMatch(/collected, not_collected, partial or supervised/);
  });

  it('one record per person per day: a second is refused, naming effectiveDate', () => {
    const first = collection('2026-03-05', 'collected');
    const c = MethadoneCollectionData.parse({ status: 'not_collected' });
    const refused = checkCollection(c, '2026-03-05', [first]);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.refusals).toEqual([expect.objectContaining({ rule: 'collection_already_recorded', field: 'effectiveDate' })]);
    expect(checkCollection(c, '2026-03-06', [first]).ok).toBe(true);
    // A record entered in error does not count.
    expect(checkCollection(c, '2026-03-05', [{ ...first, enteredInError: true }]).ok).toBe(true);
  });

  it("an action of 'other' needs notes", () => {
    const r = MethadoneAlertActionData.safeParse({ action: 'other', notes: '  ' });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path)).toEqual([['notes']]);
    expect(MethadoneAlertActionData.safeParse({ action: 'other', notes: 'spoke to the GP' }).success).toBe(true);
    expect(MethadoneAlertActionData.safeParse({ action: 'contacted_pharmacy' }).success).toBe(true);
    expect(MethadoneAlertActionData.safeParse({ action: 'phoned' }).error!.issues[0]!.path).toEqual(['action']);
  });
});

describe('consecutiveNonCollections', () => {
  it('counts the trailing run of scheduled collections, not calendar days', () => {
    const records = [
      collection('2026-03-01', 'collected'),
      collection('2026-03-02', 'not_collected'),
      // 3 March: no record (the dose was given the day before); the run goes on.
      collection('2026-03-04', 'not_collected'),
      collection('2026-03-05', 'not_collected'),
    ];
    expect(nonCollectionRun(records)).toMatchObject({ count: 3, dates: ['2026-03-02', '2026-03-04', '2026-03-05'], lastOn: '2026-03-05', lastCollectedOn: '2026-03-01' });
    expect(consecutiveNonCollections([...records, collection('2026-03-06', 'supervised')])).toBe(0);
    expect(consecutiveNonCollections([])).toBe(0);
    expect(nonCollectionRun([collection('2026-03-02', 'not_collected')])).toMatchObject({ count: 1, lastCollectedOn: null });
  });

  it('leaves out records entered in error and other kinds', () => {
    const records = [collection('2026-03-01', 'not_collected'), { ...collection('2026-03-02', 'collected'), enteredInError: true }, action('2026-03-02')];
    expect(consecutiveNonCollections(records)).toBe(1);
  });

  const day = fc.integer({ min: 0, max: 400 }).map((n) => Temporal.PlainDate.from('2026-01-01').add({ days: n }).toString());
  const status = fc.constantFrom(...COLLECTION_STATUSES);
  // A person's collections: at most one per day.
  const history = fc.uniqueArray(fc.tuple(day, status), { selector: ([d]) => d, maxLength: 30 }).map((xs) => xs.map(([d, s]) => collection(d, s)));
  const after = (records: CareRecord[]) => {
    const last = records.map((r) => r.effectiveDate).sort().at(-1) ?? '2025-12-31';
    return Temporal.PlainDate.from(last).add({ days: 1 }).toString();
  };

  it('appending a collection of any kind but not_collected resets it to 0', () => {
    fc.assert(
      fc.property(history, fc.constantFrom<CollectionStatus>('collected', 'partial', 'supervised'), (records, s) => {
        expect(consecutiveNonCollections([...records, collection(after(records), s)])).toBe(0);
      }),
    );
  });

  it('appending not_collected adds 1, however many days later', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 0, max: 30 }), (records, gap) => {
        const next = Temporal.PlainDate.from(after(records)).add({ days: gap }).toString();
        expect(consecutiveNonCollections([...records, collection(next, 'not_collected')])).toBe(consecutiveNonCollections(records) + 1);
      }),
    );
  });

  it('does not depend on the order the records come in, and never exceeds the number of not_collected', () => {
    fc.assert(
      fc.property(history.chain((r) => fc.tuple(fc.constant(r), fc.shuffledSubarray(r, { minLength: r.length, maxLength: r.length }))), ([records, shuffled]) => {
        const n = consecutiveNonCollections(records);
        expect(consecutiveNonCollections(shuffled)).toBe(n);
        expect(n).toBeLessThanOrEqual(records.filter((r) => (r.data as { status: string }).status === 'not_collected').length);
      }),
    );
  });
});

describe('methadoneRules', () => {
  const missed3 = [collection('2026-03-05', 'collected'), collection('2026-03-06', 'not_collected'), collection('2026-03-07', 'not_collected'), collection('2026-03-08', 'not_collected')];

  it('nothing below the threshold (3 by default)', () => {
    const two = missed3.slice(0, 3);
    expect(methadoneRules.alerts(input(two))).toEqual([]);
    expect(methadoneRules.workItems(input(two))).toEqual([]);
  });

  it('at the threshold: a danger alert at the hatch and a danger item for the prescriber', () => {
    const alerts = methadoneRules.alerts(input(missed3));
    expect(alerts).toEqual([
      {
        kind: 'methadone_non_collection',
        severity: 'danger',
        text: 'Methadone not collected 3 times running (last on 2026-03-08; last collected 2026-03-05): tolerance may be lower — assess before dosing and tell the prescriber',
      },
    ]);
    const items = methadoneRules.workItems(input(missed3));
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ list: 'methadone_non_collection', severity: 'danger', dueOn: '2026-03-08', overdue: true, recordId: missed3[3]!.recordId });
    expect(items[0]!.text).toContain('2026-03-06, 2026-03-07, 2026-03-08');
  });

  it("follows the clinic's threshold", () => {
    const i = input(missed3);
    i.settings.monitoring.methadoneNonCollectionAlertAfter = 4;
    expect(methadoneRules.alerts(i)).toEqual([]);
    i.settings.monitoring.methadoneNonCollectionAlertAfter = 2;
    expect(methadoneRules.workItems(i)[0]!.dueOn).toBe('2026-03-07');
  });

  it("a prescriber's action on or after the last missed dose clears the work item, not the hatch alert", () => {
    const before = input([...missed3, action('2026-03-07')]);
    expect(methadoneRules.workItems(before)).toHaveLength(1);
    const sameDay = input([...missed3, action('2026-03-08')]);
    expect(methadoneRules.workItems(sameDay)).toEqual([]);
    expect(methadoneRules.alerts(sameDay)).toHaveLength(1);
    // Another miss after the action brings the item back.
    const again = input([...missed3, action('2026-03-08'), collection('2026-03-09', 'not_collected')]);
    expect(methadoneRules.workItems(again)[0]!.text).toMatch(/^Methadone not collected 4 times running/);
  });

  it('a collection ends the run: no alert, no item', () => {
    const r = input([...missed3, collection('2026-03-09', 'partial')]);
    expect(methadoneRules.alerts(r)).toEqual([]);
    expect(methadoneRules.workItems(r)).toEqual([]);
  });

  it('no methadone prescribed: nothing; absent or out of treatment: no work item', () => {
    expect(methadoneRules.alerts(input(missed3, { prescription: null }))).toEqual([]);
    expect(methadoneRules.workItems(input(missed3, { prescription: { methadone: null } as unknown as PrescriptionContent }))).toEqual([]);
    expect(methadoneRules.workItems(input(missed3, { absent: true }))).toEqual([]);
    expect(methadoneRules.workItems(input(missed3, { inTreatment: false }))).toEqual([]);
  });

  it('says when there is no collection on record', () => {
    const never = [collection('2026-03-06', 'not_collected'), collection('2026-03-07', 'not_collected'), collection('2026-03-08', 'not_collected')];
    expect(methadoneRules.alerts(input(never))[0]!.text).toContain('no collection on record');
  });
});
