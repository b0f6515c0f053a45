import type { Decision, Refusal } from '../refusal';
import { refuse } from '../refusal';

/**
 * Drawing up a dose: which ampoules were opened, how much water they were made up with, the
 * strength that gives, and the volume to draw — computed here, never worked out in someone's head.
 * Whatever was opened but not drawn is part-ampoule waste.
 */
export interface Preparation {
  /** Ampoules opened, by strength, e.g. [{ strengthMg: 100, count: 2 }]. */
  ampoules: { strengthMg: number; count: number }[];
  /** Total volume of water for injections used to make them up, mL. */
  reconstitutionMl: number;
  doseMg: number;
}

export interface PreparationResult {
  totalMg: number;
  concentrationMgPerMl: number;
  /** The volume to draw up, to 0.01 mL. */
  drawMl: number;
  wasteMg: number;
  wasteMl: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function computePreparation(p: Preparation): Decision<PreparationResult> {
  const refusals: Refusal[] = [];
  if (p.ampoules.length === 0) refusals.push(refuse('ampoules_required', 'Say which ampoules were opened', 'ampoules'));
  for (const [i, a] of p.ampoules.entries()) {
    if (!Number.isInteger(a.count) || a.count < 1) refusals.push(refuse('whole_ampoules', 'Ampoules are counted whole, at least 1', `ampoules[${i}].count`));
    if (!(a.strengthMg > 0)) refusals.push(refuse('strength_required', 'Give the ampoule strength in mg', `ampoules[${i}].strengthMg`));
  }
  if (!(p.reconstitutionMl > 0) || p.reconstitutionMl > 20) {
    refusals.push(refuse('reconstitution_volume', 'The volume of water must be more than 0 and at most 20 mL', 'reconstitutionMl'));
  }
  if (!(p.doseMg > 0)) refusals.push(refuse('dose_not_positive', 'The dose must be more than 0 mg', 'doseMg'));
  if (refusals.length) return { ok: false, refusals };
  const totalMg = p.ampoules.reduce((t, a) => t + a.strengthMg * a.count, 0);
  if (totalMg < p.doseMg) {
    return { ok: false, refusals: [refuse('not_enough_opened', `${totalMg} mg opened is less than the ${p.doseMg} mg dose`, 'ampoules')] };
  }
  // Opening a whole extra ampoule that is not needed only makes waste: refuse it.
  const smallest = Math.min(...p.ampoules.map((a) => a.strengthMg));
  if (totalMg - smallest >= p.doseMg) {
    return { ok: false, refusals: [refuse('too_many_opened', `${totalMg} mg opened for a ${p.doseMg} mg dose: one ampoule fewer would do`, 'ampoules')] };
  }
  const concentration = totalMg / p.reconstitutionMl;
  const drawMl = round2(p.doseMg / concentration);
  return {
    ok: true,
    value: {
      totalMg,
      concentrationMgPerMl: round2(concentration),
      drawMl,
      wasteMg: totalMg - p.doseMg,
      wasteMl: round2(p.reconstitutionMl - drawMl),
    },
  };
}

/** The witness checks the strength and the volume on their own: both must agree with what was recorded. */
export function witnessAgrees(recorded: Preparation, witnessed: { ampoules: { strengthMg: number; count: number }[]; reconstitutionMl: number }): Refusal[] {
  const key = (list: { strengthMg: number; count: number }[]) =>
    [...list].sort((a, b) => a.strengthMg - b.strengthMg).map((a) => `${a.count}×${a.strengthMg}`).join('+');
  const refusals: Refusal[] = [];
  if (key(recorded.ampoules) !== key(witnessed.ampoules)) {
    refusals.push(refuse('witness_disagrees_strength', `The witness saw ${key(witnessed.ampoules)} mg, not ${key(recorded.ampoules)} mg: check the ampoules again`, 'witness.ampoules'));
  }
  if (Math.abs(recorded.reconstitutionMl - witnessed.reconstitutionMl) > 0.001) {
    refusals.push(refuse('witness_disagrees_volume', `The witness saw ${witnessed.reconstitutionMl} mL, not ${recorded.reconstitutionMl} mL: check the volume again`, 'witness.reconstitutionMl'));
  }
  return refusals;
}
