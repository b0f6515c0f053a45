import { and, eq } from 'drizzle-orm';
import type { Orm } from './database';
import { idempotencyKeys } from './schema';
import type { WriteContext } from './transaction';

export interface StoredResponse {
  requestFingerprint: string;
  statusCode: number;
  responseBody: unknown;
}

export async function findStoredResponse(
  orm: Orm,
  clinicId: string,
  staffId: string,
  key: string,
): Promise<StoredResponse | null> {
  const rows = await orm
    .select({
      requestFingerprint: idempotencyKeys.requestFingerprint,
      statusCode: idempotencyKeys.statusCode,
      responseBody: idempotencyKeys.responseBody,
    })
    .from(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.clinicId, clinicId),
        eq(idempotencyKeys.staffId, staffId),
        eq(idempotencyKeys.idempotencyKey, key),
      ),
    )
    .limit(1);
  return rows[0] ?? null;
}

/** Saved in the same transaction as the write it answers: both commit, or neither. */
export async function storeResponse(
  w: WriteContext,
  clinicId: string,
  staffId: string,
  key: string,
  response: StoredResponse,
): Promise<void> {
  await w.tx.insert(idempotencyKeys).values({
    clinicId,
    staffId,
    idempotencyKey: key,
    requestFingerprint: response.requestFingerprint,
    statusCode: response.statusCode,
    responseBody: response.responseBody,
    createdAt: w.now,
  });
}
