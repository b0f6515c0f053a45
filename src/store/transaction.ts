import { uuidv7 } from 'uuidv7';
import type { Clock } from '../domain/time/clock';
import { instantToDate } from '../domain/time/clock';
import type { Database, Orm } from './database';
import { auditEvents } from './schema';
import { transactionScope } from './transaction-scope';

/** Who is acting, and from where: what the audit log records with every entry. */
export interface Actor {
  staffId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export const SYSTEM_ACTOR: Actor = { staffId: null, ip: null, userAgent: 'openhat (system)', requestId: null };

export interface AuditEntry {
  clinicId: string | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  details?: Record<string, unknown> | null;
}

export interface WriteContext {
  /** The transaction: every write in the unit of work goes through it. */
  tx: Orm;
  /** One instant for the whole unit of work, from the injected clock. */
  now: Date;
  actor: Actor;
  audit(entry: AuditEntry): Promise<void>;
  /** Many entries at once (an import's records), in a few statements rather than one each. */
  auditMany(entries: readonly AuditEntry[]): Promise<void>;
}

export class UnauditedWriteError extends Error {
  constructor() {
    super('a write transaction committed nothing to the audit log; every write must be audited');
  }
}

const auditRow = (now: Date, actor: Actor, entry: AuditEntry) => ({
  auditId: uuidv7(),
  clinicId: entry.clinicId,
  occurredAt: now,
  staffId: actor.staffId,
  action: entry.action,
  entityType: entry.entityType,
  entityId: entry.entityId ?? null,
  ip: actor.ip,
  userAgent: actor.userAgent,
  requestId: actor.requestId,
  details: entry.details ?? null,
});

/** Rows per INSERT when writing many: well under PostgreSQL's 65,535 bind parameters. */
export const BULK_CHUNK = 500;

async function insertAudit(tx: Orm, now: Date, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.insert(auditEvents).values(auditRow(now, actor, entry));
}

/**
 * A unit of work: its writes and their audit entries commit together or not at all. A unit that
 * records no audit entry is rolled back, so no write path can forget the audit log.
 */
export async function inTransaction<T>(
  db: Database,
  clock: Clock,
  actor: Actor,
  work: (w: WriteContext) => Promise<T>,
): Promise<T> {
  const now = instantToDate(clock.now());
  return db.orm.transaction((tx) => transactionScope.run(true, async () => {
    let audited = 0;
    const context: WriteContext = {
      tx: tx as unknown as Orm,
      now,
      actor,
      async audit(entry) {
        await insertAudit(tx as unknown as Orm, now, actor, entry);
        audited++;
      },
      async auditMany(entries) {
        for (let i = 0; i < entries.length; i += BULK_CHUNK) {
          await (tx as unknown as Orm).insert(auditEvents).values(entries.slice(i, i + BULK_CHUNK).map((e) => auditRow(now, actor, e)));
        }
        audited += entries.length;
      },
    };
    const result = await work(context);
    if (audited === 0) throw new UnauditedWriteError();
    return result;
  }));
}

/** Record that someone looked at a record (e.g. a service user's): a write of its own. */
export async function auditRead(db: Database, clock: Clock, actor: Actor, entry: Omit<AuditEntry, 'action'>): Promise<void> {
  await insertAudit(db.orm, instantToDate(clock.now()), actor, { ...entry, action: 'read' });
}
