import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Orm } from './database';
import { loadMigrations, migrate, migrationStatus } from './migrate';

/**
 * openhat's own backup format: a gzipped file of JSON lines, logical rather than physical, so a
 * backup taken on PGlite (PostgreSQL 18) restores into PostgreSQL 15 or newer and back.
 *
 *   line 1   {"format":"openhat-backup","formatVersion":1,"migrations":[…],"createdAt":…,"source":…}
 *   then     {"table":"staff","rows":[…]}   (batches, tables in restore order, rows in key order)
 *   last     {"end":true,"counts":{…},"sha256":"…"}   (hash of every line before it)
 *
 * Restore needs an empty database: the append-only triggers forbid wiping one, and restoring
 * over live data would mix two histories. Rows go in with INSERT only, which those triggers allow.
 */

export const BACKUP_FORMAT = 'openhat-backup';
export const BACKUP_FORMAT_VERSION = 1;
const BATCH = 1000;

interface TableSpec {
  table: string;
  key: [column: string, type: 'uuid' | 'integer' | 'text'][];
}

/** Every table, parents before children. A test checks that no table is missing. */
export const BACKUP_TABLES: TableSpec[] = [
  { table: 'staff', key: [['staff_id', 'uuid']] },
  { table: 'clinics', key: [['clinic_id', 'uuid']] },
  { table: 'clinic_settings', key: [['clinic_id', 'uuid'], ['version', 'integer']] },
  { table: 'staff_roles', key: [['clinic_id', 'uuid'], ['staff_id', 'uuid'], ['role', 'text']] },
  { table: 'auth_sessions', key: [['session_id', 'uuid']] },
  { table: 'staff_second_factors', key: [['staff_id', 'uuid']] },
  { table: 'audit_events', key: [['audit_id', 'uuid']] },
  { table: 'idempotency_keys', key: [['clinic_id', 'uuid'], ['staff_id', 'uuid'], ['idempotency_key', 'text']] },
  { table: 'service_users', key: [['clinic_id', 'uuid'], ['service_user_id', 'uuid']] },
  { table: 'service_user_versions', key: [['clinic_id', 'uuid'], ['service_user_id', 'uuid'], ['version', 'integer']] },
  { table: 'service_user_photos', key: [['clinic_id', 'uuid'], ['photo_id', 'uuid']] },
  { table: 'episodes', key: [['clinic_id', 'uuid'], ['episode_id', 'uuid']] },
  { table: 'episode_events', key: [['clinic_id', 'uuid'], ['episode_id', 'uuid'], ['seq', 'integer']] },
  { table: 'prescription_versions', key: [['clinic_id', 'uuid'], ['service_user_id', 'uuid'], ['version', 'integer']] },
  { table: 'reviews', key: [['clinic_id', 'uuid'], ['review_id', 'uuid']] },
  { table: 'cd_items', key: [['clinic_id', 'uuid'], ['item_id', 'uuid']] },
  { table: 'cd_entries', key: [['clinic_id', 'uuid'], ['item_id', 'uuid'], ['seq', 'integer']] },
  { table: 'cd_discrepancies', key: [['clinic_id', 'uuid'], ['discrepancy_id', 'uuid']] },
  { table: 'cd_discrepancy_resolutions', key: [['clinic_id', 'uuid'], ['discrepancy_id', 'uuid']] },
  { table: 'cd_patient_returns', key: [['clinic_id', 'uuid'], ['return_id', 'uuid']] },
  { table: 'cd_patient_return_destructions', key: [['clinic_id', 'uuid'], ['return_id', 'uuid']] },
  { table: 'dosing_sessions', key: [['clinic_id', 'uuid'], ['session_id', 'uuid']] },
  { table: 'dosing_session_closures', key: [['clinic_id', 'uuid'], ['session_id', 'uuid']] },
  { table: 'handover_notes', key: [['clinic_id', 'uuid'], ['note_id', 'uuid']] },
  { table: 'doses', key: [['clinic_id', 'uuid'], ['dose_id', 'uuid']] },
  { table: 'dose_events', key: [['clinic_id', 'uuid'], ['dose_id', 'uuid'], ['seq', 'integer']] },
  { table: 'dose_outcomes', key: [['clinic_id', 'uuid'], ['dose_id', 'uuid']] },
  { table: 'dosing_exceptions', key: [['clinic_id', 'uuid'], ['exception_id', 'uuid']] },
  { table: 'care_imports', key: [['clinic_id', 'uuid'], ['import_id', 'uuid']] },
  { table: 'care_records', key: [['clinic_id', 'uuid'], ['record_id', 'uuid'], ['version', 'integer']] },
  { table: 'portal_accounts', key: [['clinic_id', 'uuid'], ['service_user_id', 'uuid']] },
  { table: 'portal_sessions', key: [['clinic_id', 'uuid'], ['session_id', 'uuid']] },
  { table: 'break_glass_grants', key: [['clinic_id', 'uuid'], ['grant_id', 'uuid']] },
];

