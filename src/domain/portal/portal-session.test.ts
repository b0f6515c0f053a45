import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { maySignIn, PORTAL_ABSOLUTE_HOURS, portalAccess, portalSessionPolicy } from './portal-session';

const t0 = Temporal.Instant.from('2026-03-02T09:00:00Z');
const on = { portalEnabled: true, accountEnabled: true, inTreatment: true };
const fresh = { createdAt: t0, lastSeenAt: t0, revokedAt: null };

describe('portal sessions', () => {
  it("end after the clinic's idle minutes, and 12 hours after sign-in however busy", () => {
    expect(portalSessionPolicy({ sessionMinutes: 15 })).toEqual({ idleMinutes: 15, absoluteHours: PORTAL_ABSOLUTE_HOURS });
    expect(portalAccess(fresh, t0.add({ minutes: 14, seconds: 59 }), { sessionMinutes: 15 }, on)).toBe('active');
    expect(portalAccess(fresh, t0.add({ minutes: 15 }), { sessionMinutes: 15 }, on)).toBe('idle_expired');
    const busy = { createdAt: t0, lastSeenAt: t0.add({ hours: 11, minutes: 59 }), revokedAt: null };
    expect(portalAccess(busy, t0.add({ hours: 11, minutes: 59, seconds: 30 }), { sessionMinutes: 15 }, on)).toBe('active');
    expect(portalAccess(busy, t0.add({ hours: 12 }), { sessionMinutes: 15 }, on)).toBe('absolute_expired');
    expect(portalAccess({ ...fresh, revokedAt: t0 }, t0, { sessionMinutes: 15 }, on)).toBe('revoked');
  });

  it('stop at once when the portal, the account or the treatment stops', () => {
    expect(portalAccess(fresh, t0, { sessionMinutes: 15 }, { ...on, portalEnabled: false })).toBe('portal_off');
    expect(portalAccess(fresh, t0, { sessionMinutes: 15 }, { ...on, accountEnabled: false })).toBe('account_disabled');
    expect(portalAccess(fresh, t0, { sessionMinutes: 15 }, { ...on, inTreatment: false })).toBe('not_in_treatment');
  });

  it('are active only when every switch is on and the session is within both limits (property)', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 5, max: 60 }),
        fc.integer({ min: 0, max: 13 * 60 }),
        fc.integer({ min: 0, max: 120 }),
        (portalEnabled, accountEnabled, inTreatment, revoked, sessionMinutes, lastSeenAfter, idle) => {
          const session = { createdAt: t0, lastSeenAt: t0.add({ minutes: lastSeenAfter }), revokedAt: revoked ? t0 : null };
          const now = session.lastSeenAt.add({ minutes: idle });
          const access = portalAccess(session, now, { sessionMinutes }, { portalEnabled, accountEnabled, inTreatment });
          const withinLimits = !revoked && idle < sessionMinutes && lastSeenAfter + idle < PORTAL_ABSOLUTE_HOURS * 60;
          expect(access === 'active').toBe(portalEnabled && accountEnabled && inTreatment && withinLimits);
          expect(maySignIn({ portalEnabled, accountEnabled, inTreatment })).toBe(portalEnabled && accountEnabled && inTreatment);
        },
      ),
    );
  });
});
