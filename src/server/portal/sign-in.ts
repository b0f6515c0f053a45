import { errors, Ok } from '../../contract/common';
import { PortalChangePasswordRequest, PortalLoginRequest, PortalSessionInfo } from '../../contract/portal';
import { isLockedOut, recordFailedLogin, recordSuccessfulLogin } from '../../domain/auth/login-lockout';
import { portalPasswordProblems } from '../../domain/portal/portal-account';
import { maySignIn } from '../../domain/portal/portal-session';
import { dateToInstant, instantToDate } from '../../domain/time/clock';
import { currentVersion } from '../../store/service-users';
import {
  createPortalSession,
  findPortalAccountByUsername,
  findPortalSession,
  lockPortalAccount,
  revokeAllPortalSessions,
  revokePortalSession,
  updatePortalAccount,
} from '../../store/portal';
import { inTransaction, type WriteContext } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { badRequest, invalid, unauthorized } from '../errors';
import { hashToken, newToken } from '../auth/tokens';
import {
  clearPortalCookie,
  clinicSettingsOf,
  inTreatment,
  PORTAL_COOKIE,
  portalActor,
  portalDetails,
  portalSessionInfo,
  portalSignedIn,
  setPortalCookie,
} from './portal-auth';

const invalidCredentials = () => unauthorized('invalid_credentials', 'Username or password is wrong');

function lockedError(until: string) {
  return unauthorized('account_locked', `Too many wrong passwords: you cannot sign in until ${until} (UTC). Try again then, or ask the team at the clinic.`);
}

async function startPortalSession(w: WriteContext, clinicId: string, serviceUserId: string) {
  const token = newToken();
  const session = await createPortalSession(w, { clinicId, serviceUserId, tokenHash: hashToken(token) });
  return { session, token };
}

/**
 * The portal's sign-in, sign-out, password change and session: the staff rules, on the portal's own
 * accounts. An unknown username, a wrong password, a switched-off account and a clinic whose portal
 * is off all get the same answer, in the same time; repeated wrong passwords lock the account; the
 * sign-in is rate-limited per address; every sign-in and password change gets a new session token.
 */
