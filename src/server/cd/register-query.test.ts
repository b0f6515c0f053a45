import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { RegisterQuery } from '../../contract/cd';
import { dateRange } from './register-query';

const hours = (r: { from?: Date; to?: Date }) => (r.to!.getTime() - r.from!.getTime()) / 3_600_000;

describe('register dates as instants', () => {
  it('runs from midnight at the clinic on the first date to midnight after the last', () => {
    expect(dateRange({ from: '2026-07-01', to: '2026-07-01' }, 'Europe/London')).toEqual({ from: new Date('2026-06-30T23:00:00Z'), to: new Date('2026-07-01T23:00:00Z') });
    expect(dateRange({ from: '2026-01-10', to: '2026-01-11' }, 'Europe/London')).toEqual({ from: new Date('2026-01-10T00:00:00Z'), to: new Date('2026-01-12T00:00:00Z') });
  });

  it('gives the day the clocks go forward 23 hours and the day they go back 25 (Europe/London, 2026)', () => {
    expect(hours(dateRange({ from: '2026-03-29', to: '2026-03-29' }, 'Europe/London'))).toBe(23);
    expect(hours(dateRange({ from: '2026-10-25', to: '2026-10-25' }, 'Europe/London'))).toBe(25);
    expect(dateRange({ from: '2026-10-25', to: '2026-10-25' }, 'Europe/London')).toEqual({ from: new Date('2026-10-24T23:00:00Z'), to: new Date('2026-10-26T00:00:00Z') });
  });

  it('leaves out an end not asked for', () => {
    expect(dateRange({}, 'Europe/London')).toEqual({});
    expect(dateRange({ from: '2026-01-10' }, 'Europe/London')).toEqual({ from: new Date('2026-01-10T00:00:00Z') });
    expect(dateRange({ to: '2026-01-10' }, 'Europe/London')).toEqual({ to: new Date('2026-01-11T00:00:00Z') });
  });

  it('starts a day whose midnight does not exist at the first instant of that day', () => {
    // Chile moved its clocks forward at midnight on 6 September 2026: the day begins at 01:00 local (04:00 UTC).
    expect(dateRange({ from: '2026-09-06' }, 'America/Santiago').from).toEqual(new Date('2026-09-06T04:00:00Z'));
  });

  it('holds every instant that happened on the dates at the clinic, and none other', () => {
    const zones = ['Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'America/Santiago'];
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2025-01-01'), max: Date.parse('2028-01-01') }), fc.constantFrom(...zones), fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 3 }), (ms, zone, startShift, span) => {
        const instant = Temporal.Instant.fromEpochMilliseconds(ms);
        const day = instant.toZonedDateTimeISO(zone).toPlainDate();
        const from = day.add({ days: startShift });
        const to = from.add({ days: span });
        const r = dateRange({ from: from.toString(), to: to.toString() }, zone);
        const inside = ms >= r.from!.getTime() && ms < r.to!.getTime();
        const shouldBe = Temporal.PlainDate.compare(from, day) <= 0 && Temporal.PlainDate.compare(day, to) <= 0;
        expect(inside).toBe(shouldBe);
      }),
      { numRuns: 500 },
    );
  });
});

describe('the register query', () => {
  const problem = (q: Record<string, string>) => {
    const r = RegisterQuery.safeParse(q);
    return r.success ? null : r.error.issues.map((i) => i.path.join('.'));
  };

  it('defaults to JSON, the latest 200', () => {
    expect(RegisterQuery.parse({})).toEqual({ format: 'json', limit: 200 });
    expect(RegisterQuery.parse({ limit: '1000', before: '17', from: '2026-10-25', to: '2026-10-25' })).toEqual({ format: 'json', limit: 1000, before: 17, from: '2026-10-25', to: '2026-10-25' });
  });

  it('names the field at fault', () => {
    expect(problem({ limit: '0' })).toEqual(['limit']);
    expect(problem({ limit: '1001' })).toEqual(['limit']);
    expect(problem({ limit: '' })).toEqual(['limit']);
    expect(problem({ before: '0' })).toEqual(['before']);
    expect(problem({ before: '1e3' })).toBeNull();
    expect(problem({ before: '3000000000' })).toEqual(['before']);
    expect(problem({ from: '2027-02-29' })).toEqual(['from']);
    expect(problem({ from: '2028-02-29' })).toBeNull();
    expect(problem({ from: '2026-10-26', to: '2026-10-25' })).toEqual(['to']);
  });
});
