import type { Temporal } from 'temporal-polyfill';
import { sessionStatus, type SessionPolicy, type SessionTimes } from '../auth/session-expiry';
import type { PortalSettings } from './portal-settings';

/**
 * Portal sessions are short: the clinic's `sessionMinutes` without a request (15 by default, at most
 * 60), and never longer than 12 hours from sign-in, as for staff. A session stops working at once
 * when the clinic switches the portal off, the account is switched off, or the person is no longer
 * in treatment: each is checked on every request, not only at sign-in.
 */
export const PORTAL_ABSOLUTE_HOURS = 12;

export function portalSessionPolicy(settings: Pick<PortalSettings, 'sessionMinutes'>): SessionPolicy {
  return { idleMinutes: settings.sessionMinutes, absoluteHours: PORTAL_ABSOLUTE_HOURS };
}

export interface PortalAccessFacts {
  /** The clinic's portal switch. */
  portalEnabled: boolean;
  /** The account's own switch (staff turn it off, e.g. at a sign of coercion). */
  accountEnabled: boolean;
  inTreatment: boolean;
}

export type PortalAccess = 'active' | 'revoked' | 'idle_expired' | 'absolute_expired' | 'portal_off' | 'account_disabled' | 'not_in_treatment';

/** Whether someone may sign in now (before the password is checked, nothing is said about why not). */
export function maySignIn(f: PortalAccessFacts): boolean {
  return f.portalEnabled && f.accountEnabled && f.inTreatment;
}

/** Whether a portal session may be used now; anything but 'active' ends it. */
export function portalAccess(session: SessionTimes, now: Temporal.Instant, settings: Pick<PortalSettings, 'sessionMinutes'>, f: PortalAccessFacts): PortalAccess {
  if (!f.portalEnabled) return 'portal_off';
  if (!f.accountEnabled) return 'account_disabled';
  if (!f.inTreatment) return 'not_in_treatment';
  return sessionStatus(session, now, portalSessionPolicy(settings));
}
