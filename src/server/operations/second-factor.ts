import type { z } from 'zod';
import {
  SecondFactorCode,
  SecondFactorConfirmed,
  SecondFactorEnrolment,
  SecondFactorVerifyRequest,
  SessionInfo,
} from '../../contract/auth';
import { errors, Ok } from '../../contract/common';
import { StaffParams } from '../../contract/staff';
import { isLockedOut, recordFailedLogin, recordSuccessfulLogin, type LockoutState } from '../../domain/auth/login-lockout';
import { normaliseCode } from '../../domain/auth/totp';
import { dateToInstant, instantToDate } from '../../domain/time/clock';
import { revokeAllAuthSessions, revokeAuthSession } from '../../store/auth-sessions';
import {
  confirmEnrolment,
  deleteSecondFactor,
  getSecondFactor,
  getSecondFactorForUpdate,
  recordSecondFactorOutcome,
  startEnrolment,
  type SecondFactorRow,
} from '../../store/second-factor';
import { inTransaction, type WriteContext } from '../../store/transaction';
import type { App, AppContext, SignedIn } from '../context';
import { signedIn } from '../authorize';
import { clinicIdOf } from '../clinic-output';
import type { ApiError } from '../errors';
import { badRequest, conflict, unauthorized } from '../errors';
import { ensureMayManage, memberOfThisClinic } from '../staff-access';
import { sendWrite } from '../write';
import { sessionInfo, setSessionCookie, startSession } from '../auth/sign-in';
import {
  checkCode,
  hashRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  otpauthUri,
  qrCodeDataUrl,
  sealSecret,
  unsealSecret,
} from '../auth/second-factor';

/**
 * TOTP second factor (RFC 6238). After the password, a session flagged `secondFactor` may only
 * enrol (a new secret, confirmed by a first code) or answer a code; passing either ends that
 * session and starts a new one with a new token (rotation at the step-up of privilege). Wrong codes
 * count towards a lockout of the factor, and the routes share the sign-in rate limit.
 */
