import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from './database';
import { isSchemaCurrent, loadMigrations, migrate, migrationStatus } from './migrate';
import { openEmptyTestDatabase, postgresSkipped } from '../../test/support/test-database';

describe.skipIf(postgresSkipped())('migrations', () => {
  let db: Database | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it('apply in order on an empty database, once', async () => {
    db = await openEmptyTestDatabase();
    expect(await isSchemaCurrent(db)).toBe(false);
    const applied = await migrate(db);
    expect(applied).toEqual(loadMigrations().map((m) => m.name));
    expect(await migrate(db)).toEqual([]);
    expect(await isSchemaCurrent(db)).toBe(true);
    const status = await migrationStatus(db);
    expect(status.pending).toEqual([]);
  });

  it('can stop at a given migration (restoring an older backup)', async () => {
    db = await openEmptyTestDatabase();
    await migrate(db, { throughId: 0 });
    expect((await migrationStatus(db)).applied).toEqual([]);
    await migrate(db, { throughId: 1 });
    expect((await migrationStatus(db)).applied).toEqual([loadMigrations()[0]!.name]);
  });

  it('refuse a database that has migrations this version does not know', async () => {
    db = await openEmptyTestDatabase();
    await migrate(db);
    await db.query(
      `INSERT INTO openhat_migrations (migration_id, name, checksum, applied_at) VALUES (9999, '9999_future', 'x', now())`,
    );
    await expect(migrate(db)).rejects.toThrow(/does not know \(9999_future\)/);
    expect(await isSchemaCurrent(db)).toBe(false);
  });

  it('refuse a migration whose file changed after it was applied', async () => {
    db = await openEmptyTestDatabase();
    await migrate(db);
    await db.query(`UPDATE openhat_migrations SET checksum = 'edited' WHERE migration_id = 1`);
    await expect(migrate(db)).rejects.toThrow(/edited after they were applied/);
  });

  it('roll back a failed migration completely', async () => {
    db = await openEmptyTestDatabase();
    await expect(db.runScript('CREATE TABLE half_done (a int); SELECT no_such_function();')).rejects.toThrow();
    const rows = await db.query<{ present: boolean }>(`SELECT to_regclass('half_done') IS NOT NULL AS present`);
    expect(rows[0]?.present).toBe(false);
  });
});
