/* eslint-disable @typescript-eslint/no-explicit-any -- a benchmark harness: JSON answers and SQL rows read loosely */
import { spawnSync } from 'node:child_process';
import { cpus, tmpdir, totalmem } from 'node:os';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { Temporal } from 'temporal-polyfill';
import { BENCH_DAY, generate, readManifest, type Generated } from './generate/index';
import { HISTORY_ENDS, SIZES, type SizeName } from './generate/sizes';
import { createDatabaseIfMissing, startBenchCluster, type BenchCluster } from './postgres';
import { apiDosing, ceilingDosing, dosingPlan, openSlot, pgliteRunner, postgresRunner, resetStatements, slotInstant, type DosingResult, type OpenSlot, type Slot } from './measure/dosing';
import { measureReads, type ReadResults } from './measure/reads';
import { startServer, type Server } from './measure/server';
import { RESET_SQL } from './generate/reset';
import { migrate } from '../src/store/migrate';
import { openDatabase } from '../src/store/open';

/**
 * npm run bench -- --size small|region|national --db pglite|postgres [--suite care]
 *
 * Generates (or reuses) a deterministic synthetic deployment of the size asked for, bulk-loaded
 * with COPY, then measures dose recording through the API against the database's own ceiling,
 * the heaviest reads, cold start and memory; prints a table and writes
 * bench/results/<suite>-<size>-<db>.json. No figure is compared with an earlier run.
 */
const ROOT = new URL('../', import.meta.url).pathname;
const { values: args } = parseArgs({
  options: {
    suite: { type: 'string', default: 'scale' },
    size: { type: 'string', default: 'small' },
    db: { type: 'string', default: 'pglite' },
    seed: { type: 'string', default: '20261128' },
    'data-dir': { type: 'string', default: process.env.OPENHAT_BENCH_DATA ?? join(tmpdir(), 'openhat-bench-data') },
    regenerate: { type: 'boolean', default: false },
    'max-clinics': { type: 'string' },
    'generate-only': { type: 'boolean', default: false },
  },
});

if (args.suite === 'care') {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/care.bench.ts'], { cwd: ROOT, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
if (args.suite !== 'scale') throw new Error('--suite must be scale (default) or care');
const sizeName = args.size as SizeName;
const size = SIZES[sizeName];
if (!size) throw new Error('--size must be small, region or national');
const dbKind = args.db as 'pglite' | 'postgres';
if (dbKind !== 'pglite' && dbKind !== 'postgres') throw new Error('--db must be pglite or postgres');
if (dbKind === 'pglite' && sizeName === 'national') throw new Error('national size runs on PostgreSQL only');
const seed = Number(args.seed);
const maxClinics = args['max-clinics'] ? Number(args['max-clinics']) : undefined;

const home = join(args['data-dir']!, `${sizeName}-${dbKind}${maxClinics ? `-${maxClinics}` : ''}`);
mkdirSync(home, { recursive: true });
const manifestPath = join(home, 'manifest.json');
const generatedPath = join(home, 'generated.json');
const externalUrl = dbKind === 'postgres' ? process.env.DATABASE_URL : undefined;
const log = (s: string) => process.stdout.write(`${s}\n`);
// The code measured, read at the start (the tree may change while a long run goes on): the commit,
// and whether the code differed from it (earlier results in bench/results/ do not count).
const codeMeasured = `${spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim()}${
  spawnSync('git', ['status', '--porcelain', '--untracked-files=no', '--', '.', ':!bench/results'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim() ? ' (with changes)' : ''
}`;

let cluster: BenchCluster | null = null;
let server: Server | null = null;
const stopAll = async () => {
  await server?.stop().catch(() => undefined);
  server = null;
  cluster?.stop();
  cluster = null;
};
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));

