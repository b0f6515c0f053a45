import { z } from 'zod';
import { BREAK_GLASS_REASON_MAX, BREAK_GLASS_REASON_MIN } from '../../domain/staff/break-glass';
import { Timestamp } from '../../contract/common';

/** Request and response shapes of break-glass (emergency access). */

export const BreakGlassRequestBody = z
  .object({
    recordClinicId: z.uuid('must be a clinic id (UUID)').describe('The clinic that keeps the record'),
    serviceUserId: z.uuid('must be a service user id (UUID)').optional().describe('The person, by id; or give nhsNumber'),
    nhsNumber: z
      .string()
      .trim()
      .regex(/^\d{3} ?\d{3} ?\d{4}$/, 'must be an NHS number (10 digits)')
      .optional()
      .describe('The person, by NHS number; or give serviceUserId'),
    reason: z
      .string()
      .trim()
      .min(BREAK_GLASS_REASON_MIN, `give a reason of at least ${BREAK_GLASS_REASON_MIN} characters`)
      .max(BREAK_GLASS_REASON_MAX)
      .describe('What is happening and why you need the record: shown to the clinic\'s administrators'),
  })
  .refine((b) => (b.serviceUserId === undefined) !== (b.nhsNumber === undefined), {
    message: 'give either serviceUserId or nhsNumber (one of them)',
    path: ['serviceUserId'],
  });

export const BreakGlassGrantOut = z
  .object({
    grantId: z.string(),
    recordClinicId: z.string().describe('The clinic that keeps the record'),
    serviceUserId: z.string(),
    staffId: z.string(),
    staffName: z.string().nullable(),
    fromClinicId: z.string().describe('The clinic where the member of staff holds the role that let them ask'),
    reason: z.string(),
    grantedAt: Timestamp,
    expiresAt: Timestamp,
    active: z.boolean(),
  })
  .meta({ id: 'BreakGlassGrant' });

export const BreakGlassList = z.object({ grants: z.array(BreakGlassGrantOut) });
