import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openPglite, openPostgres, type Database } from '../../src/store/database';

/** Which engine this run of the database-backed tests uses: set per Vitest project. */
export function testEngine(): 'pglite' | 'postgres' {
  const engine = process.env.OPENHAT_TEST_DB;
  if (engine !== 'pglite' && engine !== 'postgres') throw new Error('OPENHAT_TEST_DB must be pglite or postgres');
  return engine;
}

export function postgresSkipped(): boolean {
  return testEngine() === 'postgres' && inject('postgresAdminUrl') === null;
}

let counter = 0;

/**
 * A migrated database of this file's own: PGlite restored from the migrated template, or a new
 * PostgreSQL database copied from the migrated template database. Tests isolate themselves from
 * one another with a fresh clinic each (append-only triggers forbid truncating).
 */
export async function openTestDatabase(): Promise<Database> {
  if (testEngine() === 'pglite') {
    const tarball = readFileSync(inject('pgliteTemplatePath'));
    return openPglite({ loadDataDir: new Blob([tarball]) });
  }
  const name = await createEmptyPostgresDatabase('openhat_template');
  const db = await openPostgres({ url: postgresUrl(name), maxConnections: 4 });
  const close = db.close.bind(db);
  return { ...db, close: async () => { await close(); await dropPostgresDatabase(name); } };
}

export function postgresUrl(database: string): string {
  const admin = inject('postgresAdminUrl');
  if (!admin) throw new Error('PostgreSQL is not available in this run');
  const url = new URL(admin);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A new database on the test cluster: empty, or a copy of a template. */
export async function createEmptyPostgresDatabase(template = 'template0'): Promise<string> {
  const name = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = new pg.Client({ connectionString: postgresUrl('postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  return name;
}

export async function dropPostgresDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresUrl('postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** A database with nothing in it, not even openhat's tables. */
export async function openEmptyTestDatabase(): Promise<Database> {
  if (testEngine() === 'pglite') return openPglite({});
  const name = await createEmptyPostgresDatabase('template0');
  const db = await openPostgres({ url: postgresUrl(name), maxConnections: 4 });
  const close = db.close.bind(db);
  return { ...db, close: async () => { await close(); await dropPostgresDatabase(name); } };
}
