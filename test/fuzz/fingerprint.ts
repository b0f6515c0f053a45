import type { Database } from '../../src/store/database';

/**
 * A fingerprint of the whole database: for every table, its row count and an MD5 of all its rows
 * (as PostgreSQL renders them). One statement, so it is cheap enough to take around every request.
 */
export type Fingerprint = Map<string, { rows: number; md5: string }>;

let statement: string | null = null;

export async function fingerprint(db: Database): Promise<Fingerprint> {
  if (!statement) {
    const tables = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'openhat_migrations' ORDER BY table_name`,
    );
    statement = tables
      .map(({ table_name: t }) => `SELECT '${t}' AS t, count(*)::int AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${t} x`)
      .join(' UNION ALL ');
  }
  const rows = await db.query<{ t: string; n: number; h: string }>(statement);
  return new Map(rows.map((r) => [r.t, { rows: Number(r.n), md5: r.h }]));
}

/** The tables whose content differs, with their row counts before → after. */
export function changedTables(before: Fingerprint, after: Fingerprint): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [table, a] of after) {
    const b = before.get(table);
    if (!b || b.md5 !== a.md5) out[table] = `${b?.rows ?? 0} → ${a.rows}`;
  }
  return out;
}
