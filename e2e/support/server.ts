import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startProcess, waitForHealth, type Running } from '../../test/support/processes';
import { serverClockSet } from './second-factor';

export const ADMIN = { email: 'admin@e2e.test', password: 'the chief pass phrase' };

/**
 * A real openhat server for the browser: a new PGlite data folder, and a clock that starts at a
 * chosen instant (OPENHAT_CLOCK_FILE, for tests and training only) so that sessions are open
 * whatever time the suite runs.
 */
export async function startE2eServer(start: string) {
  const dir = mkdtempSync(join(tmpdir(), 'openhat-e2e-'));
  const clockFile = join(dir, 'clock');
  writeFileSync(clockFile, start);
  const port = await freePort();
  const spawnedAt = Date.now();
  const server: Running = startProcess('server', [], {
    OPENHAT_DATA_DIR: join(dir, 'data'),
    PORT: String(port),
    HOST: '127.0.0.1',
    OPENHAT_ADMIN_EMAIL: ADMIN.email,
    OPENHAT_ADMIN_PASSWORD: ADMIN.password,
    OPENHAT_CLOCK_FILE: clockFile,
    OPENHAT_ARGON2_MEMORY_KIB: '4096',
    OPENHAT_ARGON2_ITERATIONS: '1',
    OPENHAT_LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    OPENHAT_SESSION_IDLE_MINUTES: '240',
    ...(process.env.OPENHAT_WEB_DIR ? { OPENHAT_WEB_DIR: process.env.OPENHAT_WEB_DIR } : {}),
  });
  await waitForHealth(port, server, 120_000);
  const base = `http://127.0.0.1:${port}`;
  // The server's clock started at `start` when it first read the file, some unknown moment after it
  // was spawned. Write the file again so that this side knows the server's "now" to a few tens of
  // milliseconds (the second-factor helper computes codes for it); the clock moves on by no more than
  // the server took to start.
  const synced = new Date(Date.parse(start) + (Date.now() - spawnedAt)).toISOString();
  writeFileSync(clockFile, synced);
  await new Promise((r) => setTimeout(r, 300));
  serverClockSet(base, new Date(Date.parse(synced) + 300).toISOString());
  return {
    base,
    setClock: async (instant: string) => {
      writeFileSync(clockFile, instant);
      await new Promise((r) => setTimeout(r, 300));
      serverClockSet(base, new Date(Date.parse(instant) + 300).toISOString());
    },
    stop: async () => {
      server.child.kill('SIGTERM');
      await server.exited;
    },
  };
}
