import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { clinicInstant } from '../time/clinic-time';
import { minutesOfDay } from '../time/zone';
import { checkClinicSettings, defaultClinicSettings, WEEKDAYS, type ClinicSettings, type DosingSession, type OpeningHours } from './clinic-settings';

/**
 * An optional third (evening) dose: a clinic may add an evening session only if its opening hours
 * and session windows keep the minimum interval between doses. The rules are the settings'
 * timetable checks (clinic-settings.ts); these tests hold them to that promise for three sessions.
 */

const everyDay = (hours: OpeningHours | null) => Object.fromEntries(WEEKDAYS.map((d) => [d, hours])) as ClinicSettings['openingHours'];
const AM = { code: 'AM', label: 'Morning', start: '08:00', end: '11:00' };
const PM = { code: 'PM', label: 'Afternoon', start: '12:30', end: '15:30' };
const EVE = { code: 'EVE', label: 'Evening', start: '17:00', end: '20:00' };

function withSessions(sessions: DosingSession[], hours: OpeningHours = { opens: '08:00', closes: '21:00' }, interval = 240): ClinicSettings {
  return { ...defaultClinicSettings('Evening clinic'), openingHours: everyDay(hours), sessions, minimumDoseIntervalMinutes: interval };
}

const problems = (s: ClinicSettings) => {
  const c = checkClinicSettings(s);
  return c.ok ? [] : c.problems;
};

describe('an evening session', () => {
  it('is accepted with opening hours to 21:00 and windows that keep 4 hours between doses', () => {
    const c = checkClinicSettings(withSessions([AM, PM, EVE]));
    expect(c.ok, JSON.stringify(c)).toBe(true);
  });

  it('too close to the afternoon: someone dosed when PM opens could not be dosed when EVE opens', () => {
    expect(problems(withSessions([AM, PM, { ...EVE, start: '16:00' }]))).toEqual([
      { field: 'sessions[2].start', message: expect.stringContaining('session EVE starts 3 h 30 min after session PM starts') },
    ]);
  });

  it('ending too early: someone dosed at the end of PM (15:30) must be able to come until 19:30', () => {
    expect(problems(withSessions([AM, PM, { ...EVE, end: '19:00' }]))).toEqual([
      { field: 'sessions[2].end', message: expect.stringContaining('EVE must end at 19:30 or later') },
    ]);
  });

  it('outside opening hours: the clinic closes at 21:00', () => {
    expect(problems(withSessions([AM, PM, { ...EVE, end: '22:00' }]))).toEqual([
      { field: 'sessions[2]', message: expect.stringContaining('falls outside opening hours on monday (08:00–21:00)') },
    ]);
    // Open later on most days is not enough: the evening must fit every day the clinic is open.
    const s = withSessions([AM, PM, EVE]);
    s.openingHours.sunday = { opens: '08:00', closes: '18:00' };
    expect(problems(s)).toEqual([{ field: 'sessions[2]', message: expect.stringContaining('on sunday (08:00–18:00)') }]);
  });

  it('overlapping the afternoon, or listed out of time order', () => {
    expect(problems(withSessions([AM, PM, { ...EVE, start: '15:00' }]))[0]).toMatchObject({ field: 'sessions[2].start', message: expect.stringContaining('must start after session PM ends (15:30)') });
    expect(problems(withSessions([AM, EVE, PM])).map((p) => p.field)).toContain('sessions[2].start');
  });

  it('a longer interval needs a later evening: with 5 hours, EVE at 17:00 is refused and at 18:00 accepted', () => {
    const am = { ...AM, start: '08:00', end: '10:00' };
    const pm = { ...PM, start: '13:00', end: '15:00' };
    expect(problems(withSessions([am, pm, EVE], undefined, 300))).toEqual([{ field: 'sessions[2].start', message: expect.stringContaining('with a minimum interval of 5 h') }]);
    expect(problems(withSessions([am, pm, { ...EVE, start: '18:00' }], undefined, 300))).toEqual([]);
  });

  it('a repeated session code is refused', () => {
    expect(problems(withSessions([AM, PM, { ...EVE, code: 'PM' }])).map((p) => p.field)).toContain('sessions[2].code');
  });
});

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Timetables near the edge: sessions roughly an interval apart, each nudged either way, in opening hours that may or may not fit. */
const timetable = fc
  .record({
    interval: fc.integer({ min: 36, max: 144 }).map((n) => n * 5),
    opens: fc.integer({ min: 60, max: 120 }).map((n) => n * 5), // 05:00–10:00: a clinic's day, after the night's clock changes
    first: fc.integer({ min: 0, max: 24 }).map((n) => n * 5),
    sessions: fc.array(fc.record({ nudge: fc.integer({ min: -6, max: 12 }).map((n) => n * 5), length: fc.integer({ min: 12, max: 48 }).map((n) => n * 5) }), { minLength: 2, maxLength: 4 }),
    closesAfter: fc.integer({ min: -6, max: 36 }).map((n) => n * 5),
    sundayShort: fc.boolean(),
  })
  .map(({ interval, opens, first, sessions, closesAfter, sundayShort }) => {
    const out: DosingSession[] = [];
    let start = opens + first;
    sessions.forEach((s, i) => {
      if (i > 0) start = minutesOfDay(out[i - 1]!.start) + interval + s.nudge;
      const end = Math.min(start + s.length, 23 * 60 + 55);
      out.push({ code: ['AM', 'PM', 'EVE', 'LATE'][i]!, label: `Session ${i + 1}`, start: hhmm(Math.min(start, 23 * 60 + 50)), end: hhmm(end) });
    });
    const closes = Math.min(Math.max(minutesOfDay(out.at(-1)!.end) + closesAfter, opens + 5), 23 * 60 + 59);
    const s = withSessions(out, { opens: hhmm(opens), closes: hhmm(closes) }, interval);
    if (sundayShort) s.openingHours.sunday = { opens: hhmm(opens), closes: hhmm(Math.max(opens + 5, closes - 60)) };
    return s;
  });

