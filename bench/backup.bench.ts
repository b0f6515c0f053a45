import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openBackupFile, restoreBackup } from '../src/store/backup';
import { openPglite } from '../src/store/database';
import { checkIntegrity } from '../src/store/integrity';
import { openDatabase } from '../src/store/open';
import { backupIntoFolder } from '../src/server/backup-scheduler';
import { loadConfig } from '../src/server/config';
import { witnessOf } from '../test/support/cd';
import { dosingClinic, fine, openSession, prep } from '../test/support/dosing';
import { TestApp } from '../test/support/test-app';
import { Temporal } from 'temporal-polyfill';

/**
 * How long does a backup of a year's clinic take on PGlite, and how long does dosing wait for it?
 * One clinic of PEOPLE people: one morning's doses recorded through the API (assessment,
 * preparation with the register supply and waste, administration, observation, discharge), then
 * copied in SQL to every AM and PM session of a year (doses, steps, register entries, audit rows).
 * Measures: a scheduled backup into a folder (time, size), a dose-room request sent while it runs
 * (how long it waited), and verify-backup (restore into memory + every check).
 * Run: npm run bench:backup. Results: bench/results/backup-pglite.json.
 */
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 15); // the default clinic's places
const DAYS = Number(process.env.BENCH_DAYS ?? 365);

const ms = (start: number) => Math.round(performance.now() - start);
const work = mkdtempSync(join(tmpdir(), 'openhat-backup-bench-'));
const db = await openDatabase({ databaseUrl: null, dataDir: join(work, 'data') });
const t = await TestApp.on(db, loadConfig({ OPENHAT_SECOND_FACTOR_ROLES: 'none' }));
t.clock.set('2026-03-02T09:00:00Z');
const { clinic, nurse, hca, item, persons } = await dosingClinic(t, PEOPLE);
const sessionId = await openSession(clinic, nurse, hca);
let lastDose = '';
for (const p of persons) {
  const a = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: p.serviceUserId, findings: fine });
  if (a.status !== 201) throw new Error(JSON.stringify(a.body));
  await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/preparation`), prep(item, hca, 60));
  await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/administration`), { route: 'iv', sites: ['left arm'], attempts: 1, givenMg: 60, witness: witnessOf(hca) });
  await hca.client.post(clinic.url(`/doses/${a.body.doseId}/observations`), { sedation: 1, respiratoryRate: 14, spo2: 98 });
  lastDose = a.body.doseId;
}
t.clock.advance({ minutes: 30 });
for (const who of [nurse, hca]) await who.client.signIn(who.email);
for (const p of persons) {
  const list = await nurse.client.get(clinic.url(`/service-users/${p.serviceUserId}/doses`));
  const doseId = list.body.doses[0].doseId;
  await nurse.client.post(clinic.url(`/doses/${doseId}/discharge`), { sedation: 1 });
}

// Copy that morning to every session of the year: g = 1 is day 0 PM, g = 2 day 1 AM, …
const copies = DAYS * 2 - 1;
const filled = performance.now();
const maxSeq = Number((await db.query<{ m: number }>('SELECT max(seq) AS m FROM cd_entries'))[0]!.m);
const dayShift = `(x.clinic_date::date + (g / 2))`;
const code = `CASE WHEN g % 2 = 1 THEN 'PM' ELSE x.session_code END`;
const copy = (table: string, overrides: string, where = 'true') =>
  db.query(
    `INSERT INTO ${table} SELECT (jsonb_populate_record(NULL::${table}, to_jsonb(x) || jsonb_build_object(${overrides}))).*
     FROM ${table} x, generate_series(1, ${copies}) g WHERE ${where}`,
  );
