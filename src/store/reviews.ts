import { and, desc, eq } from 'drizzle-orm';
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

/** Each person's latest review at the clinic. */
export async function latestReviews(orm: Orm, clinicId: string): Promise<Map<string, ReviewRow>> {
  const rows = await orm
    .selectDistinctOn([reviews.serviceUserId])
    .from(reviews)
    .where(eq(reviews.clinicId, clinicId))
    .orderBy(reviews.serviceUserId, desc(reviews.reviewedAt), desc(reviews.reviewId));
  return new Map(rows.map((r) => [r.serviceUserId, r]));
}
