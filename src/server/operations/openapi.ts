import { z } from 'zod';
import type { App } from '../context';

export function registerOpenApi(app: App) {
  app.get(
    '/api/openapi.json',
    {
      schema: {
        summary: 'This API, described in OpenAPI 3.1',
        tags: ['operations'],
        response: { 200: z.record(z.string(), z.unknown()) },
      },
    },
    async () => app.swagger() as unknown as Record<string, unknown>,
  );
}
