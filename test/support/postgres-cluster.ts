import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throw-away PostgreSQL cluster for tests, made with the initdb/pg_ctl binaries on PATH. initdb
 * refuses to run as root, so as root the cluster's folders belong to the `postgres` user and the
 * binaries run through runuser.
 */
export interface PostgresCluster {
  url(database: string): string;
  version: string;
  stop(): void;
}

function which(binary: string): string | null {
  const result = spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

export function postgresUnavailableReason(): string | null {
  for (const binary of ['initdb', 'pg_ctl', 'postgres']) {
    if (!which(binary)) return `${binary} not on PATH`;
  }
  if (process.getuid?.() === 0 && !which('runuser')) return 'running as root without runuser';
  if (process.getuid?.() === 0 && spawnSync('id', ['postgres']).status !== 0) return 'running as root and no postgres user';
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const asRoot = process.getuid?.() === 0;
  const base = mkdtempSync(join(tmpdir(), 'openhat-pg-'));
  const dataDir = join(base, 'data');
  const socketDir = join(base, 'socket');
  const logFile = join(base, 'postgres.log');
  const run = (binary: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', binary, ...args], { stdio: 'pipe' })
      : execFileSync(binary, args, { stdio: 'pipe' });

  if (asRoot) {
    execFileSync('chmod', ['755', base]);
    for (const dir of [dataDir, socketDir]) execFileSync('install', ['-d', '-o', 'postgres', '-m', '700', dir]);
    execFileSync('install', ['-o', 'postgres', '-m', '600', '/dev/null', logFile]);
  }
  run('initdb', ['-D', dataDir, '-U', 'openhat', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  run('pg_ctl', ['-D', dataDir, '-o', options, '-l', logFile, '-w', '-t', '60', 'start']);
  const version = run('postgres', ['--version']).toString().trim();

  let stopped = false;
  return {
    version,
    url: (database) => `postgres://openhat@127.0.0.1:${port}/${database}`,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    },
  };
}
