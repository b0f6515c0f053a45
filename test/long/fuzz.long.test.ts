import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openPglite } from '../../src/store/database';
import { migrate } from '../../src/store/migrate';
import { TestApp } from '../support/test-app';
import { emptyStats, fuzzRoutes } from '../fuzz/runner';
import { writeRoutes } from '../fuzz/routes';
import { seedWorld } from '../fuzz/world';
const RESULTS_DIR = new URL('../../bench/results', import.meta.url).pathname;

/**
 * The write-route fuzzer at length (`npm run test:long`): OPENHAT_FUZZ_RUNS mutations per route
 * (default 400) for each of OPENHAT_FUZZ_SEEDS seeds (default 3), each seed on a fresh database.
 * The same checks as test/fuzz/write-routes.int.test.ts; the figures go to bench/results/fuzz-long-pglite.json.
 */
const RUNS = Number(process.env.OPENHAT_FUZZ_RUNS ?? 400);
const SEEDS = Number(process.env.OPENHAT_FUZZ_SEEDS ?? 3);
const FIRST_SEED = Number(process.env.OPENHAT_FUZZ_SEED ?? 1);

describe('fuzzing the write routes at length', () => {
  it(`${RUNS} hostile requests per route × ${SEEDS} seeds: never a 5xx, nothing written when refused`, async () => {
    const stats = emptyStats();
    for (let seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
      const db = await openPglite({});
      await migrate(db);
      const t = await TestApp.on(db, { loginRateLimitPerMinute: 1_000_000 });
      try {
        const world = await seedWorld(t);
        await fuzzRoutes(world, writeRoutes(t.app, t.ctx), RUNS, seed, stats);
      } finally {
        await t.close();
      }
    }
    const summary = `long fuzz (pglite): ${stats.requests} requests to the write routes (${RUNS} per route × ${SEEDS} seeds from ${FIRST_SEED}); by status ${JSON.stringify(stats.byStatus)}; ${stats.problems.length} problems`;
    console.log(summary);
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(`${RESULTS_DIR}/fuzz-long-pglite.json`, JSON.stringify({ measuredAt: new Date().toISOString(), summary, ...stats }, null, 1));
    expect(stats.problems).toEqual([]);
  });
});
