import type { Decision } from '../refusal';
import { refuse } from '../refusal';

/**
 * Breath alcohol is kept in one unit, mg per litre of breath. Meters show other units; each is
 * converted by a named, stated factor, never guessed from the size of the number.
 * - µg/100 mL breath (the UK legal unit): 35 µg/100 mL = 0.35 mg/L, so divide by 100.
 * - mg/100 mL blood (a blood estimate shown by some meters): UK limits 80 mg/100 mL blood and
 *   35 µg/100 mL breath correspond (2300:1 partition), so mg/L breath = value × 0.35 / 80.
 * - g/L blood (per mille BAC, as in much of Europe): 0.8 g/L = 80 mg/100 mL blood, then as above.
 */
export const BREATH_ALCOHOL_UNITS = ['mg_per_l_breath', 'ug_per_100ml_breath', 'mg_per_100ml_blood', 'g_per_l_blood'] as const;
export type BreathAlcoholUnit = (typeof BREATH_ALCOHOL_UNITS)[number];

export function toMgPerLitreBreath(value: number, unit: BreathAlcoholUnit): Decision<number> {
  if (!Number.isFinite(value) || value < 0) {
    return { ok: false, refusals: [refuse('breath_alcohol_invalid', 'The reading must be a number, 0 or more', 'breathAlcohol.value')] };
  }
  const mgPerL = (() => {
    switch (unit) {
      case 'mg_per_l_breath':
        return value;
      case 'ug_per_100ml_breath':
        return value / 100;
      case 'mg_per_100ml_blood':
        return (value * 0.35) / 80;
      case 'g_per_l_blood':
        return (value * 100 * 0.35) / 80;
    }
  })();
  // Three decimals: the resolution of breath meters; beyond that the figure means nothing.
  return { ok: true, value: Math.round(mgPerL * 1000) / 1000 };
}
