import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { findStoredResponse, storeResponse } from '../store/idempotency';
import { inTransaction, type WriteContext } from '../store/transaction';
import type { AppContext } from './context';
import { ApiError, badRequest, sqlState } from './errors';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

function fingerprint(req: FastifyRequest): string {
  return createHash('sha256')
    .update(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`)
    .digest('hex');
}

/** Responses are stored as JSON, so the first answer and a replay are byte-for-byte the same. */
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * Runs a write as one audited transaction and sends its answer. With an Idempotency-Key header
 * (clinic routes), the answer is stored in the same transaction; a retry with the same key and
 * body gets the stored answer and writes nothing, and the same key with a different body is
 * refused. Two concurrent requests with one key cannot both write: the key's primary key lets
 * only one commit, and the other then replays it.
 */
export async function sendWrite<T>(
  ctx: AppContext,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  work: (w: WriteContext) => Promise<T>,
): Promise<FastifyReply> {
  const key = req.headers[IDEMPOTENCY_HEADER];
  if (key === undefined) {
    const body = await inTransaction(ctx.db, ctx.clock, req.actor, work);
    return reply.code(status).send(asJson(body));
  }
  if (typeof key !== 'string' || key.length < 8 || key.length > 200) {
    throw badRequest('Idempotency-Key', 'must be one string of 8 to 200 characters (a UUID is ideal)');
  }
  const clinicId = (req.params as { clinicId?: string }).clinicId;
  const staffId = req.auth?.staff.staffId;
  if (!clinicId || !staffId) {
    throw badRequest('Idempotency-Key', 'is supported on clinic routes only');
  }
  const print = fingerprint(req);
  const replay = async (): Promise<FastifyReply | null> => {
    const stored = await findStoredResponse(ctx.db.orm, clinicId, staffId, key);
    if (!stored) return null;
    if (stored.requestFingerprint !== print) {
      throw new ApiError(
        422,
        'idempotency_key_reused',
        'This Idempotency-Key was already used for a different request; use a new key for a new request',
        'Idempotency-Key',
      );
    }
    return reply.code(stored.statusCode).header('idempotent-replayed', 'true').send(stored.responseBody);
  };

  const earlier = await replay();
  if (earlier) return earlier;
  try {
    const body = await inTransaction(ctx.db, ctx.clock, req.actor, async (w) => {
      const result = asJson(await work(w));
      await storeResponse(w, clinicId, staffId, key, { requestFingerprint: print, statusCode: status, responseBody: result });
      return result;
    });
    return reply.code(status).send(body);
  } catch (err) {
    if (sqlState(err) === '23505') {
      const concurrent = await replay();
      if (concurrent) return concurrent;
    }
    throw err;
  }
}