const newId = (col: string) => `md5(x.${col}::text || ':' || g)::uuid`;
await copy('dosing_sessions', `'session_id', ${newId('session_id')}, 'clinic_date', ${dayShift}, 'session_code', ${code}`);
await copy('doses', `'dose_id', ${newId('dose_id')}, 'session_id', ${newId('session_id')}, 'clinic_date', ${dayShift}, 'session_code', ${code}`);
await copy('dose_events', `'dose_id', ${newId('dose_id')}`);
await copy('dose_outcomes', `'dose_id', ${newId('dose_id')}, 'clinic_date', ${dayShift}, 'session_code', ${code}`);
await copy('cd_entries', `'seq', x.seq + g * ${maxSeq}`, `x.kind <> 'receipt'`);
await copy(
  'audit_events',
  `'audit_id', ${newId('audit_id')}, 'entity_id', CASE x.entity_type
     WHEN 'dose_event' THEN md5(split_part(x.entity_id, '/', 1) || ':' || g)::uuid::text || '/' || split_part(x.entity_id, '/', 2)
     WHEN 'cd_entry' THEN split_part(x.entity_id, '/', 1) || '/' || (split_part(x.entity_id, '/', 2)::int + g * ${maxSeq})::text
     ELSE x.entity_id END`,
  `x.entity_type IN ('dose_event', 'dose_list', 'dose') OR (x.entity_type = 'cd_entry' AND split_part(x.entity_id, '/', 2) <> '1')`,
);
await db.query('ANALYZE');
const fillMs = ms(filled);
const tableRows = Object.fromEntries(
  (await db.query<{ t: string; n: number }>(
    `SELECT 'doses' AS t, count(*)::int AS n FROM doses UNION ALL SELECT 'dose_events', count(*)::int FROM dose_events
     UNION ALL SELECT 'cd_entries', count(*)::int FROM cd_entries UNION ALL SELECT 'audit_events', count(*)::int FROM audit_events`,
  )).map((r) => [r.t, r.n]),
);
process.stdout.write(`a year's clinic: ${JSON.stringify(tableRows)} (filled in ${fillMs} ms)\n`);

// A scheduled backup, and a dosing-room request sent 200 ms into it.
const dir = join(work, 'backups');
const started = performance.now();
const backup = backupIntoFolder(db, dir, Temporal.Instant.from('2027-03-02T03:00:00Z'), { count: 14, days: null });
await new Promise((r) => setTimeout(r, 200));
const asked = performance.now();
const during = await nurse.client.get(clinic.url(`/doses/${lastDose}`));
const waitedMs = ms(asked);
const requestDoneAt = ms(started);
const taken = await backup;
const backupMs = ms(started);
if (during.status !== 200) throw new Error(`request during backup: ${during.status}`);
const idle = performance.now();
await nurse.client.get(clinic.url(`/doses/${lastDose}`));
const idleMs = ms(idle);

// verify-backup's work: restore into an empty in-memory database, then every check.
const verifyStarted = performance.now();
const fresh = await openPglite({});
await restoreBackup(fresh, openBackupFile(taken.file));
const restoreMs = ms(verifyStarted);
const report = await checkIntegrity(fresh);
const verifyMs = ms(verifyStarted);
await fresh.close();
if (!report.checks.find((c) => c.name.startsWith('doses: every step has its audit row'))?.ok) throw new Error('audit check failed on the copied year');

await t.close();
const results = {
  benchmark: 'backup-pglite',
  measuredAt: new Date().toISOString(),
  machine: `${process.platform} ${process.arch}, Node ${process.version}`,
  clinic: { people: PEOPLE, days: DAYS, sessionsPerDay: 2, rows: tableRows },
  backup: { ms: backupMs, bytes: statSync(taken.file).size, rows: taken.rows },
  doseRequestDuringBackup: { sentAfterMs: 200, waitedMs, answeredAtMs: requestDoneAt, sameRequestIdleMs: idleMs },
  verifyBackup: { restoreMs, totalMs: verifyMs, checks: report.checks.map((c) => ({ name: c.name, ok: c.ok, checked: c.checked, ms: c.ms })) },
  note: 'register hash chains of the copied days are not valid (the copies repeat one morning); every other check passes',
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/backup-pglite.json', `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
rmSync(work, { recursive: true, force: true });
