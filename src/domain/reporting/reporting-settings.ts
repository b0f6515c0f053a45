import { z } from 'zod';

/**
 * Reporting (issue 9): commissioners see aggregates only, with small numbers suppressed so that no
 * person can be recognised (NHS Digital's disclosure-control practice: counts below 5 hidden, and
 * no total from which a hidden count could be worked out).
 */
export const ReportingSettingsSchema = z.object({
  suppressionThreshold: z.number().int().min(3, 'must be at least 3 (below that a person could be recognised)').max(20, 'must be at most 20'),
});
export type ReportingSettings = z.infer<typeof ReportingSettingsSchema>;

export const DEFAULT_REPORTING_SETTINGS: ReportingSettings = { suppressionThreshold: 5 };