export function registerPortalSignIn(app: App, ctx: AppContext) {
  const rateLimit = { max: ctx.config.loginRateLimitPerMinute, timeWindow: 60_000 };

  app.post(
    '/api/v1/portal/login',
    {
      config: { rateLimit },
      schema: {
        summary: 'Service-user portal: sign in with username and password',
        tags: ['portal'],
        body: PortalLoginRequest,
        response: { 200: PortalSessionInfo, ...errors(400, 401) },
      },
    },
    async (req, reply) => {
      const { username, password } = req.body;
      const actor = portalActor(req);
      const now = ctx.clock.now();
      const account = await findPortalAccountByUsername(ctx.db.orm, username);
      const settings = account ? await clinicSettingsOf(ctx.db.orm, account.clinicId) : null;
      const open =
        account !== null &&
        settings !== null &&
        maySignIn({ portalEnabled: settings.portal.enabled, accountEnabled: account.enabled, inTreatment: await inTreatment(ctx.db.orm, account.clinicId, account.serviceUserId) });

      if (!account || !settings || !open) {
        await ctx.passwords.verifyAgainstDummy(password);
        const reason = !account ? 'unknown_username' : !settings?.portal.enabled ? 'portal_off' : !account.enabled ? 'account_disabled' : 'not_in_treatment';
        await inTransaction(ctx.db, ctx.clock, actor, (w) =>
          w.audit({
            clinicId: account?.clinicId ?? null,
            action: 'portal_login_failed',
            entityType: 'portal_account',
            entityId: account?.serviceUserId ?? null,
            details: account ? portalDetails(account.serviceUserId, { reason }) : { reason },
          }),
        );
        throw invalidCredentials();
      }
      const { clinicId, serviceUserId } = account;

      const lockState = { failedCount: account.failedLoginCount, lockedUntil: account.lockedUntil ? dateToInstant(account.lockedUntil) : null };
      if (isLockedOut(lockState, now)) {
        await inTransaction(ctx.db, ctx.clock, actor, (w) =>
          w.audit({ clinicId, action: 'portal_login_refused_locked', entityType: 'portal_account', entityId: serviceUserId, details: portalDetails(serviceUserId) }),
        );
        throw lockedError(lockState.lockedUntil!.toString());
      }

      if (!(await ctx.passwords.verify(account.passwordHash, password))) {
        const next = await inTransaction(ctx.db, ctx.clock, actor, async (w) => {
          const fresh = (await lockPortalAccount(w.tx, clinicId, serviceUserId))!;
          const next = recordFailedLogin(
            { failedCount: fresh.failedLoginCount, lockedUntil: fresh.lockedUntil ? dateToInstant(fresh.lockedUntil) : null },
            now,
            ctx.config.lockout,
          );
          await updatePortalAccount(w, clinicId, serviceUserId, { failedLoginCount: next.failedCount, lockedUntil: next.lockedUntil ? instantToDate(next.lockedUntil) : null });
          await w.audit({
            clinicId,
            action: 'portal_login_failed',
            entityType: 'portal_account',
            entityId: serviceUserId,
            details: portalDetails(serviceUserId, { reason: 'wrong_password', failedCount: next.failedCount, locked: next.lockedUntil !== null }),
          });
          return next;
        });
        if (next.lockedUntil) throw lockedError(next.lockedUntil.toString());
        throw invalidCredentials();
      }

      const rehash = ctx.passwords.needsRehash(account.passwordHash) ? await ctx.passwords.hash(password) : null;
      const previousToken = req.cookies[PORTAL_COOKIE];
      const { info, token } = await inTransaction(ctx.db, ctx.clock, actor, async (w) => {
        if (previousToken) {
          const previous = await findPortalSession(w.tx, hashToken(previousToken));
          if (previous) await revokePortalSession(w, previous.clinicId, previous.sessionId, 'replaced_by_new_sign_in');
        }
        const cleared = recordSuccessfulLogin();
        const updated = await updatePortalAccount(w, clinicId, serviceUserId, {
          failedLoginCount: cleared.failedCount,
          lockedUntil: null,
          ...(rehash ? { passwordHash: rehash } : {}),
        });
        const started = await startPortalSession(w, clinicId, serviceUserId);
        await w.audit({ clinicId, action: 'portal_login', entityType: 'portal_session', entityId: started.session.sessionId, details: portalDetails(serviceUserId) });
        return { info: portalSessionInfo(settings, updated, started.session, started.token), token: started.token };
      });
      setPortalCookie(ctx, req, reply, token);
      return info;
    },
  );

  app.post(
    '/api/v1/portal/logout',
    { schema: { summary: 'Service-user portal: sign out (ends this session)', tags: ['portal'], response: { 200: Ok, ...errors(401, 403) } } },
    async (req, reply) => {
      const { session } = portalSignedIn(req);
      clearPortalCookie(reply);
      await inTransaction(ctx.db, ctx.clock, portalActor(req), async (w) => {
        await revokePortalSession(w, session.clinicId, session.sessionId, 'signed_out');
        await w.audit({ clinicId: session.clinicId, action: 'portal_logout', entityType: 'portal_session', entityId: session.sessionId, details: portalDetails(session.serviceUserId) });
      });
      return { ok: true as const };
    },
  );

  app.get(
    '/api/v1/portal/session',
    { schema: { summary: 'Service-user portal: this session (whether the password must be changed, and the CSRF token)', tags: ['portal'], response: { 200: PortalSessionInfo, ...errors(401, 403) } } },
    async (req) => {
      const { settings, account, session, sessionToken } = portalSignedIn(req);
      return portalSessionInfo(settings, account, session, sessionToken);
    },
  );

  app.post(
    '/api/v1/portal/password',
    {
      config: { rateLimit },
      schema: {
        summary: 'Service-user portal: change your password (every session ends; you carry on in a new one)',
        tags: ['portal'],
        body: PortalChangePasswordRequest,
        response: { 200: PortalSessionInfo, ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const { account, settings } = portalSignedIn(req);
      const { clinicId, serviceUserId } = account;
      const { currentPassword, newPassword } = req.body;
      if (!(await ctx.passwords.verify(account.passwordHash, currentPassword))) {
        throw badRequest('currentPassword', 'is not your current password', 'wrong_password');
      }
      const version = (await currentVersion(ctx.db.orm, clinicId, serviceUserId))!;
      const problems = portalPasswordProblems(
        newPassword,
        { givenName: version.record.givenName, familyName: version.record.familyName, preferredName: version.record.preferredName ?? null, username: account.username },
        'newPassword',
      );
      if (newPassword === currentPassword) problems.push({ field: 'newPassword', message: 'must differ from the current password' });
      if (problems.length > 0) throw invalid(problems);
      const hash = await ctx.passwords.hash(newPassword);
      const { info, token } = await inTransaction(ctx.db, ctx.clock, portalActor(req), async (w) => {
        const updated = await updatePortalAccount(w, clinicId, serviceUserId, { passwordHash: hash, mustChangePassword: false, passwordChangedAt: w.now });
        await revokeAllPortalSessions(w, clinicId, serviceUserId, 'password_changed');
        const started = await startPortalSession(w, clinicId, serviceUserId);
        await w.audit({ clinicId, action: 'portal_password_changed', entityType: 'portal_account', entityId: serviceUserId, details: portalDetails(serviceUserId) });
        return { info: portalSessionInfo(settings, updated, started.session, started.token), token: started.token };
      });
      setPortalCookie(ctx, req, reply, token);
      return info;
    },
  );
}
