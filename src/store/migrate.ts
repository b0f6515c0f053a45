import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './database';

/**
 * openhat's one, versioned set of SQL migrations, applied in order on PGlite and PostgreSQL alike.
 * Each runs in its own transaction together with its row in openhat_migrations, under an advisory
 * lock, so two servers starting at once on one PostgreSQL database cannot apply it twice.
 * A migration is never edited once released: its checksum is checked at every start.
 */

export interface Migration {
  id: number;
  name: string;
  sql: string;
  checksum: string;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;
const MIGRATION_LOCK_KEY = 0x0ba7_0001;

let cached: Migration[] | undefined;

export function loadMigrations(): Migration[] {
  if (cached) return cached;
  const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort();
  const migrations = files.map((file, index) => {
    const match = FILE_PATTERN.exec(file);
    if (!match) throw new Error(`migration file ${file} must be named NNNN_lower_case_name.sql`);
    const id = Number(match[1]);
    if (id !== index + 1) throw new Error(`migration ${file} is out of sequence: expected number ${index + 1}`);
    const sql = readFileSync(MIGRATIONS_DIR + file, 'utf8');
    return { id, name: file.replace(/\.sql$/, ''), sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
  cached = migrations;
  return migrations;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  /** Applied in the database but unknown to this version of openhat: the database is newer. */
  unknown: string[];
  /** Applied, but the file has changed since. */
  changed: string[];
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS openhat_migrations (
  migration_id integer PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL
)`;

interface AppliedRow {
  migration_id: number;
  name: string;
  checksum: string;
}

async function appliedRows(db: Database): Promise<AppliedRow[]> {
  const exists = await db.query<{ present: boolean }>(
    `SELECT to_regclass('openhat_migrations') IS NOT NULL AS present`,
  );
  if (!exists[0]?.present) return [];
  return db.query<AppliedRow>('SELECT migration_id, name, checksum FROM openhat_migrations ORDER BY migration_id');
}

export async function migrationStatus(db: Database): Promise<MigrationStatus> {
  const known = loadMigrations();
  const rows = await appliedRows(db);
  const byId = new Map(rows.map((r) => [r.migration_id, r]));
  return {
    applied: rows.filter((r) => known.some((m) => m.id === r.migration_id)).map((r) => r.name),
    pending: known.filter((m) => !byId.has(m.id)).map((m) => m.name),
    unknown: rows.filter((r) => !known.some((m) => m.id === r.migration_id)).map((r) => r.name),
    changed: known.filter((m) => byId.has(m.id) && byId.get(m.id)!.checksum !== m.checksum).map((m) => m.name),
  };
}

export class MigrationError extends Error {}

/**
 * Bring the database up to date (or, for restoring an older backup, up to `throughId`).
 * Returns the names of the migrations it applied.
 */
export async function migrate(db: Database, options: { throughId?: number; now?: Date } = {}): Promise<string[]> {
  await db.runScript(CREATE_TABLE);
  const status = await migrationStatus(db);
  if (status.unknown.length > 0) {
    throw new MigrationError(
      `the database has migrations this version of openhat does not know (${status.unknown.join(', ')}); run a newer openhat`,
    );
  }
  if (status.changed.length > 0) {
    throw new MigrationError(
      `migrations were edited after they were applied (${status.changed.join(', ')}); released migrations must never change`,
    );
  }
  const target = options.throughId ?? Infinity;
  const appliedNow: string[] = [];
  for (const migration of loadMigrations()) {
    if (migration.id > target || !status.pending.includes(migration.name)) continue;
    const appliedAt = (options.now ?? new Date()).toISOString();
    const script = [
      `SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY});`,
      // Another process may have applied it while we waited for the lock.
      `DO $$ BEGIN IF EXISTS (SELECT 1 FROM openhat_migrations WHERE migration_id = ${migration.id}) THEN RAISE EXCEPTION 'already applied' USING ERRCODE = 'OH002'; END IF; END $$;`,
      migration.sql,
      `;INSERT INTO openhat_migrations (migration_id, name, checksum, applied_at) VALUES (${migration.id}, '${migration.name}', '${migration.checksum}', '${appliedAt}');`,
    ].join('\n');
    try {
      await db.runScript(script);
      appliedNow.push(migration.name);
    } catch (err) {
      if ((err as { code?: string }).code === 'OH002') continue;
      throw new MigrationError(`migration ${migration.name} failed: ${(err as Error).message}`, { cause: err });
    }
  }
  return appliedNow;
}

export async function isSchemaCurrent(db: Database): Promise<boolean> {
  const status = await migrationStatus(db);
  return status.pending.length === 0 && status.unknown.length === 0 && status.changed.length === 0;
}