interface Header {
  format: string;
  formatVersion: number;
  createdAt: string;
  source: string;
  migrations: { id: number; name: string; checksum: string }[];
}

export interface BackupSummary {
  counts: Record<string, number>;
  sha256: string;
}

export class BackupError extends Error {}

async function* tableRows(orm: Orm, spec: TableSpec): AsyncGenerator<Record<string, unknown>[]> {
  const table = sql.identifier(spec.table);
  const keyList = sql.join(spec.key.map(([c]) => sql.identifier(c)), sql`, `);
  let after: unknown[] | null = null;
  for (;;) {
    const afterValues: unknown[] | null = after;
    const where: SQL = afterValues
      ? sql`WHERE (${keyList}) > (${sql.join(spec.key.map(([, type], i) => sql`${afterValues[i]}::${sql.raw(type)}`), sql`, `)})`
      : sql``;
    const result: unknown = await orm.execute(
      sql`SELECT to_jsonb(t) AS row FROM ${table} AS t ${where} ORDER BY ${keyList} LIMIT ${BATCH}`,
    );
    const rows: Record<string, unknown>[] = (result as { rows: { row: Record<string, unknown> }[] }).rows.map((r) =>
      typeof r.row === 'string' ? (JSON.parse(r.row) as Record<string, unknown>) : r.row,
    );
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < BATCH) return;
    const last: Record<string, unknown> = rows[rows.length - 1]!;
    after = spec.key.map(([c]) => last[c]);
  }
}

