import { answerOf } from '../api';
import type { PortalContinuityPlan, PortalTakeHomeSupply } from '../../domain/portal/portal-records';

/**
 * The portal's own API client: the portal cookie (HttpOnly, sent only to /api/v1/portal) and the
 * portal's own CSRF token, kept apart from the staff app's.
 */
let csrfToken: string | null = null;

export function setPortalCsrf(token: string | null) {
  csrfToken = token;
}

export async function portalApi<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await fetch(`/api/v1/portal${path}`, {
    method,
    credentials: 'same-origin',
    cache: 'no-store',
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(csrfToken && method !== 'GET' ? { 'x-csrf-token': csrfToken } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = await answerOf(res);
  if (json && typeof json === 'object' && 'csrfToken' in json) setPortalCsrf((json as { csrfToken: string }).csrfToken);
  return json as T;
}

export const portalGet = <T>(path: string) => portalApi<T>('GET', path);
export const portalPost = <T>(path: string, body: unknown = {}) => portalApi<T>('POST', path, body);

/** Where Quick exit goes: an ordinary, neutral page. */
export const NEUTRAL_SITE = 'https://www.bbc.co.uk/weather';

/**
 * Leave at once: end the session on the server (the request outlives the page), forget everything
 * the page held, and replace this history entry with a neutral site, so Back does not return here.
 */
export function quickExit(forget: () => void) {
  try {
    void fetch('/api/v1/portal/logout', {
      method: 'POST',
      keepalive: true,
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) },
      body: '{}',
    }).catch(() => undefined);
  } catch {
    // Leaving matters more than the answer.
  }
  setPortalCsrf(null);
  forget();
  try {
    window.history.replaceState(null, '', '/');
  } catch {
    // ignore
  }
  window.location.replace(NEUTRAL_SITE);
}

// Shapes of the portal's answers (see src/contract/portal.ts).
export interface PortalSession {
  mustChangePassword: boolean;
  csrfToken: string;
  expiresAt: string;
  idleMinutes: number;
}
export interface SessionTime {
  date: string;
  sessionCode: string;
  label: string;
  opens: string;
  closes: string;
  status: 'given' | 'open_now' | 'later' | 'closed';
}
export type NoDoses = 'not_in_treatment' | 'away' | 'no_prescription' | 'paused' | 'stopped' | 'not_started' | 'ended';
export interface Today {
  today: string;
  next: SessionTime | null;
  days: { date: string; sessions: SessionTime[]; noDoses: NoDoses | null }[];
  arrival: { date: string; sessionCode: string; label: string; slotStart: string | null; slotEnd: string | null; areaName: string | null } | null;
}
export interface Dose {
  doseId: string;
  date: string;
  sessionCode: string;
  sessionLabel: string;
  kind: 'dose' | 'top_up';
  outcome: 'given' | 'not_given' | 'missed' | 'in_progress';
  givenMg: number;
  route: 'iv' | 'im' | null;
  givenAt: string | null;
}
export interface Appointment {
  kind: 'prescriber_review' | 'keywork' | 'drug_test';
  on: string;
  dueNow: boolean;
}
// The take-home supplies and the plan are built by domain/portal/portal-records.ts: the same shapes.
export type Supply = PortalTakeHomeSupply;
export type Plan = PortalContinuityPlan;
export interface PeerContact {
  name: string;
  role: string;
  contact: string;
  availability: string | null;
}
