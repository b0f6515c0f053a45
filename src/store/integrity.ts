import { verifyPage } from '../domain/cd-register/page';
import { allPages, pageName } from './cd-register';
import type { Database } from './database';
import { doseOutcomeMismatches } from './dose-outcomes';

/**
 * Whole-database consistency checks, for a database after a crash or a backup after a restore.
 * Each check is one SQL question whose answer should be "nothing": a row it returns is a problem,
 * named so that a person can find it.
 *
 * - the controlled-drug register: every page's hash chain verifies (the same code as `cd verify`),
 *   every entry's balance is the running sum of the quantity changes before it, and every entry has
 *   its audit row;
 * - the dosing room: every dose step has its audit row (and every such audit row its step), every
 *   preparation has exactly its register supplies and every supply for a dose has its preparation;
 *   every dose has its dose_outcomes row (the reports' summary), equal to what the domain computes
 *   from its steps;
 * - append-only histories: versions and sequence numbers run 1, 2, 3… with no gap, and every
 *   versioned record has its first version.
 */

export interface IntegrityCheck {
  name: string;
  ok: boolean;
  /** What was looked at (rows, pages or records), so a report shows the check was not empty. */
  checked: number;
  /** The first problems found, in words (at most PROBLEM_LIMIT). */
  problems: string[];
  /** How many problems in all. */
  problemCount: number;
  ms?: number;
}

export interface IntegrityReport {
  ok: boolean;
  checks: IntegrityCheck[];
}

const PROBLEM_LIMIT = 20;

async function exists(db: Database, table: string): Promise<boolean> {
  const rows = await db.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [table]);
  return rows[0]?.present === true;
}

async function count(db: Database, sql: string): Promise<number> {
  const rows = await db.query<{ n: string | number }>(sql);
  return Number(rows[0]?.n ?? 0);
}

async function check(
  db: Database,
  name: string,
  countSql: string,
  problemSql: string,
  describe: (row: Record<string, unknown>) => string,
): Promise<IntegrityCheck> {
  const started = performance.now();
  const checked = await count(db, countSql);
  const problemCount = await count(db, `SELECT count(*) AS n FROM (${problemSql}) p`);
  const rows = problemCount > 0 ? await db.query(`${problemSql} LIMIT ${PROBLEM_LIMIT}`) : [];
  return { name, ok: problemCount === 0, checked, problems: rows.map(describe), problemCount, ms: Math.round(performance.now() - started) };
}

/** Sequence numbers or versions within each group run 1..n without gaps. */
function contiguous(db: Database, table: string, group: string[], seq: string, what: string): Promise<IntegrityCheck> {
  const cols = group.join(', ');
  return check(
    db,
    `${table}: ${seq} runs 1, 2, 3… in every ${what}`,
    `SELECT count(*) AS n FROM (SELECT 1 FROM ${table} GROUP BY ${cols}) g`,
    `SELECT ${cols}, count(*) AS n, min(${seq}) AS first, max(${seq}) AS last FROM ${table} GROUP BY ${cols}
       HAVING min(${seq}) <> 1 OR max(${seq}) <> count(*) ORDER BY ${cols}`,
    (r) => `${what} ${group.map((c) => r[c]).join('/')}: ${r.n} rows numbered ${r.first}..${r.last}`,
  );
}

