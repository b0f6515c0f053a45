import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { defaultClinicSettings } from '../clinic/clinic-settings';
import { ServiceUserRecordSchema } from '../service-user/record';
import type { CareRecord, CareRecordKind } from './care-record';
import type { PersonInCare } from './person-in-care';
import {
  checkInjectionSiteProblem,
  checkNaloxoneSupply,
  EquipmentExchangeData,
  harmReductionRules,
  InjectionSiteProblemData,
  naloxoneItem,
  NaloxoneSupplyData,
  NaloxoneUseData,
  type InjectionSiteProblem,
  type NaloxoneSupply,
  type NaloxoneUse,
} from './harm-reduction';

const settings = defaultClinicSettings('Test clinic');
const baseRecord = ServiceUserRecordSchema.parse({ familyName: 'Bloggs', givenName: 'Jo', dateOfBirth: '1980-05-17', address: { lines: ['1 High Street'] } });

let seq = 0;
function rec<D>(kind: CareRecordKind, effectiveDate: string, data: D, over: Partial<CareRecord<D>> = {}): CareRecord<D> {
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
    recordedAt: `${effectiveDate}T10:00:00.000Z`,
    recordedBy: 'staff-1',
    ...over,
  };
}

const kit = (over: Partial<NaloxoneSupply> = {}): NaloxoneSupply =>
  NaloxoneSupplyData.parse({ product: 'prenoxad_injection', quantity: 1, batch: 'B123', expiryDate: '2027-06-30', reason: 'first_supply', trainingGiven: true, ...over });
const use = (over: Partial<NaloxoneUse> = {}): NaloxoneUse => NaloxoneUseData.parse({ usedOn: 'someone_else', ambulanceCalled: true, ...over });
const supplyOn = (date: string, over: Partial<NaloxoneSupply> = {}, rec_: Partial<CareRecord<NaloxoneSupply>> = {}) => rec('naloxone_supply', date, kit(over), rec_);
const useOn = (date: string, over: Partial<NaloxoneUse> = {}, rec_: Partial<CareRecord<NaloxoneUse>> = {}) => rec('naloxone_use', date, use(over), rec_);

const wound = (over: Record<string, unknown> = {}): InjectionSiteProblem =>
  InjectionSiteProblemData.parse({ site: 'left forearm', problem: 'abscess', description: 'Hot, swollen, 3 cm', severity: 'moderate', status: 'open', ...over });

