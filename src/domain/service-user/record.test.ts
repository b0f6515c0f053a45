import { describe, expect, it } from 'vitest';
import { checkWith } from '../validation';
import { checkServiceUserRecord, displayName, recordAlerts, recordDateProblems, ServiceUserRecordSchema } from './record';

const minimal = { familyName: 'Bloggs', givenName: 'Joanne', dateOfBirth: '1980-05-17', address: { lines: ['1 High Street', 'Middlesbrough'], postcode: 'TS1 1AA' } };

describe('service user record', () => {
  it('accepts a minimal record and fills the defaults', () => {
    const r = ServiceUserRecordSchema.parse(minimal);
    expect(r.nhsNumber).toBeNull();
    expect(r.reviewIntervalDays).toBe(7);
    expect(r.consentToShare).toEqual({ gp: false, pharmacy: false, others: [], recordedOn: null });
    expect(r.pregnancy.status).toBe('unknown');
  });

  it('validates and normalises the NHS number', () => {
    const normalised = checkServiceUserRecord({ ...minimal, nhsNumber: '943 476 5919' });
    expect(normalised.ok && normalised.value.nhsNumber).toBe('9434765919');
    const bad = checkWith(ServiceUserRecordSchema, { ...minimal, nhsNumber: '943 476 5918' });
    expect(bad.ok ? null : bad.problems).toEqual([{ field: 'nhsNumber', message: 'is not a valid NHS number (10 digits with a correct check digit)' }]);
  });

  it('wants an address or no fixed abode, and a due date for a pregnancy', () => {
    const noAddress = checkWith(ServiceUserRecordSchema, { ...minimal, address: null });
    expect(noAddress.ok ? null : noAddress.problems[0]?.field).toBe('address');
    expect(checkWith(ServiceUserRecordSchema, { ...minimal, address: null, noFixedAbode: true }).ok).toBe(true);
    const pregnant = checkWith(ServiceUserRecordSchema, { ...minimal, pregnancy: { status: 'pregnant' } });
    expect(pregnant.ok ? null : pregnant.problems[0]?.field).toBe('pregnancy.dueDate');
  });

  it('names nested fields', () => {
    const r = checkWith(ServiceUserRecordSchema, { ...minimal, interactingMedicines: [{ name: 'diazepam', class: 'sleeping pills' }] });
    expect(r.ok ? null : r.problems[0]?.field).toBe('interactingMedicines[0].class');
  });

  it('refuses a birth date in the future or an implausible age', () => {
    const r = ServiceUserRecordSchema.parse({ ...minimal, dateOfBirth: '2030-01-01' });
    expect(recordDateProblems(r, '2026-03-02')).toEqual([{ field: 'dateOfBirth', message: 'is in the future' }]);
    expect(recordDateProblems(ServiceUserRecordSchema.parse({ ...minimal, dateOfBirth: '1900-01-01' }), '2026-03-02')[0]?.field).toBe('dateOfBirth');
    expect(recordDateProblems(ServiceUserRecordSchema.parse(minimal), '2026-03-02')).toEqual([]);
  });

  it('turns what makes a dose unsafe into alerts for the hatch', () => {
    const r = ServiceUserRecordSchema.parse({
      ...minimal,
      interactingMedicines: [{ name: 'pregabalin', class: 'gabapentinoid', dose: '300 mg bd' }],
      alcohol: { knownUse: true },
      pregnancy: { status: 'pregnant', dueDate: '2026-09-01', midwife: 'J. Smith, James Cook' },
      allergies: [{ substance: 'penicillin' }],
    });
    expect(recordAlerts(r).map((a) => [a.kind, a.severity])).toEqual([
      ['interacting_medicine', 'danger'],
      ['alcohol', 'warning'],
      ['pregnancy', 'danger'],
      ['allergy', 'warning'],
    ]);
    expect(recordAlerts(r)[0]?.text).toBe('Also takes pregabalin 300 mg bd (gabapentinoid): adds to sedation and respiratory depression');
  });

  it('shows the preferred name with the legal one', () => {
    expect(displayName({ givenName: 'Joanne', familyName: 'Bloggs', preferredName: 'Jo' })).toBe('Jo (Joanne) Bloggs');
    expect(displayName({ givenName: 'Joanne', familyName: 'Bloggs', preferredName: null })).toBe('Joanne Bloggs');
  });
});
