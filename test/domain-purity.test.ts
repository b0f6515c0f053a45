import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The lint rule that keeps src/domain pure really does fire (npm test runs ESLint on the code). */
describe('domain purity lint rule', () => {
  const eslint = new ESLint();
  const lint = async (code: string) => {
    const [result] = await eslint.lintText(code, { filePath: 'src/domain/clinic/example.ts' });
    return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  };

  it.each([
    "import { readFileSync } from 'node:fs';",
    "import { createServer } from 'http';",
    "import pg from 'pg';",
    "import { PGlite } from '@electric-sql/pglite';",
    "import { eq } from 'drizzle-orm';",
    "import pino from 'pino';",
    "import Fastify from 'fastify';",
    "import { openDatabase } from '../../store/open';",
    "import { buildApp } from '../../server/app';",
    "import { run } from '../../cli/openhat';",
    "import { App } from '../../web/App';",
  ])('refuses %s', async (line) => {
    expect(await lint(`${line}\nexport const x = 1;\n`)).not.toEqual([]);
  });

  it('allows other domain code and pure libraries', async () => {
    expect(
      await lint("import { z } from 'zod';\nimport { Temporal } from 'temporal-polyfill';\nimport { ROLES } from '../staff/roles';\nexport const x = [z, Temporal, ROLES];\n"),
    ).toEqual([]);
  });
});
