import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { sessionStatus } from './session-expiry';

const policy = { idleMinutes: 30, absoluteHours: 12 };
const t0 = Temporal.Instant.from('2026-01-05T08:00:00Z');

describe('sessionStatus', () => {
  it('expires after 30 idle minutes', () => {
    const s = { createdAt: t0, lastSeenAt: t0, revokedAt: null };
    expect(sessionStatus(s, t0.add({ minutes: 29 }), policy)).toBe('active');
    expect(sessionStatus(s, t0.add({ minutes: 30 }), policy)).toBe('idle_expired');
  });

  it('expires after 12 hours however busy', () => {
    const s = { createdAt: t0, lastSeenAt: t0.add({ hours: 11, minutes: 59 }), revokedAt: null };
    expect(sessionStatus(s, t0.add({ hours: 11, minutes: 59, seconds: 59 }), policy)).toBe('active');
    expect(sessionStatus(s, t0.add({ hours: 12 }), policy)).toBe('absolute_expired');
  });

  it('a revoked session stays revoked', () => {
    expect(sessionStatus({ createdAt: t0, lastSeenAt: t0, revokedAt: t0 }, t0, policy)).toBe('revoked');
  });

  it('is active only within both limits (property)', () => {
    fc.assert(
      fc.property(fc.nat(2000), fc.nat(2000), (seenAfter, nowAfterSeen) => {
        const s = { createdAt: t0, lastSeenAt: t0.add({ minutes: seenAfter }), revokedAt: null };
        const now = s.lastSeenAt.add({ minutes: nowAfterSeen });
        const active = nowAfterSeen < 30 && seenAfter + nowAfterSeen < 12 * 60;
        expect(sessionStatus(s, now, policy) === 'active').toBe(active);
      }),
    );
  });
});
