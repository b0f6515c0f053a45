import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readManifest } from './generate/index';
import { BENCH_PASSWORD } from './generate/scaffold';
import { startBenchCluster } from './postgres';
import { HttpClient } from './measure/http';
import { resetStatements } from './measure/dosing';
import { startServer } from './measure/server';

/**
 * Where one read spends the database's time: node --import tsx bench/profile-board.ts <data folder> <path>
 * (PostgreSQL data made by npm run bench; <path> relative to the first clinic, e.g. /dose-list?session=AM).
 */
const home = process.argv[2]!;
const path = process.argv[3] ?? '/dose-list?session=AM';
const manifest = readManifest(join(home, 'manifest.json'))!;
const cluster = await startBenchCluster(join(home, 'pg'), { fresh: false });
let server: Awaited<ReturnType<typeof startServer>> | null = null;
try {
server = await startServer({ DATABASE_URL: cluster.url }, join(home, 'clock'), '2026-11-28T09:00:00Z', process.env.PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE_DIR}`] : []);
  const c = manifest.clinics[0]!;
  const h = new HttpClient(server.base);
  // AS=admin for the routes a nurse may not read (e.g. /cd/verify).
  await h.signIn(process.env.AS === 'admin' ? c.admin.email : c.nurses[1]!.email, BENCH_PASSWORD);
  await h.get(`/api/v1/clinics/${c.clinicId}${path}`);
  await resetStatements(cluster.url);
  const times = [];
  for (let i = 0; i < Number(process.env.N ?? 5); i++) {
    const t = performance.now();
    const r = await h.get(`/api/v1/clinics/${c.clinicId}${path}`);
    if (r.status !== 200) throw new Error(JSON.stringify(r.body));
    times.push(Math.round(performance.now() - t));
  }
  console.log('ms', times.join(' '));
  console.log('server RSS (MB): now and peak', JSON.stringify(server.rssMb()));
  console.log(spawnSync('psql', [cluster.url, '-c', `SELECT calls, round(total_exec_time::numeric,1) total_ms, round(mean_exec_time::numeric,3) mean_ms, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 160) q FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT 15`], { encoding: 'utf8' }).stdout);
  console.log(spawnSync('psql', [cluster.url, '-tAc', `SELECT sum(calls), round(sum(total_exec_time)::numeric,1) FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat_statements%'`], { encoding: 'utf8' }).stdout);
} finally {
  await server?.stop();
  cluster.stop();
}
