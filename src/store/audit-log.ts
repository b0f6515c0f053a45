import { and, desc, eq, gte, isNull, lt, or, type SQL } from 'drizzle-orm';
import type { Orm } from './database';
import { auditEvents, staff } from './schema';

export interface AuditQuery {
  /** A clinic's events, or (null) the deployment-wide ones such as sign-ins. */
  clinicId: string | null;
  /** One entry by its id. */
  auditId?: string;
  staffId?: string;
  entityType?: string;
  entityId?: string;
  action?: string;
  from?: Date;
  to?: Date;
  /** Continue after this audit id (newest first). */
  before?: string;
  limit: number;
}

export interface AuditRecord {
  auditId: string;
  clinicId: string | null;
  occurredAt: Date;
  staffId: string | null;
  staffEmail: string | null;
  staffName: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: unknown;
}

export async function queryAudit(orm: Orm, q: AuditQuery): Promise<AuditRecord[]> {
  const where: (SQL | undefined)[] = [
    q.clinicId === null ? isNull(auditEvents.clinicId) : eq(auditEvents.clinicId, q.clinicId),
    q.auditId ? eq(auditEvents.auditId, q.auditId) : undefined,
    q.staffId ? eq(auditEvents.staffId, q.staffId) : undefined,
    q.entityType ? eq(auditEvents.entityType, q.entityType) : undefined,
    q.entityId ? eq(auditEvents.entityId, q.entityId) : undefined,
    q.action ? eq(auditEvents.action, q.action) : undefined,
    q.from ? gte(auditEvents.occurredAt, q.from) : undefined,
    q.to ? lt(auditEvents.occurredAt, q.to) : undefined,
  ];
  if (q.before) {
    // uuidv7 ids sort by time, so (occurred_at, audit_id) pages stably even within one millisecond.
    const anchor = await orm
      .select({ occurredAt: auditEvents.occurredAt })
      .from(auditEvents)
      .where(eq(auditEvents.auditId, q.before))
      .limit(1);
    if (anchor[0]) {
      where.push(
        or(
          lt(auditEvents.occurredAt, anchor[0].occurredAt),
          and(eq(auditEvents.occurredAt, anchor[0].occurredAt), lt(auditEvents.auditId, q.before)),
        ),
      );
    }
  }
  const rows = await orm
    .select({ event: auditEvents, staffEmail: staff.email, staffName: staff.displayName })
    .from(auditEvents)
    .leftJoin(staff, eq(staff.staffId, auditEvents.staffId))
    .where(and(...where))
    .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.auditId))
    .limit(q.limit);
  return rows.map(({ event, staffEmail, staffName }) => ({ ...event, staffEmail, staffName }));
}
