import { z } from 'zod';

/**
 * Take-home doses for stable service users (issue 8): off unless a clinic switches them on. The
 * stability criteria a prescriber checks are the clinic's, with these defaults (openhat's reading of
 * UK practice for take-home opioid treatment; no national HAT standard exists — see
 * docs/clinical-defaults.md). A criterion can be switched off, never loosened past its floor.
 */
export const TakeHomeSettingsSchema = z.object({
  enabled: z.boolean().describe('Take-home doses at this clinic at all (off by default)'),
  maxDaysPerSupply: z.number().int().min(1, 'must be at least 1 day').max(14, 'must be at most 14 days'),
  criteria: z.object({
    minWeeksInTreatment: z.number().int().min(4, 'must be at least 4 weeks').max(104),
    noIntoxicationRefusalWeeks: z.number().int().min(1).max(52).describe('Weeks with no dose refused for sedation, intoxication or alcohol'),
    streetHeroinNegativeWeeks: z.number().int().min(1).max(52).describe('Weeks of toxicology negative for street heroin'),
    noMissedDoseWeeks: z.number().int().min(1).max(52),
    lockableBoxRequired: z.boolean(),
    childrenConsideredRequired: z.boolean(),
  }),
});
export type TakeHomeSettings = z.infer<typeof TakeHomeSettingsSchema>;

export const DEFAULT_TAKE_HOME_SETTINGS: TakeHomeSettings = {
  enabled: false,
  maxDaysPerSupply: 7,
  criteria: {
    minWeeksInTreatment: 12,
    noIntoxicationRefusalWeeks: 12,
    streetHeroinNegativeWeeks: 8,
    noMissedDoseWeeks: 4,
    lockableBoxRequired: true,
    childrenConsideredRequired: true,
  },
};
