import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmptyPostgresDatabase, postgresUrl, testEngine } from './test-database';

const ROOT = new URL('../../', import.meta.url).pathname;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Environment for a real openhat process on this run's engine: a new data folder, or a new PostgreSQL database. */
export async function freshDatabaseEnv(): Promise<Record<string, string>> {
  if (testEngine() === 'postgres') return { DATABASE_URL: postgresUrl(await createEmptyPostgresDatabase()) };
  return { OPENHAT_DATA_DIR: mkdtempSync(join(tmpdir(), 'openhat-data-')) };
}

export interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

export function startProcess(script: 'server' | 'cli', args: string[], env: Record<string, string>): Running {
  const entry = script === 'server' ? 'src/server/main.ts' : 'src/cli/openhat.ts';
  // node --import tsx, not the tsx wrapper: one process, so signals and the lock's pid are its own.
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

export async function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = startProcess('cli', args, env);
  const code = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

/** Poll until /health answers (or the process dies, or the deadline passes). */
export async function waitForHealth(port: number, running: Running, deadlineMs = 60_000): Promise<void> {
  const start = Date.now();
  let dead = false;
  void running.exited.then(() => (dead = true));
  while (Date.now() - start < deadlineMs) {
    if (dead) throw new Error(`server exited early: ${running.stderr()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not become healthy: ${running.stderr()}`);
}
