import { describe, expect, it } from 'vitest';
import { runDoseCrash } from '../support/dose-crash';
import { freshDatabaseEnv } from '../support/processes';
import { postgresSkipped, testEngine } from '../support/test-database';

/**
 * Crash safety of dose recording, in CI: the real server, concurrent nurses in three clinics taking
 * people through assessment, preparation (with the register supply) and administration, SIGKILL at
 * a random moment, five times (see test/support/dose-crash.ts). Runs once on PGlite and once on
 * PostgreSQL; `npm run test:long` runs many more kills (test/long/dose-crash.long.test.ts).
 */
const KILLS = Number(process.env.OPENHAT_CRASH_KILLS ?? 5);

describe.skipIf(postgresSkipped())(`SIGKILL during dose recording (${testEngine()})`, () => {
  it(`loses no acknowledged dose step and half-writes nothing over ${KILLS} kills`, { timeout: 600_000 }, async () => {
    const engine = testEngine();
    const env = engine === 'postgres' ? await freshDatabaseEnv() : {};
    const figures = await runDoseCrash({ engine, kills: KILLS, log: (line) => process.stdout.write(`${line}\n`), ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}) });
    const { cycles: _cycles, ...summary } = figures;
    process.stdout.write(`dose crash figures (${engine}): ${JSON.stringify(summary)}\n`);
    expect(figures.integrityFailures).toEqual([]);
    expect(figures.acknowledgedLost).toBe(0);
    expect(figures.halfWritten).toBe(0);
    expect(figures.serverErrors).toBe(0);
    // Every in-flight request that had committed was answered from the stored response on retry.
    expect(figures.inFlightCommitted).toBe(figures.inFlightCommittedBySql);
    expect(figures.kills).toBe(KILLS);
    expect(figures.stepsAcknowledged).toBeGreaterThan(KILLS);
  });
});
