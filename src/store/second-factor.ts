import { eq } from 'drizzle-orm';
import type { Orm } from './database';
import { staffSecondFactors } from './schema';
import type { WriteContext } from './transaction';

/**
 * The TOTP second factor of each member of staff. Deployment-wide, mutable account state (like
 * staff and auth_sessions); every change is audited by the caller in the same transaction.
 */
export type SecondFactorRow = typeof staffSecondFactors.$inferSelect;

export async function getSecondFactor(orm: Orm, staffId: string): Promise<SecondFactorRow | null> {
  const rows = await orm.select().from(staffSecondFactors).where(eq(staffSecondFactors.staffId, staffId)).limit(1);
  return rows[0] ?? null;
}

export async function getSecondFactorForUpdate(orm: Orm, staffId: string): Promise<SecondFactorRow | null> {
  const rows = await orm.select().from(staffSecondFactors).where(eq(staffSecondFactors.staffId, staffId)).for('update').limit(1);
  return rows[0] ?? null;
}

/** Start (or restart) enrolment with a new secret; a confirmed factor is never replaced this way. */
export async function startEnrolment(w: WriteContext, staffId: string, sealedSecret: string): Promise<void> {
  await w.tx
    .insert(staffSecondFactors)
    .values({ staffId, secret: sealedSecret, createdAt: w.now, confirmedAt: null, lastUsedStep: null, failedCount: 0, lockedUntil: null, recoveryCodeHashes: [] })
    .onConflictDoUpdate({
      target: staffSecondFactors.staffId,
      set: { secret: sealedSecret, createdAt: w.now, confirmedAt: null, lastUsedStep: null, failedCount: 0, lockedUntil: null, recoveryCodeHashes: [] },
    });
}

export async function confirmEnrolment(w: WriteContext, staffId: string, step: number, recoveryCodeHashes: string[]): Promise<void> {
  await w.tx
    .update(staffSecondFactors)
    .set({ confirmedAt: w.now, lastUsedStep: step, failedCount: 0, lockedUntil: null, recoveryCodeHashes })
    .where(eq(staffSecondFactors.staffId, staffId));
}

export async function recordSecondFactorOutcome(
  w: WriteContext,
  staffId: string,
  outcome: { failedCount: number; lockedUntil: Date | null; lastUsedStep?: number; recoveryCodeHashes?: string[] },
): Promise<void> {
  await w.tx
    .update(staffSecondFactors)
    .set({
      failedCount: outcome.failedCount,
      lockedUntil: outcome.lockedUntil,
      ...(outcome.lastUsedStep !== undefined ? { lastUsedStep: outcome.lastUsedStep } : {}),
      ...(outcome.recoveryCodeHashes !== undefined ? { recoveryCodeHashes: outcome.recoveryCodeHashes } : {}),
    })
    .where(eq(staffSecondFactors.staffId, staffId));
}

export async function deleteSecondFactor(w: WriteContext, staffId: string): Promise<boolean> {
  const gone = await w.tx.delete(staffSecondFactors).where(eq(staffSecondFactors.staffId, staffId)).returning({ staffId: staffSecondFactors.staffId });
  return gone.length > 0;
}
