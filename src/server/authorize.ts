import { Temporal } from 'temporal-polyfill';
import type { FastifyRequest } from 'fastify';
import { sessionStatus, shouldRecordActivity } from '../domain/auth/session-expiry';
import { dateToInstant, instantToDate } from '../domain/time/clock';
import { findAuthSession, recordSessionActivity } from '../store/auth-sessions';
import { getStaff, rolesAt } from '../store/staff';
import { activeBreakGlassGrant } from '../store/break-glass';
import { breakGlassCovers } from '../domain/staff/break-glass';
import type { Role } from '../domain/staff/roles';
import type { App, AppContext, SignedIn } from './context';
import { clinicNotFound, forbidden, unauthorized } from './errors';
import { permissions, ruleFor, type Rule } from './permissions';
import { csrfTokenMatches, hashToken } from './auth/tokens';
import { PORTAL_COOKIE_PATH, resolvePortalSession } from './portal/portal-auth';
import { PENDING_SECOND_FACTOR_MINUTES } from './auth/second-factor';

export const SESSION_COOKIE = 'openhat_session';
export const CSRF_HEADER = 'x-csrf-token';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Enforces the permission table on every request, before the body is validated, so that nobody
 * learns anything from a route they may not call. Also refuses to register a route without a rule.
 */
export function installAuthorization(app: App, ctx: AppContext): void {
  const registered = new Set<string>();
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || route.url === '*') continue;
      const rule = ruleFor(method, route.url);
      if (!rule) {
        throw new Error(`route ${method} ${route.url} has no rule in src/server/permissions.ts`);
      }
      // Portal routes take a portal session or none; a portal rule anywhere else would let staff in unchecked.
      const portalRoute = isPortalRoute(route.url);
      if (portalRoute !== (rule.access === 'portal') && !(portalRoute && rule.access === 'public')) {
        throw new Error(`route ${method} ${route.url}: portal routes (under ${PORTAL_COOKIE_PATH}/) need a portal or public rule, and only they may have a portal rule`);
      }
      registered.add(`${method} ${route.url}`);
    }
  });
  app.addHook('onReady', async () => {
    const orphans = Object.keys(permissions).filter((key) => !registered.has(key));
    if (orphans.length > 0) throw new Error(`permissions.ts has rules for routes that do not exist: ${orphans.join(', ')}`);
  });

  app.decorateRequest('auth', null);
  app.decorateRequest('portal', null);
  app.decorateRequest('rolesHere', null as never);
  app.decorateRequest('actor', null as never);

  app.addHook('onRequest', async (req, reply) => {
    req.rolesHere = [];
    req.actor = {
      staffId: null,
      ip: req.ip,
      userAgent: req.headers['user-agent']?.slice(0, 400) ?? null,
      requestId: req.id,
    };
    const url = req.routeOptions.url;
    if (!url) return; // not found: Fastify answers 404
    const rule = ruleFor(req.method === 'HEAD' ? 'GET' : req.method, url);
    if (!rule) throw forbidden('This route has no permission rule');
    // The portal's API never acts for a member of staff, and staff routes never look at a portal session.
    if (isPortalRoute(url)) {
      // A shared phone's browser must not keep a copy of anything the portal answered.
      reply.header('cache-control', 'no-store');
      return authorizePortal(req, ctx, rule);
    }
    if (rule.access === 'portal') throw forbidden('This route has no staff permission rule');

    const resolved = await resolveSession(req, ctx);
    if (resolved.signedIn) {
      req.auth = resolved.signedIn;
      req.actor.staffId = resolved.signedIn.staff.staffId;
    }
    if (rule.access === 'public') return;

    const signedIn = resolved.signedIn;
    if (!signedIn) {
      throw resolved.reason === 'expired'
        ? unauthorized('session_expired', 'Your session has ended; sign in again')
        : unauthorized('not_signed_in', 'Sign in first');
    }
    if (signedIn.session.secondFactorPending) {
      if (!(rule.access === 'signed_in' && rule.duringSecondFactor)) {
        throw forbidden(
          signedIn.session.secondFactorPending === 'enrolment_required'
            ? 'Set up your second factor (an authenticator app) before doing anything else'
            : 'Enter the code from your authenticator app before doing anything else',
          'second_factor_required',
        );
      }
    } else if (signedIn.staff.mustChangePassword && !(rule.access === 'signed_in' && rule.duringPasswordChange)) {
      throw forbidden('Change your temporary password before doing anything else', 'password_change_required');
    }
    if (!SAFE_METHODS.has(req.method)) {
      const presented = req.headers[CSRF_HEADER];
      if (typeof presented !== 'string' || !csrfTokenMatches(signedIn.sessionToken, presented)) {
        throw forbidden(
          'Missing or wrong X-CSRF-Token header (take it from the sign-in response or GET /api/v1/auth/session)',
          'csrf_token_invalid',
        );
      }
    }
    if (rule.access === 'deployment_admin' && !signedIn.staff.deploymentAdmin) {
      throw forbidden('Only a deployment administrator may do this');
    }
    if (rule.access === 'clinic') {
      const clinicId = (req.params as { clinicId?: string }).clinicId ?? '';
      if (!UUID.test(clinicId)) throw clinicNotFound();
      const roles = await rolesAt(ctx.db.orm, clinicId.toLowerCase(), signedIn.staff.staffId);
      req.rolesHere = roles;
      const allowed = roles.some((role) => rule.roles.includes(role));
      // Break-glass: a live grant opens reads of that one person's record to that one member of staff.
      if (!allowed && (await breakGlassAllows(req, ctx, url, rule.roles, clinicId.toLowerCase(), signedIn.staff.staffId))) return;
      if (roles.length === 0) throw clinicNotFound();
      if (!allowed) {
        throw forbidden(`This needs one of these roles here: ${rule.roles.join(', ')}. You have: ${roles.join(', ')}`);
      }
    }
  });
}

