import { z } from 'zod';
import { isSchemaCurrent } from '../../store/migrate';
import type { App, AppContext } from '../context';

const Health = z.object({ status: z.literal('ok') });
const Ready = z.object({
  status: z.enum(['ready', 'not_ready']),
  database: z.enum(['pglite', 'postgres']),
  reason: z.string().optional(),
});

/** /health: the process is alive. /ready: the database answers and its schema is current. */
export function registerHealth(app: App, ctx: AppContext) {
  app.get(
    '/health',
    { schema: { summary: 'Liveness', tags: ['operations'], response: { 200: Health } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    { schema: { summary: 'Readiness: database reachable and migrations current', tags: ['operations'], response: { 200: Ready, 503: Ready } } },
    async (_req, reply) => {
      try {
        if (!(await isSchemaCurrent(ctx.db))) {
          return reply.code(503).send({ status: 'not_ready', database: ctx.db.kind, reason: 'migrations are not current' });
        }
        return { status: 'ready' as const, database: ctx.db.kind };
      } catch (err) {
        return reply
          .code(503)
          .send({ status: 'not_ready', database: ctx.db.kind, reason: `database unreachable: ${(err as Error).message}` });
      }
    },
  );
}
