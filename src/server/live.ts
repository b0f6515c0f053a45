import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { ClinicParams, errors } from '../contract/common';
import type { App, AppContext } from './context';
import { clinicIdOf } from './clinic-output';

/**
 * Live updates for everyone in the room: after any successful write on a clinic route, the
 * clinic's open event streams (server-sent events) are told what changed, and screens refetch.
 * In one process this is an in-memory bus; several processes on one PostgreSQL would need LISTEN/NOTIFY.
 */
const bus = new EventEmitter();
bus.setMaxListeners(0);

export function installLiveUpdates(app: App, _ctx: AppContext): void {
  const open = new Set<ServerResponse>();

  app.addHook('onResponse', async (req, reply) => {
    if (req.method === 'GET' || reply.statusCode >= 400) return;
    const clinicId = (req.params as { clinicId?: string } | undefined)?.clinicId;
    if (!clinicId) return;
    const path = (req.routeOptions.url ?? '').replace('/api/v1/clinics/:clinicId', '');
    bus.emit(clinicId.toLowerCase(), { path, at: new Date().toISOString() });
  });

  app.addHook('preClose', async () => {
    for (const res of open) res.end();
  });

  app.get(
    '/api/v1/clinics/:clinicId/events',
    {
      schema: {
        summary: 'Server-sent events: a message whenever something at the clinic changes (screens then refetch)',
        tags: ['live'],
        params: ClinicParams,
        querystring: z.object({ once: z.enum(['1']).optional().describe('Send the greeting and end (a check that the stream is reachable)') }),
        response: { 200: z.string().describe('text/event-stream'), ...errors(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(': connected\n\n');
      if ((req.query as { once?: string }).once) {
        res.end();
        return;
      }
      const send = (change: unknown) => res.write(`event: change\ndata: ${JSON.stringify(change)}\n\n`);
      bus.on(clinicId, send);
      open.add(res);
      const ping = setInterval(() => res.write(': ping\n\n'), 25_000);
      ping.unref();
      req.raw.on('close', () => {
        clearInterval(ping);
        bus.off(clinicId, send);
        open.delete(res);
      });
    },
  );
}