/** Whether a live break-glass grant lets this read through (see src/domain/staff/break-glass.ts). */
async function breakGlassAllows(req: FastifyRequest, ctx: AppContext, url: string, ruleRoles: readonly Role[], clinicId: string, staffId: string): Promise<boolean> {
  if (!breakGlassCovers(req.method === 'HEAD' ? 'GET' : req.method, url, ruleRoles)) return false;
  const serviceUserId = (req.params as { serviceUserId?: string }).serviceUserId ?? '';
  if (!UUID.test(serviceUserId)) return false;
  return (await activeBreakGlassGrant(ctx.db.orm, staffId, clinicId, serviceUserId.toLowerCase(), instantToDate(ctx.clock.now()))) !== null;
}

const isPortalRoute = (url: string) => url.startsWith(`${PORTAL_COOKIE_PATH}/`);

/**
 * A portal route: only a portal session counts (its own cookie). Staff get a 403 that says so
 * (or, as on every route, that they must change their password first); nobody gets a 401. The
 * same rules as for staff follow: a temporary password must be changed first, and every write
 * carries the CSRF token derived from the portal session's token.
 */
async function authorizePortal(req: FastifyRequest, ctx: AppContext, rule: Rule): Promise<void> {
  if (rule.access === 'public') return;
  if (rule.access !== 'portal') throw forbidden('This route has no portal permission rule');
  const resolved = await resolvePortalSession(req, ctx);
  const portal = resolved.signedIn;
  if (!portal) {
    const staff = (await resolveSession(req, ctx)).signedIn;
    if (staff?.staff.mustChangePassword) throw forbidden('Change your temporary password before doing anything else', 'password_change_required');
    if (staff) throw forbidden('The portal is for service users: a staff sign-in cannot use it');
    throw resolved.reason === 'expired'
      ? unauthorized('session_expired', 'You have been signed out; sign in again')
      : unauthorized('not_signed_in', 'Sign in first');
  }
  req.portal = portal;
  if (portal.account.mustChangePassword && !rule.duringPasswordChange) {
    throw forbidden('Choose your own password before doing anything else', 'password_change_required');
  }
  if (!SAFE_METHODS.has(req.method)) {
    const presented = req.headers[CSRF_HEADER];
    if (typeof presented !== 'string' || !csrfTokenMatches(portal.sessionToken, presented)) {
      throw forbidden('Missing or wrong X-CSRF-Token header (take it from the sign-in response or GET /api/v1/portal/session)', 'csrf_token_invalid');
    }
  }
}

type Resolution = { signedIn: SignedIn; reason?: never } | { signedIn: null; reason: 'none' | 'expired' };

async function resolveSession(req: FastifyRequest, ctx: AppContext): Promise<Resolution> {
  const token = req.cookies[SESSION_COOKIE];
  if (!token) return { signedIn: null, reason: 'none' };
  const session = await findAuthSession(ctx.db.orm, hashToken(token));
  if (!session) return { signedIn: null, reason: 'expired' };
  const now = ctx.clock.now();
  const times = {
    createdAt: dateToInstant(session.createdAt),
    lastSeenAt: dateToInstant(session.lastSeenAt),
    revokedAt: session.revokedAt ? dateToInstant(session.revokedAt) : null,
  };
  if (sessionStatus(times, now, ctx.config.session) !== 'active') return { signedIn: null, reason: 'expired' };
  // A session that has passed only the password is good for a few minutes, to type a code.
  if (session.secondFactorPending && Temporal.Instant.compare(now, times.createdAt.add({ minutes: PENDING_SECOND_FACTOR_MINUTES })) >= 0) {
    return { signedIn: null, reason: 'expired' };
  }
  const staff = await getStaff(ctx.db.orm, session.staffId);
  if (!staff || !staff.active) return { signedIn: null, reason: 'expired' };
  if (shouldRecordActivity(times, now)) await recordSessionActivity(ctx.db.orm, session.sessionId, instantToDate(now));
  return { signedIn: { session, sessionToken: token, staff } };
}

/** For handlers behind a signed-in rule: the authorization hook guarantees this is set. */
export function signedIn(req: FastifyRequest): SignedIn {
  if (!req.auth) throw unauthorized('not_signed_in', 'Sign in first');
  return req.auth;
}
