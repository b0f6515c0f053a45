import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { errors } from '../../contract/common';
import { instantToDate } from '../../domain/time/clock';
import { writeBackup } from '../../store/backup';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';

/**
 * A backup of the whole deployment while the server runs: the way to back up a PGlite
 * installation without stopping it (the CLI cannot open a data folder the server holds).
 * On PGlite, other requests wait while the snapshot is read: a second or two for a clinic.
 */
export function registerDownloadBackup(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/backup',
    {
      schema: {
        summary: 'Download a backup of the whole database (openhat backup format, gzip)',
        tags: ['operations'],
        response: {
          200: z.any().describe('application/gzip: restore with `npm run openhat -- restore FILE`'),
          ...errors(401, 403),
        },
      },
    },
    async (req, reply) => {
      const now = ctx.clock.now();
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId: null, entityType: 'backup', details: { database: ctx.db.kind } });
      const stream = new PassThrough();
      writeBackup(ctx.db, stream, instantToDate(now)).catch((err: Error) => {
        req.log.error({ err }, 'backup failed');
        stream.destroy(err);
      });
      const stamp = now.toString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
      return reply
        .header('content-type', 'application/gzip')
        .header('content-disposition', `attachment; filename="openhat-${stamp}.backup"`)
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );
}
