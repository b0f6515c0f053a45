import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computePreparation, witnessAgrees } from './preparation';

describe('computePreparation', () => {
  it('works out the strength, the volume to draw and the waste', () => {
    const r = computePreparation({ ampoules: [{ strengthMg: 100, count: 2 }], reconstitutionMl: 2, doseMg: 170 });
    expect(r).toEqual({ ok: true, value: { totalMg: 200, concentrationMgPerMl: 100, drawMl: 1.7, wasteMg: 30, wasteMl: 0.3 } });
  });

  it('refuses too little, an unneeded extra ampoule, and nonsense', () => {
    const rule = (x: Parameters<typeof computePreparation>[0]) => {
      const r = computePreparation(x);
      return r.ok ? null : r.refusals[0]!.rule;
    };
    expect(rule({ ampoules: [{ strengthMg: 100, count: 1 }], reconstitutionMl: 1, doseMg: 150 })).toBe('not_enough_opened');
    expect(rule({ ampoules: [{ strengthMg: 100, count: 3 }], reconstitutionMl: 3, doseMg: 150 })).toBe('too_many_opened');
    expect(rule({ ampoules: [{ strengthMg: 100, count: 0 }], reconstitutionMl: 1, doseMg: 50 })).toBe('whole_ampoules');
    expect(rule({ ampoules: [{ strengthMg: 100, count: 1 }], reconstitutionMl: 0, doseMg: 50 })).toBe('reconstitution_volume');
  });

  it('always draws the dose, to within rounding, and wastes the rest (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ strengthMg: fc.constantFrom(30, 100, 500), count: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 2 }),
        fc.integer({ min: 1, max: 200 }).map((x) => x / 10),
        fc.integer({ min: 1, max: 1000 }),
        (ampoules, ml, dose) => {
          const r = computePreparation({ ampoules, reconstitutionMl: ml, doseMg: dose });
          if (!r.ok) return;
          expect(Math.abs(r.value.drawMl * (r.value.totalMg / ml) - dose)).toBeLessThanOrEqual((0.005 * r.value.totalMg) / ml + 1e-9);
          expect(r.value.wasteMg + dose).toBe(r.value.totalMg);
          expect(r.value.drawMl).toBeLessThanOrEqual(ml);
        },
      ),
    );
  });
});

describe('witnessAgrees', () => {
  it('wants the same ampoules (in any order) and the same volume', () => {
    const recorded = { ampoules: [{ strengthMg: 100, count: 1 }, { strengthMg: 30, count: 1 }], reconstitutionMl: 2, doseMg: 120 };
    expect(witnessAgrees(recorded, { ampoules: [{ strengthMg: 30, count: 1 }, { strengthMg: 100, count: 1 }], reconstitutionMl: 2 })).toEqual([]);
    expect(witnessAgrees(recorded, { ampoules: [{ strengthMg: 100, count: 2 }], reconstitutionMl: 2 }).map((r) => r.rule)).toEqual(['witness_disagrees_strength']);
    expect(witnessAgrees(recorded, { ampoules: recorded.ampoules, reconstitutionMl: 2.5 }).map((r) => r.rule)).toEqual(['witness_disagrees_volume']);
  });
});
