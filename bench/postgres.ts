import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../test/support/processes';

/**
 * A PostgreSQL cluster for the benchmark, kept between runs in a folder outside the repository
 * (the data can be tens of gigabytes), made and started with the binaries on PATH as the test
 * harness does: as root, the folders belong to `postgres` and the binaries run through runuser.
 * Durability settings are PostgreSQL's defaults (fsync and synchronous commit on), as in production.
 */
export interface BenchCluster {
  url: string;
  version: string;
  dataDir: string;
  stop(): void;
}

export async function startBenchCluster(base: string, options: { fresh: boolean }): Promise<BenchCluster> {
  const asRoot = process.getuid?.() === 0;
  const dataDir = join(base, 'data');
  const socketDir = join(base, 'socket');
  const logFile = join(base, 'postgres.log');
  const run = (binary: string, args: string[]) =>
    asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', binary, ...args], { stdio: 'pipe' }) : execFileSync(binary, args, { stdio: 'pipe' });
  if (options.fresh || !existsSync(join(dataDir, 'PG_VERSION'))) {
    if (existsSync(base)) execFileSync('rm', ['-rf', base]);
    mkdirSync(base, { recursive: true });
    if (asRoot) {
      execFileSync('chmod', ['755', base]);
      for (const dir of [dataDir, socketDir]) execFileSync('install', ['-d', '-o', 'postgres', '-m', '700', dir]);
      execFileSync('install', ['-o', 'postgres', '-m', '600', '/dev/null', logFile]);
    } else {
      mkdirSync(dataDir, { recursive: true });
      mkdirSync(socketDir, { recursive: true });
    }
    run('initdb', ['-D', dataDir, '-U', 'openhat', '--auth=trust', '--encoding=UTF8', '--locale=C']);
  }
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    `-k ${socketDir}`,
    '-c listen_addresses=127.0.0.1',
    '-c max_connections=200',
    '-c shared_buffers=1GB',
    '-c work_mem=16MB',
    '-c maintenance_work_mem=512MB',
    '-c max_wal_size=8GB',
    '-c checkpoint_timeout=30min',
    '-c effective_cache_size=8GB',
    '-c random_page_cost=1.1',
    '-c shared_preload_libraries=pg_stat_statements',
    '-c pg_stat_statements.track=all',
  ].join(' ');
  run('pg_ctl', ['-D', dataDir, '-o', settings, '-l', logFile, '-w', '-t', '120', 'start']);
  const version = run('postgres', ['--version']).toString().trim();
  let stopped = false;
  return {
    url: `postgres://openhat@127.0.0.1:${port}/openhat`,
    version,
    dataDir,
    stop() {
      if (stopped) return;
      stopped = true;
      run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '300', 'stop']);
    },
  };
}

export function createDatabaseIfMissing(adminUrl: string): void {
  const r = spawnSync('psql', [adminUrl, '-tAc', "SELECT 1 FROM pg_database WHERE datname = 'openhat'"], { encoding: 'utf8' });
  if (r.stdout.trim() !== '1') execFileSync('psql', [adminUrl, '-c', 'CREATE DATABASE openhat'], { stdio: 'pipe' });
}
