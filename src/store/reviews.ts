import { and, desc, eq, inArray } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Orm } from './database';
import { reviews } from './schema';
import type { WriteContext } from './transaction';

export type ReviewRow = typeof reviews.$inferSelect;

export async function insertReview(
  w: WriteContext,
  clinicId: string,
  r: { serviceUserId: string; episodeId: string; reviewedAt: Date; notes: string; retitrationPlanned: boolean; nextReviewDue: string; prescriptionVersion: number | null },
): Promise<ReviewRow> {
  const [row] = await w.tx
    .insert(reviews)
    .values({ clinicId, reviewId: uuidv7(), reviewedBy: w.actor.staffId!, ...r })
    .returning();
  await w.audit({
    clinicId,
    action: 'create',
    entityType: 'review',
    entityId: row!.reviewId,
    details: { serviceUserId: r.serviceUserId, nextReviewDue: r.nextReviewDue, prescriptionVersion: r.prescriptionVersion, retitrationPlanned: r.retitrationPlanned },
  });
  return row!;
}

export async function personReviews(orm: Orm, clinicId: string, serviceUserId: string): Promise<ReviewRow[]> {
  return orm
    .select()
    .from(reviews)
    .where(and(eq(reviews.clinicId, clinicId), eq(reviews.serviceUserId, serviceUserId)))
    .orderBy(desc(reviews.reviewedAt));
}

/** personReviews for several people in one query: each person's reviews, newest first. */
export async function peopleReviews(orm: Orm, clinicId: string, serviceUserIds: readonly string[]): Promise<Map<string, ReviewRow[]>> {
  const out = new Map<string, ReviewRow[]>(serviceUserIds.map((id) => [id, []]));
  if (serviceUserIds.length === 0) return out;
  const rows = await orm
    .select()
    .from(reviews)
    .where(and(eq(reviews.clinicId, clinicId), inArray(reviews.serviceUserId, [...serviceUserIds])))
    .orderBy(desc(reviews.reviewedAt));
  for (const r of rows) out.get(r.serviceUserId)?.push(r);
  return out;
}

/** Each person's latest review at the clinic. */
export async function latestReviews(orm: Orm, clinicId: string): Promise<Map<string, ReviewRow>> {
  const rows = await orm
    .selectDistinctOn([reviews.serviceUserId])
    .from(reviews)
    .where(eq(reviews.clinicId, clinicId))
    .orderBy(reviews.serviceUserId, desc(reviews.reviewedAt), desc(reviews.reviewId));
  return new Map(rows.map((r) => [r.serviceUserId, r]));
}
