import { describe, expect, it } from 'vitest';
import { kaplanMeier, survivalAt } from './kaplan-meier';

describe('kaplanMeier', () => {
  /**
   * Freireich et al. (1963) 6-mercaptopurine arm of the acute leukaemia remission trial, the worked
   * example in Kalbfleisch & Prentice and in Kleinbaum & Klein, "Survival Analysis: A Self-Learning
   * Text" (3rd ed., 2012), chapter 2, table for group 1: remission times in weeks, "+" censored:
   * 6, 6, 6, 6+, 7, 9+, 10, 10+, 11+, 13, 16, 17+, 19+, 20+, 22, 23, 25+, 32+, 32+, 34+, 35+.
   * Published S(t): 6 → 0.857, 7 → 0.807, 10 → 0.753, 13 → 0.690, 16 → 0.627, 22 → 0.538, 23 → 0.448.
   * Numbers at risk at those times: 21, 17, 15, 12, 11, 7, 6.
   */
  const freireich = [
    [6, true], [6, true], [6, true], [6, false], [7, true], [9, false], [10, true], [10, false], [11, false], [13, true], [16, true],
    [17, false], [19, false], [20, false], [22, true], [23, true], [25, false], [32, false], [32, false], [34, false], [35, false],
  ].map(([days, ended]) => ({ days: days as number, ended: ended as boolean }));

  it('matches the published 6-MP example (Freireich 1963, as tabulated by Kleinbaum & Klein)', () => {
    const steps = kaplanMeier(freireich).filter((s) => s.events > 0);
    expect(steps.map((s) => [s.time, s.atRisk, s.events])).toEqual([
      [6, 21, 3], [7, 17, 1], [10, 15, 1], [13, 12, 1], [16, 11, 1], [22, 7, 1], [23, 6, 1],
    ]);
    expect(steps.map((s) => Number(s.survival.toFixed(3)))).toEqual([0.857, 0.807, 0.753, 0.69, 0.627, 0.538, 0.448]);
  });

  it('counts censoring at a time after that time\'s events and gives survival between steps', () => {
    const steps = kaplanMeier(freireich);
    expect(steps.find((s) => s.time === 6)).toMatchObject({ atRisk: 21, events: 3, censored: 1 });
    expect(survivalAt(steps, 21, 0)).toEqual({ survival: 1, atRisk: 21 });
    expect(survivalAt(steps, 8, 8)).toMatchObject({ atRisk: 16 });
    expect(survivalAt(steps, 21, 12).survival).toBeCloseTo(0.753, 3);
  });

  it('is 1 throughout with no events, and empty with nobody', () => {
    expect(kaplanMeier([]).length).toBe(0);
    expect(kaplanMeier([{ days: 5, ended: false }, { days: 9, ended: false }]).every((s) => s.survival === 1)).toBe(true);
    expect(() => kaplanMeier([{ days: -1, ended: true }])).toThrow(RangeError);
  });
});
