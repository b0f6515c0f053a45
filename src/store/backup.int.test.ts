import { PassThrough, Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmptyTestDatabase, postgresSkipped, testEngine, openTestDatabase } from '../../test/support/test-database';
import { TestApp, TEST_PASSWORD } from '../../test/support/test-app';
import { BACKUP_TABLES, BackupError, restoreBackup, writeBackup } from './backup';
import { openPglite, type Database } from './database';
import { isSchemaCurrent, migrate } from './migrate';

async function backupToBuffer(db: Database): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  await writeBackup(db, sink, new Date('2026-03-02T12:00:00Z'));
  return Buffer.concat(chunks);
}

/** Every row of every table, as the database itself renders it to JSON. */
async function contents(db: Database): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const { table, key } of BACKUP_TABLES) {
    const rows = await db.query<{ row: unknown }>(
      `SELECT to_jsonb(t) AS row FROM ${table} t ORDER BY ${key.map(([c]) => c).join(', ')}`,
    );
    out[table] = rows.map((r) => (typeof r.row === 'string' ? JSON.parse(r.row) : r.row));
  }
  return out;
}

/** A clinic with a bit of everything: settings versions, staff with roles, sessions, audit, idempotency keys. */
async function fillWithData(db: Database) {
  const t = await TestApp.on(db);
  const clinic = await t.newClinic('Clinic ünïcødé — “quotes” \\ backslash');
  const settings = (await clinic.admin.client.get(clinic.url())).body.settings;
  await clinic.admin.client.put(clinic.url('/settings'), { expectedVersion: 1, reason: 'line\nbreak', settings: { ...settings, places: 9 } });
  await clinic.admin.client.post(
    clinic.url('/staff'),
    { email: 'dr.who@clinic.test', displayName: 'Dr Ōkami', roles: ['prescriber'], temporaryPassword: 'temporary pass phrase' },
    { 'idempotency-key': 'key-0000001' },
  );
  const doctor = (await clinic.admin.client.get(clinic.url('/staff'))).body.staff.find((s: { email: string }) => s.email === 'dr.who@clinic.test');
  await clinic.admin.client.patch(clinic.url(`/staff/${doctor.staffId}`), { homeOfficeLicenceNumber: 'HO/1', homeOfficeLicenceExpiry: '2027-03-31' });
  t.clock.advance({ milliseconds: 1234 });
  await t.client().post('/api/v1/auth/login', { email: 'nobody@x.test', password: 'wrong password' });
  await t.app.close();
  return { adminEmail: clinic.admin.email, clinicId: clinic.clinicId };
}

describe.skipIf(postgresSkipped())('backup and restore', () => {
  const open: Database[] = [];
  const track = (db: Database) => {
    open.push(db);
    return db;
  };
  afterEach(async () => {
    for (const db of open.splice(0)) await db.close();
  });

  async function roundTrip(source: Database, target: Database) {
    const { adminEmail, clinicId } = await fillWithData(source);
    const before = await contents(source);
    const file = await backupToBuffer(source);
    const summary = await restoreBackup(target, Readable.from([file]));
    expect(summary.counts.clinics).toBeGreaterThanOrEqual(1);
    expect(await isSchemaCurrent(target)).toBe(true);
    expect(await contents(target)).toEqual(before);
    // The restored system works: the administrator signs in with the same password and sees the clinic.
    const restored = await TestApp.on(target);
    const client = restored.client();
    expect((await client.signIn(adminEmail, TEST_PASSWORD)).status).toBe(200);
    expect((await client.get(`/api/v1/clinics/${clinicId}`)).body.settings.places).toBe(9);
    await restored.app.close();
  }

  it(`round trip ${testEngine()} → ${testEngine()}`, async () => {
    await roundTrip(track(await openTestDatabase()), track(await openEmptyTestDatabase()));
  });

  it.runIf(testEngine() === 'postgres')('a PGlite backup restores into PostgreSQL (outgrowing the embedded database)', async () => {
    const pglite = track(await openPglite({}));
    await migrate(pglite);
    await roundTrip(pglite, track(await openEmptyTestDatabase()));
  });

  it.runIf(testEngine() === 'postgres')('a PostgreSQL backup restores into PGlite', async () => {
    await roundTrip(track(await openTestDatabase()), track(await openPglite({})));
  });

  it('a backup downloaded from the running server restores like one from the CLI', async () => {
    const source = track(await openTestDatabase());
    await fillWithData(source);
    const t = await TestApp.on(source);
    const boss = await t.newStaff(null, [], { deploymentAdmin: true });
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/backup', headers: { cookie: boss.client.cookie! } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/gzip');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="openhat-\d{8}-\d{6}\.backup"$/);
    const before = await contents(source);
    await t.app.close();
    const target = track(await openEmptyTestDatabase());
    await restoreBackup(target, Readable.from([res.rawPayload]));
    // The download was audited before the snapshot was read, so the backup holds that entry too.
    expect(await contents(target)).toEqual(before);
    expect((before.audit_events as { entity_type: string }[]).some((e) => e.entity_type === 'backup')).toBe(true);
  });

  it('refuses to restore into a database that has data, and changes nothing', async () => {
    const source = track(await openTestDatabase());
    await fillWithData(source);
    const file = await backupToBuffer(source);
    const target = track(await openTestDatabase());
    await fillWithData(target);
    const before = await contents(target);
    await expect(restoreBackup(target, Readable.from([file]))).rejects.toThrow(/needs an empty database/);
    expect(await contents(target)).toEqual(before);
  });

  it('refuses a corrupted backup and restores nothing', async () => {
    const source = track(await openTestDatabase());
    await fillWithData(source);
    const text = gunzipSync(await backupToBuffer(source)).toString();
    const tampered = gzipSync(Buffer.from(text.replace('Dr Ōkami', 'Dr Evil!')));
    const target = track(await openEmptyTestDatabase());
    await expect(restoreBackup(target, Readable.from([tampered]))).rejects.toThrow(/checksum mismatch/);
    const rows = await target.query(`SELECT 1 FROM staff`);
    expect(rows).toHaveLength(0);

    const truncated = gzipSync(Buffer.from(text.split('\n').slice(0, -2).join('\n') + '\n'));
    const target2 = track(await openEmptyTestDatabase());
    await expect(restoreBackup(target2, Readable.from([truncated]))).rejects.toThrow(/truncated/);
    expect(await target2.query(`SELECT 1 FROM clinics`)).toHaveLength(0);

    await expect(restoreBackup(track(await openEmptyTestDatabase()), Readable.from([Buffer.from('hello')]))).rejects.toThrow(BackupError);
  });

  it('covers every table in the database', async () => {
    const db = track(await openTestDatabase());
    const tables = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'openhat_migrations'`,
    );
    expect(tables.map((t) => t.table_name).sort()).toEqual(BACKUP_TABLES.map((t) => t.table).sort());
  });
});
