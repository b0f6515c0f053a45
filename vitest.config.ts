import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Three projects:
 * - unit: pure tests (`*.test.ts`), no database;
 * - pglite and postgres: every database-backed test (`*.int.test.ts`) runs twice, once on the
 *   embedded PGlite and once on a throw-away PostgreSQL cluster the harness starts itself.
 */
const intTests = ['src/**/*.int.test.ts', 'test/**/*.int.test.ts'];

export default defineConfig({
  test: {
    reporters: ['default', fileURLToPath(new URL('./test/postgres-summary-reporter.ts', import.meta.url))],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Vitest's default is one worker fewer than the cores: one on CI's two. Much of a database test's
    // time is spent waiting on PostgreSQL, a server child process or the browser, so two workers
    // use the two cores better (measured: README, Tests).
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...intTests, 'test/long/**', 'e2e/**', 'node_modules/**'],
        },
      },
      {
        test: {
          name: 'pglite',
          include: intTests,
          env: { OPENHAT_TEST_DB: 'pglite' },
          globalSetup: ['./test/global-setup.pglite.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          globalSetup: ['./e2e/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'postgres',
          include: intTests,
          env: { OPENHAT_TEST_DB: 'postgres' },
          globalSetup: ['./test/global-setup.postgres.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
