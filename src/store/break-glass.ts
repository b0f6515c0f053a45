import { and, desc, eq, gt, lte } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Orm } from './database';
import { breakGlassGrants } from './schema';
import type { WriteContext } from './transaction';

export type BreakGlassGrant = typeof breakGlassGrants.$inferSelect;

/** Record a grant, with its loud audit entry (action break_glass, the reason in the details). */
export async function insertBreakGlassGrant(
  w: WriteContext,
  grant: { clinicId: string; serviceUserId: string; staffId: string; fromClinicId: string; reason: string; expiresAt: Date },
): Promise<BreakGlassGrant> {
  const row: BreakGlassGrant = { ...grant, grantId: uuidv7(), grantedAt: w.now };
  await w.tx.insert(breakGlassGrants).values(row);
  await w.audit({
    clinicId: grant.clinicId,
    action: 'break_glass',
    entityType: 'service_user',
    entityId: grant.serviceUserId,
    details: { grantId: row.grantId, reason: grant.reason, fromClinicId: grant.fromClinicId, expiresAt: grant.expiresAt.toISOString() },
  });
  // The requester's own clinic sees it too: its staff went looking elsewhere.
  await w.audit({
    clinicId: grant.fromClinicId,
    action: 'break_glass',
    entityType: 'break_glass_grant',
    entityId: row.grantId,
    details: { recordClinicId: grant.clinicId, reason: grant.reason, expiresAt: grant.expiresAt.toISOString() },
  });
  return row;
}

/** The grant (if any) that lets this member of staff read this person's record now. */
export async function activeBreakGlassGrant(orm: Orm, staffId: string, clinicId: string, serviceUserId: string, now: Date): Promise<BreakGlassGrant | null> {
  const rows = await orm
    .select()
    .from(breakGlassGrants)
    .where(
      and(
        eq(breakGlassGrants.staffId, staffId),
        eq(breakGlassGrants.clinicId, clinicId),
        eq(breakGlassGrants.serviceUserId, serviceUserId),
        lte(breakGlassGrants.grantedAt, now),
        gt(breakGlassGrants.expiresAt, now),
      ),
    )
    .orderBy(desc(breakGlassGrants.expiresAt))
    .limit(1);
  return rows[0] ?? null;
}

/** Every grant into this clinic's records, newest first: for its administrators. */
export async function grantsIntoClinic(orm: Orm, clinicId: string, limit = 500): Promise<BreakGlassGrant[]> {
  return orm.select().from(breakGlassGrants).where(eq(breakGlassGrants.clinicId, clinicId)).orderBy(desc(breakGlassGrants.grantedAt)).limit(limit);
}

/** The grants this member of staff asked for from this clinic, newest first. */
export async function grantsMadeBy(orm: Orm, fromClinicId: string, staffId: string, limit = 100): Promise<BreakGlassGrant[]> {
  return orm
    .select()
    .from(breakGlassGrants)
    .where(and(eq(breakGlassGrants.fromClinicId, fromClinicId), eq(breakGlassGrants.staffId, staffId)))
    .orderBy(desc(breakGlassGrants.grantedAt))
    .limit(limit);
}
