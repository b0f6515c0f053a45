import { describe, expect, it } from 'vitest';
import { decideFromAssessment, nurseMayChoose, type AssessmentFindings, type AssessmentOutcome, type SedationScore } from './assessment';
import { DEFAULT_DOSING_SETTINGS as S } from './dosing-settings';
import { toMgPerLitreBreath } from './breath-alcohol';

const ok: AssessmentFindings = {
  identityConfirmed: true,
  sedation: 1,
  respiratoryRate: 14,
  withdrawalScore: 6,
  signsOfIntoxication: false,
  recentSedativeUse: false,
  breathAlcoholMgPerL: null,
  breathTestRequired: false,
};

describe('decideFromAssessment', () => {
  it('gives when everything is fine', () => {
    expect(decideFromAssessment(ok, S)).toEqual({ outcome: 'give', fraction: 1, reasons: [] });
  });

  it('names the rule and the figures', () => {
    const d = decideFromAssessment({ ...ok, breathAlcoholMgPerL: 0.62 }, S);
    expect(d.outcome).toBe('refuse');
    expect(d.reasons[0]!.message).toBe("Breath alcohol 0.62 mg/L is at or above the clinic's refusal threshold of 0.5 mg/L: no dose");
  });

  // Every combination of findings, against a plain statement of the policy.
  const sedations: SedationScore[] = ['S', 1, 2, 3, 4];
  const breaths = [null, 0, 0.24, 0.25, 0.49, 0.5, 1.2];
  const rates = [null, 4, 7, 8, 16];
  const bools = [false, true];
  function expected(f: AssessmentFindings): AssessmentOutcome {
    if (f.sedation === 4 || (f.respiratoryRate !== null && f.respiratoryRate < 8)) return 'emergency';
    if (!f.identityConfirmed || f.sedation === 3 || f.signsOfIntoxication) return 'refuse';
    if (f.breathTestRequired && f.breathAlcoholMgPerL === null) return 'refuse';
    if (f.breathAlcoholMgPerL !== null && f.breathAlcoholMgPerL >= 0.5) return 'refuse';
    if (f.sedation === 'S') return 'rescore';
    if (f.recentSedativeUse || (f.breathAlcoholMgPerL !== null && f.breathAlcoholMgPerL >= 0.25)) return 'give_reduced';
    return 'give';
  }

  it('decides every one of the 2,800 combinations as the policy says, and never gives when anything is unsafe', () => {
    let n = 0;
    for (const sedation of sedations)
      for (const breathAlcoholMgPerL of breaths)
        for (const respiratoryRate of rates)
          for (const identityConfirmed of bools)
            for (const signsOfIntoxication of bools)
              for (const recentSedativeUse of bools)
                for (const breathTestRequired of bools) {
                  const f = { ...ok, sedation, breathAlcoholMgPerL, respiratoryRate, identityConfirmed, signsOfIntoxication, recentSedativeUse, breathTestRequired };
                  const d = decideFromAssessment(f, S);
                  expect(d.outcome, JSON.stringify(f)).toBe(expected(f));
                  expect(d.fraction).toBe(d.outcome === 'give' ? 1 : d.outcome === 'give_reduced' ? 0.5 : 0);
                  if (d.outcome !== 'give') expect(d.reasons.length).toBeGreaterThan(0);
                  n++;
                }
    expect(n).toBe(5 * 7 * 5 * 2 * 2 * 2 * 2);
  });

  it('lets a clinic choose to reduce rather than refuse at sedation 3', () => {
    expect(decideFromAssessment({ ...ok, sedation: 3 }, { ...S, sedationScore3: 'reduce' }).outcome).toBe('give_reduced');
  });
});

describe('nurseMayChoose', () => {
  it('allows only the same or a stricter outcome', () => {
    expect(nurseMayChoose('give', 'refuse')).toBe(true);
    expect(nurseMayChoose('give', 'give_reduced')).toBe(true);
    expect(nurseMayChoose('give_reduced', 'give')).toBe(false);
    expect(nurseMayChoose('refuse', 'give')).toBe(false);
    expect(nurseMayChoose('refuse', 'give_reduced')).toBe(false);
    expect(nurseMayChoose('emergency', 'refuse')).toBe(false);
    expect(nurseMayChoose('rescore', 'give')).toBe(false);
    expect(nurseMayChoose('rescore', 'refuse')).toBe(true);
  });
});

describe('breath alcohol units', () => {
  it('converts each meter unit by its stated factor', () => {
    const mg = (v: number, u: Parameters<typeof toMgPerLitreBreath>[1]) => {
      const d = toMgPerLitreBreath(v, u);
      return d.ok ? d.value : null;
    };
    expect(mg(0.35, 'mg_per_l_breath')).toBe(0.35);
    expect(mg(35, 'ug_per_100ml_breath')).toBe(0.35);
    expect(mg(80, 'mg_per_100ml_blood')).toBe(0.35);
    expect(mg(0.8, 'g_per_l_blood')).toBe(0.35);
    expect(mg(-1, 'mg_per_l_breath')).toBeNull();
  });
});
