import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../test/support/test-database';
import { TestApp } from '../../test/support/test-app';

const folders: string[] = [];
function webFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'openhat-web-'));
  folders.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return `${dir}/`;
}
afterAll(() => folders.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe.skipIf(postgresSkipped())('serving the web app', () => {
  it('without a build, the API and /health work and / says how to build', async () => {
    const t = await TestApp.open({}, { webDir: webFolder({}) });
    try {
      const home = await t.app.inject({ url: '/', headers: { accept: 'text/html' } });
      expect(home.statusCode).toBe(503);
      expect(home.body).toContain('npm run build:web');
      expect((await t.app.inject({ url: '/health' })).statusCode).toBe(200);
      expect((await t.app.inject({ url: '/assets/index.js' })).statusCode).toBe(404);
      // Without the app there is no client-side route to fall back to.
      expect((await t.app.inject({ url: '/today', headers: { accept: 'text/html' } })).statusCode).toBe(404);
    } finally {
      await t.close();
    }
  });

  it('with a build: the app at /, its assets cached for good, client-side routes get the app, the API stays JSON', async () => {
    const t = await TestApp.open({}, { webDir: webFolder({ 'index.html': '<!doctype html><div id="root"></div>', 'assets/index-abc.js': 'console.log(1)' }) });
    try {
      const home = await t.app.inject({ url: '/' });
      expect(home.statusCode).toBe(200);
      expect(home.body).toContain('id="root"');
      expect(home.headers['cache-control']).toBe('no-store');
      expect(home.headers['content-security-policy']).toContain("default-src 'self'");

      const asset = await t.app.inject({ url: '/assets/index-abc.js' });
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['cache-control']).toContain('immutable');
      expect((await t.app.inject({ url: '/assets/missing.js' })).statusCode).toBe(404);
      expect((await t.app.inject({ url: '/assets/../../package.json' })).statusCode).toBe(404);

      const deepLink = await t.app.inject({ url: '/people/123?tab=doses', headers: { accept: 'text/html' } });
      expect(deepLink.statusCode).toBe(200);
      expect(deepLink.body).toContain('id="root"');

      const api = await t.app.inject({ url: '/api/v1/nothing-here', headers: { accept: 'text/html' } });
      expect(api.statusCode).toBe(404);
      expect(api.json()).toMatchObject({ error: { code: 'not_found' } });
    } finally {
      await t.close();
    }
  });
});
