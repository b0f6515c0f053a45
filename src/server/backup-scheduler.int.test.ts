import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackupFile, restoreBackup } from '../store/backup';
import { openPglite } from '../store/database';
import { postgresSkipped } from '../../test/support/test-database';
import { TestApp } from '../../test/support/test-app';
import { BackupScheduler, dosingSessionUnderWay, listBackups, MAX_DEFER_MS } from './backup-scheduler';

/** Scheduled backups, driven by the test clock. */
describe.skipIf(postgresSkipped())('scheduled backups', () => {
  let t: TestApp;
  const dirs: string[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'openhat-scheduled-'));
    dirs.push(dir);
    return dir;
  };
  const logger = () => {
    const lines: { level: string; msg: string; obj: Record<string, unknown> }[] = [];
    return {
      lines,
      info: (obj: object, msg: string) => lines.push({ level: 'info', msg, obj: obj as Record<string, unknown> }),
      error: (obj: object, msg: string) => lines.push({ level: 'error', msg, obj: obj as Record<string, unknown> }),
    };
  };

  beforeAll(async () => {
    t = await TestApp.open();
    await t.newClinic('Backed-up clinic');
  });
  afterAll(async () => {
    await t?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('takes a backup when due, on the interval, names it in UTC, and prunes beyond the count', async () => {
    t.clock.set('2026-03-28T23:50:00Z');
    const dir = folder();
    const log = logger();
    const s = new BackupScheduler({ db: t.db, clock: t.clock, dir, intervalMs: 3_600_000, keep: { count: 3, days: null }, logger: log });
    expect(s.status()).toMatchObject({ state: 'none_yet', nextDueAt: '2026-03-28T23:50:00Z' });
    await s.tick();
    expect(readdirSync(dir)).toEqual(['openhat-20260328T235000Z.backup']);
    t.clock.advance({ minutes: 59 });
    await s.tick();
    expect(readdirSync(dir)).toHaveLength(1);
    // Across the spring-forward night in London: names stay in UTC and keep their order.
    for (let i = 0; i < 5; i++) {
      t.clock.advance({ minutes: 61 });
      await s.tick();
    }
    expect(listBackups(dir).map((f) => f.name)).toEqual(['openhat-20260329T035200Z.backup', 'openhat-20260329T045300Z.backup', 'openhat-20260329T055400Z.backup']);
    expect(readdirSync(dir).filter((n) => n.endsWith('.partial'))).toEqual([]);
    expect(s.status()).toMatchObject({ state: 'ok', failuresInARow: 0, lastSuccessAt: '2026-03-29T05:54:00Z', nextDueAt: '2026-03-29T06:54:00Z' });
    expect(log.lines.filter((l) => l.msg === 'scheduled backup written')).toHaveLength(6);
    expect(log.lines.at(-1)!.obj.pruned).toEqual(['openhat-20260329T025100Z.backup']);
    await s.stop();

    // Each file is a whole backup that restores.
    const fresh = await openPglite({});
    const restored = await restoreBackup(fresh, openBackupFile(join(dir, 'openhat-20260329T055400Z.backup')));
    expect(restored.counts.clinics).toBeGreaterThan(0);
    await fresh.close();
  });

  it('picks up where the folder left off after a restart, and clears a half-written file', async () => {
    t.clock.set('2026-04-10T10:00:00Z');
    const dir = folder();
    writeFileSync(join(dir, 'openhat-20260410T093000Z.backup'), 'pretend');
    writeFileSync(join(dir, 'openhat-20260410T094500Z.backup.partial'), 'interrupted');
    writeFileSync(join(dir, 'notes.txt'), 'not ours');
    const s = new BackupScheduler({ db: t.db, clock: t.clock, dir, intervalMs: 3_600_000, keep: { count: 5, days: null }, logger: logger() });
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'openhat-20260410T093000Z.backup']);
    expect(s.status()).toMatchObject({ state: 'ok', nextDueAt: '2026-04-10T10:30:00Z' });
    await s.tick();
    expect(listBackups(dir)).toHaveLength(1);
    await s.stop();
  });

  it('never runs two at once: a second request joins the one under way', async () => {
    t.clock.set('2026-04-11T10:00:00Z');
    const dir = folder();
    const s = new BackupScheduler({ db: t.db, clock: t.clock, dir, intervalMs: 60_000, keep: { count: 10, days: null }, logger: logger() });
    const first = s.runNow();
    expect(s.status().running).toBe(true);
    await Promise.all([first, s.runNow(), s.tick(), s.tick()]);
    expect(listBackups(dir)).toHaveLength(1);
    expect(s.status().running).toBe(false);
    await s.stop();
  });

  it('logs a failure, shows it in /health, retries, and recovers', async () => {
    t.clock.set('2026-04-12T10:00:00Z');
    const dir = folder();
    const log = logger();
    const s = new BackupScheduler({ db: t.db, clock: t.clock, dir, intervalMs: 24 * 3_600_000, keep: { count: 2, days: null }, logger: log });
    // The folder disappears and a file takes its name: every write fails.
    rmSync(dir, { recursive: true });
    writeFileSync(dir, 'in the way');
    await s.tick();
    expect(log.lines.at(-1)).toMatchObject({ level: 'error', msg: 'scheduled backup FAILED; it will be tried again' });
    expect(s.status()).toMatchObject({ state: 'failing', failuresInARow: 1, lastFailureAt: '2026-04-12T10:00:00Z', nextDueAt: '2026-04-12T10:05:00Z' });
    const health = await t.client().get('/health');
    expect(health.body).toEqual({
      status: 'ok',
      backups: { state: 'failing', running: false, lastSuccessAt: null, lastFailureAt: '2026-04-12T10:00:00Z', failuresInARow: 1, nextDueAt: '2026-04-12T10:05:00Z', waitingFor: null },
    });
    rmSync(dir);
    t.clock.advance({ minutes: 5 });
    await s.tick();
    expect(s.status()).toMatchObject({ state: 'ok', failuresInARow: 0, lastSuccessAt: '2026-04-12T10:05:00Z' });
    expect(existsSync(join(dir, 'openhat-20260412T100500Z.backup'))).toBe(true);
    await s.stop();
    expect((await t.client().get('/health')).body).toEqual({ status: 'ok' });
  });

  it('on PGlite, waits for the dosing session to end (never more than 12 hours)', async () => {
    t.clock.set('2026-05-04T08:50:00Z'); // 09:50 in London: the AM session
    const dir = folder();
    const log = logger();
    const s = new BackupScheduler({ db: t.db, clock: t.clock, dir, intervalMs: 3_600_000, keep: { count: 5, days: null }, logger: log, busy: (now) => dosingSessionUnderWay(t.db, now) });
    await s.tick();
    expect(listBackups(dir)).toHaveLength(0);
    expect(s.status()).toMatchObject({ state: 'none_yet', waitingFor: 'Backed-up clinic, AM session' });
    expect(log.lines.at(-1)).toMatchObject({ msg: 'scheduled backup is due; waiting for dosing to finish', obj: { waitingFor: 'Backed-up clinic, AM session' } });
    t.clock.set('2026-05-04T10:30:00Z'); // 11:30: the AM window has closed
    await s.tick();
    expect(listBackups(dir).map((f) => f.name)).toEqual(['openhat-20260504T103000Z.backup']);
    expect(s.status().waitingFor).toBeNull();
    await s.stop();

    const always = new BackupScheduler({ db: t.db, clock: t.clock, dir: folder(), intervalMs: 3_600_000, keep: { count: 5, days: null }, logger: logger(), busy: async () => 'always dosing' });
    await always.tick();
    expect(always.status().waitingFor).toBe('always dosing');
    t.clock.advance({ milliseconds: MAX_DEFER_MS });
    await always.tick();
    expect(always.status()).toMatchObject({ state: 'ok', waitingFor: null });
    await always.stop();
  });
});
