import { Temporal } from 'temporal-polyfill';
import { refuse } from '../../domain/refusal';
import type { StoredPrescriptionVersion } from '../../store/prescriptions';
import { insertReview, type ReviewRow } from '../../store/reviews';
import type { StaffRow } from '../../store/staff';
import type { WriteContext } from '../../store/transaction';
import { badRequest, refused } from '../errors';
import { recordEpisodeEvent } from './episode-workflow';
import type { PersonState } from './person';
import { signPrescription, type PrescribingContent } from './prescription-workflow';

export interface ReviewRequest {
  notes: string;
  retitrationPlanned: boolean;
  nextReviewDue?: string;
  prescription?: { content: PrescribingContent; effectiveFrom: Temporal.Instant; reason: string };
}

/**
 * A prescriber's review: the review, its step in the episode and any new prescription version
 * commit together. After an absence, the re-titration plan must come with the review as a
 * prescription (checked as for someone starting fresh), or the review cannot clear the lock.
 */
export async function recordReview(
  w: WriteContext,
  person: PersonState,
  reviewer: StaffRow,
  request: ReviewRequest,
): Promise<{ review: ReviewRow; prescription: StoredPrescriptionVersion | null }> {
  const now = Temporal.Instant.fromEpochMilliseconds(w.now.getTime());
  const episode = person.episode;
  if (!episode) throw refused([refuse('not_in_treatment', 'This person has no treatment episode to review')]);
  const needsRetitration = episode.episode.retitrationRequired || person.missed.retitrationLocked;
  if (needsRetitration && request.retitrationPlanned && !request.prescription) {
    throw refused([
      refuse(
        'retitration_plan_required',
        'After an absence or missed doses the re-titration plan is a new prescription starting at or below the first-dose limit: issue it with this review',
        'prescription',
      ),
    ]);
  }
  const nextReviewDue =
    request.nextReviewDue ?? Temporal.PlainDate.from(person.today).add({ days: person.record.record.reviewIntervalDays }).toString();
  if (nextReviewDue <= person.today) throw badRequest('nextReviewDue', 'must be after today');

  const prescription = request.prescription
    ? await signPrescription(w, person, reviewer, { content: request.prescription.content, effectiveFrom: request.prescription.effectiveFrom, reason: request.prescription.reason })
    : null;
  await recordEpisodeEvent(w, person, reviewer, { type: 'review_recorded', retitrationPlanned: request.retitrationPlanned }, now);
  const review = await insertReview(w, person.clinicId, {
    serviceUserId: person.serviceUserId,
    episodeId: episode.episodeId,
    reviewedAt: w.now,
    notes: request.notes,
    retitrationPlanned: request.retitrationPlanned,
    nextReviewDue,
    prescriptionVersion: prescription?.version ?? null,
  });
  return { review, prescription };
}
