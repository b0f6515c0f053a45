/**
 * When a person's next prescriber review falls due, and why. The study's service had a weekly
 * doctor's review; a prescription's own review date, or a return from an absence, can bring it
 * forward, so the soonest of these wins.
 */
export interface ReviewDueFacts {
  /** Clinic date (YYYY-MM-DD) today. */
  today: string;
  /** The "next review due" date the last review set, if there has been a review. */
  lastReviewNextDue: string | null;
  /** Clinic date treatment (induction) started, for the first review. */
  inductionDate: string;
  reviewIntervalDays: number;
  /** The review date on the prescription in force, if it is active. */
  prescriptionReviewDate: string | null;
  /**
   * A review has been recorded since that prescription was signed: the prescriber has looked at it
   * and set the next date themselves, so its own review date no longer governs.
   */
  reviewedSincePrescription: boolean;
  /** The episode says a review is needed before any dose (e.g. back from an absence). */
  reviewRequired: boolean;
}

export interface ReviewDue {
  on: string;
  why: string;
  overdue: boolean;
  /** Due today or overdue. */
  dueNow: boolean;
}

const addDays = (isoDate: string, days: number): string => {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
};

export function reviewDue(f: ReviewDueFacts): ReviewDue {
  const candidates: { on: string; why: string }[] = [
    f.lastReviewNextDue !== null
      ? { on: f.lastReviewNextDue, why: 'weekly review' }
      : { on: addDays(f.inductionDate, f.reviewIntervalDays), why: 'first review since induction' },
  ];
  if (f.prescriptionReviewDate !== null && !f.reviewedSincePrescription) candidates.push({ on: f.prescriptionReviewDate, why: "the prescription's review date" });
  if (f.reviewRequired) candidates.push({ on: f.today, why: 'returned from an absence: review and re-titration before any dose' });
  // Stable sort: on a tie the earlier-listed reason (the regular review) names it.
  const soonest = [...candidates].sort((a, b) => a.on.localeCompare(b.on))[0]!;
  return { ...soonest, overdue: soonest.on < f.today, dueNow: soonest.on <= f.today };
}
