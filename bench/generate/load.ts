import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { COLUMNS, TABLES, type Rows } from './history';

/** Bulk loading: PostgreSQL's COPY (pg-copy-streams) or PGlite's COPY FROM '/dev/blob'; one transaction per batch, tables in foreign-key order. */
export interface Loader {
  load(rows: Rows): Promise<void>;
  close(): Promise<void>;
}

function* batches(lines: string[], size = 2000): Generator<string> {
  for (let i = 0; i < lines.length; i += size) yield `${lines.slice(i, i + size).join('\n')}\n`;
}

export async function postgresLoader(url: string): Promise<Loader> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    async load(rows) {
      await client.query('BEGIN');
      try {
        for (const t of TABLES) {
          if (rows[t].length === 0) continue;
          const stream = client.query(copyFrom(`COPY ${t} (${COLUMNS[t].join(', ')}) FROM STDIN`));
          await pipeline(Readable.from(batches(rows[t])), stream);
        }
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    },
    close: () => client.end(),
  };
}

export function pgliteLoader(db: PGlite): Loader {
  return {
    async load(rows) {
      await db.transaction(async (tx) => {
        for (const t of TABLES) {
          if (rows[t].length === 0) continue;
          await tx.query(`COPY ${t} (${COLUMNS[t].join(', ')}) FROM '/dev/blob'`, [], { blob: new Blob([`${rows[t].join('\n')}\n`]) });
        }
      });
    },
    close: async () => undefined,
  };
}
