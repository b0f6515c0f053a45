import { z } from 'zod';

/**
 * Continuity planning (issue 8): fear that funding would stop overnight kept people away. The clinic
 * records how long it is funded; from `noticeMonths` before that date openhat warns and drafts a plan
 * for each person. Peer support: the peer champions and contacts the clinic offers.
 */
export const ContinuitySettingsSchema = z.object({
  fundedUntil: z.iso.date('must be a date as YYYY-MM-DD').nullable().describe('The end of the current funding; null if open-ended'),
  noticeMonths: z.number().int().min(1).max(24),
});
export type ContinuitySettings = z.infer<typeof ContinuitySettingsSchema>;

export const DEFAULT_CONTINUITY_SETTINGS: ContinuitySettings = { fundedUntil: null, noticeMonths: 6 };

export const PeerContactSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(120),
  role: z.string().trim().min(1, 'must not be empty').max(120).describe('e.g. peer champion, mutual-aid group, advocacy'),
  contact: z.string().trim().min(1, 'must not be empty').max(200),
  availability: z.string().trim().max(200).nullable(),
});
export type PeerContact = z.infer<typeof PeerContactSchema>;
