import { Temporal } from 'temporal-polyfill';

/**
 * A signed-in session ends when it is revoked (logout, password change), when nobody has used it
 * for the idle limit (an unattended screen at the hatch), or at the absolute limit (a shift).
 */
export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
}

export interface SessionTimes {
  createdAt: Temporal.Instant;
  lastSeenAt: Temporal.Instant;
  revokedAt: Temporal.Instant | null;
}

export type SessionStatus = 'active' | 'revoked' | 'idle_expired' | 'absolute_expired';

export function sessionStatus(session: SessionTimes, now: Temporal.Instant, policy: SessionPolicy): SessionStatus {
  if (session.revokedAt !== null) return 'revoked';
  if (Temporal.Instant.compare(now, absoluteExpiry(session, policy)) >= 0) return 'absolute_expired';
  if (Temporal.Instant.compare(now, session.lastSeenAt.add({ minutes: policy.idleMinutes })) >= 0) return 'idle_expired';
  return 'active';
}

export function absoluteExpiry(session: Pick<SessionTimes, 'createdAt'>, policy: SessionPolicy): Temporal.Instant {
  return session.createdAt.add({ hours: policy.absoluteHours });
}

/** Recording every request's time would make every read a write; a minute's precision is plenty. */
export function shouldRecordActivity(session: SessionTimes, now: Temporal.Instant): boolean {
  return Temporal.Instant.compare(now, session.lastSeenAt.add({ minutes: 1 })) >= 0;
}
