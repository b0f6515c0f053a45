import { z } from 'zod';
import { isSchemaCurrent } from '../../store/migrate';
import type { App, AppContext } from '../context';
import { backupStatusFor } from '../backup-scheduler';

const Health = z.object({
  status: z.literal('ok'),
  backups: z
    .object({
      state: z.enum(['ok', 'failing', 'none_yet']),
      running: z.boolean(),
      lastSuccessAt: z.string().nullable(),
      lastFailureAt: z.string().nullable(),
      failuresInARow: z.number().int(),
      nextDueAt: z.string(),
      waitingFor: z.string().nullable().describe('PGlite: a due backup waits for the dosing session named here to end'),
    })
    .optional()
    .describe('Scheduled backups (when OPENHAT_BACKUP_DIR is set): "failing" after a failed backup until one succeeds; the error is in the log'),
});
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
    async () => {
      const backups = backupStatusFor(ctx.db);
      if (!backups) return { status: 'ok' as const };
      const { lastFile: _file, lastError: _error, ...shown } = backups;
      return { status: 'ok' as const, backups: shown };
    },
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
