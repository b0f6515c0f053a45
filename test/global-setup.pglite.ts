import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openPglite } from '../src/store/database';
import { migrate } from '../src/store/migrate';

/**
 * Migrates one in-memory PGlite and saves its data folder as a tarball; each test file starts
 * its own PGlite from that tarball (about 0.5 s) instead of initdb plus migrations.
 */
export default async function setup(project: TestProject) {
  const db = await openPglite({});
  await migrate(db);
  const tarball = await db.dumpDataDir!();
  await db.close();
  const dir = join(process.cwd(), '.openhat-test');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'pglite-template.tgz');
  writeFileSync(path, Buffer.from(await tarball.arrayBuffer()));
  project.provide('pgliteTemplatePath', path);
}
