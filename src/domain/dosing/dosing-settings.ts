import { z } from 'zod';

/**
 * The dosing room's clinic policy. Defaults (docs/clinical-defaults.md): Pasero Opioid-induced
 * Sedation Scale, 3 = withhold or reduce 25–50 %, 4 = stop and consider naloxone; breath alcohol
 * thresholds are clinic policy (unconfirmed defaults: reduce from 0.25, refuse from 0.5 mg/L);
 * observation 20 min after IV and 30 min after IM (iOAT protocols; monograph 15–30 min);
 * three missed doses mean re-titration (the seed study).
 */
export const DosingSettingsSchema = z.object({
  sedationScore3: z.enum(['refuse', 'reduce']).describe('POSS 3 (frequently drowsy): refuse or give a reduced dose'),
  reducedDoseFraction: z.number().min(0.25, 'must be at least 0.25').max(0.9, 'must be at most 0.9'),
  breathAlcoholReduceMgPerL: z.number().min(0).max(2),
  breathAlcoholRefuseMgPerL: z.number().min(0).max(2),
  minimumRespiratoryRate: z.number().int().min(4).max(16).describe('Breaths a minute below which the emergency pathway starts'),
  observationMinutesIv: z.number().int().min(10).max(120),
  observationMinutesIm: z.number().int().min(10).max(120),
  missedDosesForRetitration: z.number().int().min(1).max(14),
  injectionSites: z.array(z.string().trim().min(1).max(60)).min(1).max(30),
  blockedSites: z.array(z.string().trim().min(1).max(60)).max(10).describe('Never used without a prescriber\'s recorded exception'),
});
export type DosingSettings = z.infer<typeof DosingSettingsSchema>;

export const DEFAULT_DOSING_SETTINGS: DosingSettings = {
  sedationScore3: 'refuse',
  reducedDoseFraction: 0.5,
  breathAlcoholReduceMgPerL: 0.25,
  breathAlcoholRefuseMgPerL: 0.5,
  minimumRespiratoryRate: 8,
  observationMinutesIv: 20,
  observationMinutesIm: 30,
  missedDosesForRetitration: 3,
  injectionSites: ['left arm', 'right arm', 'left hand', 'right hand', 'left leg', 'right leg', 'left foot', 'right foot', 'left thigh (IM)', 'right thigh (IM)', 'left buttock (IM)', 'right buttock (IM)', 'left deltoid (IM)', 'right deltoid (IM)'],
  blockedSites: ['neck', 'groin'],
};
