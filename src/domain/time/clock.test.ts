import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { FakeClock, OffsetClock, dateToInstant, instantToDate } from './clock';

describe('FakeClock', () => {
  it('stands still until advanced, then moves by real elapsed time across a daylight-saving change', () => {
    // 2026-03-29 01:00 UTC is when Europe/London moves from GMT to BST.
    const clock = new FakeClock('2026-03-29T00:30:00Z');
    expect(clock.now().toString()).toBe('2026-03-29T00:30:00Z');
    clock.advance({ hours: 1 });
    const london = clock.now().toZonedDateTimeISO('Europe/London');
    expect(london.toPlainTime().toString()).toBe('02:30:00');
    expect(london.offset).toBe('+01:00');
  });

  it('round-trips through Date without losing milliseconds', () => {
    const instant = Temporal.Instant.from('2026-07-01T12:34:56.789Z');
    expect(dateToInstant(instantToDate(instant)).equals(instant)).toBe(true);
  });
});

describe('OffsetClock', () => {
  it('runs at real speed from the instant it is set to, and can be moved', () => {
    let real = 1_000_000;
    const clock = new OffsetClock(Temporal.Instant.from('2026-03-02T08:30:00Z'), () => real);
    real += 90_000;
    expect(clock.now().toString()).toBe('2026-03-02T08:31:30Z');
    clock.setTo(Temporal.Instant.from('2026-03-02T09:00:00Z'));
    real += 1_000;
    expect(clock.now().toString()).toBe('2026-03-02T09:00:01Z');
  });
});
