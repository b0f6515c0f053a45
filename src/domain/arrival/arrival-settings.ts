import { z } from 'zod';

/**
 * Arrival slots and separate waiting areas (issue 8): the study's service users relapsed after
 * meeting people still using in a shared waiting room. Each session is divided into slots with a
 * capacity; waiting areas have a capacity and a purpose (e.g. "people stopping street drugs").
 */
export const WaitingAreaSchema = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]{0,29}$/, 'must be snake_case, e.g. quiet_room'),
  name: z.string().trim().min(1, 'must not be empty').max(60),
  capacity: z.number().int().min(1, 'must be at least 1').max(50),
  purpose: z.string().trim().max(200).nullable(),
});
export type WaitingArea = z.infer<typeof WaitingAreaSchema>;

export const ArrivalSettingsSchema = z.object({
  slotsEnabled: z.boolean(),
  slotMinutes: z.number().int().min(5, 'must be at least 5 minutes').max(120),
  peoplePerSlot: z.number().int().min(1).max(20),
  waitingAreas: z.array(WaitingAreaSchema).max(10),
});
export type ArrivalSettings = z.infer<typeof ArrivalSettingsSchema>;

export const DEFAULT_ARRIVAL_SETTINGS: ArrivalSettings = { slotsEnabled: false, slotMinutes: 15, peoplePerSlot: 3, waitingAreas: [] };
