import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { clinicDate, clinicInstant, elapsedMinutes, formatClinicTime, sessionWindow } from './clinic-time';

const LONDON = 'Europe/London';
const am = { start: '08:00', end: '11:30' };

describe('clinic time', () => {
  it('puts the morning session at 08:00 GMT in winter and 07:00 UTC in summer (BST)', () => {
    expect(sessionWindow(Temporal.PlainDate.from('2026-03-28'), am, LONDON).opens.toString()).toBe('2026-03-28T08:00:00Z');
    expect(sessionWindow(Temporal.PlainDate.from('2026-03-29'), am, LONDON).opens.toString()).toBe('2026-03-29T07:00:00Z');
    expect(sessionWindow(Temporal.PlainDate.from('2026-10-25'), am, LONDON).opens.toString()).toBe('2026-10-25T08:00:00Z');
  });

  it('measures intervals in real time across the clocks going forward and back', () => {
    // 23:00 on Saturday to 08:00 on Sunday is 9 wall-clock hours but 8 real hours in spring …
    const spring = elapsedMinutes(clinicInstant(Temporal.PlainDate.from('2026-03-28'), '23:00', LONDON), clinicInstant(Temporal.PlainDate.from('2026-03-29'), '08:00', LONDON));
    expect(spring).toBe(8 * 60);
    // … and 10 real hours in autumn.
    const autumn = elapsedMinutes(clinicInstant(Temporal.PlainDate.from('2026-10-24'), '23:00', LONDON), clinicInstant(Temporal.PlainDate.from('2026-10-25'), '08:00', LONDON));
    expect(autumn).toBe(10 * 60);
  });

  it('resolves a wall time in the spring gap to just after it, and shows times in the clinic zone', () => {
    const gap = clinicInstant(Temporal.PlainDate.from('2026-03-29'), '01:30', LONDON);
    expect(formatClinicTime(gap, LONDON)).toBe('02:30');
    expect(formatClinicTime(Temporal.Instant.from('2026-07-01T12:00:00Z'), LONDON)).toBe('13:00');
  });

  it('names the clinic date, not the UTC date, near midnight', () => {
    expect(clinicDate(Temporal.Instant.from('2026-06-30T23:30:00Z'), LONDON).toString()).toBe('2026-07-01');
  });

  it('round-trips any instant through its clinic date and wall time (property, any zone)', () => {
    const zones = ['Europe/London', 'Europe/Zurich', 'America/Vancouver', 'Australia/Sydney', 'UTC'];
    fc.assert(
      fc.property(fc.integer({ min: 1_700_000_000, max: 1_900_000_000 }), fc.constantFrom(...zones), (seconds, zone) => {
        const instant = Temporal.Instant.fromEpochMilliseconds(seconds * 1000);
        const local = instant.toZonedDateTimeISO(zone);
        const back = clinicInstant(local.toPlainDate(), local.toPlainTime().toString(), zone);
        // Equal, except in an overlap hour where the earlier of two instants is chosen.
        expect(elapsedMinutes(back, instant)).toBeGreaterThanOrEqual(0);
        expect(elapsedMinutes(back, instant)).toBeLessThanOrEqual(60);
      }),
    );
  });
});