/** Three-session timetables around the valid one above, each time nudged by up to an hour either way. */
const nudge = fc.integer({ min: -12, max: 12 }).map((n) => n * 5);
const evening = fc
  .record({ interval: fc.integer({ min: 36, max: 60 }).map((n) => n * 5), times: fc.array(nudge, { minLength: 8, maxLength: 8 }) })
  .map(({ interval, times }) => {
    const [o, c, ...t] = times as [number, number, ...number[]];
    const sessions = [AM, PM, EVE].map((x, i) => ({ ...x, start: hhmm(minutesOfDay(x.start) + t[2 * i]!), end: hhmm(minutesOfDay(x.end) + t[2 * i + 1]!) }));
    return withSessions(sessions, { opens: hhmm(8 * 60 + o), closes: hhmm(21 * 60 + c) }, interval);
  });

describe('property: any accepted timetable', () => {
  // A normal day and both of London's clock changes in 2026.
  const days = ['2026-03-02', '2026-03-29', '2026-10-25'].map((d) => Temporal.PlainDate.from(d));

  /** Where the promise fails: someone dosed at some time in one session who cannot be dosed in the next (null if none). */
  function broken(settings: ClinicSettings, where: number): string | null {
    const zone = settings.timeZone;
    const interval = settings.minimumDoseIntervalMinutes;
    for (let i = 1; i < settings.sessions.length; i++) {
      const before = settings.sessions[i - 1]!;
      const after = settings.sessions[i]!;
      for (const day of days) {
        const opens = clinicInstant(day, before.start, zone);
        const closes = clinicInstant(day, before.end, zone);
        const next = clinicInstant(day, after.start, zone);
        const nextCloses = clinicInstant(day, after.end, zone);
        const span = opens.until(closes).total({ unit: 'minutes' });
        const what = `${before.code} ${before.start}–${before.end} → ${after.code} ${after.start}–${after.end}, ${interval} min, ${day}`;
        // Dosed at the end of the session, at its start, and somewhere in between: the next dose must fit in the next window.
        for (const dosedAt of [closes, opens, opens.add({ minutes: Math.floor(span * where) })]) {
          const possible = dosedAt.add({ minutes: interval });
          const earliest = Temporal.Instant.compare(possible, next) > 0 ? possible : next;
          if (Temporal.Instant.compare(earliest, nextCloses) > 0) return `${what}: dosed ${dosedAt.toString()}, next window closes first`;
        }
        // And someone dosed when one session opens can be dosed when the next opens.
        if (opens.until(next).total({ unit: 'minutes' }) < interval) return `${what}: not when the next opens`;
      }
    }
    return null;
  }

  it('lets someone dosed at any time in one session be dosed in the next, after the minimum interval in real time', () => {
    let accepted = 0;
    let withThree = 0;
    let refusedBroken = 0;
    fc.assert(
      fc.property(fc.oneof(timetable, evening), fc.double({ min: 0, max: 1, noNaN: true }), (settings, where) => {
        const problem = broken(settings, where);
        if (!checkClinicSettings(settings).ok) {
          if (problem) refusedBroken++;
          return;
        }
        accepted++;
        if (settings.sessions.length >= 3) withThree++;
        expect(problem).toBeNull();
      }),
      { numRuns: 3000 },
    );
    // The property must not hold only because nothing was accepted, nor because nothing broke it.
    expect(accepted).toBeGreaterThan(250);
    expect(withThree).toBeGreaterThan(120);
    expect(refusedBroken).toBeGreaterThan(250);
  });
});
