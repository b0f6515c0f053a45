import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { isLockedOut, recordFailedLogin, recordSuccessfulLogin, type LockoutState } from './login-lockout';

const policy = { maxFailures: 5, lockMinutes: 15 };
const t0 = Temporal.Instant.from('2026-01-05T09:00:00Z');

describe('login lockout', () => {
  it('locks on the fifth consecutive failure, for 15 minutes', () => {
    let state: LockoutState = recordSuccessfulLogin();
    for (let i = 1; i <= 4; i++) {
      state = recordFailedLogin(state, t0, policy);
      expect(isLockedOut(state, t0)).toBe(false);
    }
    state = recordFailedLogin(state, t0, policy);
    expect(isLockedOut(state, t0)).toBe(true);
    expect(isLockedOut(state, t0.add({ minutes: 14, seconds: 59 }))).toBe(true);
    expect(isLockedOut(state, t0.add({ minutes: 15 }))).toBe(false);
  });

  it('does not extend the lock for attempts made while locked', () => {
    let state: LockoutState = { failedCount: 5, lockedUntil: t0.add({ minutes: 15 }) };
    state = recordFailedLogin(state, t0.add({ minutes: 10 }), policy);
    expect(state.lockedUntil?.toString()).toBe(t0.add({ minutes: 15 }).toString());
  });

  it('starts counting again after a lock has run out', () => {
    let state: LockoutState = { failedCount: 5, lockedUntil: t0 };
    state = recordFailedLogin(state, t0.add({ minutes: 1 }), policy);
    expect(state).toEqual({ failedCount: 1, lockedUntil: null });
  });

  it('never locks with fewer than maxFailures consecutive failures, and always locks at maxFailures (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { maxLength: 40 }),
        fc.integer({ min: 1, max: 10 }),
        (outcomes, maxFailures) => {
          // All attempts at the same moment: the lock, once set, cannot run out.
          const p = { maxFailures, lockMinutes: 15 };
          let state: LockoutState = recordSuccessfulLogin();
          let run = 0;
          let locked = false;
          for (const success of outcomes) {
            if (locked) {
              state = success ? state : recordFailedLogin(state, t0, p);
              expect(isLockedOut(state, t0)).toBe(true);
              continue;
            }
            if (success) {
              state = recordSuccessfulLogin();
              run = 0;
            } else {
              state = recordFailedLogin(state, t0, p);
              run++;
            }
            locked = run >= maxFailures;
            expect(isLockedOut(state, t0)).toBe(locked);
          }
        },
      ),
    );
  });
});
