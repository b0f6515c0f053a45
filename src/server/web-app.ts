import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { z } from 'zod';
import type { App } from './context';

/** The built web app; OPENHAT_WEB_DIR points elsewhere (developers building side by side, e.g. for browser tests). */
export const WEB_DIR = process.env.OPENHAT_WEB_DIR ? `${process.env.OPENHAT_WEB_DIR.replace(/\/$/, '')}/` : fileURLToPath(new URL('../../dist/web/', import.meta.url));

/**
 * The staff web app, built into dist/web by `npm install`. The server never builds it, so it
 * starts in seconds; without a build the API and /health still work and / says how to build.
 */
export async function installWebApp(app: App, dir = WEB_DIR): Promise<boolean> {
  const built = existsSync(`${dir}index.html`);
  // cacheControl off: the routes below set it, so index.html is never cached and hashed assets are cached for good.
  if (built) await app.register(fastifyStatic, { root: dir, serve: false, cacheControl: false });

  app.get(
    '/',
    { schema: { summary: 'The staff web app (or how to build it)', tags: ['operations'], response: { 200: z.any(), 503: z.any() } } },
    async (_req, reply) =>
      built
        ? reply.header('cache-control', 'no-store').sendFile('index.html')
        : reply
            .code(503)
            .type('text/html; charset=utf-8')
            .send('<!doctype html><title>openhat</title><p>The openhat API is running (<a href="/api/openapi.json">/api/openapi.json</a>), but the web app has not been built. Run <code>npm run build:web</code> (or <code>npm install</code>), then reload.</p>'),
  );

  app.get(
    '/assets/*',
    { schema: { summary: 'The web app\'s built files', tags: ['operations'], response: { 200: z.any(), 404: z.any() } } },
    async (req, reply) => {
      if (!built) return reply.code(404).send({ error: { code: 'not_found', message: 'The web app has not been built' } });
      const file = (req.params as { '*': string })['*'];
      return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(`assets/${file}`);
    },
  );
  return built;
}
