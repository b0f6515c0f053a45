import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * src/domain holds the rules that protect lives; it stays pure so that every rule can be tested
 * exhaustively and no route, job or screen can work around it. It may import only other domain
 * code and pure libraries (zod, temporal-polyfill).
 */
const domainMayNotImport = {
  patterns: [
    { group: ['**/store', '**/store/**', '**/server', '**/server/**', '**/web', '**/web/**', '**/cli', '**/cli/**', '**/contract/**'], message: 'src/domain must not depend on outer layers.' },
    { group: ['node:*'], message: 'src/domain must not do I/O: no Node built-ins.' },
    { group: ['fs', 'fs/*', 'http', 'https', 'net', 'child_process', 'os', 'path', 'crypto', 'worker_threads', 'stream'], message: 'src/domain must not do I/O.' },
    { group: ['pg', 'pg-*', '@electric-sql/*', 'drizzle-orm', 'drizzle-orm/*', 'pino', 'pino-*', 'fastify', 'fastify-*', '@fastify/*', 'argon2', 'react', 'react-*', '@mantine/*'], message: 'src/domain must not import I/O or framework libraries.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', '.openhat-test/', 'coverage/', 'postcss.config.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', crypto: 'readonly', Blob: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', SharedArrayBuffer: 'readonly', Atomics: 'readonly', Int32Array: 'readonly', NodeJS: 'readonly', structuredClone: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.property.name='only']", message: 'Do not commit .only tests.' }],
    },
  },
  {
    files: ['src/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { document: 'readonly', window: 'readonly', localStorage: 'readonly', EventSource: 'readonly', fetch: 'readonly', btoa: 'readonly', File: 'readonly', React: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Intl: 'readonly', URLSearchParams: 'readonly' } },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', domainMayNotImport] },
  },
);
