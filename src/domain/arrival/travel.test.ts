import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { attendanceOf, JOURNEY_BANDS, journeyBand, percent, travelBands, type SessionOutcome } from './travel';

describe('journeyBand', () => {
  it.each([
    [0, 'under_15'],
    [14, 'under_15'],
    [15, '15_to_29'],
    [29, '15_to_29'],
    [30, '30_to_59'],
    [59, '30_to_59'],
    [60, '60_plus'],
    [600, '60_plus'],
    [null, 'unknown'],
    [-1, 'unknown'],
  ] as const)('%s min one way is %s', (minutes, band) => {
    expect(journeyBand(minutes)).toBe(band);
  });

  it('puts every journey in exactly one band (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 600 }), (m) => {
        const inBands = JOURNEY_BANDS.filter((b) => m >= b.from && m < b.below);
        expect(inBands).toHaveLength(1);
        expect(journeyBand(m)).toBe(inBands[0]!.code);
      }),
    );
  });
});

describe('attendanceOf', () => {
  it('counts what was expected, attended, given and missed', () => {
    expect(attendanceOf(['given', 'given', 'attended_not_given', 'missed'])).toEqual({ expected: 4, attended: 3, given: 2, missed: 1, attendancePercent: 75 });
  });
  it('has no percentage when nothing was expected', () => {
    expect(attendanceOf([])).toEqual({ expected: 0, attended: 0, given: 0, missed: 0, attendancePercent: null });
  });
  it('rounds to one decimal', () => {
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(1, 3)).toBe(33.3);
  });
});

describe('travelBands', () => {
  it('sums people and sessions per band, listing every band', () => {
    const bands = travelBands([
      { minutesOneWay: 10, attendance: attendanceOf(['given', 'given']) },
      { minutesOneWay: 70, attendance: attendanceOf(['given', 'missed', 'missed', 'attended_not_given']) },
      { minutesOneWay: 90, attendance: attendanceOf(['missed', 'given']) },
      { minutesOneWay: null, attendance: attendanceOf(['given']) },
    ]);
    expect(bands.map((b) => b.band)).toEqual(['under_15', '15_to_29', '30_to_59', '60_plus', 'unknown']);
    expect(bands[0]).toEqual({ band: 'under_15', label: 'under 15 min', people: 1, expected: 2, attended: 2, given: 2, attendancePercent: 100 });
    expect(bands[1]).toMatchObject({ people: 0, expected: 0, attendancePercent: null });
    expect(bands[3]).toEqual({ band: '60_plus', label: '60 min or more', people: 2, expected: 6, attended: 3, given: 2, attendancePercent: 50 });
    expect(bands[4]).toMatchObject({ people: 1, expected: 1, attended: 1 });
  });

  it('loses nobody and no session (property)', () => {
    const outcome = fc.constantFrom<SessionOutcome>('given', 'attended_not_given', 'missed');
    fc.assert(
      fc.property(fc.array(fc.record({ minutesOneWay: fc.option(fc.integer({ min: 0, max: 300 }), { nil: null }), outcomes: fc.array(outcome, { maxLength: 60 }) }), { maxLength: 30 }), (people) => {
        const rows = people.map((p) => ({ minutesOneWay: p.minutesOneWay, attendance: attendanceOf(p.outcomes) }));
        const bands = travelBands(rows);
        expect(bands.reduce((n, b) => n + b.people, 0)).toBe(people.length);
        expect(bands.reduce((n, b) => n + b.expected, 0)).toBe(people.reduce((n, p) => n + p.outcomes.length, 0));
        expect(bands.reduce((n, b) => n + b.attended, 0)).toBe(people.reduce((n, p) => n + p.outcomes.filter((o) => o !== 'missed').length, 0));
        for (const b of bands) {
          expect(b.attended).toBeLessThanOrEqual(b.expected);
          expect(b.given).toBeLessThanOrEqual(b.attended);
          if (b.attendancePercent !== null) expect(b.attendancePercent).toBeGreaterThanOrEqual(0);
          if (b.attendancePercent !== null) expect(b.attendancePercent).toBeLessThanOrEqual(100);
        }
      }),
    );
  });
});
