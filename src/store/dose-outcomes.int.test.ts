import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmptyTestDatabase, postgresSkipped } from '../../test/support/test-database';
import { TestApp, type TestClinic } from '../../test/support/test-app';
import { witnessOf } from '../../test/support/cd';
import { dosingClinic, fine, openSession, prep } from '../../test/support/dosing';
import { anyDoseEvent } from '../../test/support/dose-arbitraries';
import type { DoseEvent } from '../domain/dosing/dose-record';
import { buildReport, doseCounts, doseReportFacts } from '../domain/reporting/report';
import { catchUpMissedDoses } from '../server/dosing/missed-doses';
import { openBackupFile, restoreBackup, writeBackup } from './backup';
import type { Orm } from './database';
import { aggregateDoseOutcomes, backfillSelect, repairDoseOutcomes } from './dose-outcomes';
import { clinicDoses } from './dosing';
import { checkIntegrity } from './integrity';

/**
 * dose_outcomes, the per-dose summary the dashboard counts: written with every step through the
 * real routes and the missed-dose job, equal to what the domain computes from the steps, to what
 * migration 0010's backfill computes in SQL, and giving the same report as the steps themselves.
 */

const COLUMNS = `clinic_id::text AS clinic_id, dose_id::text AS dose_id, service_user_id::text AS service_user_id, clinic_date::text AS clinic_date,
  session_code, kind, outcome, adverse_events, naloxone_used, last_seq, (updated_at AT TIME ZONE 'UTC')::text AS updated_at`;
interface Row {
  clinic_id: string;
  dose_id: string;
  service_user_id: string;
  clinic_date: string;
  session_code: string;
  kind: string;
  outcome: string;
  adverse_events: string[];
  naloxone_used: boolean;
  last_seq: number;
  updated_at: string;
}
const rowsOf = (result: unknown) => (result as { rows: Row[] }).rows;

async function storedRows(orm: Orm, clinicId: string): Promise<Row[]> {
  return rowsOf(await orm.execute(sql.raw(`SELECT ${COLUMNS} FROM dose_outcomes WHERE clinic_id = '${clinicId}' ORDER BY dose_id`)));
}
/** Migration 0010's backfill SELECT, run now against the clinic's doses and steps. */
async function backfilledRows(orm: Orm, clinicId: string): Promise<Row[]> {
  return rowsOf(await orm.execute(sql.raw(`SELECT ${COLUMNS} FROM (${backfillSelect()}) AS b (clinic_id, dose_id, service_user_id, clinic_date, session_code, kind, outcome, adverse_events, naloxone_used, last_seq, updated_at)
    WHERE clinic_id = '${clinicId}' ORDER BY dose_id`)));
}

