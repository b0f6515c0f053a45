import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../domain/time/clock';
import { defaultClinicSettings } from '../domain/clinic/clinic-settings';
import { openTestDatabase, postgresSkipped } from '../../test/support/test-database';
import type { Database } from './database';
import { createClinic } from './clinics';
import { queryAudit } from './audit-log';
import { inTransaction, UnauditedWriteError, type Actor } from './transaction';
import { clinicSettings } from './schema';

const actor: Actor = { staffId: null, ip: '192.0.2.1', userAgent: 'test', requestId: 'req-1' };

describe.skipIf(postgresSkipped())('audit log', () => {
  let db: Database;
  const clock = new FakeClock('2026-05-01T10:00:00Z');
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => db?.close());

  it('refuses UPDATE, DELETE and TRUNCATE on audit entries, and on other append-only tables', async () => {
    await inTransaction(db, clock, actor, (w) => createClinic(w, defaultClinicSettings('Immutable')));
    for (const statement of [
      `UPDATE audit_events SET action = 'tampered'`,
      `DELETE FROM audit_events`,
      `TRUNCATE audit_events CASCADE`,
      `UPDATE clinic_settings SET reason = 'rewritten'`,
      `DELETE FROM clinics`,
    ]) {
      await expect(db.query(statement), statement).rejects.toThrow(/append-only/);
    }
  });

  it('commits a write and its audit entry together, or neither', async () => {
    const before = (await queryAudit(db.orm, { clinicId: null, limit: 1000 })).length;
    await expect(
      inTransaction(db, clock, actor, async (w) => {
        await w.audit({ clinicId: null, action: 'test', entityType: 'thing' });
        throw new Error('the write failed after its audit entry');
      }),
    ).rejects.toThrow('the write failed');
    expect((await queryAudit(db.orm, { clinicId: null, limit: 1000 })).length).toBe(before);
  });

  it('rolls back a unit of work that forgot to audit', async () => {
    const clinicId = await inTransaction(db, clock, actor, (w) => createClinic(w, defaultClinicSettings('Forgetful')));
    await expect(
      inTransaction(db, clock, actor, async (w) => {
        await w.tx.insert(clinicSettings).values({ clinicId, version: 2, settings: {}, changedAt: w.now });
      }),
    ).rejects.toThrow(UnauditedWriteError);
    const versions = await db.query(`SELECT version FROM clinic_settings WHERE clinic_id = $1`, [clinicId]);
    expect(versions).toHaveLength(1);
  });

  it('refuses, at once, a query on the outer database inside a transaction (it would deadlock PGlite)', async () => {
    await expect(
      inTransaction(db, clock, actor, async (w) => {
        await w.audit({ clinicId: null, action: 'test', entityType: 'thing' });
        await db.orm.select().from(clinicSettings);
      }),
    ).rejects.toThrow(/use the transaction \(w\.tx\) instead/);
    // Outside a transaction the outer handle works as usual.
    expect(Array.isArray(await db.orm.select().from(clinicSettings).limit(1))).toBe(true);
  });

  it('records who, when, what and from where, and filters by record and time', async () => {
    const clinicId = await inTransaction(db, clock, actor, (w) => createClinic(w, defaultClinicSettings('Filtered')));
    clock.advance({ hours: 1 });
    await inTransaction(db, clock, { ...actor, ip: '192.0.2.99' }, (w) =>
      w.audit({ clinicId, action: 'read', entityType: 'service_user', entityId: 'su-1' }),
    );
    const all = await queryAudit(db.orm, { clinicId, limit: 10 });
    expect(all.map((e) => e.action)).toEqual(['read', 'create']);
    expect(all[0]).toMatchObject({ ip: '192.0.2.99', userAgent: 'test', requestId: 'req-1', entityId: 'su-1' });
    expect(all[0]!.occurredAt.toISOString()).toBe(clock.now().toString().replace('Z', '.000Z'));
    expect((await queryAudit(db.orm, { clinicId, entityType: 'service_user', entityId: 'su-1', limit: 10 })).length).toBe(1);
    const earlier = await queryAudit(db.orm, { clinicId, to: new Date(clock.now().epochMilliseconds), limit: 10 });
    expect(earlier.map((e) => e.action)).toEqual(['create']);
    const page1 = await queryAudit(db.orm, { clinicId, limit: 1 });
    const page2 = await queryAudit(db.orm, { clinicId, limit: 1, before: page1[0]!.auditId });
    expect([...page1, ...page2].map((e) => e.auditId)).toEqual(all.map((e) => e.auditId));
  });
});