try {
  const regenerate = args.regenerate || !readManifest(manifestPath);
  let pgUrl: string | undefined;
  let pgVersion: string | null = null;
  if (dbKind === 'postgres') {
    if (externalUrl) pgUrl = externalUrl;
    else {
      cluster = await startBenchCluster(join(home, 'pg'), { fresh: regenerate });
      createDatabaseIfMissing(cluster.url.replace(/\/openhat$/, '/postgres'));
      pgUrl = cluster.url;
    }
  } else if (regenerate) {
    rmSync(join(home, 'data'), { recursive: true, force: true });
  }
  let generated: Generated | null = null;
  if (regenerate) {
    log(`generating ${sizeName} (${maxClinics ?? size.clinics} clinics, ${size.years} years) on ${dbKind} in ${home} …`);
    generated = await generate(dbKind === 'postgres' ? { kind: 'postgres', url: pgUrl! } : { kind: 'pglite', dataDir: join(home, 'data') }, size, seed, manifestPath, { maxClinics });
    writeFileSync(generatedPath, JSON.stringify({ ...generated, manifest: undefined }));
    log(`generated ${generated.doses.toLocaleString('en-GB')} doses, ${generated.rows.toLocaleString('en-GB')} rows in ${Math.round(generated.seconds.total)} s`);
  } else {
    generated = { ...(JSON.parse(readFileSync(generatedPath, 'utf8')) as Generated), manifest: readManifest(manifestPath)! };
    log(`reusing the ${sizeName} data in ${home} (--regenerate to make it again)`);
  }
  const manifest = generated.manifest;
  if (args['generate-only']) {
    await stopAll();
    process.exit(0);
  }
  const diskBytes = Number(spawnSync('du', ['-sb', dbKind === 'postgres' && cluster ? cluster.dataDir : join(home, 'data')], { encoding: 'utf8' }).stdout.split('\t')[0]);

  // Data made by an earlier version of openhat is brought up to this one's schema first, as an
  // upgrade would (`npm start` migrates too; done here so the reset below sees the current tables
  // and the cold start below is not an upgrade). How long that took is reported.
  let upgrade: { migrations: string[]; seconds: number } | null = null;
  if (!regenerate) {
    // The server's own way of opening its database (PGlite: the data folder's pgdata, under its lock).
    const db = await openDatabase({ databaseUrl: pgUrl ?? null, dataDir: join(home, 'data') });
    const started = performance.now();
    const applied = await migrate(db);
    upgrade = { migrations: applied, seconds: Math.round((performance.now() - started) / 100) / 10 };
    await db.close();
    if (applied.length > 0) log(`migrated the data to this version: ${applied.join(', ')} in ${upgrade.seconds} s`);
  }

  // Slots on the days after the history: each run of doses has sessions nobody has dosed in yet.
  // A re-run on the same data first removes what earlier runs added, and doses the same days again.
  if (!regenerate) {
    log('removing the doses of earlier runs …');
    if (pgUrl) {
      const r = spawnSync('psql', [pgUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-c', RESET_SQL], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`reset: ${r.stderr}`);
    } else {
      const db = new PGlite(join(home, 'data', 'pgdata'));
      await db.exec(RESET_SQL);
      await db.close();
    }
  }
  const day = (n: number) => BENCH_DAY.add({ days: n }).toString();
  // The ceiling's days come after every day the server's clock has seen (its missed-dose job makes sessions for past days).
  const apiSlots: Slot[] = [{ date: day(0), code: 'AM' }, { date: day(0), code: 'PM' }, { date: day(1), code: 'AM' }];
  const diagnosticSlot: Slot = { date: day(1), code: 'PM' };
  const ceilingSlots: Slot[] = [{ date: day(2), code: 'AM' }, { date: day(2), code: 'PM' }, { date: day(3), code: 'AM' }];
  const levels = [1, 16, 64];
  const maxDoses = (clients: number) => (clients === 1 ? 40 : clients === 16 ? 300 : 1000);

  const env: Record<string, string> = dbKind === 'postgres' ? { DATABASE_URL: pgUrl! } : { OPENHAT_DATA_DIR: join(home, 'data') };
  const clockFile = join(home, 'clock');
  log('starting the server (npm start) …');
  server = await startServer(env, clockFile, `${day(0)}T07:30:00Z`);
  const coldStartMs = Math.round(server.coldStartMs);
  const rssAfterStart = server.rssMb();
  log(`  /health answered after ${coldStartMs} ms; RSS ${rssAfterStart.rss} MB`);
  let rssPeak = rssAfterStart.rss;
  // The server's RSS peak during each measure, to tell which one makes the peak.
  let phase = 'start';
  const rssPeakByMeasure: Record<string, number> = {};
  const rssTimer = setInterval(() => {
    const now = server?.rssMb().rss ?? NaN;
    if (Number.isFinite(now)) {
      rssPeak = Math.max(rssPeak, now);
      rssPeakByMeasure[phase] = Math.max(rssPeakByMeasure[phase] ?? 0, now);
    }
  }, 200);

  const api: DosingResult[] = [];
  const plan = dosingPlan(manifest, levels.map((clients) => ({ clients, doses: maxDoses(clients) })));
  log(plan.oneSession ? 'every level of concurrency doses in the same session, on people of its own' : 'each level of concurrency doses in a session of its own (too few people for one)');
  let open: OpenSlot | null = null;
  for (const [i, clients] of levels.entries()) {
    if (!open || !plan.oneSession) open = await openSlot(server, manifest, apiSlots[i]!);
    log(`dose recording through the API, ${clients} client(s) …`);
    phase = `doses, ${clients} client(s)`;
    api.push(await apiDosing(open, plan.work[i]!, clients, pgUrl));
    log(`  ${api.at(-1)!.doses} doses, ${api.at(-1)!.dosesPerSecond}/s, request p99 ${api.at(-1)!.step.p99} ms`);
  }
  // What the witness check costs without the recent-confirmation cache (OPENHAT_CONFIRMATION_CACHE_MINUTES=0:
  // every witness password checked against its Argon2 hash at the production cost): the server restarted
  // with it off, 16 clients, the next session, people who were dosed in the last one.
  await server.stop();
  log('dose recording through the API, 16 clients, every witness password checked against its hash (diagnostic) …');
  phase = 'doses, 16 clients, every witness password hashed';
  server = await startServer({ ...env, OPENHAT_CONFIRMATION_CACHE_MINUTES: '0' }, clockFile, slotInstant(diagnosticSlot));
  const everyWitnessCheck = await apiDosing(await openSlot(server, manifest, diagnosticSlot), dosingPlan(manifest, [{ clients: 16, doses: maxDoses(16) }]).work[0]!, 16, pgUrl);
  log(`  ${everyWitnessCheck.doses} doses, ${everyWitnessCheck.dosesPerSecond}/s, request p99 ${everyWitnessCheck.step.p99} ms`);
  await server.stop();
  server = await startServer(env, clockFile, slotInstant(diagnosticSlot));
  log('reads …');
  await resetStatements(pgUrl);
  const big = sizeName !== 'small';
  const reads: ReadResults = await measureReads(server, manifest, sizeName === 'national' ? { board: 40, record: 30, register: 5, verify: 3, dashboard: 2 } : { board: 100, record: 50, register: big ? 20 : 50, verify: big ? 5 : 20, dashboard: big ? 3 : 10 }, (k) =>
    Math.round((Temporal.PlainDate.from(manifest.clinics[k]!.opensOn).until(Temporal.PlainDate.from(HISTORY_ENDS)).days / 365.25) * 10) / 10,
    (what) => (phase = what),
  );
  phase = 'after the reads';
  // Where the reads spent the database's time (PostgreSQL): the statements with the most total time.
  const topStatements = pgUrl
    ? JSON.parse(
        spawnSync('psql', [pgUrl, '-tAc', `SELECT coalesce(json_agg(x), '[]') FROM (SELECT calls, round(total_exec_time::numeric, 1) AS total_ms, round(mean_exec_time::numeric, 3) AS mean_ms, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 300) AS query FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT 12) x`], { encoding: 'utf8' }).stdout.trim() || '[]',
      )
    : null;
  clearInterval(rssTimer);
  const rssEnd = server.rssMb();
  await server.stop();
  server = null;

  log('the ceiling: the same transactions straight on the database …');
  const ceiling: DosingResult[] = [];
  let pglite: PGlite | null = null;
  if (dbKind === 'pglite') {
    pglite = new PGlite(join(home, 'data', 'pgdata'));
    await pglite.waitReady;
  }
  for (const [i, clients] of levels.entries()) {
    const runner = dbKind === 'postgres' ? postgresRunner(pgUrl!, clients) : pgliteRunner(pglite!);
    ceiling.push(await ceilingDosing(runner, manifest, clients, ceilingSlots[i]!, maxDoses(clients), pgUrl));
    await runner.close();
    log(`  ${clients} client(s): ${ceiling.at(-1)!.doses} doses, ${ceiling.at(-1)!.dosesPerSecond}/s`);
  }
  if (pglite) await pglite.close();
  if (cluster) {
    const r = spawnSync('psql', [pgUrl!, '-tAc', 'SHOW server_version'], { encoding: 'utf8' });
    pgVersion = r.stdout.trim() || cluster.version;
  } else if (pgUrl) {
    pgVersion = spawnSync('psql', [pgUrl, '-tAc', 'SHOW server_version'], { encoding: 'utf8' }).stdout.trim();
  }

  const pgliteVersion = (JSON.parse(readFileSync(join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string }).version;
  const result = {
    suite: 'scale',
    size: sizeName,
    db: dbKind,
    measuredAt: new Date().toISOString(),
    commit: codeMeasured,
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      ramGb: Math.round(totalmem() / 1024 ** 3),
      node: process.version,
      postgres: dbKind === 'postgres' ? pgVersion : null,
      pglite: dbKind === 'pglite' ? pgliteVersion : null,
      platform: `${process.platform} ${process.arch}`,
    },
    data: {
      seed,
      clinics: manifest.clinics.length,
      people: manifest.clinics.reduce((n, c) => n + c.people.length, 0),
      years: size.years,
      historyEnds: HISTORY_ENDS,
      doses: generated.doses,
      rows: generated.rows,
      tableRows: generated.tableRows,
      databaseBytes: diskBytes,
      generateSeconds: generated.seconds,
    },
    server: { coldStartMs, rssMbAfterStart: rssAfterStart.rss, rssMbPeak: Number.isFinite(rssEnd.peak) ? Math.max(rssPeak, rssEnd.peak) : rssPeak, rssMbPeakByMeasure: rssPeakByMeasure, serverAliveAtEnd: Number.isFinite(rssEnd.rss), rssMbEnd: rssEnd.rss },
    dosingEveryWitnessCheck16: everyWitnessCheck,
    upgrade,
    dosing: levels.map((clients, i) => ({ clients, api: api[i], ceiling: ceiling[i], ratio: Math.round((api[i]!.dosesPerSecond / ceiling[i]!.dosesPerSecond) * 1000) / 1000 })),
    reads,
    readsTopStatements: topStatements,
  };
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const out = join(ROOT, `bench/results/scale-${sizeName}-${dbKind}.json`);
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  printTable(result);
  log(`\nwritten: ${out}`);
} finally {
  await stopAll();
}

function manifestClinics(r: any): number {
  return r.data.clinics;
}

function printTable(r: any) {
  const rows: [string, string, string][] = [];
  const ms = (x: number) => `${Math.round(x)} ms`;
  rows.push(['machine', `${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.ramGb} GB, Node ${r.machine.node}, ${r.machine.postgres ?? `PGlite ${r.machine.pglite}`}`, '']);
  rows.push(['data', `${r.data.clinics} clinics, ${r.data.people} people, ${r.data.years} y, ${r.data.doses.toLocaleString('en-GB')} doses, ${r.data.rows.toLocaleString('en-GB')} rows, ${(r.data.databaseBytes / 1024 ** 3).toFixed(2)} GB`, '']);
  for (const d of r.dosing) {
    rows.push([`doses, ${d.clients} client(s)`, `API ${d.api.dosesPerSecond}/s (request p50 ${ms(d.api.step.p50)}, p99 ${ms(d.api.step.p99)}; dose p99 ${ms(d.api.dose.p99)}) vs ceiling ${d.ceiling.dosesPerSecond}/s`, `ratio ${(d.ratio * 100).toFixed(0)} %`]);
  }
  const cw = r.dosingEveryWitnessCheck16;
  if (cw) rows.push(['doses, 16 clients, every witness password hashed', `API ${cw.dosesPerSecond}/s (request p50 ${ms(cw.step.p50)}, p99 ${ms(cw.step.p99)}) vs ceiling ${r.dosing[1].ceiling.dosesPerSecond}/s`, `ratio ${((cw.dosesPerSecond / r.dosing[1].ceiling.dosesPerSecond) * 100).toFixed(0)} % (diagnostic)`]);
  const read = (name: string, s: any, target: number | null) => {
    if (!s || 'error' in s) return rows.push([name, `failed: ${s?.error ?? 'not measured'}`, target === null ? '' : 'MISSED']);
    return rows.push([name, `p50 ${ms(s.p50)}, p99 ${ms(s.p99)} (n=${s.n})`, target === null ? '' : s.p99 < target ? `< ${target} ms: met` : `< ${target} ms: MISSED`]);
  };
  read('Today board', r.reads.board, 50);
  read('record (4 requests)', r.reads.record, 50);
  read(`register page, latest ${r.reads.registerPage.returned ?? '?'} of ${r.reads.registerPage.pageEntries ?? '?'} entries`, r.reads.registerPage, 50);
  read(`register CSV, whole page (${r.reads.registerCsv?.pageEntries ?? '?'} entries)`, r.reads.registerCsv, null);
  read(`verify a clinic-year (${r.reads.verifyClinicYear.years ?? '?'} y, ${r.reads.verifyClinicYear.registerEntries ?? '?'} entries)`, r.reads.verifyClinicYear, 1000);
  read(`verify oldest clinic (${r.reads.verifyOldestClinic.years ?? '?'} y, ${r.reads.verifyOldestClinic.registerEntries ?? '?'} entries)`, r.reads.verifyOldestClinic, null);
  read(`dashboard (${r.reads.dashboard.clinics ?? manifestClinics(r)} clinics)`, r.reads.dashboard, 2000);
  rows.push(['cold start', ms(r.server.coldStartMs), r.server.coldStartMs < 3000 ? '< 3 s: met' : '< 3 s: MISSED']);
  rows.push(['RSS', `${r.server.rssMbAfterStart} MB after start, ${r.server.rssMbPeak} MB peak`, r.server.rssMbPeak < 300 ? '< 300 MB: met' : '< 300 MB: MISSED']);
  const byMeasure = Object.entries((r.server.rssMbPeakByMeasure ?? {}) as Record<string, number>);
  if (byMeasure.length) rows.push(['RSS peak by measure', byMeasure.map(([k, v]) => `${k} ${v}`).join('; '), '']);
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  log(`\nopenhat benchmark: ${r.size} on ${r.db}`);
  for (const [a, b, c] of rows) log(`  ${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
}