function person(over: Partial<PersonInCare> = {}): PersonInCare {
  return {
    serviceUserId: 'su-1',
    record: baseRecord,
    episodeState: 'maintenance',
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
const input = (p: PersonInCare, today: string) => ({ person: p, settings, today, now: Temporal.Instant.from(`${today}T12:00:00Z`) });

const item = (today: string, supplies: CareRecord<NaloxoneSupply>[], uses: CareRecord<NaloxoneUse>[] = [], warningDays = 30) =>
  naloxoneItem({ serviceUserId: 'su-1', today, warningDays, treatmentStartedOn: '2026-02-01', supplies, uses });

/** Any clinic date from 2025 to 2028 (leap year and both clock changes of each year inside). */
const day = fc.integer({ min: 0, max: 4 * 366 }).map((n) => Temporal.PlainDate.from('2025-01-01').add({ days: n }).toString());
const plus = (d: string, n: number) => Temporal.PlainDate.from(d).add({ days: n }).toString();

describe('naloxone supply data', () => {
  it('needs a product name only for another product', () => {
    const other = NaloxoneSupplyData.safeParse({ product: 'other', quantity: 1, batch: 'X', expiryDate: '2027-01-01', reason: 'first_supply', trainingGiven: false });
    expect(other.success).toBe(false);
    expect(other.error!.issues[0]).toMatchObject({ path: ['productName'], message: 'name the product when it is other' });
    expect(NaloxoneSupplyData.safeParse({ ...kit(), product: 'other', productName: 'Naloxone 1.8 mg spray' }).success).toBe(true);
    const named = NaloxoneSupplyData.safeParse({ ...kit(), productName: 'Prenoxad' });
    expect(named.error!.issues[0]!.path).toEqual(['productName']);
  });

  it('gives 1 to 10 whole kits', () => {
    for (const quantity of [0, 11, 1.5]) expect(NaloxoneSupplyData.safeParse({ ...kit(), quantity }).error!.issues[0]!.path).toEqual(['quantity']);
    expect(NaloxoneSupplyData.safeParse({ ...kit(), quantity: 10 }).success).toBe(true);
  });

  it('refuses a kit that has expired or expires on the day of supply; accepts one expiring the next day', () => {
    const expired = checkNaloxoneSupply(kit({ expiryDate: '2026-03-01' }), '2026-03-02');
    expect(expired).toMatchObject({ ok: false, refusals: [{ rule: 'naloxone_expired', field: 'expiryDate' }] });
    expect(checkNaloxoneSupply(kit({ expiryDate: '2026-03-02' }), '2026-03-02')).toMatchObject({ ok: false, refusals: [{ rule: 'naloxone_expired' }] });
    expect(checkNaloxoneSupply(kit({ expiryDate: '2026-03-03' }), '2026-03-02').ok).toBe(true);
  });

  it('refuses an expiry more than five years away (a typing slip)', () => {
    expect(checkNaloxoneSupply(kit({ expiryDate: '2031-03-02' }), '2026-03-02').ok).toBe(true);
    expect(checkNaloxoneSupply(kit({ expiryDate: '2031-03-03' }), '2026-03-02')).toMatchObject({ ok: false, refusals: [{ rule: 'naloxone_expiry_implausible', field: 'expiryDate' }] });
  });

  it('refuses exactly when the expiry is not after the supply date (property)', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: -400, max: 400 }), (supplied, offset) => {
        const result = checkNaloxoneSupply(kit({ expiryDate: plus(supplied, offset) }), supplied);
        expect(result.ok).toBe(offset > 0);
      }),
    );
  });
});

