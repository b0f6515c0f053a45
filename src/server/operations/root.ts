import { z } from 'zod';
import type { App } from '../context';

const About = z.object({
  name: z.literal('openhat'),
  description: z.string(),
  api: z.string(),
  openapi: z.string(),
  health: z.string(),
});

/** Until the web app is built (issue 6), / says where the API is. */
export function registerRoot(app: App) {
  app.get(
    '/',
    { schema: { summary: 'About this server', tags: ['operations'], response: { 200: About } } },
    async () => ({
      name: 'openhat' as const,
      description: 'Clinical system for Heroin-Assisted Treatment clinics',
      api: '/api/v1',
      openapi: '/api/openapi.json',
      health: '/health',
    }),
  );
}
