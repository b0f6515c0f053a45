import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../test/support/test-database';
import { TestApp } from '../../test/support/test-app';
import { WEB_DIR } from './web-app';

function directives(header: string | string[] | number | undefined): Map<string, string> {
  return new Map(
    String(header)
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...values] = d.split(/\s+/);
        return [name!, values.join(' ')] as const;
      }),
  );
}

describe.skipIf(postgresSkipped())('Content-Security-Policy and other security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  it('sends a strict policy on the web app and on the API, signed in or not', async () => {
    const clinic = await t.newClinic();
    for (const [client, url] of [
      [t.client(), '/'],
      [t.client(), '/health'],
      [t.client(), '/api/v1/auth/session'],
      [clinic.admin.client, clinic.url('/service-users')],
      [t.client(), '/api/v1/portal/session'],
    ] as const) {
      const res = await client.get(url, { accept: 'text/html,application/json' });
      const csp = directives(res.headers['content-security-policy']);
      expect(csp.get('default-src'), url).toBe("'self'");
      expect(csp.get('script-src'), url).toBe("'self'");
      expect(csp.get('script-src-attr'), url).toBe("'none'");
      expect(csp.get('object-src'), url).toBe("'none'");
      expect(csp.get('base-uri'), url).toBe("'self'");
      expect(csp.get('frame-ancestors'), url).toBe("'none'");
      expect(csp.get('form-action'), url).toBe("'self'");
      expect(csp.get('style-src'), url).toBe("'self' 'unsafe-inline'");
      expect(csp.get('connect-src'), url).toBe("'self'");
      // Nothing anywhere lets a script run from another origin, inline or through eval.
      for (const [name, value] of csp) expect(value, `${url} ${name}`).not.toMatch(/unsafe-eval|\*|https?:/);
      expect(csp.get('script-src') ?? '', url).not.toContain('unsafe-inline');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('SAMEORIGIN');
    }
  });
});

describe('the built web app', () => {
  const built = existsSync(`${WEB_DIR}index.html`);

  it.skipIf(!built)('has no inline script: every <script> has a src on this origin', () => {
    const html = readFileSync(`${WEB_DIR}index.html`, 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/assets\/[^"]+\.js"/);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+=/i); // no inline event handlers either
  });

  it.skipIf(!built)('its scripts do not use eval or new Function', () => {
    const assets = `${WEB_DIR}assets/`;
    for (const file of readdirSync(assets).filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(`${assets}${file}`, 'utf8');
      expect(code, file).not.toMatch(/\beval\(/);
    }
  });
});