describe('naloxone work list', () => {
  it('offers a kit to someone never supplied, due from the start of treatment', () => {
    expect(item('2026-03-10', [])).toMatchObject({ list: 'naloxone_expiring', severity: 'info', dueOn: '2026-02-01', overdue: true, text: expect.stringContaining('offer a kit') });
  });

  it('warns within the warning window, counting today; says nothing before it', () => {
    const s = [supplyOn('2025-06-01', { expiryDate: '2026-04-09' })];
    expect(item('2026-03-09', s)).toBeNull(); // 31 days ahead
    expect(item('2026-03-10', s)).toMatchObject({ severity: 'warning', dueOn: '2026-04-09', overdue: false, text: expect.stringContaining('expires on 2026-04-09') });
    expect(item('2026-04-09', s)).toMatchObject({ severity: 'warning', text: expect.stringContaining('expires today') });
    expect(item('2026-04-10', s)).toMatchObject({ severity: 'danger', overdue: true, text: expect.stringContaining('expired on 2026-04-09') });
  });

  it('goes by the latest kit supplied', () => {
    const s = [supplyOn('2025-01-01', { expiryDate: '2026-01-01' }), supplyOn('2026-01-05', { expiryDate: '2028-01-01', reason: 'replaces_expired' })];
    expect(item('2026-03-10', s)).toBeNull();
  });

  it('asks for a re-supply after a use, until a kit is supplied after it', () => {
    const s = supplyOn('2026-02-01');
    const u = useOn('2026-03-05', { usedOn: 'self', ambulanceCalled: false });
    expect(item('2026-03-10', [s], [u])).toMatchObject({ severity: 'danger', dueOn: '2026-03-05', overdue: true, recordId: u.recordId, text: 'Naloxone used on 2026-03-05 (on themselves): re-supply a kit' });
    expect(item('2026-03-10', [s, supplyOn('2026-03-06', { reason: 'replaces_used' })], [u])).toBeNull();
  });

  it('a use with no supply on record still asks for a kit, as a danger', () => {
    expect(item('2026-03-10', [], [useOn('2026-03-09')])).toMatchObject({ severity: 'danger', dueOn: '2026-03-09' });
  });

  it('on one day, the order the records were made decides', () => {
    const u = useOn('2026-03-05', {}, { recordedAt: '2026-03-05T10:00:00.000Z' });
    const after = supplyOn('2026-03-05', { reason: 'replaces_used' }, { recordedAt: '2026-03-05T10:05:00.000Z' });
    const before = supplyOn('2026-03-05', {}, { recordedAt: '2026-03-05T09:00:00.000Z' });
    expect(item('2026-03-05', [after], [u])).toBeNull();
    expect(item('2026-03-05', [before], [u])).toMatchObject({ severity: 'danger', overdue: false });
  });

  it('counts further uses since the latest supply', () => {
    const text = item('2026-03-10', [supplyOn('2026-02-01')], [useOn('2026-03-02'), useOn('2026-03-04'), useOn('2026-01-01')])!.text;
    expect(text).toBe('Naloxone used on 2026-03-02 (on someone else, ambulance called) and 1 more time since: re-supply a kit');
  });

  it('is not confused by the clocks changing (dates only)', () => {
    // Clocks go forward in the UK on 2026-03-29 and back on 2026-10-25.
    expect(item('2026-03-28', [supplyOn('2025-04-01', { expiryDate: '2026-03-29' })], [], 1)).toMatchObject({ severity: 'warning', dueOn: '2026-03-29' });
    expect(item('2026-03-28', [supplyOn('2025-04-01', { expiryDate: '2026-03-30' })], [], 1)).toBeNull();
    expect(item('2026-10-26', [supplyOn('2025-04-01', { expiryDate: '2026-10-25' })], [], 1)).toMatchObject({ severity: 'danger', dueOn: '2026-10-25' });
  });

  it('expiry: danger exactly when expired, warning exactly within the window, due on the expiry date (property)', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 1000 }), day, fc.integer({ min: 0, max: 180 }), (supplied, shelf, today, warningDays) => {
        const expiry = plus(supplied, shelf);
        const it_ = item(today, [supplyOn(supplied, { expiryDate: expiry })], [], warningDays);
        if (expiry < today) expect(it_).toMatchObject({ severity: 'danger', overdue: true, dueOn: expiry });
        else if (expiry <= plus(today, warningDays)) expect(it_).toMatchObject({ severity: 'warning', overdue: false, dueOn: expiry });
        else expect(it_).toBeNull();
        if (it_) expect(it_.overdue).toBe(it_.dueOn < today);
      }),
    );
  });

  it('a use is outstanding exactly when no supply is dated after it (property)', () => {
    const event = fc.record({ kind: fc.constantFrom('supply', 'use'), date: day });
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 8 }), day, (events, today) => {
        const supplies = events.filter((e) => e.kind === 'supply').map((e) => supplyOn(e.date, { expiryDate: plus(e.date, 3000) }));
        const uses = events.filter((e) => e.kind === 'use').map((e) => useOn(e.date));
        const lastSupply = supplies.map((s) => s.effectiveDate).sort().at(-1);
        // Same-day ties go by the order the records were made (as generated: supplies first), so a use on the supply's day counts as after it.
        const outstanding = uses.filter((u) => lastSupply === undefined || u.effectiveDate >= lastSupply);
        const result = item(today, supplies, uses, 0);
        if (outstanding.length > 0) {
          const first = outstanding.map((u) => u.effectiveDate).sort()[0]!;
          expect(result).toMatchObject({ severity: 'danger', dueOn: first, overdue: first < today });
        } else {
          expect(result?.text ?? '').not.toContain('used on');
        }
      }),
    );
  });
});

