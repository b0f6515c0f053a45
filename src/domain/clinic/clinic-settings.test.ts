import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkClinicSettings, defaultClinicSettings, readStoredClinicSettings, WEEKDAYS, type ClinicSettings } from './clinic-settings';

const ok = (input: unknown) => checkClinicSettings(input);
const problemsOf = (input: unknown) => {
  const result = checkClinicSettings(input);
  return result.ok ? [] : result.problems;
};

describe('clinic settings', () => {
  it('accepts the defaults from the seed study (08:00–18:00 daily, AM 08:00–11:30, PM 13:00–17:30, 4 h, 15 places)', () => {
    const result = ok(defaultClinicSettings('Middlesbrough'));
    expect(result.ok).toBe(true);
  });

  it('refuses two waiting areas with one code, and a QTc warning above its limit, naming the fields', () => {
    const s = defaultClinicSettings('Test');
    const area = { code: 'quiet_room', name: 'Quiet room', capacity: 4, purpose: null };
    const checked = checkClinicSettings({ ...s, arrival: { ...s.arrival, waitingAreas: [area, { ...area, name: 'Other' }] }, monitoring: { ...s.monitoring, qtcWarningMs: 520 } });
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.problems.map((p) => p.field)).toEqual(['monitoring.qtcWarningMs', 'arrival.waitingAreas[1].code']);
  });

  it('names the field for a bad time zone', () => {
    const settings = { ...defaultClinicSettings('X'), timeZone: 'Europe/Londn' };
    expect(problemsOf(settings)).toEqual([
      { field: 'timeZone', message: 'must be an IANA time zone such as Europe/London' },
    ]);
  });

  it('names the field for a badly written time', () => {
    const settings = defaultClinicSettings('X');
    settings.sessions[1]!.start = '1pm';
    expect(problemsOf(settings)[0]?.field).toBe('sessions[1].start');
  });

  it('refuses a session outside opening hours and says which day', () => {
    const settings = defaultClinicSettings('X');
    settings.openingHours.sunday = { opens: '10:00', closes: '16:00' };
    const problems = problemsOf(settings);
    expect(problems.map((p) => p.field)).toEqual(['sessions[0]', 'sessions[1]']);
    expect(problems[0]?.message).toContain('sunday (10:00–16:00)');
  });

  it('allows a clinic to close on some days', () => {
    const settings = defaultClinicSettings('X');
    settings.openingHours.sunday = null;
    expect(ok(settings).ok).toBe(true);
  });

  it('refuses sessions whose starts are closer than the minimum interval', () => {
    const settings = defaultClinicSettings('X');
    settings.sessions[1] = { code: 'PM', label: 'Afternoon', start: '11:45', end: '17:30' };
    const problems = problemsOf(settings);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.field).toBe('sessions[1].start');
    expect(problems[0]?.message).toContain('minimum interval of 4 h');
  });

  it('refuses an afternoon session that ends before someone dosed late in the morning could be dosed', () => {
    const settings = defaultClinicSettings('X');
    settings.sessions[1] = { code: 'PM', label: 'Afternoon', start: '13:00', end: '15:00' };
    const problems = problemsOf(settings);
    expect(problems).toEqual([
      {
        field: 'sessions[1].end',
        message:
          'session PM ends at 15:00; someone dosed at the end of AM (11:30) must wait 4 h, so PM must end at 15:30 or later',
      },
    ]);
  });

  it('refuses overlapping and duplicate sessions', () => {
    const settings = defaultClinicSettings('X');
    settings.sessions[1] = { code: 'AM', label: 'Again', start: '10:00', end: '17:00' };
    const fields = problemsOf(settings).map((p) => p.field);
    expect(fields).toContain('sessions[1].code');
    expect(fields).toContain('sessions[1].start');
  });

  it('refuses a minimum interval below the 3 h floor or a fractional one', () => {
    expect(problemsOf({ ...defaultClinicSettings('X'), minimumDoseIntervalMinutes: 120 })[0]?.field).toBe(
      'minimumDoseIntervalMinutes',
    );
    expect(problemsOf({ ...defaultClinicSettings('X'), minimumDoseIntervalMinutes: 240.5 })[0]?.field).toBe(
      'minimumDoseIntervalMinutes',
    );
  });

  it('refuses closing before opening and a clinic closed every day', () => {
    const settings = defaultClinicSettings('X');
    settings.openingHours.monday = { opens: '18:00', closes: '08:00' };
    expect(problemsOf(settings).map((p) => p.field)).toContain('openingHours.monday.closes');
    const closed = defaultClinicSettings('X');
    for (const day of WEEKDAYS) closed.openingHours[day] = null;
    expect(problemsOf(closed).map((p) => p.field)).toContain('openingHours');
  });

  it('holds the dosing ceilings (defaults 400 mg a dose, 1000 mg a day, first dose 30 mg) and refuses contradictory ones', () => {
    const settings = defaultClinicSettings('X');
    expect(settings.dosingLimits).toMatchObject({ maxSingleDoseMg: 400, maxDailyDoseMg: 1000, firstDoseMg: 30, topUpMinWaitMinutes: 20 });
    settings.dosingLimits.firstDoseMg = 60;
    settings.dosingLimits.maxSingleDoseMg = 50;
    expect(problemsOf(settings).map((p) => p.field)).toEqual(['dosingLimits.firstDoseMg']);
    expect(problemsOf({ ...defaultClinicSettings('X'), dosingLimits: { ...defaultClinicSettings('X').dosingLimits, maxDailyDoseMg: 4000 } })[0]?.field).toBe(
      'dosingLimits.maxDailyDoseMg',
    );
  });

  it('keeps configurable eligibility criteria, with requiring methadone stability off by default', () => {
    const settings = defaultClinicSettings('X');
    expect(settings.eligibilityCriteria.filter((c) => c.enabled).map((c) => c.code)).toEqual([
      'long_term_opioid_dependence',
      'previous_treatment_without_benefit',
      'adult',
    ]);
    expect(settings.eligibilityCriteria.find((c) => c.code === 'stable_on_methadone')?.enabled).toBe(false);
    settings.eligibilityCriteria.push({ ...settings.eligibilityCriteria[0]! });
    expect(problemsOf(settings).map((p) => p.field)).toEqual(['eligibilityCriteria[4].code']);
  });

  it('reads settings stored before a field existed with that field\'s default', () => {
    const { dosingLimits: _d, eligibilityCriteria: _e, ...old } = defaultClinicSettings('Old');
    const read = readStoredClinicSettings(old);
    expect(read.dosingLimits.maxSingleDoseMg).toBe(400);
    expect(checkClinicSettings(read).ok).toBe(true);
  });

  it('names the field when the whole shape is wrong', () => {
    expect(problemsOf({ name: 'X' }).map((p) => p.field)).toEqual(
      expect.arrayContaining(['timeZone', 'openingHours', 'sessions', 'minimumDoseIntervalMinutes', 'places', 'dosingLimits']),
    );
  });

  // An independent, brute-force statement of "workable": every minute someone could be dosed in one
  // session leaves a time in the next session at which they may be dosed again, and someone dosed as
  // a session opens may be dosed as the next one opens.
  function workableByBruteForce(settings: ClinicSettings): boolean {
    const toMin = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
    const sessions = settings.sessions.map((s) => ({ start: toMin(s.start), end: toMin(s.end) }));
    for (let i = 1; i < sessions.length; i++) {
      const a = sessions[i - 1]!;
      const b = sessions[i]!;
      if (b.start < a.end) return false;
      for (let t = a.start; t <= a.end; t++) {
        let possible = false;
        for (let u = b.start; u <= b.end; u++) if (u - t >= settings.minimumDoseIntervalMinutes) possible = true;
        if (!possible) return false;
      }
      if (b.start - a.start < settings.minimumDoseIntervalMinutes) return false;
    }
    return true;
  }

  it('accepts a timetable exactly when the brute-force check finds it workable (property)', () => {
    const time = fc.integer({ min: 8 * 4, max: 18 * 4 }).map((q) => {
      const m = q * 15;
      return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    });
    const session = fc.tuple(time, time).map(([x, y]) => (x < y ? [x, y] : [y, x]) as [string, string]);
    fc.assert(
      fc.property(
        fc.array(session, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 12, max: 24 }).map((q) => q * 15),
        (windows, interval) => {
          const settings = defaultClinicSettings('P');
          settings.minimumDoseIntervalMinutes = interval;
          settings.sessions = windows
            .filter(([s, e]) => s !== e)
            .map(([start, end], i) => ({ code: `S${i}`, label: `Session ${i}`, start, end }));
          fc.pre(settings.sessions.length > 0);
          const result = checkClinicSettings(settings);
          expect(result.ok).toBe(workableByBruteForce(settings));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
