import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { defaultClinicSettings, type ClinicSettings } from '../clinic/clinic-settings';
import type { PersonInCare } from '../care/person-in-care';
import { ServiceUserRecordSchema } from '../service-user/record';
import { takeHomeRules, type TakeHomeCareFacts } from './rules';
import { addDays, assessment, careRecord, prescription, toxicology } from './test-fixtures';
import type { TakeHomeSupply } from './records';

const TODAY = '2026-06-15';

function settings(): ClinicSettings {
  const s = defaultClinicSettings('Test');
  s.takeHome = { ...s.takeHome, enabled: true };
  return s;
}

const supply = (fromDate: string, toDate: string, over: Partial<TakeHomeSupply> = {}) =>
  careRecord<TakeHomeSupply>('take_home_supply', fromDate, {
    fromDate,
    toDate,
    sessions: ['AM', 'PM'],
    days: 3,
    doses: 6,
    route: 'iv',
    dosePerSessionMg: 200,
    totalMg: 1200,
    ampoules: [{ itemId: 'p100', strengthMg: 100, perDose: 2, count: 12, registerSeq: 1 }],
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

function person(records: PersonInCare['records'], over: Partial<PersonInCare> = {}): PersonInCare {
  return {
    serviceUserId: 'su-1',
    record: ServiceUserRecordSchema.parse({ familyName: 'Bloggs', givenName: 'Jo', dateOfBirth: '1980-01-01', address: { lines: ['1 High St'], postcode: 'TS1 1AA' } }),
    episodeState: 'maintenance',
    inTreatment: true,
    absent: false,
    treatmentStartedOn: '2025-12-01',
    dischargedOn: null,
    prescription: prescription(),
    records: [assessment(addDays(TODAY, -10)), ...Array.from({ length: 9 }, (_, j) => toxicology(addDays(TODAY, -7 * j))), ...records],
    assessmentBreathTests: [],
    ...over,
  };
}

const input = (p: PersonInCare) => ({ person: p, settings: settings(), today: TODAY, now: Temporal.Instant.from(`${TODAY}T09:00:00Z`) });

describe('take-home in the work lists and at the hatch', () => {
  it('shows today’s take-home sessions at the hatch, and nothing else while all is well', () => {
    const p = person([supply(addDays(TODAY, -1), addDays(TODAY, 1))]);
    expect(takeHomeRules.workItems(input(p))).toEqual([]);
    expect(takeHomeRules.alerts(input(p))).toEqual([{ kind: 'take_home', severity: 'info', text: 'Take-home doses for AM, PM today (supply to 2026-06-16): no dose at the clinic in those sessions' }]);
  });

  it('a street-heroin positive while holding doses: a danger alert and an item on the prescriber’s list', () => {
    const held = supply(addDays(TODAY, -1), addDays(TODAY, 3));
    const p = person([held, toxicology(TODAY, 'positive')]);
    const items = takeHomeRules.workItems(input(p));
    expect(items).toEqual([
      expect.objectContaining({ list: 'reviews_due', severity: 'danger', dueOn: TODAY, recordId: held.recordId, serviceUserId: 'su-1' }),
    ]);
    expect(items[0]!.text).toContain('Toxicology negative for street heroin: Positive for street heroin on 2026-06-15 (papaverine)');
    expect(takeHomeRules.alerts(input(p))[0]).toMatchObject({ kind: 'take_home_suspended', severity: 'danger' });
  });

  it('an absence, or a prescription changed under the supply, raises it too; a supply that is over does not', () => {
    const held = supply(TODAY, addDays(TODAY, 2));
    expect(takeHomeRules.workItems(input(person([held], { absent: true })))[0]!.text).toContain('Recorded as away');
    const lowered = person([held], { prescription: prescription({ ivDoseMg: 150 }) });
    expect(takeHomeRules.workItems(input(lowered))[0]!.text).toContain('The supply holds 200 mg doses; the IV dose prescribed now is 150 mg');
    const over = person([supply(addDays(TODAY, -5), addDays(TODAY, -1)), toxicology(TODAY, 'positive')]);
    expect(takeHomeRules.workItems(input(over))).toEqual([]);
    expect(takeHomeRules.alerts(input(over))).toEqual([]);
  });

  it('sees missed doses and the lock when the server attaches the dose facts', () => {
    const held = supply(TODAY, addDays(TODAY, 2));
    const facts: TakeHomeCareFacts = { doses: { from: '2025-01-01', refusals: [], missed: [{ clinicDate: addDays(TODAY, -1), session: 'PM' }] }, retitrationLocked: true, episode: { retitrationRequired: false, reviewRequired: false, absenceStartedOn: [] } };
    const p = { ...person([held]), takeHomeFacts: facts };
    const text = takeHomeRules.workItems(input(p))[0]!.text;
    expect(text).toContain('No missed doses: 1 dose missed');
    expect(text).toContain('Locked to the re-titration dose');
  });
});
