import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normaliseUsername, PortalConsent, portalAccountRefusals, portalPasswordProblems, usernameProblems } from './portal-account';

const jo = { givenName: 'Joanne', familyName: 'Bloggs', preferredName: 'Jo' };

describe('portal usernames', () => {
  it('accepts 4–40 letters, digits, dots, dashes and underscores, compared without case', () => {
    for (const ok of ['blue-kite', 'm4rch.walker', 'kite_2026', 'abcd', 'a'.repeat(40)]) expect(usernameProblems(ok, jo), ok).toEqual([]);
    expect(normaliseUsername('  Blue-Kite ')).toBe('blue-kite');
    expect(usernameProblems('  Blue-Kite ', jo)).toEqual([]);
  });

  it('refuses short, long and odd ones, naming the field', () => {
    for (const bad of ['abc', 'a'.repeat(41), '-kite', 'blue kite', 'kite!', 'ké-te', '']) {
      expect(usernameProblems(bad, jo, 'username'), bad).toEqual([{ field: 'username', message: expect.stringContaining('4–40 characters') }]);
    }
  });

  it("refuses the person's name (a shared phone keeps usernames), but not a two-letter short name", () => {
    for (const bad of ['joanne77', 'j.bloggs', 'BLOGGS-1', 'xx-joanne-xx']) {
      expect(usernameProblems(bad, jo), bad).toEqual([{ field: 'username', message: expect.stringContaining("person's name") }]);
    }
    expect(usernameProblems('jo-kite', jo)).toEqual([]);
    expect(usernameProblems('an-oak', { givenName: "Mary-Ann", familyName: "O'Neil", preferredName: null })).toEqual([]);
    expect(usernameProblems('oneil.walks', { givenName: 'Mary-Ann', familyName: "O'Neil", preferredName: null })).toHaveLength(1);
  });

  it('every username it accepts is stored as it will be compared: lower case, trimmed, matching the pattern', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 50 }), (raw) => {
        if (usernameProblems(raw, { givenName: 'Zzq', familyName: 'Qqz', preferredName: null }).length === 0) {
          const u = normaliseUsername(raw);
          expect(u).toBe(u.toLowerCase());
          expect(u).toMatch(/^[a-z0-9][a-z0-9._-]{3,39}$/);
        }
      }),
    );
  });
});

describe('portal passwords', () => {
  it('follow the staff policy, naming the field', () => {
    expect(portalPasswordProblems('short', { ...jo, username: 'blue-kite' }, 'temporaryPassword')).toEqual([
      { field: 'temporaryPassword', message: expect.stringContaining('at least 12 characters') },
    ]);
    expect(portalPasswordProblems('correct horse battery staple', { ...jo, username: 'blue-kite' }, 'newPassword')).toEqual([]);
  });

  it("refuse the username and the person's names", () => {
    expect(portalPasswordProblems('blue-kite is my password', { ...jo, username: 'blue-kite' }, 'newPassword')).toEqual([
      { field: 'newPassword', message: 'must not contain your name or email address' },
    ]);
    expect(portalPasswordProblems('bloggs family forever', { ...jo, username: 'blue-kite' }, 'newPassword')).toHaveLength(1);
  });
});

describe('opening an account', () => {
  it('needs the portal on and the person in treatment, each a named rule', () => {
    expect(portalAccountRefusals({ portalEnabled: true, inTreatment: true })).toEqual([]);
    expect(portalAccountRefusals({ portalEnabled: false, inTreatment: true }).map((r) => r.rule)).toEqual(['portal_disabled']);
    expect(portalAccountRefusals({ portalEnabled: true, inTreatment: false }).map((r) => r.rule)).toEqual(['not_in_treatment']);
    expect(portalAccountRefusals({ portalEnabled: false, inTreatment: false }).map((r) => r.rule)).toEqual(['portal_disabled', 'not_in_treatment']);
  });

  it('needs both parts of consent to be true, naming the missing one', () => {
    expect(PortalConsent.safeParse({ explained: true, sharedPhoneWarningGiven: true }).success).toBe(true);
    const missing = PortalConsent.safeParse({ explained: true, sharedPhoneWarningGiven: false });
    expect(missing.success).toBe(false);
    expect(missing.error!.issues[0]!.path).toEqual(['sharedPhoneWarningGiven']);
    expect(missing.error!.issues[0]!.message).toContain('shared phones');
    expect(PortalConsent.safeParse({ sharedPhoneWarningGiven: true }).error!.issues[0]!.path).toEqual(['explained']);
  });
});