export function registerSecondFactor(app: App, ctx: AppContext) {
  const rateLimit = { max: ctx.config.loginRateLimitPerMinute, timeWindow: 60_000 };

  app.post(
    '/api/v1/auth/second-factor/enrolment',
    {
      config: { rateLimit },
      schema: {
        summary: 'Start enrolling a TOTP second factor: a new secret, shown once, to put in an authenticator app',
        tags: ['auth'],
        response: { 200: SecondFactorEnrolment, ...errors(401, 403, 409) },
      },
    },
    async (req) => {
      const me = signedIn(req);
      if (me.session.secondFactorPending === 'code_required') {
        throw conflict('second_factor_already_enrolled', 'You already have a second factor: enter its code');
      }
      const existing = await getSecondFactor(ctx.db.orm, me.staff.staffId);
      if (existing?.confirmedAt) {
        throw conflict('second_factor_already_enrolled', 'You already have a second factor; an administrator can reset it if your phone is lost');
      }
      const secret = newTotpSecret();
      await inTransaction(ctx.db, ctx.clock, req.actor, async (w) => {
        await startEnrolment(w, me.staff.staffId, sealSecret(secret, ctx.config.secondFactor.key));
        await w.audit({ clinicId: null, action: 'second_factor_enrolment_started', entityType: 'staff', entityId: me.staff.staffId });
      });
      const uri = otpauthUri(secret, me.staff.email);
      return { secret, otpauthUri: uri, qrCode: await qrCodeDataUrl(uri) };
    },
  );

  app.post(
    '/api/v1/auth/second-factor/enrolment/confirm',
    {
      config: { rateLimit },
      schema: {
        summary: 'Confirm enrolment with a first code; answers a new session and one-time recovery codes',
        tags: ['auth'],
        body: SecondFactorCode,
        response: { 200: SecondFactorConfirmed, ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => {
      const me = signedIn(req);
      const code = normaliseCode(req.body.code);
      if (!code) throw badRequest('code', 'must be the six digits your authenticator app shows');
      const outcome = await attempt(ctx, req.actor, me, 'code', async (w, factor) => {
        if (factor.confirmedAt) throw conflict('second_factor_already_enrolled', 'Your second factor is already set up');
        const secret = unsealSecret(factor.secret, ctx.config.secondFactor.key);
        const check = checkCode(secret, code, ctx.clock.now().epochMilliseconds, null);
        if (!check.ok) return { ok: false as const, reason: check.reason };
        const recoveryCodes = newRecoveryCodes();
        await confirmEnrolment(w, me.staff.staffId, check.step, recoveryCodes.map(hashRecoveryCode));
        await w.audit({ clinicId: null, action: 'second_factor_enrolled', entityType: 'staff', entityId: me.staff.staffId, details: { recoveryCodes: recoveryCodes.length } });
        return { ok: true as const, extra: { recoveryCodes } };
      });
      if (!outcome.ok) {
        if (outcome.locked) throw lockedError(outcome.locked);
        throw badRequest('code', 'does not match: check that the phone’s clock is right and type the code it shows now', 'second_factor_invalid');
      }
      setSessionCookie(ctx, req, reply, outcome.token);
      return { ...outcome.info, ...outcome.extra };
    },
  );

  app.post(
    '/api/v1/auth/second-factor/verify',
    {
      config: { rateLimit },
      schema: {
        summary: 'Answer the second-factor code (or a recovery code) after the password; answers a new session',
        tags: ['auth'],
        body: SecondFactorVerifyRequest,
        response: { 200: SessionInfo, ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => {
      const me = signedIn(req);
      if (me.session.secondFactorPending !== 'code_required') {
        throw conflict('second_factor_not_pending', me.session.secondFactorPending ? 'Set up your second factor first' : 'This session has already passed the second factor');
      }
      const field = req.body.recoveryCode !== undefined ? 'recoveryCode' : 'code';
      const code = field === 'code' ? normaliseCode(req.body.code!) : null;
      if (field === 'code' && !code) throw badRequest('code', 'must be the six digits your authenticator app shows');
      const outcome = await attempt(ctx, req.actor, me, field, async (w, factor) => {
        if (!factor.confirmedAt) throw conflict('second_factor_not_enrolled', 'Set up your second factor first');
        if (code) {
          const secret = unsealSecret(factor.secret, ctx.config.secondFactor.key);
          const check = checkCode(secret, code, ctx.clock.now().epochMilliseconds, factor.lastUsedStep);
          if (!check.ok) return { ok: false as const, reason: check.reason };
          await recordSecondFactorOutcome(w, me.staff.staffId, { ...clearedState(), lastUsedStep: check.step });
          await w.audit({ clinicId: null, action: 'second_factor_verified', entityType: 'staff', entityId: me.staff.staffId, details: { method: 'totp' } });
          return { ok: true as const, extra: {} };
        }
        const hash = hashRecoveryCode(req.body.recoveryCode!);
        if (!factor.recoveryCodeHashes.includes(hash)) return { ok: false as const, reason: 'wrong' as const };
        const left = factor.recoveryCodeHashes.filter((h) => h !== hash);
        await recordSecondFactorOutcome(w, me.staff.staffId, { ...clearedState(), recoveryCodeHashes: left });
        await w.audit({
          clinicId: null,
          action: 'second_factor_verified',
          entityType: 'staff',
          entityId: me.staff.staffId,
          details: { method: 'recovery_code', recoveryCodesLeft: left.length },
        });
        return { ok: true as const, extra: {} };
      });
      if (!outcome.ok) {
        if (outcome.locked) throw lockedError(outcome.locked);
        if (outcome.reason === 'reused') {
          throw unauthorized('second_factor_reused', 'That code has been used already: wait for the next code from your authenticator app');
        }
        throw unauthorized('second_factor_invalid', field === 'code' ? 'The code is wrong or out of date' : 'That recovery code is wrong or has been used');
      }
      setSessionCookie(ctx, req, reply, outcome.token);
      return outcome.info;
    },
  );

  app.post(
    '/api/v1/clinics/:clinicId/staff/:staffId/reset-second-factor',
    {
      schema: {
        summary: 'Remove a staff member’s second factor (a lost phone): they enrol again at their next sign-in; their sessions end',
        tags: ['staff'],
        params: StaffParams,
        response: { 200: Ok, ...errors(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const member = await memberOfThisClinic(ctx.db.orm, req);
      await ensureMayManage(ctx.db.orm, req, member.staffId);
      return sendWrite(ctx, req, reply, 200, async (w) => {
        const had = await deleteSecondFactor(w, member.staffId);
        await revokeAllAuthSessions(w, member.staffId, 'second_factor_reset');
        await w.audit({ clinicId, action: 'second_factor_reset', entityType: 'staff', entityId: member.staffId, details: { hadSecondFactor: had } });
        return { ok: true as const };
      });
    },
  );
}

const clearedState = () => {
  const cleared = recordSuccessfulLogin();
  return { failedCount: cleared.failedCount, lockedUntil: null };
};

type Attempt<E> =
  | { ok: true; info: z.infer<typeof SessionInfo>; token: string; extra: E }
  | { ok: false; reason: 'wrong' | 'reused'; locked: string | null };

/**
 * One try at the second factor, in one transaction that holds the factor's row: two requests
 * with the same code cannot both pass. A pass ends this session and starts a full one (new
 * token); a failure is counted, audited and committed, and may lock the factor.
 */
async function attempt<E>(
  ctx: AppContext,
  actor: WriteContext['actor'],
  me: SignedIn,
  field: string,
  check: (w: WriteContext, factor: SecondFactorRow) => Promise<{ ok: true; extra: E } | { ok: false; reason: 'wrong' | 'reused' }>,
): Promise<Attempt<E>> {
  const now = ctx.clock.now();
  const policy = { maxFailures: ctx.config.secondFactor.maxFailures, lockMinutes: ctx.config.lockout.lockMinutes };
  return inTransaction(ctx.db, ctx.clock, actor, async (w) => {
    const factor = await getSecondFactorForUpdate(w.tx, me.staff.staffId);
    if (!factor) throw conflict('second_factor_not_enrolled', 'Start enrolment first (POST /api/v1/auth/second-factor/enrolment)');
    const state: LockoutState = { failedCount: factor.failedCount, lockedUntil: factor.lockedUntil ? dateToInstant(factor.lockedUntil) : null };
    if (isLockedOut(state, now)) {
      await w.audit({ clinicId: null, action: 'second_factor_refused_locked', entityType: 'staff', entityId: me.staff.staffId });
      return { ok: false, reason: 'wrong', locked: state.lockedUntil!.toString() };
    }
    const result = await check(w, factor);
    if (!result.ok) {
      const next = recordFailedLogin(state, now, policy);
      await recordSecondFactorOutcome(w, me.staff.staffId, { failedCount: next.failedCount, lockedUntil: next.lockedUntil ? instantToDate(next.lockedUntil) : null });
      await w.audit({
        clinicId: null,
        action: 'second_factor_failed',
        entityType: 'staff',
        entityId: me.staff.staffId,
        details: { field, reason: result.reason, failedCount: next.failedCount, locked: next.lockedUntil !== null },
      });
      return { ok: false, reason: result.reason, locked: next.lockedUntil?.toString() ?? null };
    }
    await revokeAuthSession(w, me.session.sessionId, 'second_factor_passed');
    const started = await startSession(w, me.staff, null);
    await w.audit({ clinicId: null, action: 'login_second_factor', entityType: 'auth_session', entityId: started.session.sessionId });
    return { ok: true, info: await sessionInfo(ctx, w.tx, me.staff, started.session, started.token), token: started.token, extra: result.extra };
  });
}

function lockedError(until: string): ApiError {
  return unauthorized(
    'second_factor_locked',
    `Too many wrong codes: the second factor is locked until ${until} (UTC). Try again then, or ask a clinic administrator.`,
  );
}
