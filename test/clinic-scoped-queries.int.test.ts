import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { TestApp } from './support/test-app';
import { dosingClinic, fine, openSession, prep } from './support/dosing';
import { witnessOf } from './support/cd';
import { captureStatements } from './support/capture-statements';

/**
 * Evidence for distributing openhat by clinic (docs/scaling.md): every SQL statement that the
 * clinical workload sends to a table of clinic data names the clinic, so that on Citus each one
 * goes to the one node that holds that clinic. Every statement is captured (Drizzle's logger and
 * the raw query method) while a day at a clinic runs through the API, and each one that reads or
 * writes a distributed table must filter (or, for an INSERT, set) clinic_id for that table.
 *
 * Reference tables (small, copied to every node, read without a clinic): the clinic registry and
 * staff roles (read by staff member on every request). Deployment-wide tables (staff, sign-in
 * sessions, migrations) have no clinic_id and are not checked.
 */
const REFERENCE_TABLES = new Set(['clinics', 'staff_roles']);

/** The distributed tables a statement touches without naming the clinic for them. */
export function unscopedTables(statement: string, distributed: ReadonlySet<string>): string[] {
  const text = statement.replace(/\s+/g, ' ');
  const referenced = new Set<string>();
  for (const m of text.matchAll(/\b(?:from|join|into|update)\s+"?([a-z_][a-z0-9_]*)"?/gi)) {
    const table = m[1]!.toLowerCase();
    if (distributed.has(table)) referenced.add(table);
  }
  const out: string[] = [];
  for (const table of referenced) {
    const insert = new RegExp(`\\binsert into "?${table}"?\\s*\\(([^)]*)\\)`, 'i').exec(text);
    if (insert) {
      if (!/\bclinic_id\b/i.test(insert[1]!)) out.push(table);
      continue;
    }
    // A predicate on this table's clinic_id: "table"."clinic_id" = / IN / = ANY, or (one table only) an unqualified one.
    const qualified = new RegExp(`"?${table}"?\\."?clinic_id"?\\s*(=|in\\s*\\(|=\\s*any)`, 'i');
    const unqualified = /(^|[^."a-z_])"?clinic_id"?\s*(=|in\s*\(|=\s*any)/i;
    if (qualified.test(text)) continue;
    if (referenced.size === 1 && unqualified.test(text)) continue;
    out.push(table);
  }
  return out;
}

describe('every clinical query carries clinic_id', () => {
  let t: TestApp;
  let distributed: Set<string>;
  let statements: string[] = [];

  beforeAll(async () => {
    t = await TestApp.open();
    const rows = await t.db.query<{ table_name: string }>(
      `SELECT DISTINCT c.table_name FROM information_schema.columns c JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
       WHERE c.table_schema = 'public' AND c.column_name = 'clinic_id' AND t.table_type = 'BASE TABLE'`,
    );
    distributed = new Set(rows.map((r) => r.table_name).filter((n) => !REFERENCE_TABLES.has(n)));
    // Capture every statement (Drizzle's logger and the raw query method).
    statements = captureStatements(t.db);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('recognises a statement that does not name the clinic (the check can fail)', () => {
    const set = new Set(['doses', 'dose_events']);
    expect(unscopedTables('select "dose_id" from "doses" where "doses"."dose_id" = $1', set)).toEqual(['doses']);
    expect(unscopedTables('select * from "doses" left join "dose_events" on "dose_events"."dose_id" = "doses"."dose_id" where "doses"."clinic_id" = $1', set)).toEqual(['dose_events']);
    expect(unscopedTables('insert into "doses" ("dose_id", "kind") values ($1, $2)', set)).toEqual(['doses']);
    expect(unscopedTables('select * from "doses" where "doses"."clinic_id" = $1 and "doses"."dose_id" = $2', set)).toEqual([]);
    expect(unscopedTables('insert into "doses" ("clinic_id", "dose_id") values ($1, $2)', set)).toEqual([]);
  });

  it('a day at a clinic through the API: no statement on a distributed table without its clinic_id', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const { clinic, nurse, hca, item, persons } = await dosingClinic(t, 2);
    t.clock.set('2026-03-05T09:00:00Z');
    for (const who of [nurse, hca, clinic.admin]) await who.client.signIn(who.email);
    const start = statements.length;
    const ok = async (p: Promise<{ status: number; body: any }>) => {
      const res = await p;
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
      return res.body;
    };
    const sessionId = await openSession(clinic, nurse, hca);
    const who = persons[0]!.serviceUserId;
    const a = await ok(nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: who, findings: fine }));
    await ok(nurse.client.post(clinic.url(`/doses/${a.doseId}/preparation`), prep(item, hca, 100, 1, 1)));
    await ok(nurse.client.post(clinic.url(`/doses/${a.doseId}/administration`), { route: 'iv', sites: ['left arm'], attempts: 1, givenMg: 100, witness: witnessOf(hca) }));
    await ok(hca.client.post(clinic.url(`/doses/${a.doseId}/observations`), { sedation: 2, respiratoryRate: 12, spo2: 97 }));
    await ok(nurse.client.post(clinic.url(`/service-users/${who}/toxicology`), { effectiveDate: '2026-03-05', outcome: 'taken', sampleType: 'urine', method: 'point_of_care', results: [{ substance: 'acetylcodeine', result: 'negative' }] }));
    await ok(nurse.client.get(clinic.url('/dose-list?session=AM')));
    await ok(nurse.client.get(clinic.url('/sessions')));
    for (const path of ['', '/doses', '/prescriptions', '/reviews', '/history']) await ok(nurse.client.get(clinic.url(`/service-users/${who}${path}`)));
    await ok(nurse.client.get(clinic.url(`/cd/items/${item}/register`)));
    await ok(clinic.admin.client.get(clinic.url('/cd/verify')));
    await ok(clinic.admin.client.get(clinic.url('/cd/reconciliation')));
    await ok(clinic.admin.client.get(clinic.url('/reports')));
    await ok(nurse.client.get(clinic.url('/work-lists')));
    t.clock.advance({ minutes: 20 });
    await ok(nurse.client.post(clinic.url(`/doses/${a.doseId}/discharge`), { sedation: 1 }));
    const captured = statements.slice(start);
    expect(captured.length).toBeGreaterThan(100);
    const unscoped = captured.map((s) => ({ statement: s, tables: unscopedTables(s, distributed) })).filter((x) => x.tables.length > 0);
    expect(unscoped).toEqual([]);
  });

  it('fails on a deliberately unscoped query run through the same capture', async () => {
    const start = statements.length;
    await t.db.orm.execute(sql`select count(*) from doses where kind = 'dose'`);
    const found = statements.slice(start).flatMap((s) => unscopedTables(s, distributed));
    expect(found).toEqual(['doses']);
  });
});