/** Write a consistent backup of the whole database (one snapshot) to a stream. */
export async function writeBackup(db: Database, output: Writable, now: Date): Promise<BackupSummary> {
  const status = await migrationStatus(db);
  if (status.pending.length > 0 || status.unknown.length > 0) {
    throw new BackupError('the database schema is not current; start openhat (or run migrate) before backing up');
  }
  const known = loadMigrations();
  const header: Header = {
    format: BACKUP_FORMAT,
    formatVersion: BACKUP_FORMAT_VERSION,
    createdAt: now.toISOString(),
    source: db.kind,
    migrations: known.filter((m) => status.applied.includes(m.name)).map(({ id, name, checksum }) => ({ id, name, checksum })),
  };
  const gzip = createGzip();
  gzip.pipe(output);
  const hash = createHash('sha256');
  const write = async (value: unknown) => {
    const line = `${JSON.stringify(value)}\n`;
    hash.update(line);
    if (!gzip.write(line)) await new Promise((resolve) => gzip.once('drain', resolve));
  };
  const counts: Record<string, number> = {};
  await db.orm.transaction(
    async (tx) => {
      await write(header);
      for (const spec of BACKUP_TABLES) {
        counts[spec.table] = 0;
        for await (const rows of tableRows(tx as unknown as Orm, spec)) {
          counts[spec.table]! += rows.length;
          await write({ table: spec.table, rows });
        }
      }
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  const sha256 = hash.digest('hex');
  gzip.end(`${JSON.stringify({ end: true, counts, sha256 })}\n`);
  await new Promise<void>((resolve, reject) => {
    output.once('finish', resolve);
    output.once('close', resolve);
    output.once('error', reject);
  });
  return { counts, sha256 };
}

async function isEmpty(db: Database): Promise<boolean> {
  for (const { table } of BACKUP_TABLES) {
    const exists = await db.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [table]);
    if (!exists[0]?.present) continue;
    const rows = await db.query(`SELECT 1 FROM ${table} LIMIT 1`);
    if (rows.length > 0) return false;
  }
  return true;
}

/**
 * Restore a backup into an empty database: migrate it to the backup's schema, load every row in
 * one transaction (checking counts and hash before committing), then apply any newer migrations.
 */
export async function restoreBackup(db: Database, input: Readable): Promise<BackupSummary> {
  const lines = createInterface({ input: input.pipe(createGunzip()), crlfDelay: Infinity })[Symbol.asyncIterator]();
  const next = async (): Promise<string | null> => {
    const r = await lines.next();
    return r.done ? null : r.value;
  };

  const first = await next().catch((err: Error) => {
    throw new BackupError(`not an openhat backup (cannot read it as gzip: ${err.message})`);
  });
  let header: Header;
  try {
    header = JSON.parse(first ?? '') as Header;
  } catch {
    throw new BackupError('not an openhat backup (no header line)');
  }
  if (header.format !== BACKUP_FORMAT) throw new BackupError('not an openhat backup (wrong format name)');
  if (header.formatVersion !== BACKUP_FORMAT_VERSION) {
    throw new BackupError(`backup format version ${header.formatVersion} is not supported by this openhat (it reads ${BACKUP_FORMAT_VERSION})`);
  }
  const known = loadMigrations();
  for (const m of header.migrations) {
    const mine = known.find((k) => k.id === m.id);
    if (!mine) throw new BackupError(`the backup was made by a newer openhat (migration ${m.name} is unknown here); upgrade first`);
    if (mine.checksum !== m.checksum) throw new BackupError(`migration ${m.name} differs between the backup and this openhat`);
  }
  if (!(await isEmpty(db))) {
    throw new BackupError('restore needs an empty database (a new PGlite data folder, or a newly created PostgreSQL database)');
  }
  const status = await migrationStatus(db);
  const backupThrough = header.migrations.at(-1)?.id ?? 0;
  const appliedIds = known.filter((m) => status.applied.includes(m.name)).map((m) => m.id);
  if (appliedIds.some((id) => id > backupThrough)) {
    throw new BackupError('this database has newer migrations than the backup; restore into a database that has never been started');
  }
  await migrate(db, { throughId: backupThrough });

  const hash = createHash('sha256');
  hash.update(`${first}\n`);
  const counts: Record<string, number> = {};
  let sha256 = '';
  const order = BACKUP_TABLES.map((t) => t.table);
  let position = 0;
  await db.orm.transaction(async (tx) => {
    for (;;) {
      const line = await next();
      if (line === null) throw new BackupError('the backup is truncated (no end line); nothing was restored');
      const item = JSON.parse(line) as { table?: string; rows?: unknown[]; end?: boolean; counts?: Record<string, number>; sha256?: string };
      if (item.end) {
        sha256 = hash.digest('hex');
        if (item.sha256 !== sha256) throw new BackupError('the backup is corrupt (checksum mismatch); nothing was restored');
        for (const table of order) {
          if ((item.counts?.[table] ?? 0) !== (counts[table] ?? 0)) {
            throw new BackupError(`the backup is corrupt (row count of ${table}); nothing was restored`);
          }
        }
        return;
      }
      hash.update(`${line}\n`);
      const index = order.indexOf(item.table ?? '');
      if (index < position) throw new BackupError(`the backup has an unknown or out-of-order table ${item.table}`);
      position = index;
      const table = sql.identifier(item.table!);
      await tx.execute(sql`INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(NULL::${table}, ${JSON.stringify(item.rows)}::jsonb)`);
      counts[item.table!] = (counts[item.table!] ?? 0) + item.rows!.length;
    }
  });
  await migrate(db);
  return { counts, sha256 };
}

export function openBackupFile(path: string): Readable {
  return createReadStream(path);
}
