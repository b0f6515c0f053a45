import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPostgres } from '../src/store/database';
import { migrate } from '../src/store/migrate';
import { postgresUnavailableReason, startPostgresCluster } from './support/postgres-cluster';

/**
 * Starts one throw-away PostgreSQL cluster for the run and a migrated template database; each
 * test file then gets its own copy of the template (CREATE DATABASE … TEMPLATE), which is much
 * faster than migrating again.
 */
export default async function setup(project: TestProject) {
  const reason = postgresUnavailableReason();
  if (reason) {
    if (process.env.OPENHAT_TEST_REQUIRE_POSTGRES === '1') {
      throw new Error(`OPENHAT_TEST_REQUIRE_POSTGRES=1 but PostgreSQL cannot be started: ${reason}`);
    }
    process.env.OPENHAT_TEST_POSTGRES_SKIPPED = reason;
    project.provide('postgresAdminUrl', null);
    return;
  }
  const cluster = await startPostgresCluster();
  const admin = new pg.Client({ connectionString: cluster.url('postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE openhat_template');
  await admin.end();
  const template = await openPostgres({ url: cluster.url('openhat_template') });
  await migrate(template);
  await template.close();
  project.provide('postgresAdminUrl', cluster.url('postgres'));
  process.env.OPENHAT_TEST_POSTGRES_VERSION = cluster.version;
  return () => cluster.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string | null;
    pgliteTemplatePath: string;
  }
}
