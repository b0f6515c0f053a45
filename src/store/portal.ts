import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Orm } from './database';
import { portalAccounts, portalSessions } from './schema';
import type { WriteContext } from './transaction';

/**
 * Service users' portal accounts and sessions. Accounts change (a new password, a lockout, switched
 * off), so every change here is audited by the caller's unit of work with the portal actor named.
 * Session tokens are never stored: only their SHA-256.
 */

export type PortalAccountRow = typeof portalAccounts.$inferSelect;
export type PortalSessionRow = typeof portalSessions.$inferSelect;

export async function getPortalAccount(orm: Orm, clinicId: string, serviceUserId: string): Promise<PortalAccountRow | null> {
  const rows = await orm
    .select()
    .from(portalAccounts)
    .where(and(eq(portalAccounts.clinicId, clinicId), eq(portalAccounts.serviceUserId, serviceUserId)));
  return rows[0] ?? null;
}

/** The account row locked for the rest of the transaction (failed sign-ins and changes queue). */
export async function lockPortalAccount(orm: Orm, clinicId: string, serviceUserId: string): Promise<PortalAccountRow | null> {
  const rows = await orm
    .select()
    .from(portalAccounts)
    .where(and(eq(portalAccounts.clinicId, clinicId), eq(portalAccounts.serviceUserId, serviceUserId)))
    .for('update');
  return rows[0] ?? null;
}

/** By username, whatever its case, at any clinic: usernames are unique across the deployment. */
export async function findPortalAccountByUsername(orm: Orm, username: string): Promise<PortalAccountRow | null> {
  const rows = await orm
    .select()
    .from(portalAccounts)
    .where(sql`lower(${portalAccounts.username}) = ${username.trim().toLowerCase()}`)
    .limit(1);
  return rows[0] ?? null;
}

export async function insertPortalAccount(
  w: WriteContext,
  a: { clinicId: string; serviceUserId: string; username: string; passwordHash: string },
): Promise<PortalAccountRow> {
  const [row] = await w.tx
    .insert(portalAccounts)
    .values({
      ...a,
      enabled: true,
      mustChangePassword: true,
      failedLoginCount: 0,
      lockedUntil: null,
      passwordChangedAt: w.now,
      createdAt: w.now,
      createdBy: w.actor.staffId,
    })
    .returning();
  return row!;
}

export async function updatePortalAccount(
  w: WriteContext,
  clinicId: string,
  serviceUserId: string,
  changes: Partial<Pick<PortalAccountRow, 'enabled' | 'mustChangePassword' | 'failedLoginCount' | 'lockedUntil' | 'passwordHash' | 'passwordChangedAt'>>,
): Promise<PortalAccountRow> {
  const [row] = await w.tx
    .update(portalAccounts)
    .set(changes)
    .where(and(eq(portalAccounts.clinicId, clinicId), eq(portalAccounts.serviceUserId, serviceUserId)))
    .returning();
  return row!;
}

export async function createPortalSession(
  w: WriteContext,
  s: { clinicId: string; serviceUserId: string; tokenHash: string },
): Promise<PortalSessionRow> {
  const [row] = await w.tx
    .insert(portalSessions)
    .values({ ...s, sessionId: uuidv7(), createdAt: w.now, lastSeenAt: w.now, ip: w.actor.ip, userAgent: w.actor.userAgent })
    .returning();
  return row!;
}

export async function findPortalSession(orm: Orm, tokenHash: string): Promise<PortalSessionRow | null> {
  const rows = await orm.select().from(portalSessions).where(eq(portalSessions.tokenHash, tokenHash)).limit(1);
  return rows[0] ?? null;
}

/** Bookkeeping, not a change to any record: not audited (sign-in and sign-out are). */
export async function recordPortalSessionActivity(orm: Orm, clinicId: string, sessionId: string, at: Date): Promise<void> {
  await orm
    .update(portalSessions)
    .set({ lastSeenAt: at })
    .where(and(eq(portalSessions.clinicId, clinicId), eq(portalSessions.sessionId, sessionId)));
}

export async function revokePortalSession(w: WriteContext, clinicId: string, sessionId: string, reason: string): Promise<void> {
  await w.tx
    .update(portalSessions)
    .set({ revokedAt: w.now, revokedReason: reason })
    .where(and(eq(portalSessions.clinicId, clinicId), eq(portalSessions.sessionId, sessionId), isNull(portalSessions.revokedAt)));
}

/** End every session of a person's account; returns how many were open. */
export async function revokeAllPortalSessions(w: WriteContext, clinicId: string, serviceUserId: string, reason: string): Promise<number> {
  const ended = await w.tx
    .update(portalSessions)
    .set({ revokedAt: w.now, revokedReason: reason })
    .where(and(eq(portalSessions.clinicId, clinicId), eq(portalSessions.serviceUserId, serviceUserId), isNull(portalSessions.revokedAt)))
    .returning({ sessionId: portalSessions.sessionId });
  return ended.length;
}

/** The person's sessions, newest first. */
export async function portalSessionsOf(orm: Orm, clinicId: string, serviceUserId: string): Promise<PortalSessionRow[]> {
  return orm
    .select()
    .from(portalSessions)
    .where(and(eq(portalSessions.clinicId, clinicId), eq(portalSessions.serviceUserId, serviceUserId)))
    .orderBy(desc(portalSessions.createdAt));
}
