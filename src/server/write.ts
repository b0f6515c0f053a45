import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { findStoredResponse, storeResponse } from '../store/idempotency';
import { inTransaction, type WriteContext } from '../store/transaction';
import type { App, AppContext } from './context';
import { ApiError, badRequest } from './errors';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

/**
 * Idempotent writes. A write sent with an Idempotency-Key header stores its answer in the same
 * transaction as the write itself. A retry with the same key and body is answered from the store
 * before the handler runs, so it writes nothing; the same key with a different body is refused.
 * If two requests with one key race, only one can commit (the key is a primary key); the other
 * fails, and is then answered with the winner's stored answer instead of its own error.
 */

interface KeyedRequest {
  key: string;
  clinicId: string;
  staffId: string;
  fingerprint: string;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function keyedRequest(req: FastifyRequest): KeyedRequest | null {
  const key = req.headers[IDEMPOTENCY_HEADER];
  if (key === undefined || !WRITE_METHODS.has(req.method)) return null;
  if (typeof key !== 'string' || key.length < 8 || key.length > 200) {
    throw badRequest('Idempotency-Key', 'must be one string of 8 to 200 characters (a UUID is ideal)');
  }
  const clinicId = (req.params as { clinicId?: string } | undefined)?.clinicId?.toLowerCase();
  const staffId = req.auth?.staff.staffId;
  if (!clinicId || !staffId) throw badRequest('Idempotency-Key', 'is supported on clinic routes only');
  const fingerprint = createHash('sha256')
    .update(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`)
    .digest('hex');
  return { key, clinicId, staffId, fingerprint };
}

/** Answer from the stored response, if there is one. Returns whether it answered. */
async function replay(ctx: AppContext, keyed: KeyedRequest, reply: FastifyReply): Promise<boolean> {
  const stored = await findStoredResponse(ctx.db.orm, keyed.clinicId, keyed.staffId, keyed.key);
  if (!stored) return false;
  if (stored.requestFingerprint !== keyed.fingerprint) {
    throw new ApiError(
      422,
      'idempotency_key_reused',
      'This Idempotency-Key was already used for a different request; use a new key for a new request',
      'Idempotency-Key',
    );
  }
  await reply.code(stored.statusCode).header('idempotent-replayed', 'true').send(stored.responseBody);
  return true;
}

export function installIdempotency(app: App, ctx: AppContext): void {
  app.addHook('preHandler', async (req, reply) => {
    const keyed = keyedRequest(req);
    if (keyed) await replay(ctx, keyed, reply);
  });
}

/** Called by the error handler: a request that lost a race with its own retry gets the winner's answer. */
export async function replayAfterFailure(ctx: AppContext, req: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  let keyed: KeyedRequest | null;
  try {
    keyed = keyedRequest(req);
  } catch {
    return false;
  }
  return keyed ? replay(ctx, keyed, reply) : false;
}

/** Responses are stored as JSON, so the first answer and a replay are the same. */
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Run a write as one audited transaction (storing its answer under the Idempotency-Key, if any) and send the answer. */
export async function sendWrite<T>(
  ctx: AppContext,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  work: (w: WriteContext) => Promise<T>,
): Promise<FastifyReply> {
  const keyed = keyedRequest(req);
  const body = await inTransaction(ctx.db, ctx.clock, req.actor, async (w) => {
    const result = asJson(await work(w));
    if (keyed) {
      await storeResponse(w, keyed.clinicId, keyed.staffId, keyed.key, {
        requestFingerprint: keyed.fingerprint,
        statusCode: status,
        responseBody: result,
      });
    }
    return result;
  });
  return reply.code(status).send(body);
}