export async function checkIntegrity(db: Database): Promise<IntegrityReport> {
  const checks: IntegrityCheck[] = [];

  // The register: hash chains (the domain's own verification).
  const pages = (await allPages(db.orm)).map(({ item, entries }) => ({ item, verdict: verifyPage(entries) }));
  const broken = pages.filter((p) => !p.verdict.ok);
  checks.push({
    name: 'cd register: every page\'s hash chain verifies',
    ok: broken.length === 0,
    checked: pages.length,
    problems: broken.slice(0, PROBLEM_LIMIT).map(({ item, verdict }) =>
      verdict.ok ? '' : `page "${pageName(item)} (${item.location})" (clinic ${item.clinicId}, item ${item.itemId}): entry ${verdict.brokenAtSeq}: ${verdict.problem}`,
    ),
    problemCount: broken.length,
  });
  checks.push(
    await check(
      db,
      'cd register: every balance is the running sum of the entries before it',
      'SELECT count(*) AS n FROM cd_entries',
      `SELECT clinic_id, item_id, seq, balance_after, running FROM (
         SELECT clinic_id, item_id, seq, balance_after,
                sum(quantity_change) OVER (PARTITION BY clinic_id, item_id ORDER BY seq) AS running
         FROM cd_entries) x
       WHERE running <> balance_after ORDER BY clinic_id, item_id, seq`,
      (r) => `page ${r.item_id} (clinic ${r.clinic_id}) entry ${r.seq}: balance ${r.balance_after}, entries sum to ${r.running}`,
    ),
  );
  checks.push(await contiguous(db, 'cd_entries', ['clinic_id', 'item_id'], 'seq', 'register page'));
  // Audit rows ↔ rows, as set differences (hash or sort, never a scan per row).
  checks.push(
    await check(
      db,
      'cd register: every entry has its audit row',
      'SELECT count(*) AS n FROM cd_entries',
      `SELECT clinic_id, item_id::text || '/' || seq::text AS key FROM cd_entries
       EXCEPT SELECT clinic_id, entity_id FROM audit_events WHERE entity_type = 'cd_entry' AND action = 'create'
       ORDER BY 1, 2`,
      (r) => `register entry ${r.key} (page/entry, clinic ${r.clinic_id}) has no audit row`,
    ),
  );
  checks.push(
    await check(
      db,
      'cd register: every entry audit row has its entry',
      `SELECT count(*) AS n FROM audit_events WHERE entity_type = 'cd_entry' AND action = 'create'`,
      `SELECT clinic_id, entity_id AS key FROM audit_events WHERE entity_type = 'cd_entry' AND action = 'create'
       EXCEPT SELECT clinic_id, item_id::text || '/' || seq::text FROM cd_entries
       ORDER BY 1, 2`,
      (r) => `audit row for register entry ${r.key} (clinic ${r.clinic_id}) but no such entry`,
    ),
  );

  // The dosing room.
  checks.push(await contiguous(db, 'dose_events', ['clinic_id', 'dose_id'], 'seq', 'dose'));
  checks.push(
    await check(
      db,
      'doses: every step has its audit row',
      'SELECT count(*) AS n FROM dose_events',
      `SELECT clinic_id, dose_id::text || '/' || seq::text AS key FROM dose_events
       EXCEPT SELECT clinic_id, entity_id FROM audit_events WHERE entity_type = 'dose_event' AND action = 'create'
       ORDER BY 1, 2`,
      (r) => `dose ${String(r.key).replace('/', ' step ')} (clinic ${r.clinic_id}) has no audit row`,
    ),
  );
  checks.push(
    await check(
      db,
      'doses: every step audit row has its step',
      `SELECT count(*) AS n FROM audit_events WHERE entity_type = 'dose_event' AND action = 'create'`,
      `SELECT clinic_id, entity_id AS key FROM audit_events WHERE entity_type = 'dose_event' AND action = 'create'
       EXCEPT SELECT clinic_id, dose_id::text || '/' || seq::text FROM dose_events
       ORDER BY 1, 2`,
      (r) => `audit row for dose step ${r.key} (clinic ${r.clinic_id}) but no such step`,
    ),
  );
  checks.push(
    await check(
      db,
      'doses: every preparation has its register supplies, and every supply for a dose its preparation',
      `SELECT count(*) AS n FROM (
         SELECT clinic_id, dose_id FROM dose_events WHERE event_type = 'prepared'
         UNION SELECT clinic_id, (details->>'doseId')::uuid FROM cd_entries WHERE kind = 'supply_administration' AND details->>'doseId' IS NOT NULL) d`,
      `SELECT coalesce(p.clinic_id, s.clinic_id) AS clinic_id, coalesce(p.dose_id, s.dose_id) AS dose_id,
              coalesce(p.pages, 0) AS prepared_pages, coalesce(s.supplies, 0) AS supplies
       FROM (SELECT clinic_id, dose_id, sum(jsonb_array_length(event->'ampoules')) AS pages
             FROM dose_events WHERE event_type = 'prepared' GROUP BY clinic_id, dose_id) p
       FULL JOIN (SELECT clinic_id, (details->>'doseId')::uuid AS dose_id, count(*) AS supplies
             FROM cd_entries WHERE kind = 'supply_administration' AND details->>'doseId' IS NOT NULL GROUP BY 1, 2) s
         ON p.clinic_id = s.clinic_id AND p.dose_id = s.dose_id
       WHERE coalesce(p.pages, 0) <> coalesce(s.supplies, 0)
       ORDER BY 1, 2`,
      (r) => `dose ${r.dose_id} (clinic ${r.clinic_id}): prepared from ${r.prepared_pages} register page(s) but ${r.supplies} supply entries`,
    ),
  );
  checks.push(
    await check(
      db,
      'doses: every dose has at least one step',
      'SELECT count(*) AS n FROM doses',
      `SELECT d.clinic_id, d.dose_id FROM doses d WHERE NOT EXISTS (
         SELECT 1 FROM dose_events e WHERE e.clinic_id = d.clinic_id AND e.dose_id = d.dose_id) ORDER BY 1, 2`,
      (r) => `dose ${r.dose_id} (clinic ${r.clinic_id}) has no steps`,
    ),
  );

  // The reports' per-dose summary (derived, migration 0010): present for every dose, and what the
  // domain computes from the dose's steps.
  if (await exists(db, 'dose_outcomes')) {
    const started = performance.now();
    let checked = 0;
    let problemCount = 0;
    const problems: string[] = [];
    for await (const b of doseOutcomeMismatches(db.orm)) {
      checked += b.checked;
      problemCount += b.problems.length;
      for (const p of b.problems) if (problems.length < PROBLEM_LIMIT) problems.push(`dose ${p.doseId} (clinic ${p.clinicId}) ${p.problem}`);
    }
    checks.push({ name: 'doses: every dose has its dose_outcomes row, equal to what its steps give', ok: problemCount === 0, checked, problems, problemCount, ms: Math.round(performance.now() - started) });
  }

  // Append-only histories: versions without gaps, and every record has its first version.
  checks.push(await contiguous(db, 'service_user_versions', ['clinic_id', 'service_user_id'], 'version', 'service user'));
  checks.push(
    await check(
      db,
      'service users: every person has a record version',
      'SELECT count(*) AS n FROM service_users',
      `SELECT s.clinic_id, s.service_user_id FROM service_users s WHERE NOT EXISTS (
         SELECT 1 FROM service_user_versions v WHERE v.clinic_id = s.clinic_id AND v.service_user_id = s.service_user_id) ORDER BY 1, 2`,
      (r) => `service user ${r.service_user_id} (clinic ${r.clinic_id}) has no record version`,
    ),
  );
  checks.push(await contiguous(db, 'prescription_versions', ['clinic_id', 'service_user_id'], 'version', 'service user\'s prescription'));
  checks.push(await contiguous(db, 'episode_events', ['clinic_id', 'episode_id'], 'seq', 'episode'));
  checks.push(await contiguous(db, 'care_records', ['clinic_id', 'record_id'], 'version', 'care record'));
  checks.push(await contiguous(db, 'clinic_settings', ['clinic_id'], 'version', 'clinic'));
  if (await exists(db, 'cd_discrepancy_resolutions')) {
    checks.push(
      await check(
        db,
        'cd discrepancies: every resolution has its discrepancy',
        'SELECT count(*) AS n FROM cd_discrepancy_resolutions',
        `SELECT r.clinic_id, r.discrepancy_id FROM cd_discrepancy_resolutions r WHERE NOT EXISTS (
           SELECT 1 FROM cd_discrepancies d WHERE d.clinic_id = r.clinic_id AND d.discrepancy_id = r.discrepancy_id) ORDER BY 1, 2`,
        (r) => `resolution of discrepancy ${r.discrepancy_id} (clinic ${r.clinic_id}) without the discrepancy`,
      ),
    );
  }
  return { ok: checks.every((c) => c.ok), checks };
}

/** The report in lines a person reads: one per check, then its problems. */
export function formatIntegrityReport(report: IntegrityReport): string {
  const lines: string[] = [];
  for (const c of report.checks) {
    lines.push(`${c.ok ? 'ok     ' : 'FAILED '} ${c.name} (${c.checked} checked${c.ok ? '' : `, ${c.problemCount} problem${c.problemCount === 1 ? '' : 's'}`})`);
    for (const p of c.problems) lines.push(`          ${p}`);
    if (c.problemCount > c.problems.length) lines.push(`          … and ${c.problemCount - c.problems.length} more`);
  }
  return lines.join('\n');
}
