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
    process.stdout.write(`\n${line}\n`);
  }
}
