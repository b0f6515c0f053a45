import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { ROLES, type Role } from './roles';
import { BREAK_GLASS_HOURS, BREAK_GLASS_REASON_MIN, BREAK_GLASS_ROLES, breakGlassCovers, decideBreakGlass, grantActive } from './break-glass';

const now = Temporal.Instant.from('2026-03-02T09:00:00Z');
const reason = 'Collapsed in the waiting room; need the prescription';

describe('break-glass rules', () => {
  it('grants a clinician with a reason for exactly the set hours', () => {
    const d = decideBreakGlass({ rolesHere: ['nurse'], rolesThere: [], reason }, now);
    expect(d).toEqual({ ok: true, value: { expiresAt: now.add({ hours: BREAK_GLASS_HOURS }) } });
  });

  it('refuses anyone holding none of the clinical roles that may break the glass', () => {
    fc.assert(
      fc.property(fc.subarray([...ROLES]), (roles: Role[]) => {
        const d = decideBreakGlass({ rolesHere: roles, rolesThere: [], reason }, now);
        const clinician = roles.some((r) => (BREAK_GLASS_ROLES as readonly Role[]).includes(r));
        expect(d.ok).toBe(clinician);
        if (!d.ok) expect(d.refusals.map((r) => r.rule)).toContain('break_glass_role');
      }),
    );
  });

  it('refuses a reason shorter than the minimum (blank padding does not count)', () => {
    const short = 'x'.repeat(BREAK_GLASS_REASON_MIN - 1);
    const d = decideBreakGlass({ rolesHere: ['prescriber'], rolesThere: [], reason: `   ${short}   ` }, now);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.refusals[0]).toMatchObject({ rule: 'break_glass_reason', field: 'reason' });
  });

  it('is not for a clinic where one already holds a role (other than commissioner)', () => {
    expect(decideBreakGlass({ rolesHere: ['nurse'], rolesThere: ['hca'], reason }, now).ok).toBe(false);
    expect(decideBreakGlass({ rolesHere: ['nurse'], rolesThere: ['commissioner'], reason }, now).ok).toBe(true);
  });

  it('a grant counts from its start until, not including, its expiry', () => {
    const grant = { grantedAt: now, expiresAt: now.add({ hours: BREAK_GLASS_HOURS }) };
    expect(grantActive(grant, now)).toBe(true);
    expect(grantActive(grant, grant.expiresAt.subtract({ nanoseconds: 1 }))).toBe(true);
    expect(grantActive(grant, grant.expiresAt)).toBe(false);
    expect(grantActive(grant, now.subtract({ seconds: 1 }))).toBe(false);
  });

  it('opens only reads of one person, on routes clinicians read', () => {
    const person = '/api/v1/clinics/:clinicId/service-users/:serviceUserId';
    expect(breakGlassCovers('GET', person, ['admin', 'nurse'])).toBe(true);
    expect(breakGlassCovers('GET', `${person}/prescriptions`, ['prescriber'])).toBe(true);
    expect(breakGlassCovers('PUT', person, ['admin', 'nurse'])).toBe(false);
    expect(breakGlassCovers('POST', `${person}/toxicology`, ['nurse'])).toBe(false);
    expect(breakGlassCovers('GET', '/api/v1/clinics/:clinicId/service-users', ['nurse'])).toBe(false);
    expect(breakGlassCovers('GET', '/api/v1/clinics/:clinicId/dose-list', ['nurse'])).toBe(false);
    expect(breakGlassCovers('GET', `${person}/portal-account`, ['admin', 'keyworker', 'prescriber', 'nurse'])).toBe(false);
  });
});
