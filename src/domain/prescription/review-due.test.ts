import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { reviewDue, type ReviewDueFacts } from './review-due';

const base: ReviewDueFacts = {
  today: '2026-03-10',
  lastReviewNextDue: null,
  inductionDate: '2026-03-01',
  reviewIntervalDays: 7,
  prescriptionReviewDate: null,
  reviewRequired: false,
  reviewedSincePrescription: false,
};

describe('reviewDue', () => {
  it('first review falls a review interval after induction', () => {
    expect(reviewDue(base)).toEqual({ on: '2026-03-08', why: 'first review since induction', overdue: true, dueNow: true });
    expect(reviewDue({ ...base, inductionDate: '2026-03-05' })).toMatchObject({ on: '2026-03-12', overdue: false, dueNow: false });
  });

  it('crosses month and year ends', () => {
    expect(reviewDue({ ...base, inductionDate: '2026-12-28' }).on).toBe('2027-01-04');
    expect(reviewDue({ ...base, inductionDate: '2028-02-25' }).on).toBe('2028-03-03');
  });

  it('after a review, the date it set', () => {
    expect(reviewDue({ ...base, lastReviewNextDue: '2026-03-10' })).toEqual({ on: '2026-03-10', why: 'weekly review', overdue: false, dueNow: true });
  });

  it("an earlier prescription review date brings it forward; a later one does not", () => {
    expect(reviewDue({ ...base, lastReviewNextDue: '2026-03-14', prescriptionReviewDate: '2026-03-12' }).why).toBe("the prescription's review date");
    expect(reviewDue({ ...base, lastReviewNextDue: '2026-03-14', prescriptionReviewDate: '2026-03-20' }).why).toBe('weekly review');
  });

  it("a review after the prescription was signed answers the prescription's review date", () => {
    expect(reviewDue({ ...base, lastReviewNextDue: '2026-03-17', prescriptionReviewDate: '2026-03-09', reviewedSincePrescription: true })).toMatchObject({ on: '2026-03-17', dueNow: false });
  });

  it('a return from absence makes it due today', () => {
    expect(reviewDue({ ...base, lastReviewNextDue: '2026-03-14', reviewRequired: true })).toMatchObject({ on: '2026-03-10', dueNow: true, overdue: false });
  });

  it('is never later than any of its reasons', () => {
    const day = fc.integer({ min: 0, max: 800 }).map((n) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, fc.option(day, { nil: null }), day, fc.integer({ min: 1, max: 28 }), fc.option(day, { nil: null }), fc.boolean(), fc.boolean(), (today, last, induction, interval, rxDate, required, reviewedSince) => {
        const due = reviewDue({ today, lastReviewNextDue: last, inductionDate: induction, reviewIntervalDays: interval, prescriptionReviewDate: rxDate, reviewRequired: required, reviewedSincePrescription: reviewedSince });
        if (last !== null) expect(due.on <= last).toBe(true);
        if (rxDate !== null && !reviewedSince) expect(due.on <= rxDate).toBe(true);
        if (required) expect(due.dueNow).toBe(true);
        expect(due.dueNow).toBe(due.on <= today);
        expect(due.overdue).toBe(due.on < today);
      }),
    );
  });
});
