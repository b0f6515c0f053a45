import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped, testEngine } from '../support/test-database';
import { TestApp } from '../support/test-app';
import { examples } from './examples';
import { emptyStats, fuzzRoutes } from './runner';
import { writeRoutes, type WriteRoute } from './routes';
import { seedWorld, type FuzzWorld } from './world';

/**
 * Property-based fuzzing of every write route (see test/fuzz/README in the main README, "Tests"):
 * every answer is a 4xx in the error shape (never a 5xx), a rejected request changes nothing in
 * the database, and an accepted one is audited. CI mode; `npm run test:long` runs many more.
 */
const RUNS = Number(process.env.OPENHAT_FUZZ_RUNS ?? 25);
const SEED = Number(process.env.OPENHAT_FUZZ_SEED ?? 20261128);

describe.skipIf(postgresSkipped())('fuzzing the write routes', () => {
  let t: TestApp;
  let world: FuzzWorld;
  let routes: WriteRoute[];
  beforeAll(async () => {
    t = await TestApp.open({ loginRateLimitPerMinute: 1_000_000 });
    world = await seedWorld(t);
    routes = writeRoutes(t.app, t.ctx);
  });
  afterAll(async () => t?.close());

  it('every write route has an example to fuzz, and every example a route', () => {
    const keys = routes.map((r) => r.key).sort();
    expect(keys.length).toBeGreaterThan(90);
    expect(keys.filter((k) => !examples[k]), 'write routes with no fuzz coverage: add them to test/fuzz/examples.ts').toEqual([]);
    expect(Object.keys(examples).filter((k) => !keys.includes(k)), 'examples for routes that do not exist').toEqual([]);
  });

  it(`${RUNS} hostile requests per route: never a 5xx, always the error shape, nothing written when refused`, async () => {
    const stats = emptyStats();
    await fuzzRoutes(world, routes, RUNS, SEED, stats);
    const summary = `fuzz (${testEngine()}): ${stats.requests} requests to ${stats.routes} write routes, seed ${SEED}; by status ${JSON.stringify(stats.byStatus)}; ${Object.keys(stats.accepted).length} accepted mutations; ${stats.problems.length} problems`;
    console.log(summary);
    expect(stats.problems).toEqual([]);
  }, 300_000);
});
