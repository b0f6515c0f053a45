import { z } from 'zod';

/** The service-user portal (issue 8): off unless a clinic switches it on; each person opts in as well. */
export const PortalSettingsSchema = z.object({
  enabled: z.boolean(),
  sessionMinutes: z.number().int().min(5, 'must be at least 5 minutes').max(60, 'must be at most 60 minutes'),
});
export type PortalSettings = z.infer<typeof PortalSettingsSchema>;

export const DEFAULT_PORTAL_SETTINGS: PortalSettings = { enabled: false, sessionMinutes: 15 };
