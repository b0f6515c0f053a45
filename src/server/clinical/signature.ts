import type { FastifyRequest } from 'fastify';
import { isLockedOut, recordFailedLogin } from '../../domain/auth/login-lockout';
import { dateToInstant, instantToDate } from '../../domain/time/clock';
import { getStaffForUpdate, recordLoginOutcome, type StaffRow } from '../../store/staff';
import { inTransaction } from '../../store/transaction';
import type { AppContext } from '../context';
import { ApiError, badRequest } from '../errors';

/**
 * A prescriber signs by entering their own password again: proof that the person at the keyboard
 * is the one whose name goes on the prescription. A wrong password counts towards the account's
 * lockout like a wrong sign-in, so a session left open cannot be used to guess it.
 */
export async function verifySignature(ctx: AppContext, req: FastifyRequest, signer: StaffRow, password: string): Promise<void> {
  const now = ctx.clock.now();
  const lock = { failedCount: signer.failedLoginCount, lockedUntil: signer.lockedUntil ? dateToInstant(signer.lockedUntil) : null };
  if (isLockedOut(lock, now)) {
    throw new ApiError(422, 'account_locked', 'Too many wrong passwords: your account is locked, so you cannot sign until it is unlocked', 'signature.password');
  }
  if (await ctx.passwords.verify(signer.passwordHash, password)) return;
  await inTransaction(ctx.db, ctx.clock, req.actor, async (w) => {
    const fresh = (await getStaffForUpdate(w.tx, signer.staffId))!;
    const next = recordFailedLogin(
      { failedCount: fresh.failedLoginCount, lockedUntil: fresh.lockedUntil ? dateToInstant(fresh.lockedUntil) : null },
      now,
      ctx.config.lockout,
    );
    await recordLoginOutcome(w, signer.staffId, { failedCount: next.failedCount, lockedUntil: next.lockedUntil ? instantToDate(next.lockedUntil) : null });
    await w.audit({ clinicId: null, action: 'signature_failed', entityType: 'staff', entityId: signer.staffId, details: { failedCount: next.failedCount } });
  });
  throw badRequest('signature.password', 'is not your password; the prescription was not signed', 'signature_invalid');
}
