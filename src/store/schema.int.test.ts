import { getTableConfig } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database';
import { DEPLOYMENT_TABLES, schema } from './schema';
import { openTestDatabase, postgresSkipped } from '../../test/support/test-database';

describe.skipIf(postgresSkipped())('schema', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => db?.close());

  async function columnsOf(table: string) {
    return db.query<{ column_name: string; is_nullable: string }>(
      `SELECT column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY column_name`,
      [table],
    );
  }

  it('the Drizzle schema matches the migrated database, column for column', async () => {
    for (const table of Object.values(schema)) {
      const config = getTableConfig(table);
      const actual = await columnsOf(config.name);
      const expected = config.columns
        .map((c) => ({ column_name: c.name, is_nullable: c.notNull || c.primary ? 'NO' : 'YES' }))
        .sort((a, b) => a.column_name.localeCompare(b.column_name));
      expect(actual, config.name).toEqual(expected);
    }
  });

  it('every table but the deployment-wide ones carries clinic_id', async () => {
    const tables = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    const modelled = Object.values(schema).map((t) => getTableConfig(t).name);
    for (const { table_name } of tables) {
      if ((DEPLOYMENT_TABLES as readonly string[]).includes(table_name)) continue;
      expect(modelled, `${table_name} is missing from schema.ts`).toContain(table_name);
      const columns = (await columnsOf(table_name)).map((c) => c.column_name);
      expect(columns, `${table_name} has no clinic_id`).toContain('clinic_id');
    }
  });
});
