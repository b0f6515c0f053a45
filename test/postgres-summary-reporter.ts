import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints the one line that CI logs show, saying whether the database tests also ran against a
 * real PostgreSQL server: `openhat-test: postgresql=ran (N tests)` or `=skipped (reason)`.
 */
export default class PostgresSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const skippedReason = process.env.OPENHAT_TEST_POSTGRES_SKIPPED;
    let ran = 0;
    let failed = 0;
    let projectSeen = false;
    for (const module of testModules) {
      if (module.project.name !== 'postgres') continue;
      projectSeen = true;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') ran++;
        if (state === 'failed') {
          ran++;
          failed++;
        }
      }
    }
    let line: string;
    if (skippedReason) line = `openhat-test: postgresql=skipped (${skippedReason})`;
    else if (!projectSeen) line = 'openhat-test: postgresql=skipped (no database tests selected)';
    else if (ran === 0) line = 'openhat-test: postgresql=skipped (no test ran against PostgreSQL)';
    else {
      const version = process.env.OPENHAT_TEST_POSTGRES_VERSION ?? 'PostgreSQL';
      line = `openhat-test: postgresql=ran (${ran} tests${failed ? `, ${failed} failed` : ''}; ${version})`;
    }
    let e2e = 0;
    let e2eSeen = false;
    for (const module of testModules) {
      if (module.project.name !== 'e2e') continue;
      e2eSeen = true;
      for (const test of module.children.allTests()) if (['passed', 'failed'].includes(test.result().state)) e2e++;
    }
    const e2eSkipped = process.env.OPENHAT_TEST_E2E_SKIPPED;
    const e2eLine = e2eSkipped
      ? `openhat-test: e2e=skipped (${e2eSkipped})`
      : e2eSeen && e2e > 0
        ? `openhat-test: e2e=ran (${e2e} browser tests in Chromium)`
        : e2eSeen
          ? 'openhat-test: e2e=skipped (no browser test ran)'
        : 'openhat-test: e2e=skipped (no browser tests selected)';
    process.stdout.write(`\n${line}\n${e2eLine}\n`);
  }
}
