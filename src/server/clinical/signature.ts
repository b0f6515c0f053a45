import type { FastifyRequest } from 'fastify';
import { isLockedOut, recordFailedLogin } from '../../domain/auth/login-lockout';
import { refuse } from '../../domain/refusal';
import { CLINICAL_ROLES } from '../../domain/staff/roles';
import { dateToInstant, instantToDate } from '../../domain/time/clock';
import { getStaff, getStaffForUpdate, recordLoginOutcome, rolesAt, type StaffRow } from '../../store/staff';
import { inTransaction } from '../../store/transaction';
import type { AppContext } from '../context';
import { ApiError, badRequest, refused } from '../errors';

/**
 * Someone confirms an act by typing their own password: a prescriber signing a prescription, a
 * second member of staff witnessing a controlled-drug entry. A wrong password counts towards that
 * person's lockout like a wrong sign-in, so a screen left open cannot be used to guess it.
 */
async function confirmWithPassword(
  ctx: AppContext,
  req: FastifyRequest,
  person: StaffRow,
  password: string,
  field: string,
  what: string,
  code: string,
): Promise<void> {
  const now = ctx.clock.now();
  const lock = { failedCount: person.failedLoginCount, lockedUntil: person.lockedUntil ? dateToInstant(person.lockedUntil) : null };
  if (isLockedOut(lock, now)) {
    throw new ApiError(422, 'account_locked', `Too many wrong passwords: ${person.displayName}'s account is locked, so they cannot ${what} until it is unlocked`, field);
  }
  if (person.active && (await ctx.confirmations.prove(person.staffId, person.passwordHash, password, now, () => ctx.passwords.verify(person.passwordHash, password)))) return;
  ctx.confirmations.forget(person.staffId);
  await inTransaction(ctx.db, ctx.clock, req.actor, async (w) => {
    const fresh = (await getStaffForUpdate(w.tx, person.staffId))!;
    const next = recordFailedLogin(
      { failedCount: fresh.failedLoginCount, lockedUntil: fresh.lockedUntil ? dateToInstant(fresh.lockedUntil) : null },
      now,
      ctx.config.lockout,
    );
    await recordLoginOutcome(w, person.staffId, { failedCount: next.failedCount, lockedUntil: next.lockedUntil ? instantToDate(next.lockedUntil) : null });
    await w.audit({ clinicId: null, action: 'confirmation_failed', entityType: 'staff', entityId: person.staffId, details: { what, failedCount: next.failedCount } });
  });
  throw badRequest(field, `is not ${person.staffId === req.auth?.staff.staffId ? 'your' : `${person.displayName}'s`} password; nothing was recorded`, code);
}

/** The prescriber's signature: their own password. */
export async function verifySignature(ctx: AppContext, req: FastifyRequest, signer: StaffRow, password: string): Promise<void> {
  await confirmWithPassword(ctx, req, signer, password, 'signature.password', 'sign', 'signature_invalid');
}

/**
 * A witness at this clinic (someone other than the person recording) confirms with their own
 * password, at the same screen.
 */
export async function verifyWitness(
  ctx: AppContext,
  req: FastifyRequest,
  clinicId: string,
  witness: { staffId: string; password: string },
  field = 'witness',
): Promise<StaffRow> {
  const recorder = req.auth!.staff;
  if (witness.staffId.toLowerCase() === recorder.staffId) {
    throw refused([refuse('witness_is_recorder', 'The witness must be someone other than the person making the entry', `${field}.staffId`)]);
  }
  const person = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(witness.staffId) ? await getStaff(ctx.db.orm, witness.staffId.toLowerCase()) : null;
  const roles = person ? await rolesAt(ctx.db.orm, clinicId, person.staffId) : [];
  if (!person || !roles.some((r) => (CLINICAL_ROLES as readonly string[]).includes(r))) {
    throw badRequest(`${field}.staffId`, 'is not a member of staff at this clinic');
  }
  await confirmWithPassword(ctx, req, person, witness.password, `${field}.password`, 'witness', 'witness_password_invalid');
  return person;
}
