import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { schema, type Schema } from './schema';
import { guardOuterHandle } from './transaction-scope';

/** The Drizzle query builder, the same type on PGlite and PostgreSQL (and inside a transaction). */
export type Orm = PgDatabase<PgQueryResultHKT, Schema>;

export type DatabaseKind = 'pglite' | 'postgres';

/**
 * One handle on openhat's database, whichever engine is behind it. Most code uses `orm`; the
 * migrator and backup use the raw methods.
 */
export interface Database {
  readonly kind: DatabaseKind;
  readonly orm: Orm;
  /** Where the data lives, without secrets, for logs and messages. */
  readonly location: string;
  /** Raw SQL with positional parameters ($1, $2…). */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** A script of several statements, run in one transaction: all of it or none of it. */
  runScript(script: string): Promise<void>;
  close(): Promise<void>;
  /** PGlite only: the whole data folder as a gzipped tarball (used to clone test databases). */
  dumpDataDir?(): Promise<Blob>;
}

export async function openPglite(options: { dataDir?: string; loadDataDir?: Blob }): Promise<Database> {
  const client = new PGlite({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  await client.waitReady;
  const orm = guardOuterHandle(drizzlePglite({ client, schema }) as unknown as Orm);
  return {
    kind: 'pglite',
    orm,
    location: options.dataDir ? `PGlite in ${options.dataDir}` : 'PGlite in memory',
    async query<T>(text: string, params: unknown[] = []) {
      return (await client.query<T>(text, params)).rows;
    },
    async runScript(script: string) {
      await client.transaction(async (tx) => {
        await tx.exec(script);
      });
    },
    async close() {
      if (!client.closed) await client.close();
    },
    async dumpDataDir() {
      return client.dumpDataDir('gzip');
    },
  };
}

/** A connection string with its password hidden, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

export async function openPostgres(options: { url: string; maxConnections?: number; onError?: (err: Error) => void }): Promise<Database> {
  const pool = new pg.Pool({ connectionString: options.url, max: options.maxConnections ?? 10 });
  pool.on('error', (err) => options.onError?.(err));
  // Fail now, with a clear message, rather than at the first request.
  const probe = await pool.connect();
  probe.release();
  const orm = guardOuterHandle(drizzlePg({ client: pool, schema }) as unknown as Orm);
  return {
    kind: 'postgres',
    orm,
    location: `PostgreSQL at ${redactUrl(options.url)}`,
    async query<T>(text: string, params: unknown[] = []) {
      return (await pool.query(text, params)).rows as T[];
    },
    async runScript(script: string) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(script);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}
