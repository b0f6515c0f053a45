import { Temporal } from 'temporal-polyfill';

/**
 * Account lockout after repeated failed logins. Only consecutive failures count: a successful
 * login starts again from zero. While locked, even the right password is refused, so a guesser
 * learns nothing from trying during the lock.
 */
export interface LockoutPolicy {
  maxFailures: number;
  lockMinutes: number;
}

export interface LockoutState {
  failedCount: number;
  lockedUntil: Temporal.Instant | null;
}

export function isLockedOut(state: LockoutState, now: Temporal.Instant): boolean {
  return state.lockedUntil !== null && Temporal.Instant.compare(now, state.lockedUntil) < 0;
}

export function recordFailedLogin(state: LockoutState, now: Temporal.Instant, policy: LockoutPolicy): LockoutState {
  if (isLockedOut(state, now)) return state;
  // A lock that has run out starts a fresh count.
  const failedCount = (state.lockedUntil !== null ? 0 : state.failedCount) + 1;
  if (failedCount >= policy.maxFailures) {
    return { failedCount, lockedUntil: now.add({ minutes: policy.lockMinutes }) };
  }
  return { failedCount, lockedUntil: null };
}

export function recordSuccessfulLogin(): LockoutState {
  return { failedCount: 0, lockedUntil: null };
}