describe('injecting equipment data', () => {
  it('needs at least one item, unless sharps were returned', () => {
    const none = EquipmentExchangeData.safeParse({ given: [] });
    expect(none.error!.issues[0]!.path).toEqual(['given']);
    expect(EquipmentExchangeData.safeParse({}).success).toBe(false);
    expect(EquipmentExchangeData.parse({ sharpsReturned: { bins: 1, loose: 0 } })).toEqual({ given: [], sharpsReturned: { bins: 1, loose: 0 }, notes: null });
    expect(EquipmentExchangeData.safeParse({ sharpsReturned: { bins: 0, loose: 3 } }).success).toBe(true);
  });

  it('names the item at fault: another item needs a description; quantities 1–500; returns 0–20 bins, 0–500 loose', () => {
    const other = EquipmentExchangeData.safeParse({ given: [{ item: 'needles', quantity: 10 }, { item: 'other', quantity: 1 }] });
    expect(other.error!.issues[0]).toMatchObject({ path: ['given', 1, 'description'] });
    expect(EquipmentExchangeData.safeParse({ given: [{ item: 'other', quantity: 1, description: 'tourniquet' }] }).success).toBe(true);
    expect(EquipmentExchangeData.safeParse({ given: [{ item: 'syringes', quantity: 501 }] }).error!.issues[0]!.path).toEqual(['given', 0, 'quantity']);
    expect(EquipmentExchangeData.safeParse({ given: [{ item: 'syringes', quantity: 0 }] }).error!.issues[0]!.path).toEqual(['given', 0, 'quantity']);
    expect(EquipmentExchangeData.safeParse({ given: [{ item: 'spoons', quantity: 1 }] }).error!.issues[0]!.path).toEqual(['given', 0, 'item']);
    expect(EquipmentExchangeData.safeParse({ sharpsReturned: { bins: 21, loose: 0 } }).error!.issues[0]!.path).toEqual(['sharpsReturned', 'bins']);
    expect(EquipmentExchangeData.safeParse({ sharpsReturned: { bins: 0, loose: -1 } }).error!.issues[0]!.path).toEqual(['sharpsReturned', 'loose']);
  });
});

