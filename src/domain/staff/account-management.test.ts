import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mayManageAccount } from './account-management';

describe('mayManageAccount', () => {
  it('lets an administrator manage someone who works only at clinics they administer', () => {
    expect(
      mayManageAccount(
        { deploymentAdmin: false, adminAtClinics: new Set(['a', 'b']) },
        { deploymentAdmin: false, clinics: new Set(['a']) },
      ),
    ).toEqual({ allowed: true });
  });

  it('refuses when the person also works at a clinic the administrator does not administer', () => {
    const decision = mayManageAccount(
      { deploymentAdmin: false, adminAtClinics: new Set(['a']) },
      { deploymentAdmin: false, clinics: new Set(['a', 'b']) },
    );
    expect(decision.allowed).toBe(false);
  });

  it('keeps deployment administrators\' accounts for deployment administrators', () => {
    expect(
      mayManageAccount(
        { deploymentAdmin: false, adminAtClinics: new Set(['a']) },
        { deploymentAdmin: true, clinics: new Set(['a']) },
      ).allowed,
    ).toBe(false);
    expect(
      mayManageAccount(
        { deploymentAdmin: true, adminAtClinics: new Set() },
        { deploymentAdmin: true, clinics: new Set(['a']) },
      ).allowed,
    ).toBe(true);
  });

  it('is allowed exactly when the account\'s clinics are a subset of the administrator\'s (property)', () => {
    const clinics = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'));
    fc.assert(
      fc.property(clinics, clinics, (admin, account) => {
        const decision = mayManageAccount(
          { deploymentAdmin: false, adminAtClinics: new Set(admin) },
          { deploymentAdmin: false, clinics: new Set(account) },
        );
        expect(decision.allowed).toBe(account.every((c) => admin.includes(c)));
      }),
    );
  });
});
