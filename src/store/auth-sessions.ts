import { and, eq, isNull, ne } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Orm } from './database';
import { authSessions } from './schema';
import type { WriteContext } from './transaction';

export type AuthSessionRow = typeof authSessions.$inferSelect;

export async function createAuthSession(
  w: WriteContext,
  input: { staffId: string; tokenHash: string; secondFactorPending?: 'enrolment_required' | 'code_required' | null },
): Promise<AuthSessionRow> {
  const [row] = await w.tx
    .insert(authSessions)
    .values({
      sessionId: uuidv7(),
      tokenHash: input.tokenHash,
      staffId: input.staffId,
      createdAt: w.now,
      lastSeenAt: w.now,
      ip: w.actor.ip,
      userAgent: w.actor.userAgent,
      secondFactorPending: input.secondFactorPending ?? null,
    })
    .returning();
  return row!;
}

export async function findAuthSession(orm: Orm, tokenHash: string): Promise<AuthSessionRow | null> {
  const rows = await orm.select().from(authSessions).where(eq(authSessions.tokenHash, tokenHash)).limit(1);
  return rows[0] ?? null;
}

/** Bookkeeping, not a clinical write: not audited (sign-in and sign-out are). */
export async function recordSessionActivity(orm: Orm, sessionId: string, at: Date): Promise<void> {
  await orm.update(authSessions).set({ lastSeenAt: at }).where(eq(authSessions.sessionId, sessionId));
}

export async function revokeAuthSession(w: WriteContext, sessionId: string, reason: string): Promise<void> {
  await w.tx
    .update(authSessions)
    .set({ revokedAt: w.now, revokedReason: reason })
    .where(and(eq(authSessions.sessionId, sessionId), isNull(authSessions.revokedAt)));
}

/** End every session of a person (e.g. after a password change), optionally keeping one. */
export async function revokeAllAuthSessions(
  w: WriteContext,
  staffId: string,
  reason: string,
  keepSessionId?: string,
): Promise<void> {
  await w.tx
    .update(authSessions)
    .set({ revokedAt: w.now, revokedReason: reason })
    .where(
      and(
        eq(authSessions.staffId, staffId),
        isNull(authSessions.revokedAt),
        keepSessionId ? ne(authSessions.sessionId, keepSessionId) : undefined,
      ),
    );
}
