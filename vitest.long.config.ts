import { defineConfig } from 'vitest/config';

/** `npm run test:long`: crash, fuzz and load runs that are too slow for every CI run. */
export default defineConfig({
  test: {
    include: ['test/long/**/*.long.test.ts'],
    testTimeout: 60 * 60 * 1000,
    hookTimeout: 120_000,
    env: { OPENHAT_TEST_DB: 'pglite' },
  },
});
