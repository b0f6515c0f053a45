import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { freePort } from '../../test/support/processes';

const ROOT = new URL('../../', import.meta.url).pathname;

/**
 * openhat as `npm start` runs it (node --import tsx src/server/main.ts), in its own process, on
 * the benchmark's database, with its clock pinned by a clock file to the benchmark's day. Two
 * settings differ from a deployment's defaults, both about signing in, which is not measured: the
 * sign-in rate limit (64 clients sign in at once) and the second factor for admin roles (the
 * benchmark's clients have no authenticator).
 */
export interface Server {
  base: string;
  pid: number;
  coldStartMs: number;
  setClock(instant: string): Promise<void>;
  rssMb(): { rss: number; peak: number };
  stop(): Promise<void>;
  stderr(): string;
}

export async function startServer(env: Record<string, string>, clockFile: string, at: string, nodeArgs: string[] = []): Promise<Server> {
  writeFileSync(clockFile, at);
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      OPENHAT_CLOCK_FILE: clockFile,
      OPENHAT_LOGIN_RATE_LIMIT_PER_MINUTE: '10000',
      OPENHAT_SECOND_FACTOR_ROLES: 'none',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-20_000)));
  child.stdout!.on('data', () => undefined);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (exited) throw new Error(`server exited: ${err}`);
    try {
      const res = await fetch(`${base}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > 300_000) throw new Error(`server did not answer /health: ${err}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const coldStartMs = performance.now() - started;
  const status = (field: string) => {
    let text: string;
    try {
      text = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    } catch {
      return NaN; // the process has ended (e.g. out of memory)
    }
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(text);
    return m ? Math.round(Number(m[1]) / 1024) : NaN;
  };
  return {
    base,
    pid: child.pid!,
    coldStartMs,
    async setClock(instant) {
      writeFileSync(clockFile, instant);
      // The server polls the file every 50 ms.
      await new Promise((r) => setTimeout(r, 400));
    },
    rssMb: () => ({ rss: status('VmRSS'), peak: status('VmHWM') }),
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      await Promise.race([exit, new Promise((r) => setTimeout(r, 30_000))]);
      if (!exited) child.kill('SIGKILL');
    },
    stderr: () => err,
  };
}