describe('injection-site problems', () => {
  it('a resolved problem needs its date; an open one has none', () => {
    expect(InjectionSiteProblemData.safeParse({ ...wound(), status: 'resolved' }).error!.issues[0]!.path).toEqual(['resolvedOn']);
    expect(InjectionSiteProblemData.safeParse({ ...wound(), resolvedOn: '2026-03-03' }).error!.issues[0]!.path).toEqual(['resolvedOn']);
    expect(InjectionSiteProblemData.safeParse({ ...wound(), status: 'resolved', resolvedOn: '2026-03-03' }).success).toBe(true);
  });

  it('dates follow the order found, referred, resolved, and none is after today', () => {
    const found = '2026-03-02';
    const today = '2026-03-10';
    expect(checkInjectionSiteProblem(wound({ status: 'resolved', resolvedOn: '2026-03-01' }), found, today)).toMatchObject({ ok: false, refusals: [{ rule: 'resolved_before_found', field: 'resolvedOn' }] });
    expect(checkInjectionSiteProblem(wound({ status: 'resolved', resolvedOn: '2026-03-11' }), found, today)).toMatchObject({ ok: false, refusals: [{ rule: 'date_in_future', field: 'resolvedOn' }] });
    expect(checkInjectionSiteProblem(wound({ referral: { to: 'gp', referredOn: '2026-03-01' } }), found, today)).toMatchObject({ ok: false, refusals: [{ rule: 'referred_before_found', field: 'referral.referredOn' }] });
    expect(checkInjectionSiteProblem(wound({ referral: { to: 'gp', referredOn: '2026-03-11' } }), found, today)).toMatchObject({ ok: false, refusals: [{ field: 'referral.referredOn' }] });
    expect(checkInjectionSiteProblem(wound({ status: 'resolved', resolvedOn: found, referral: { to: 'gp', referredOn: found } }), found, today).ok).toBe(true);
  });

  it('each open problem is on the wound-care list: danger if severe or DVT, warning if not referred, info otherwise', () => {
    const records = [
      rec('injection_site_problem', '2026-03-01', wound()),
      rec('injection_site_problem', '2026-03-02', wound({ referral: { to: 'wound_clinic', referredOn: '2026-03-02' } })),
      rec('injection_site_problem', '2026-03-03', wound({ severity: 'severe', problem: 'cellulitis', site: 'right thigh', referral: { to: 'gp', referredOn: '2026-03-03' } })),
      rec('injection_site_problem', '2026-03-04', wound({ problem: 'dvt', severity: 'mild', site: 'left leg' })),
      rec('injection_site_problem', '2026-02-01', wound({ status: 'resolved', resolvedOn: '2026-02-20' })),
    ];
    const items = harmReductionRules.workItems(input(person({ records, serviceUserId: 'su-1' }), '2026-03-04')).filter((i) => i.list === 'wound_care_open');
    expect(items.map((i) => [i.dueOn, i.severity, i.overdue])).toEqual([
      ['2026-03-01', 'warning', true],
      ['2026-03-02', 'info', false],
      ['2026-03-03', 'danger', false],
      ['2026-03-04', 'danger', false],
    ]);
    expect(items[0]!.text).toBe('Moderate abscess at left forearm, open since 2026-03-01: not referred for wound care');
    expect(items[1]!.text).toContain('referred to the wound clinic on 2026-03-02');
    expect(items[3]!.text).toContain('suspected DVT in left leg');
  });

  it('severity follows the rule for every combination (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('abscess', 'cellulitis', 'dvt', 'ulcer', 'other'), fc.constantFrom('mild', 'moderate', 'severe'), fc.boolean(), (problem, severity, referred) => {
        const r = rec('injection_site_problem', '2026-03-01', wound({ problem, severity, description: 'x', referral: referred ? { to: 'gp', referredOn: '2026-03-01' } : null }));
        const [i] = harmReductionRules.workItems(input(person({ records: [r] }), '2026-03-05')).filter((x) => x.list === 'wound_care_open');
        const expected = severity === 'severe' || problem === 'dvt' ? 'danger' : referred ? 'info' : 'warning';
        expect(i!.severity).toBe(expected);
      }),
    );
  });

  it('at the hatch: where not to inject; a DVT is a danger; resolved problems say nothing', () => {
    const records = [
      rec('injection_site_problem', '2026-03-01', wound({ site: 'left arm' })),
      rec('injection_site_problem', '2026-03-02', wound({ problem: 'dvt', site: 'right leg', severity: 'moderate' })),
      rec('injection_site_problem', '2026-02-01', wound({ site: 'groin', status: 'resolved', resolvedOn: '2026-02-10' })),
    ];
    expect(harmReductionRules.alerts(input(person({ records }), '2026-03-04'))).toEqual([
      { kind: 'injection_site', severity: 'warning', text: 'Open abscess at left arm (since 2026-03-01, moderate): do not inject there' },
      { kind: 'injection_site', severity: 'danger', text: 'Suspected DVT in right leg (since 2026-03-02): no injection in that limb' },
    ]);
  });
});

describe('harm reduction rules', () => {
  it('nobody out of treatment or away is on these lists', () => {
    const records = [rec('injection_site_problem', '2026-03-01', wound())];
    expect(harmReductionRules.workItems(input(person({ records }), '2026-03-04')).map((i) => i.list).sort()).toEqual(['naloxone_expiring', 'wound_care_open']);
    expect(harmReductionRules.workItems(input(person({ records, absent: true }), '2026-03-04'))).toEqual([]);
    expect(harmReductionRules.workItems(input(person({ records, inTreatment: false, episodeState: 'discharged' }), '2026-03-04'))).toEqual([]);
  });

  it('uses the clinic\'s naloxone warning days', () => {
    const records = [supplyOn('2025-06-01', { expiryDate: '2026-03-20' })];
    const p = person({ records });
    expect(harmReductionRules.workItems(input(p, '2026-03-04'))).toHaveLength(1);
    const strict = { ...settings, monitoring: { ...settings.monitoring, naloxoneExpiryWarningDays: 7 } };
    expect(harmReductionRules.workItems({ ...input(p, '2026-03-04'), settings: strict })).toEqual([]);
  });
});
