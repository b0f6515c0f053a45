import { eq } from 'drizzle-orm';
import { LoginRequest, SessionInfo } from '../../contract/auth';
import { errors } from '../../contract/common';
import { isLockedOut, recordFailedLogin, recordSuccessfulLogin } from '../../domain/auth/login-lockout';
import { dateToInstant, instantToDate } from '../../domain/time/clock';
import { findAuthSession, revokeAuthSession } from '../../store/auth-sessions';
import { getSecondFactor } from '../../store/second-factor';
import { findStaffByEmail, getStaffForUpdate, recordLoginOutcome, rolesByClinic } from '../../store/staff';
import { inTransaction } from '../../store/transaction';
import { staff as staffTable } from '../../store/schema';
import type { App, AppContext } from '../context';
import { SESSION_COOKIE } from '../authorize';
import { unauthorized } from '../errors';
import { sessionInfo, setSessionCookie, startSession } from '../auth/sign-in';
import { hashToken } from '../auth/tokens';
import { secondFactorRequired } from '../auth/second-factor';

/**
 * Sign in with email and password. Wrong passwords count towards a lockout; while locked, even
 * the right password is refused. Each sign-in gets a new session token (rotation), and a session
 * the browser already had is ended. Someone with a second factor (or who must enrol one) gets a
 * session flagged `secondFactor` that can do nothing else until the code is answered.
 */
export function registerLogin(app: App, ctx: AppContext) {
  app.post(
    '/api/v1/auth/login',
    {
      config: { rateLimit: { max: ctx.config.loginRateLimitPerMinute, timeWindow: 60_000 } },
      schema: {
        summary: 'Sign in',
        tags: ['auth'],
        body: LoginRequest,
        response: { 200: SessionInfo, ...errors(400, 401) },
      },
    },
    async (req, reply) => {
      const { email, password } = req.body;
      const now = ctx.clock.now();
      const person = await findStaffByEmail(ctx.db.orm, email);

      if (!person || !person.active) {
        await ctx.passwords.verifyAgainstDummy(password);
        await inTransaction(ctx.db, ctx.clock, req.actor, (w) =>
          w.audit({ clinicId: null, action: 'login_failed', entityType: 'staff', details: { email, reason: person ? 'inactive' : 'unknown_email' } }),
        );
        throw unauthorized('invalid_credentials', 'Email or password is wrong');
      }

      const lockState = {
        failedCount: person.failedLoginCount,
        lockedUntil: person.lockedUntil ? dateToInstant(person.lockedUntil) : null,
      };
      if (isLockedOut(lockState, now)) {
        await inTransaction(ctx.db, ctx.clock, req.actor, (w) =>
          w.audit({ clinicId: null, action: 'login_refused_locked', entityType: 'staff', entityId: person.staffId }),
        );
        throw lockedError(lockState.lockedUntil!.toString());
      }

      if (!(await ctx.passwords.verify(person.passwordHash, password))) {
        const next = await inTransaction(ctx.db, ctx.clock, req.actor, async (w) => {
          const fresh = (await getStaffForUpdate(w.tx, person.staffId))!;
          const next = recordFailedLogin(
            { failedCount: fresh.failedLoginCount, lockedUntil: fresh.lockedUntil ? dateToInstant(fresh.lockedUntil) : null },
            now,
            ctx.config.lockout,
          );
          await recordLoginOutcome(w, person.staffId, {
            failedCount: next.failedCount,
            lockedUntil: next.lockedUntil ? instantToDate(next.lockedUntil) : null,
          });
          await w.audit({
            clinicId: null,
            action: 'login_failed',
            entityType: 'staff',
            entityId: person.staffId,
            details: { reason: 'wrong_password', failedCount: next.failedCount, locked: next.lockedUntil !== null },
          });
          return next;
        });
        if (next.lockedUntil) throw lockedError(next.lockedUntil.toString());
        throw unauthorized('invalid_credentials', 'Email or password is wrong');
      }

      const rehash = ctx.passwords.needsRehash(person.passwordHash) ? await ctx.passwords.hash(password) : null;
      const previousToken = req.cookies[SESSION_COOKIE];
      const { info, token } = await inTransaction(ctx.db, ctx.clock, { ...req.actor, staffId: person.staffId }, async (w) => {
        if (previousToken) {
          const previous = await findAuthSession(w.tx, hashToken(previousToken));
          if (previous) await revokeAuthSession(w, previous.sessionId, 'replaced_by_new_sign_in');
        }
        const cleared = recordSuccessfulLogin();
        await recordLoginOutcome(w, person.staffId, { failedCount: cleared.failedCount, lockedUntil: null });
        if (rehash) await w.tx.update(staffTable).set({ passwordHash: rehash }).where(eq(staffTable.staffId, person.staffId));
        const factor = await getSecondFactor(w.tx, person.staffId);
        const pending = factor?.confirmedAt
          ? 'code_required'
          : secondFactorRequired(ctx.config, person, [...(await rolesByClinic(w.tx, person.staffId)).values()].flat())
            ? 'enrolment_required'
            : null;
        const started = await startSession(w, person, pending);
        await w.audit({
          clinicId: null,
          action: 'login',
          entityType: 'auth_session',
          entityId: started.session.sessionId,
          details: pending ? { secondFactor: pending } : null,
        });
        return { info: await sessionInfo(ctx, w.tx, person, started.session, started.token), token: started.token };
      });
      setSessionCookie(ctx, req, reply, token);
      return info;
    },
  );
}

function lockedError(until: string) {
  return unauthorized(
    'account_locked',
    `Too many wrong passwords: this account is locked until ${until} (UTC). Try again then, or ask a clinic administrator to unlock it.`,
  );
}
