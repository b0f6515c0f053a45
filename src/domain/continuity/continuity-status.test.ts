import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { clinicDate } from '../time/clinic-time';
import { continuityStatus, showsWarning, warningText } from './continuity-status';

const d = (s: string) => Temporal.PlainDate.from(s);
const status = (today: string, fundedUntil: string | null, noticeMonths = 6) => continuityStatus(d(today), { fundedUntil, noticeMonths });

describe('continuity status', () => {
  it('is open-ended without a funding end date: no notice, no days left, no warning', () => {
    const s = status('2026-03-02', null);
    expect(s).toEqual({ fundedUntil: null, noticeFrom: null, state: 'open_ended', daysLeft: null });
    expect(showsWarning(s)).toBe(false);
    expect(warningText(s)).toBeNull();
  });

  it('counts notice in calendar months, clamping to the end of shorter months', () => {
    expect(status('2026-01-01', '2026-08-31').noticeFrom).toBe('2026-02-28');
    expect(status('2026-01-01', '2028-08-31').noticeFrom).toBe('2028-02-29');
    expect(status('2026-01-01', '2026-03-31', 1).noticeFrom).toBe('2026-02-28');
    expect(status('2026-01-01', '2026-12-31').noticeFrom).toBe('2026-06-30');
    expect(status('2026-01-01', '2027-01-31', 2).noticeFrom).toBe('2026-11-30');
    expect(status('2026-01-01', '2027-03-15', 24).noticeFrom).toBe('2025-03-15');
  });

  it('is funded before the notice date, in notice from it up to the last funded day, ended after', () => {
    expect(status('2026-02-27', '2026-08-31')).toEqual({ fundedUntil: '2026-08-31', noticeFrom: '2026-02-28', state: 'funded', daysLeft: 185 });
    expect(status('2026-02-28', '2026-08-31')).toMatchObject({ state: 'notice', daysLeft: 184 });
    expect(status('2026-08-30', '2026-08-31')).toMatchObject({ state: 'notice', daysLeft: 1 });
    expect(status('2026-08-31', '2026-08-31')).toMatchObject({ state: 'notice', daysLeft: 0 });
    expect(status('2026-09-01', '2026-08-31')).toMatchObject({ state: 'ended', daysLeft: 0 });
    expect(showsWarning(status('2026-02-27', '2026-08-31'))).toBe(false);
    expect(showsWarning(status('2026-02-28', '2026-08-31'))).toBe(true);
    expect(showsWarning(status('2026-09-01', '2026-08-31'))).toBe(true);
  });

  it('counts days left in clinic dates, so a clock change does not shift them', () => {
    // Clocks go forward in London at 01:00 GMT on 29 March 2026 and back at 01:00 GMT on 25 October 2026.
    const zone = 'Europe/London';
    const today = (instant: string) => clinicDate(Temporal.Instant.from(instant), zone);
    expect(continuityStatus(today('2026-03-28T23:30:00Z'), { fundedUntil: '2026-03-30', noticeMonths: 1 })).toMatchObject({ daysLeft: 2, state: 'notice' });
    // 23:30 UTC on the 29th is already 00:30 on the 30th in London (summer time).
    expect(continuityStatus(today('2026-03-29T23:30:00Z'), { fundedUntil: '2026-03-30', noticeMonths: 1 })).toMatchObject({ daysLeft: 0, state: 'notice' });
    expect(continuityStatus(today('2026-03-30T23:30:00Z'), { fundedUntil: '2026-03-30', noticeMonths: 1 })).toMatchObject({ daysLeft: 0, state: 'ended' });
    // 25 October has 25 hours; it is still one day.
    expect(continuityStatus(today('2026-10-24T22:30:00Z'), { fundedUntil: '2026-10-26', noticeMonths: 1 })).toMatchObject({ daysLeft: 2 });
    expect(continuityStatus(today('2026-10-25T00:30:00Z'), { fundedUntil: '2026-10-26', noticeMonths: 1 })).toMatchObject({ daysLeft: 1 });
    expect(continuityStatus(today('2026-10-25T23:30:00Z'), { fundedUntil: '2026-10-26', noticeMonths: 1 })).toMatchObject({ daysLeft: 1 });
  });

  it('words the banner with the date and the days left', () => {
    expect(warningText(status('2026-08-30', '2026-08-31'))).toBe(
      'Funding for this service is agreed until 2026-08-31 (1 day left). Every person in treatment needs a continuity plan approved by a prescriber.',
    );
    expect(warningText(status('2026-09-01', '2026-08-31'))).toContain('which has passed');
  });

  const day = fc.integer({ min: 0, max: 6 * 366 }).map((n) => d('2025-01-01').add({ days: n }));
  it('property: notice starts within the month count, states follow each other in order, days left count down by one a day', () => {
    fc.assert(
      fc.property(day, day, fc.integer({ min: 1, max: 24 }), (today, end, months) => {
        const s = continuityStatus(today, { fundedUntil: end.toString(), noticeMonths: months });
        const noticeFrom = d(s.noticeFrom!);
        // Within `months` months of the end, and at most the month's clamp (3 days) short of exactly that.
        expect(Temporal.PlainDate.compare(noticeFrom, end)).toBeLessThan(0);
        expect(Temporal.PlainDate.compare(noticeFrom.add({ months }), end)).toBeLessThanOrEqual(0);
        expect(noticeFrom.add({ months }).until(end).days).toBeLessThanOrEqual(3);
        const expected = Temporal.PlainDate.compare(today, end) > 0 ? 'ended' : Temporal.PlainDate.compare(today, noticeFrom) >= 0 ? 'notice' : 'funded';
        expect(s.state).toBe(expected);
        const tomorrow = continuityStatus(today.add({ days: 1 }), { fundedUntil: end.toString(), noticeMonths: months });
        const order = ['funded', 'notice', 'ended'];
        expect(order.indexOf(tomorrow.state)).toBeGreaterThanOrEqual(order.indexOf(s.state));
        expect(tomorrow.daysLeft).toBe(Math.max(0, s.daysLeft! - 1));
        expect(s.daysLeft).toBe(Math.max(0, today.until(end).days));
      }),
      { numRuns: 1000 },
    );
  });
});
