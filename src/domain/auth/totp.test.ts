import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acceptableSteps, normaliseCode, normaliseRecoveryCode, spentSteps, timeStep } from './totp';

describe('TOTP acceptance rules', () => {
  it('counts 30-second steps from the epoch', () => {
    expect(timeStep(0)).toBe(0);
    expect(timeStep(29_999)).toBe(0);
    expect(timeStep(30_000)).toBe(1);
    expect(timeStep(Date.UTC(2026, 2, 2, 9, 0, 0))).toBe(Math.floor(Date.UTC(2026, 2, 2, 9) / 30_000));
  });

  it('accepts the current step and one either side when nothing was used yet', () => {
    expect(acceptableSteps(100, null)).toEqual([99, 100, 101]);
  });

  it('never accepts a step at or before the last one used', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e8 }), fc.integer({ min: 0, max: 1e8 }), (current, last) => {
        const steps = acceptableSteps(current, last);
        expect(steps.every((s) => s > last)).toBe(true);
        expect(steps.every((s) => Math.abs(s - current) <= 1)).toBe(true);
        // Together, accepted and spent steps are exactly the window.
        expect([...spentSteps(current, last), ...steps].sort((a, b) => a - b)).toEqual([current - 1, current, current + 1]);
      }),
    );
  });

  it('after the next step was used, only steps after it remain', () => {
    expect(acceptableSteps(100, 100)).toEqual([101]);
    expect(acceptableSteps(100, 101)).toEqual([]);
    expect(spentSteps(100, 101)).toEqual([99, 100, 101]);
  });

  it('reads six digits, with the spaces authenticator apps show', () => {
    expect(normaliseCode('123456')).toBe('123456');
    expect(normaliseCode(' 123 456 ')).toBe('123456');
    expect(normaliseCode('12345')).toBeNull();
    expect(normaliseCode('12345a')).toBeNull();
    expect(normaliseCode('1234567')).toBeNull();
  });

  it('compares recovery codes without case, spaces or dashes', () => {
    expect(normaliseRecoveryCode('AB12-cd34 EF')).toBe('ab12cd34ef');
  });
});
