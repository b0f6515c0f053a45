import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, freshDatabaseEnv, runCli, startProcess, waitForHealth } from './support/processes';
import { postgresSkipped } from './support/test-database';

/** The server takes scheduled backups into OPENHAT_BACKUP_DIR; `openhat backup --dir` prunes by retention. */
describe.skipIf(postgresSkipped())('scheduled backups, as processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'openhat-backups-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}.clock`, { force: true });
  });

  it('the server backs up at start and on its interval, and says so in /health; the CLI keeps the newest', async () => {
    // A night-time clock: on PGlite a due backup would wait for a dosing session to end.
    const clockFile = join(dir, '..', `${dir.split('/').at(-1)}.clock`);
    writeFileSync(clockFile, '2026-03-02T03:00:00Z');
    const env = { ...(await freshDatabaseEnv()), OPENHAT_CLOCK_FILE: clockFile, OPENHAT_BACKUP_DIR: dir, OPENHAT_BACKUP_INTERVAL: '1h', OPENHAT_BACKUP_KEEP: '5' };
    const port = await freePort();
    const server = startProcess('server', [], { ...env, PORT: String(port), HOST: '127.0.0.1' });
    try {
      await waitForHealth(port, server);
      let health: { backups?: { state: string; lastSuccessAt: string | null } } = {};
      for (let i = 0; i < 600 && health.backups?.state !== 'ok'; i++) {
        health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as typeof health;
        if (health.backups?.state !== 'ok') await new Promise((r) => setTimeout(r, 100));
      }
      expect(health.backups).toMatchObject({ state: 'ok', running: false, failuresInARow: 0 });
      expect(health.backups!.lastSuccessAt).toMatch(/^2026-03-02T03:00/);
      expect(readdirSync(dir)).toEqual([`openhat-${health.backups!.lastSuccessAt!.slice(0, 19).replace(/[-:]/g, '')}Z.backup`]);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    const { OPENHAT_BACKUP_INTERVAL: _i, OPENHAT_BACKUP_KEEP: _k, OPENHAT_BACKUP_DIR: _d, OPENHAT_CLOCK_FILE: _c, ...db } = env;
    const cli = await runCli(['backup', '--dir', dir, '--keep', '1'], db);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const left = readdirSync(dir);
    expect(left).toHaveLength(1);
    expect(cli.stdout).toContain(`to ${join(dir, left[0]!)}`);
    expect(cli.stdout).toMatch(/Retention keeps the newest 1 \(and always the newest\): removed openhat-\d{8}T\d{6}Z\.backup\./);
    const bad = await runCli(['backup', '--dir', dir, '--keep', 'forever'], db);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--keep "forever" is neither a count (14) nor days (30d)');
  });

  it('stops at start, naming the variable, when the backup folder cannot be made', async () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const server = startProcess('server', [], { ...(await freshDatabaseEnv()), OPENHAT_BACKUP_DIR: join(blocker, 'backups'), PORT: String(await freePort()), HOST: '127.0.0.1' });
    expect(await server.exited).toBe(2);
    expect(server.stderr()).toContain(`openhat cannot start: OPENHAT_BACKUP_DIR: cannot use ${join(blocker, 'backups')}`);
    rmSync(blocker);
  });
});
