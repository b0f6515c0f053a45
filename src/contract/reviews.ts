import { z } from 'zod';
import { Timestamp, Uuid } from './common';
import { PrescriptionContentIn, PrescriptionVersionOut, Signature } from './prescriptions';

export const RecordReviewRequest = z.object({
  notes: z.string().trim().min(1, 'write what was reviewed').max(10_000),
  retitrationPlanned: z.boolean().default(false).describe('After an absence: the re-titration plan is in the prescription issued with this review'),
  nextReviewDue: z.iso.date().optional().describe('Defaults to today plus the person\'s review interval (7 days)'),
  prescription: z
    .object({ content: PrescriptionContentIn, effectiveFrom: Timestamp.optional(), reason: z.string().trim().min(1).max(1000) })
    .optional()
    .describe('A new prescription version, signed with this review in the same transaction'),
  signature: Signature,
});

export const ReviewOut = z.object({
  reviewId: Uuid,
  serviceUserId: Uuid,
  episodeId: Uuid,
  reviewedAt: Timestamp,
  reviewedBy: Uuid,
  notes: z.string(),
  retitrationPlanned: z.boolean(),
  nextReviewDue: z.string(),
  prescriptionVersion: z.number().int().nullable(),
});

export const RecordReviewResponse = z.object({ review: ReviewOut, prescription: PrescriptionVersionOut.nullable() });

export const DueReview = z.object({
  serviceUserId: Uuid,
  displayName: z.string(),
  state: z.string(),
  dueOn: z.string(),
  overdue: z.boolean(),
  why: z.string().describe('What makes it due: the weekly review, the prescription\'s review date, or a return from absence'),
  lastReviewedAt: Timestamp.nullable(),
  prescriptionInForce: PrescriptionVersionOut.nullable(),
  sinceLastReview: z
    .object({ prescriptionVersions: z.number().int(), absences: z.number().int() })
    .describe('Doses, refusals, missed doses, toxicology and breath results join this summary when the dosing room and monitoring are built'),
});
