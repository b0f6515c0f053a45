import { z } from 'zod';
import type { App, AppContext } from '../context';
import { registerCareRecordRoutes } from './care-routes';

/**
 * Multidisciplinary review notes: the team (prescriber, nurse, keyworker, and others such as the
 * GP, mental-health or housing workers) meets about a person and records who was there, what was
 * discussed and the actions agreed. Kept as a care record, so corrections are new versions.
 */
export const MdtReviewData = z.object({
  attendees: z
    .array(z.object({ name: z.string().trim().min(1, 'must not be empty').max(120), role: z.string().trim().min(1, 'must not be empty').max(120) }))
    .min(2, 'a multidisciplinary review has at least two people')
    .max(30),
  serviceUserAttended: z.boolean(),
  notes: z.string().trim().min(1, 'must not be empty').max(10_000),
  actions: z
    .array(z.object({ action: z.string().trim().min(1, 'must not be empty').max(500), owner: z.string().trim().min(1, 'must not be empty').max(120), dueOn: z.iso.date('must be a date as YYYY-MM-DD').nullable().default(null) }))
    .max(30)
    .default([]),
});

export function registerMdtReviews(app: App, ctx: AppContext) {
  registerCareRecordRoutes(app, ctx, { kind: 'mdt_review', path: 'mdt-reviews', noun: 'multidisciplinary review', tag: 'care', data: MdtReviewData });
}
