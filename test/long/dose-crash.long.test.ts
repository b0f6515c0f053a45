import { mkdirSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { runDoseCrash, type CrashFigures } from '../support/dose-crash';
import { postgresUnavailableReason, startPostgresCluster } from '../support/postgres-cluster';

/**
 * The long run of the dose-recording crash test (test/support/dose-crash.ts): many SIGKILLs during
 * concurrent dose recording, on PGlite and on PostgreSQL. OPENHAT_CRASH_KILLS sets the kills per
 * engine (default 30). Figures go to bench/results/crash-pglite.json and crash-postgres.json.
 */
const KILLS = Number(process.env.OPENHAT_CRASH_KILLS ?? 30);
const log = (line: string) => process.stdout.write(`${line}\n`);

function record(engine: string, figures: CrashFigures) {
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(`bench/results/crash-${engine}.json`, `${JSON.stringify({ machine: `${process.platform} ${process.arch}, Node ${process.version}`, ...figures }, null, 2)}\n`);
  const { cycles: _c, ...summary } = figures;
  log(`dose crash figures (${engine}): ${JSON.stringify(summary)}`);
}

function expectSafe(figures: CrashFigures) {
  expect(figures.integrityFailures).toEqual([]);
  expect(figures.acknowledgedLost).toBe(0);
  expect(figures.halfWritten).toBe(0);
  expect(figures.serverErrors).toBe(0);
  expect(figures.inFlightCommitted).toBe(figures.inFlightCommittedBySql);
}

describe('SIGKILL during dose recording, long run', () => {
  it(`PGlite: ${KILLS} kills`, async () => {
    const figures = await runDoseCrash({ engine: 'pglite', kills: KILLS, log });
    record('pglite', figures);
    expectSafe(figures);
  });

  it.skipIf(postgresUnavailableReason() !== null)(`PostgreSQL: ${KILLS} kills`, async () => {
    const cluster = await startPostgresCluster();
    try {
      const admin = new pg.Client({ connectionString: cluster.url('postgres') });
      await admin.connect();
      await admin.query('CREATE DATABASE dose_crash');
      await admin.end();
      const figures = await runDoseCrash({ engine: 'postgres', kills: KILLS, databaseUrl: cluster.url('dose_crash'), log });
      record('postgres', { ...figures, engine: `${figures.engine}, ${cluster.version}` });
      expectSafe(figures);
    } finally {
      cluster.stop();
    }
  });
});
