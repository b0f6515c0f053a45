import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBackup } from '../src/store/backup';
import { checkIntegrity } from '../src/store/integrity';
import { witnessOf } from './support/cd';
import { dosingClinic, fine, openSession, prep } from './support/dosing';
import { runCli } from './support/processes';
import { postgresSkipped } from './support/test-database';
import { TestApp } from './support/test-app';

/**
 * `openhat verify-backup FILE`: a backup of a clinic with real dosing and register history restores
 * into an empty database and verifies; a row changed in the file (with the file's hash recomputed,
 * so that only the register's own hash chain can tell) fails, naming the page and the entry.
 */
describe.skipIf(postgresSkipped())('verify-backup', () => {
  let t: TestApp;
  let dir: string;
  let good: string;

  beforeAll(async () => {
    t = await TestApp.open();
    t.clock.set('2026-03-02T09:00:00Z');
    const { clinic, nurse, hca, item, persons } = await dosingClinic(t, 2);
    const sessionId = await openSession(clinic, nurse, hca);
    for (const p of persons) {
      const a = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: p.serviceUserId, findings: fine });
      expect(a.status).toBe(201);
      expect((await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/preparation`), prep(item, hca, 60))).status).toBe(201);
      const given = await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/administration`), { route: 'iv', sites: ['left arm'], attempts: 1, givenMg: 50, witness: witnessOf(hca) });
      expect(given.status).toBe(201);
    }
    dir = mkdtempSync(join(tmpdir(), 'openhat-verify-'));
    good = join(dir, 'good.backup');
    await writeBackup(t.db, createWriteStream(good), new Date());
  });
  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Rewrite a backup with one table's rows edited, recomputing the hash as a careful forger would. */
  function forge(name: string, table: string, edit: (rows: Record<string, any>[]) => Record<string, any>[]) {
    const lines = gunzipSync(readFileSync(good)).toString('utf8').trimEnd().split('\n');
    const end = JSON.parse(lines.pop()!) as { end: true; counts: Record<string, number>; sha256: string };
    let changed = false;
    const out = lines.map((line) => {
      const item = JSON.parse(line) as { table?: string; rows?: Record<string, any>[] };
      if (item.table !== table || changed) return line;
      changed = true;
      const rows = edit(item.rows!);
      end.counts[table] = end.counts[table]! - item.rows!.length + rows.length;
      return JSON.stringify({ table, rows });
    });
    expect(changed).toBe(true);
    const hash = createHash('sha256');
    for (const line of out) hash.update(`${line}\n`);
    end.sha256 = hash.digest('hex');
    const file = join(dir, name);
    writeFileSync(file, gzipSync(`${[...out, JSON.stringify(end)].join('\n')}\n`));
    return file;
  }

  it('the live database passes the same checks', async () => {
    const report = await checkIntegrity(t.db);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.checks.find((c) => c.name.startsWith('doses: every preparation'))!.checked).toBe(2);
  });

  it('restores a real clinic into an empty database and verifies it', async () => {
    const r = await runCli(['verify-backup', good], {});
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/restored \d+ rows into an empty database; counts and sha256 [0-9a-f]{64} match/);
    expect(r.stdout).toMatch(/ok +cd register: every page's hash chain verifies \(1 checked\)/);
    expect(r.stdout).toMatch(/ok +doses: every step has its audit row \(6 checked\)/);
    expect(r.stdout).toContain('The backup verifies');
  });

  it('a register entry changed in the file, hash recomputed: fails, naming the page and the entry', async () => {
    const file = forge('forged.backup', 'cd_entries', (rows) =>
      rows.map((r) => (r.seq === 2 ? { ...r, details: { ...r.details, serviceUser: { ...r.details.serviceUser, name: 'Someone Else' } } } : r)),
    );
    const r = await runCli(['verify-backup', file], {});
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('counts and sha256');
    expect(r.stdout).toMatch(/FAILED +cd register: every page's hash chain verifies \(1 checked, 1 problem\)/);
    expect(r.stdout).toMatch(/page "Diamorphine[^"]*\(CD cupboard, dosing room\)" \(clinic [0-9a-f-]{36}, item [0-9a-f-]{36}\): entry 2: entry 2 was changed after it was written/);
    expect(r.stdout).toContain('The backup does NOT verify');
  });

  it('a dose step\'s audit row dropped from the file: fails, naming the dose', async () => {
    let dropped = '';
    const file = forge('no-audit.backup', 'audit_events', (rows) => {
      const i = rows.findIndex((r) => r.entity_type === 'dose_event');
      dropped = rows[i]!.entity_id;
      return rows.filter((_, j) => j !== i);
    });
    const r = await runCli(['verify-backup', file], {});
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`dose ${dropped.split('/')[0]} step ${dropped.split('/')[1]}`);
    expect(r.stdout).toMatch(/FAILED +doses: every step has its audit row/);
  });

  it('a file changed without recomputing the hash restores nothing', async () => {
    const bytes = gunzipSync(readFileSync(good)).toString('utf8').replace('"quantity":200', '"quantity":2000');
    const file = join(dir, 'corrupt.backup');
    writeFileSync(file, gzipSync(bytes));
    const r = await runCli(['verify-backup', file], {});
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('the backup is corrupt (checksum mismatch); nothing was restored');
  });
});