describe.skipIf(postgresSkipped())('dose_outcomes: the per-dose summary behind the dashboard', () => {
  let t: TestApp;
  let clinic: TestClinic;
  let people: string[];
  beforeAll(async () => {
    t = await TestApp.open();
    t.clock.set('2026-03-02T09:00:00Z');
    const c = await dosingClinic(t, 8);
    clinic = c.clinic;
    const { nurse, hca, item } = c;
    people = c.persons.map((p) => p.serviceUserId);
    const sessionId = await openSession(clinic, nurse, hca);
    const ok = (res: { status: number; body: any }) => {
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
      return res.body;
    };
    const assess = async (i: number, body: Record<string, unknown> = {}) => ok(await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: people[i], findings: fine, ...body }));
    const administer = (doseId: string, givenMg: number, extra: Record<string, unknown> = {}) =>
      nurse.client.post(clinic.url(`/doses/${doseId}/administration`), { route: 'iv', sites: ['left arm'], attempts: 1, givenMg, witness: witnessOf(hca), ...extra }).then(ok);

    // 0: a whole dose, an injection-site problem at observation, discharge; then a top-up.
    const d0 = (await assess(0)).doseId;
    ok(await nurse.client.post(clinic.url(`/doses/${d0}/preparation`), prep(item, hca, 60)));
    await administer(d0, 60);
    // 1: reduced by the assessment, given.
    const d1 = (await assess(1, { findings: { ...fine, recentSedativeUse: true } })).doseId;
    ok(await nurse.client.post(clinic.url(`/doses/${d1}/preparation`), prep(item, hca, 30)));
    await administer(d1, 30);
    // 2: refused on breath alcohol.
    await assess(2, { breathAlcohol: { value: 0.6, unit: 'mg_per_l_breath' }, afterRefusal: { offeredToStay: true, naloxoneChecked: true, adviceGiven: true, reassessAt: null } });
    // 3: the emergency pathway at assessment: naloxone, an overdose and an ambulance at observation.
    const d3 = (await assess(3, { findings: { ...fine, sedation: 4, respiratoryRate: 6 } })).doseId;
    ok(await nurse.client.post(clinic.url(`/doses/${d3}/observations`), { sedation: 2, respiratoryRate: 12, adverseEvents: ['overdose', 'ambulance_called'], naloxoneMg: 0.4, notes: null }));
    // 4: prepared, then not given.
    const d4 = (await assess(4)).doseId;
    ok(await nurse.client.post(clinic.url(`/doses/${d4}/preparation`), prep(item, hca, 60)));
    ok(await nurse.client.post(clinic.url(`/doses/${d4}/not-given`), { reason: 'left before the injection', witness: witnessOf(hca) }));
    ok(await hca.client.post(clinic.url(`/doses/${d0}/observations`), { sedation: 1, respiratoryRate: 14, spo2: 97, adverseEvents: ['injection_site_problem'], naloxoneMg: null, notes: null }));
    t.clock.advance({ minutes: 21 });
    ok(await nurse.client.post(clinic.url(`/doses/${d0}/discharge`), { sedation: 1 }));
    const top = (await assess(0, { kind: 'top_up' })).doseId;
    ok(await nurse.client.post(clinic.url(`/doses/${top}/preparation`), prep(item, hca, 20)));
    await administer(top, 20);

    // 5, 6, 7 never came: the job records them as missed when the window has ended.
    t.clock.set('2026-03-02T12:00:00Z');
    expect(await catchUpMissedDoses(t.ctx)).toBeGreaterThanOrEqual(3);
    for (const who of [nurse, hca]) await who.client.signIn(who.email);
    // 6: the paper record says they came at 09:05 and were given their dose: entered late.
    const late = ok(await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: people[6], findings: fine, occurredAt: '2026-03-02T09:05:00Z' })).doseId;
    ok(await nurse.client.post(clinic.url(`/doses/${late}/preparation`), { ...prep(item, hca, 60), occurredAt: '2026-03-02T09:08:00Z' }));
    await administer(late, 60, { occurredAt: '2026-03-02T09:10:00Z' });
    // 7: a late assessment only (they came, then nothing more was recorded).
    ok(await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: people[7], findings: fine, occurredAt: '2026-03-02T09:20:00Z' }));
  });
  afterAll(async () => t?.close());

  it('every dose has its row, equal to what the domain computes from its steps', async () => {
    const doses = await clinicDoses(t.db.orm, clinic.clinicId, '2026-03-02', '2026-03-02');
    const stored = new Map((await storedRows(t.db.orm, clinic.clinicId)).map((r) => [r.dose_id, r]));
    expect(stored.size).toBe(doses.length);
    for (const { dose, events } of doses) {
      const f = doseReportFacts(events as DoseEvent[]);
      expect(stored.get(dose.doseId), dose.doseId).toEqual({
        clinic_id: clinic.clinicId,
        dose_id: dose.doseId,
        service_user_id: dose.serviceUserId,
        clinic_date: dose.clinicDate,
        session_code: dose.sessionCode,
        kind: dose.kind,
        outcome: f.outcome,
        adverse_events: f.adverseEvents,
        naloxone_used: f.naloxoneUsed,
        last_seq: events.length,
        updated_at: expect.any(String),
      });
    }
    // And what that is, person by person (worked out by hand from the steps recorded above).
    const outcome = (i: number, kind = 'dose') => {
      const d = doses.find((x) => x.dose.serviceUserId === people[i] && x.dose.sessionCode === 'AM' && x.dose.kind === kind)!;
      const r = stored.get(d.dose.doseId)!;
      return [r.outcome, r.adverse_events, r.naloxone_used];
    };
    expect(outcome(0)).toEqual(['given', ['injection_site_problem'], false]);
    expect(outcome(0, 'top_up')).toEqual(['given', [], false]);
    expect(outcome(1)).toEqual(['given', [], false]);
    expect(outcome(2)).toEqual(['refused', [], false]);
    expect(outcome(3)).toEqual(['refused', ['ambulance_called', 'naloxone_given', 'overdose'], true]);
    expect(outcome(4)).toEqual(['not_given', [], false]);
    expect(outcome(5)).toEqual(['missed', [], false]);
    expect(outcome(6)).toEqual(['given', [], false]);
    expect(outcome(7)).toEqual(['not_given', [], false]);
  });

  it('migration 0010\'s backfill gives the same rows as the application wrote', async () => {
    const stored = await storedRows(t.db.orm, clinic.clinicId);
    expect(stored.length).toBe(9); // eight doses and a top-up
    expect(await backfilledRows(t.db.orm, clinic.clinicId)).toEqual(stored);
  });

  it('the backfill agrees with the domain for any steps in any order (property, rolled back)', async () => {
    const samples = fc.sample(fc.array(anyDoseEvent, { minLength: 1, maxLength: 8 }), { numRuns: 150, seed: 20261128 });
    const rollback = new Error('rollback');
    const serviceUserId = people[0]!;
    await expect(
      t.db.orm.transaction(async (tx) => {
        // The test clinic's person, so the foreign keys hold; dates far from the doses above.
        let day = Date.UTC(2030, 0, 1);
        const expected: Row[] = [];
        for (const events of samples) {
          const doseId = uuidv7();
          const clinicDate = new Date((day += 86_400_000)).toISOString().slice(0, 10);
          const recordedAt = new Date(day);
          await tx.execute(sql`INSERT INTO doses (clinic_id, dose_id, service_user_id, clinic_date, session_code, kind, session_id, created_at)
            VALUES (${clinic.clinicId}, ${doseId}, ${serviceUserId}, ${clinicDate}, 'AM', 'dose', NULL, ${recordedAt.toISOString()})`);
          for (const [i, e] of events.entries()) {
            await tx.execute(sql`INSERT INTO dose_events (clinic_id, dose_id, seq, event_type, event, occurred_at, recorded_at, recorded_by)
              VALUES (${clinic.clinicId}, ${doseId}, ${i + 1}, ${e.type}, ${JSON.stringify(e)}::jsonb, ${recordedAt.toISOString()}, ${recordedAt.toISOString()}, NULL)`);
          }
          const f = doseReportFacts(events);
          expected.push({
            clinic_id: clinic.clinicId, dose_id: doseId, service_user_id: serviceUserId, clinic_date: clinicDate, session_code: 'AM', kind: 'dose',
            outcome: f.outcome, adverse_events: f.adverseEvents, naloxone_used: f.naloxoneUsed, last_seq: events.length, updated_at: recordedAt.toISOString().replace('T', ' ').replace('.000Z', ''),
          });
        }
        const got = (await backfilledRows(tx as unknown as Orm, clinic.clinicId)).filter((r) => r.clinic_date >= '2030-01-01');
        expect(got).toEqual(expected.sort((a, b) => a.dose_id.localeCompare(b.dose_id)));
        throw rollback;
      }),
    ).rejects.toBe(rollback);
  });

  it('the report counts from the rows what it used to count from the steps', async () => {
    const from = '2026-02-01';
    const to = '2026-03-02';
    const withSteps = (await clinicDoses(t.db.orm, clinic.clinicId, from, to)).map(({ dose, events }) => ({ ...dose, events: events as DoseEvent[] }));
    const old = doseCounts(withSteps, from, to);
    const now = await aggregateDoseOutcomes(t.db.orm, clinic.clinicId, from, to);
    expect(now).toEqual(old);
    expect(Object.fromEntries(now.attendance)).toEqual({ AM: { given: 3, refused: 2, missed: 1, not_given: 2 } });
    expect(now.adverse).toEqual({ overdose: 1, naloxone_given: 1, ambulance_called: 1, injection_site_problem: 1, other: 0, naloxone_used: 1 });
    // Outside the period: nothing.
    expect(await aggregateDoseOutcomes(t.db.orm, clinic.clinicId, '2026-03-03', '2026-03-31')).toEqual(doseCounts([], from, to));

    // Through the API, as a commissioner: the suppressed figures of the old computation.
    const commissioner = await t.newStaff(clinic.clinicId, ['commissioner']);
    const res = await commissioner.client.get(clinic.url(`/reports?from=${from}&to=${to}`));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const base = { from, to, places: 15, threshold: res.body.report.threshold, monitoring: { streetHeroinMarkers: [] }, episodes: [], toxicology: [], outcomes: [] };
    const expected = buildReport({ ...base, doses: old });
    expect(res.body.report.attendance).toEqual(expected.attendance);
    expect(res.body.report.adverseEvents).toEqual(expected.adverseEvents);
    // With a threshold of 1 nothing is hidden: the raw counts themselves.
    const open = buildReport({ ...base, threshold: 1, doses: now });
    expect(open.attendance.table.cells).toEqual([[3, 2, 1, 2]]);
    expect(open.attendance.table.cells).toEqual(buildReport({ ...base, threshold: 1, doses: old }).attendance.table.cells);
  });

  it('a backup from before migration 0010, restored, is upgraded to the same rows (the live upgrade path); a newer one restores them as they were', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openhat-dose-outcomes-'));
    try {
      const now = join(dir, 'now.backup');
      await new Promise<void>((resolve, reject) => {
        const out = createWriteStream(now);
        out.once('close', resolve);
        writeBackup(t.db, out, new Date()).catch(reject);
      });
      // The same backup as openhat before 0010 would have written it: no dose_outcomes, migrations 1–9.
      const lines = gunzipSync(readFileSync(now)).toString('utf8').trimEnd().split('\n');
      const end = JSON.parse(lines.pop()!) as { counts: Record<string, number>; sha256: string };
      const header = JSON.parse(lines[0]!) as { migrations: { id: number }[] };
      header.migrations = header.migrations.filter((m) => m.id < 10);
      const older = [JSON.stringify(header), ...lines.slice(1).filter((l) => (JSON.parse(l) as { table?: string }).table !== 'dose_outcomes')];
      expect(older.length).toBeLessThan(lines.length);
      delete end.counts.dose_outcomes;
      const hash = createHash('sha256');
      for (const line of older) hash.update(`${line}\n`);
      end.sha256 = hash.digest('hex');
      const old = join(dir, 'before-0010.backup');
      writeFileSync(old, gzipSync(`${[...older, JSON.stringify(end)].join('\n')}\n`));

      const expected = await storedRows(t.db.orm, clinic.clinicId);
      expect(expected.some((r) => r.adverse_events.length > 1)).toBe(true);
      for (const file of [old, now]) {
        // Before 0010: the migration's backfill fills the table after the rows are in; since: restored as written.
        const target = await openEmptyTestDatabase();
        try {
          await restoreBackup(target, openBackupFile(file));
          expect(await storedRows(target.orm, clinic.clinicId), file).toEqual(expected);
        } finally {
          await target.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('verify-backup\'s integrity check finds a missing or wrong row, naming the dose', async () => {
    const name = 'doses: every dose has its dose_outcomes row, equal to what its steps give';
    const good = await checkIntegrity(t.db);
    const mine = good.checks.find((c) => c.name === name)!;
    expect(mine).toMatchObject({ ok: true, problemCount: 0 });
    expect(mine.checked).toBeGreaterThanOrEqual(9);

    const [refused] = (await storedRows(t.db.orm, clinic.clinicId)).filter((r) => r.outcome === 'refused' && r.adverse_events.length === 0);
    const [given] = (await storedRows(t.db.orm, clinic.clinicId)).filter((r) => r.outcome === 'given');
    await t.db.query(`UPDATE dose_outcomes SET outcome = 'given' WHERE clinic_id = $1 AND dose_id = $2`, [clinic.clinicId, refused!.dose_id]);
    await t.db.query(`DELETE FROM dose_outcomes WHERE clinic_id = $1 AND dose_id = $2`, [clinic.clinicId, given!.dose_id]);
    const bad = (await checkIntegrity(t.db)).checks.find((c) => c.name === name)!;
    expect(bad.ok).toBe(false);
    expect(bad.problemCount).toBe(2);
    expect(bad.problems).toEqual(
      expect.arrayContaining([
        `dose ${refused!.dose_id} (clinic ${clinic.clinicId}) dose_outcomes row differs: outcome given, its steps say refused`,
        `dose ${given!.dose_id} (clinic ${clinic.clinicId}) has no dose_outcomes row`,
      ]),
    );

    // Derived data: repaired from the steps, the check passes again.
    expect(await repairDoseOutcomes(t.db, new Date(), 3)).toBe(2); // batches of 3, to cross batch boundaries
    expect((await checkIntegrity(t.db)).checks.find((c) => c.name === name)!.ok).toBe(true);
    expect(await repairDoseOutcomes(t.db, new Date())).toBe(0);
    const back = new Map((await storedRows(t.db.orm, clinic.clinicId)).map((r) => [r.dose_id, r]));
    expect([back.get(refused!.dose_id)!.outcome, back.get(given!.dose_id)!.outcome]).toEqual(['refused', 'given']);
  });
});
