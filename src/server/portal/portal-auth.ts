import type { FastifyReply, FastifyRequest } from 'fastify';
import { readStoredClinicSettings, type ClinicSettings } from '../../domain/clinic/clinic-settings';
import { absoluteExpiry, shouldRecordActivity } from '../../domain/auth/session-expiry';
import { TREATMENT_STATES } from '../../domain/episode/episode-event';
import { portalAccess, portalSessionPolicy } from '../../domain/portal/portal-session';
import { dateToInstant, instantToDate } from '../../domain/time/clock';
import { currentSettings } from '../../store/clinics';
import type { Orm } from '../../store/database';
import { latestEpisode } from '../../store/episodes';
import { findPortalSession, getPortalAccount, recordPortalSessionActivity, type PortalAccountRow, type PortalSessionRow } from '../../store/portal';
import type { Actor } from '../../store/transaction';
import type { AppContext } from '../context';
import { unauthorized } from '../errors';
import { csrfTokenFor, hashToken } from '../auth/tokens';

/**
 * The portal's own sign-in, apart from staff sign-in: its own cookie, sent only to the portal's API
 * (Path=/api/v1/portal, so a browser never sends it to a staff route), its own sessions table, and
 * checks on every request that the clinic's portal and the person's account are still switched on.
 */
export const PORTAL_COOKIE = 'openhat_portal';
export const PORTAL_COOKIE_PATH = '/api/v1/portal';

export interface PortalSignedIn {
  session: PortalSessionRow;
  /** The raw token from the cookie (for the CSRF token); never stored. */
  sessionToken: string;
  account: PortalAccountRow;
  settings: ClinicSettings;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in service user on a portal route, or null. */
    portal: PortalSignedIn | null;
  }
}

export async function inTreatment(orm: Orm, clinicId: string, serviceUserId: string): Promise<boolean> {
  const episode = await latestEpisode(orm, clinicId, serviceUserId);
  return episode !== null && TREATMENT_STATES.has(episode.episode.state);
}

export async function clinicSettingsOf(orm: Orm, clinicId: string): Promise<ClinicSettings> {
  return readStoredClinicSettings((await currentSettings(orm, clinicId))!.settings);
}

export type PortalResolution = { signedIn: PortalSignedIn; reason?: never } | { signedIn: null; reason: 'none' | 'expired' };

export async function resolvePortalSession(req: FastifyRequest, ctx: AppContext): Promise<PortalResolution> {
  const token = req.cookies[PORTAL_COOKIE];
  if (!token) return { signedIn: null, reason: 'none' };
  const session = await findPortalSession(ctx.db.orm, hashToken(token));
  if (!session) return { signedIn: null, reason: 'expired' };
  const [account, settings, treated] = await Promise.all([
    getPortalAccount(ctx.db.orm, session.clinicId, session.serviceUserId),
    clinicSettingsOf(ctx.db.orm, session.clinicId),
    inTreatment(ctx.db.orm, session.clinicId, session.serviceUserId),
  ]);
  if (!account) return { signedIn: null, reason: 'expired' };
  const now = ctx.clock.now();
  const times = {
    createdAt: dateToInstant(session.createdAt),
    lastSeenAt: dateToInstant(session.lastSeenAt),
    revokedAt: session.revokedAt ? dateToInstant(session.revokedAt) : null,
  };
  const access = portalAccess(times, now, settings.portal, { portalEnabled: settings.portal.enabled, accountEnabled: account.enabled, inTreatment: treated });
  if (access !== 'active') return { signedIn: null, reason: 'expired' };
  if (shouldRecordActivity(times, now)) await recordPortalSessionActivity(ctx.db.orm, session.clinicId, session.sessionId, instantToDate(now));
  return { signedIn: { session, sessionToken: token, account, settings } };
}

/** For handlers behind a portal rule: the authorization hook guarantees this is set. */
export function portalSignedIn(req: FastifyRequest): PortalSignedIn {
  if (!req.portal) throw unauthorized('not_signed_in', 'Sign in first');
  return req.portal;
}

/** The audit log's actor for the portal: no member of staff; the service user is named in the details. */
export function portalActor(req: FastifyRequest): Actor {
  return { ...req.actor, staffId: null };
}

export const portalDetails = (serviceUserId: string, more: Record<string, unknown> = {}) => ({ portalServiceUserId: serviceUserId, ...more });

export function setPortalCookie(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, token: string): void {
  const secure = ctx.config.cookieSecure === 'auto' ? req.protocol === 'https' : ctx.config.cookieSecure;
  // No Max-Age: the cookie goes when the browser closes. Path: only the portal's API ever gets it.
  reply.setCookie(PORTAL_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure, path: PORTAL_COOKIE_PATH });
}

export function clearPortalCookie(reply: FastifyReply): void {
  reply.clearCookie(PORTAL_COOKIE, { path: PORTAL_COOKIE_PATH });
}

export function portalSessionInfo(settings: ClinicSettings, account: PortalAccountRow, session: PortalSessionRow, token: string) {
  const policy = portalSessionPolicy(settings.portal);
  return {
    mustChangePassword: account.mustChangePassword,
    csrfToken: csrfTokenFor(token),
    expiresAt: absoluteExpiry({ createdAt: dateToInstant(session.createdAt) }, policy).toString(),
    idleMinutes: policy.idleMinutes,
  };
}
