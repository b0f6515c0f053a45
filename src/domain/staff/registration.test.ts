import { describe, expect, it } from 'vitest';
import { registrationProblems } from './registration';

const none = { professionalBody: null, registrationNumber: null, homeOfficeLicenceNumber: null, homeOfficeLicenceExpiry: null };

describe('registrationProblems', () => {
  it('accepts no registration at all (e.g. a health-care assistant) and a complete one', () => {
    expect(registrationProblems(none)).toEqual([]);
    expect(
      registrationProblems({ professionalBody: 'GMC', registrationNumber: '7654321', homeOfficeLicenceNumber: 'HO-123', homeOfficeLicenceExpiry: '2027-03-31' }),
    ).toEqual([]);
  });

  it('wants a licence number with its expiry, and a body with its number', () => {
    expect(registrationProblems({ ...none, homeOfficeLicenceNumber: 'HO-1' })).toEqual([
      { field: 'homeOfficeLicenceExpiry', message: 'give the Home Office licence number and its expiry date together' },
    ]);
    expect(registrationProblems({ ...none, registrationNumber: '123' })[0]?.field).toBe('professionalBody');
  });
});
