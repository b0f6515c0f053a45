import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import cliProgress from 'cli-progress';
import { Temporal } from 'temporal-polyfill';
import { openPglite, openPostgres, type Database } from '../../src/store/database';
import { migrate } from '../../src/store/migrate';
import { emptyRows, finalReceipt, generateDays, newClinicState, TABLES } from './history';
import { pgliteLoader, postgresLoader, type Loader } from './load';
import { renewPrescriptions, scaffold, type Manifest } from './scaffold';
import { HISTORY_ENDS, type Size } from './sizes';
import { captureTemplates } from './template';

export interface Target {
  kind: 'pglite' | 'postgres';
  /** PostgreSQL connection string, or the PGlite data folder (OPENHAT_DATA_DIR). */
  url?: string;
  dataDir?: string;
}

export interface Generated {
  manifest: Manifest;
  doses: number;
  rows: number;
  seconds: { scaffold: number; load: number; total: number };
  tableRows: Record<string, number>;
}

/** The first instant of the benchmark's own day: the day after the history, before the morning session. */
export const BENCH_DAY = Temporal.PlainDate.from(HISTORY_ENDS).add({ days: 1 });

async function open(target: Target): Promise<Database> {
  return target.kind === 'postgres' ? openPostgres({ url: target.url!, maxConnections: 4 }) : openPglite({ dataDir: join(target.dataDir!, 'pgdata') });
}

export async function generate(target: Target, size: Size, seed: number, manifestPath: string, options: { maxClinics?: number } = {}): Promise<Generated> {
  const started = performance.now();
  const effective = options.maxClinics && options.maxClinics < size.clinics ? { ...size, clinics: options.maxClinics } : size;
  const templates = await captureTemplates();
  if (target.kind === 'pglite') mkdirSync(target.dataDir!, { recursive: true });
  let db = await open(target);
  await migrate(db);
  const bars = new cliProgress.MultiBar({ format: ' {task} [{bar}] {value}/{total} {unit} | {rows} rows | {doses} doses | {eta_formatted} left', hideCursor: true, clearOnComplete: false, noTTYOutput: true, notTTYSchedule: 20_000 }, cliProgress.Presets.shades_classic);
  const clinicBar = bars.create(effective.clinics, 0, { task: 'clinics (API)   ', unit: 'clinics', rows: '-', doses: '-' });
  const manifest = await scaffold(db, effective, seed, (n) => clinicBar.update(n));
  manifest.size = size.name;
  await db.close();
  const scaffoldSeconds = (performance.now() - started) / 1000;

  const loadStarted = performance.now();
  let loader: Loader;
  let raw: PGlite | null = null;
  if (target.kind === 'postgres') loader = await postgresLoader(target.url!);
  else {
    raw = new PGlite(join(target.dataDir!, 'pgdata'));
    await raw.waitReady;
    loader = pgliteLoader(raw);
  }
  const end = Temporal.PlainDate.from(HISTORY_ENDS);
  const totalDays = manifest.clinics.reduce((n, c) => n + Temporal.PlainDate.from(c.opensOn).until(end).days + 1, 0);
  const dayBar = bars.create(totalDays, 0, { task: 'history (COPY)  ', unit: 'clinic-days', rows: 0, doses: 0 });
  let doses = 0;
  let rowsLoaded = 0;
  let daysDone = 0;
  const tableRows: Record<string, number> = Object.fromEntries(TABLES.map((t) => [t, 0]));
  // One clinic-quarter per batch: small enough to hold in memory, large enough for COPY to pay.
  let pending: Promise<void> = Promise.resolve();
  for (const c of manifest.clinics) {
    const state = newClinicState(c);
    let from = Temporal.PlainDate.from(c.opensOn);
    while (Temporal.PlainDate.compare(from, end) <= 0) {
      const next = from.add({ months: 3 });
      const to = Temporal.PlainDate.compare(next, end) > 0 ? end : next.subtract({ days: 1 });
      const rows = emptyRows();
      const counts = generateDays(c, templates, state, from, to, seed, rows);
      if (Temporal.PlainDate.compare(to, end) === 0) {
        finalReceipt(c, templates, state, Date.parse(`${BENCH_DAY.toString()}T06:30:00Z`), c.people.length * 12, seed, rows);
      }
      for (const t of TABLES) tableRows[t]! += rows[t].length;
      // Generate the next batch while this one is copied.
      await pending;
      pending = loader.load(rows);
      doses += counts.doses;
      rowsLoaded += counts.rows;
      daysDone += from.until(to).days + 1;
      dayBar.update(daysDone, { rows: rowsLoaded.toLocaleString('en-GB'), doses: doses.toLocaleString('en-GB') });
      from = to.add({ days: 1 });
    }
  }
  await pending;
  await loader.close();
  if (raw) await raw.close();
  bars.stop();
  const loadSeconds = (performance.now() - loadStarted) / 1000;

  process.stdout.write('renewing prescriptions for the benchmark day, then ANALYZE …\n');
  db = await open(target);
  await renewPrescriptions(db, manifest, `${BENCH_DAY.toString()}T07:00:00Z`);
  if (target.kind === 'postgres') await db.query('VACUUM ANALYZE');
  else await db.query('ANALYZE');
  await db.close();
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return { manifest, doses, rows: rowsLoaded, seconds: { scaffold: scaffoldSeconds, load: loadSeconds, total: (performance.now() - started) / 1000 }, tableRows };
}

export function readManifest(path: string): Manifest | null {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Manifest) : null;
}
