import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { checkPrescriptionVersion, type PrescriptionContext } from './check-prescription';
import { DEFAULT_DOSING_LIMITS, type DosingLimits } from './dosing-limits';
import type { DiamorphineOrder, PrescriptionContent } from './prescription';

const licensed = { isPrescriberHere: true, homeOfficeLicenceNumber: 'HO/123', homeOfficeLicenceExpiry: '2027-12-31' };
const today = '2026-03-02';

function order(overrides: Partial<DiamorphineOrder> = {}): DiamorphineOrder {
  return {
    sessions: ['AM', 'PM'],
    ivDoseMg: 200,
    imDoseMg: null,
    titration: null,
    topUp: null,
    retitrationStartDoseMg: 30,
    ...overrides,
  };
}

function content(o: DiamorphineOrder = order(), overrides: Partial<PrescriptionContent> = {}): PrescriptionContent {
  return { status: 'active', diamorphine: o, methadone: null, startDate: today, endDate: null, reviewDate: '2026-03-09', ...overrides };
}

const maintenance: DiamorphineOrder = order({ ivDoseMg: 200 });
function ctx(overrides: Partial<PrescriptionContext> = {}): PrescriptionContext {
  return {
    limits: DEFAULT_DOSING_LIMITS,
    clinicSessions: ['AM', 'PM'],
    previous: content(maintenance),
    lastPrescribed: maintenance,
    startingFresh: false,
    prescriber: licensed,
    today,
    ...overrides,
  };
}

const rulesOf = (c: PrescriptionContent, x: PrescriptionContext) => {
  const d = checkPrescriptionVersion(c, x);
  return d.ok ? [] : d.refusals.map((r) => r.rule);
};

describe('checkPrescriptionVersion: examples', () => {
  it('accepts a maintenance prescription within every limit', () => {
    expect(rulesOf(content(order({ ivDoseMg: 220 })), ctx())).toEqual([]);
  });

  it('refuses a single dose above the ceiling, with the figures', () => {
    const d = checkPrescriptionVersion(content(order({ ivDoseMg: 450 })), ctx({ lastPrescribed: order({ ivDoseMg: 440 }) }));
    expect(d.ok).toBe(false);
    if (!d.ok) {
      expect(d.refusals[0]).toEqual({
        rule: 'max_single_dose',
        field: 'diamorphine.ivDoseMg',
        message: "The IV dose of 450 mg is above the clinic's maximum single dose of 400 mg",
      });
    }
  });

  it('counts a possible top-up into the single dose and the daily total', () => {
    const near = order({ ivDoseMg: 380, topUp: { maxMg: 30, minWaitMinutes: 20 } });
    expect(rulesOf(content(near), ctx({ lastPrescribed: order({ ivDoseMg: 380 }) }))).toEqual(['max_single_dose']);
    const threeSessions = order({ sessions: ['AM', 'PM', 'EVE'], ivDoseMg: 320, topUp: { maxMg: 30, minWaitMinutes: 20 } });
    expect(rulesOf(content(threeSessions), ctx({ clinicSessions: ['AM', 'PM', 'EVE'], lastPrescribed: order({ sessions: ['AM', 'PM', 'EVE'], ivDoseMg: 320 }) }))).toEqual([
      'max_daily_dose',
    ]);
  });

  it('refuses more than the daily maximum however it is split', () => {
    const d = checkPrescriptionVersion(content(order({ sessions: ['AM', 'PM', 'EVE'], ivDoseMg: 340 })), ctx({ clinicSessions: ['AM', 'PM', 'EVE'], lastPrescribed: order({ sessions: ['AM', 'PM', 'EVE'], ivDoseMg: 330 }) }));
    expect(d.ok ? null : d.refusals[0]?.message).toBe("3 sessions of up to 340 mg could reach 1020 mg in 24 hours, above the clinic's maximum of 1000 mg");
  });

  it('holds someone starting fresh to the first-dose limit unless a titration plan starts low', () => {
    expect(rulesOf(content(order({ ivDoseMg: 60 })), ctx({ startingFresh: true }))).toEqual(['first_dose_limit']);
    const plan = order({ ivDoseMg: 90, titration: { startDoseMg: 30, steps: [{ fromDate: '2026-03-03', doseMg: 60 }, { fromDate: '2026-03-04', doseMg: 90 }] } });
    expect(rulesOf(content(plan), ctx({ startingFresh: true }))).toEqual([]);
    // Nobody prescribed for before is starting fresh whatever the caller says.
    expect(rulesOf(content(order({ ivDoseMg: 60 })), ctx({ startingFresh: false, lastPrescribed: null, previous: null }))).toEqual(['first_dose_limit']);
  });

  it('refuses titration steps that rise too fast per dose or per day', () => {
    const tooSteep = order({ ivDoseMg: 120, titration: { startDoseMg: 30, steps: [{ fromDate: '2026-03-03', doseMg: 80 }] } });
    expect(rulesOf(content(tooSteep), ctx({ startingFresh: true }))).toEqual(['max_rise_per_dose']);
    // 30 mg a dose is allowed, but with two sessions that is 60 mg a day; with a 50 mg daily limit it is not.
    const limits: DosingLimits = { ...DEFAULT_DOSING_LIMITS, maxRisePerDayMg: 50 };
    const steady = order({ ivDoseMg: 60, titration: { startDoseMg: 30, steps: [{ fromDate: '2026-03-03', doseMg: 60 }] } });
    expect(rulesOf(content(steady), ctx({ startingFresh: true, limits }))).toEqual(['max_rise_per_day']);
  });

  it('measures a rise from the last prescribed dose, even across a suspension', () => {
    const suspended = content(maintenance, { status: 'suspended' });
    const d = checkPrescriptionVersion(content(order({ ivDoseMg: 260 })), ctx({ previous: suspended }));
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.refusals.map((r) => r.rule).sort()).toEqual(['max_rise_per_day', 'max_rise_per_dose']);
  });

  it('measures adding more sessions as a daily rise', () => {
    const d = checkPrescriptionVersion(
      content(order({ sessions: ['AM', 'PM', 'EVE'], ivDoseMg: 200 })),
      ctx({ clinicSessions: ['AM', 'PM', 'EVE'] }),
    );
    expect(d.ok ? [] : d.refusals.map((r) => r.rule)).toEqual(['max_rise_per_day']);
  });

  it('measures a newly added route against the largest dose by any route', () => {
    expect(rulesOf(content(order({ ivDoseMg: 200, imDoseMg: 300 })), ctx())).toContain('max_rise_per_dose');
    expect(rulesOf(content(order({ ivDoseMg: 200, imDoseMg: 180 })), ctx())).toEqual([]);
  });

  it('allows any reduction', () => {
    expect(rulesOf(content(order({ ivDoseMg: 10 })), ctx())).toEqual([]);
  });

  it('needs a licensed prescriber, and says why when the licence has expired', () => {
    const expired = checkPrescriptionVersion(content(), ctx({ prescriber: { ...licensed, homeOfficeLicenceExpiry: '2026-03-01' } }));
    expect(expired.ok ? null : expired.refusals[0]).toEqual({
      rule: 'home_office_licence_expired',
      message: 'Your Home Office licence HO/123 expired on 2026-03-01; a diamorphine prescription needs a valid licence',
    });
    expect(rulesOf(content(), ctx({ prescriber: { ...licensed, homeOfficeLicenceExpiry: today } }))).toEqual([]);
    expect(rulesOf(content(), ctx({ prescriber: { ...licensed, homeOfficeLicenceNumber: null } }))).toEqual(['home_office_licence_missing']);
    expect(rulesOf(content(), ctx({ prescriber: { ...licensed, isPrescriberHere: false } }))).toEqual(['not_a_prescriber']);
  });

  it('checks sessions, routes, top-ups, re-titration dose, methadone and dates', () => {
    expect(rulesOf(content(order({ sessions: ['AM', 'NOON'] })), ctx())).toEqual(['unknown_session']);
    expect(rulesOf(content(order({ sessions: [] })), ctx())).toContain('sessions_required');
    expect(rulesOf(content(order({ ivDoseMg: null })), ctx())).toContain('route_required');
    expect(rulesOf(content(order({ topUp: { maxMg: 20, minWaitMinutes: 10 } })), ctx())).toEqual(['top_up_wait_too_short']);
    expect(rulesOf(content(order({ topUp: { maxMg: 50, minWaitMinutes: 20 } })), ctx())).toEqual(['top_up_too_large']);
    expect(rulesOf(content(order({ retitrationStartDoseMg: 100 })), ctx())).toEqual(['retitration_start_dose']);
    expect(rulesOf(content(order(), { methadone: { drug: 'methadone', dailyDoseMg: 400, pharmacy: 'Boots', supervised: true } }), ctx())).toEqual(['max_methadone_dose']);
    expect(rulesOf(content(order(), { methadone: { drug: 'methadone', dailyDoseMg: 30, pharmacy: ' ', supervised: false } }), ctx())).toEqual(['pharmacy_required']);
    expect(rulesOf(content(order(), { endDate: '2026-03-01' }), ctx())).toContain('dates_out_of_order');
    expect(rulesOf(content(order(), { reviewDate: '2026-03-01' }), ctx())).toContain('review_date_past');
  });

  it('always allows stopping treatment, without a licence, when there is something to stop', () => {
    const noLicence = ctx({ prescriber: { isPrescriberHere: false, homeOfficeLicenceNumber: null, homeOfficeLicenceExpiry: null } });
    expect(rulesOf(content(maintenance, { status: 'suspended' }), noLicence)).toEqual([]);
    expect(rulesOf(content(maintenance, { status: 'ended' }), noLicence)).toEqual([]);
    expect(rulesOf(content(maintenance, { status: 'suspended' }), ctx({ previous: content(maintenance, { status: 'suspended' }) }))).toEqual(['already_suspended']);
    expect(rulesOf(content(maintenance, { status: 'cancelled' }), ctx({ previous: null }))).toEqual(['nothing_to_stop']);
    expect(rulesOf(content(maintenance, { status: 'suspended' }), ctx({ previous: content(maintenance, { status: 'ended' }) }))).toEqual(['already_stopped']);
  });
});

/**
 * An independent statement of the ceilings, day by day: what doses a person would actually get on
 * each day of the plan, and whether any of them, or any change between days, breaks a limit.
 */
function keepsEveryLimit(c: PrescriptionContent, x: PrescriptionContext): boolean {
  const o = c.diamorphine;
  const L = x.limits;
  const n = o.sessions.length;
  const topUp = o.topUp?.maxMg ?? 0;
  const fresh = x.startingFresh || x.lastPrescribed === null;
  const routes = [o.ivDoseMg, o.imDoseMg];
  const last = x.lastPrescribed;
  const lastRoutes = last ? [last.ivDoseMg, last.imDoseMg] : [null, null];
  const lastLargest = last ? Math.max(last.ivDoseMg ?? 0, last.imDoseMg ?? 0) : 0;
  const lastSessions = last ? last.sessions.length : 0;
  if (n * (Math.max(o.ivDoseMg ?? 0, o.imDoseMg ?? 0) + topUp) > L.maxDailyDoseMg) return false;
  for (let r = 0; r < 2; r++) {
    const p = routes[r];
    if (p === null || p === undefined) continue;
    if (p + topUp > L.maxSingleDoseMg) return false;
    // The dose on each distinct day of the plan, in order.
    const days: number[] = [];
    if (!o.titration) days.push(p);
    else {
      const start = Temporal.PlainDate.from(c.startDate);
      const end = o.titration.steps.length ? Temporal.PlainDate.from(o.titration.steps.at(-1)!.fromDate) : start;
      let dose = Math.min(o.titration.startDoseMg, p);
      days.push(dose);
      for (let d = start; Temporal.PlainDate.compare(d, end) <= 0; d = d.add({ days: 1 })) {
        const step = o.titration.steps.find((s) => s.fromDate === d.toString());
        if (step) {
          dose = Math.min(step.doseMg, p);
          days.push(dose);
        }
      }
    }
    if (fresh && days[0]! > L.firstDoseMg) return false;
    if (!fresh) {
      const before = lastRoutes[r] ?? lastLargest;
      if (days[0]! - before > L.maxRisePerDoseMg) return false;
      if (n * days[0]! - lastSessions * before > L.maxRisePerDayMg) return false;
    }
    for (let i = 1; i < days.length; i++) {
      if (days[i]! - days[i - 1]! > L.maxRisePerDoseMg) return false;
      if (n * (days[i]! - days[i - 1]!) > L.maxRisePerDayMg) return false;
    }
  }
  return true;
}

describe('checkPrescriptionVersion: properties', () => {
  const dose = fc.integer({ min: 1, max: 120 }).map((q) => q * 5);
  const maybeDose = fc.option(dose, { nil: null });
  const sessions = fc.subarray(['AM', 'PM', 'EVE'], { minLength: 1 });
  const titration = fc.option(
    fc.record({
      startDoseMg: fc.integer({ min: 1, max: 20 }).map((q) => q * 5),
      steps: fc.uniqueArray(fc.integer({ min: 1, max: 20 }), { maxLength: 5 }).chain((offsets) =>
        fc.tuple(...[...offsets].sort((a, b) => a - b).map((off) => dose.map((d) => ({ fromDate: Temporal.PlainDate.from(today).add({ days: off }).toString(), doseMg: d })))),
      ),
    }),
    { nil: null },
  );
  const diamorphine = fc
    .record({
      sessions,
      ivDoseMg: maybeDose,
      imDoseMg: maybeDose,
      titration,
      topUp: fc.option(fc.record({ maxMg: fc.integer({ min: 0, max: 6 }).map((q) => q * 5), minWaitMinutes: fc.constant(20) }), { nil: null }),
      retitrationStartDoseMg: fc.integer({ min: 1, max: 30 }),
    })
    .filter((o) => o.ivDoseMg !== null || o.imDoseMg !== null)
    .map((o) => ({ ...o, titration: o.titration ? { ...o.titration, steps: [...o.titration.steps] } : null }));
  const limits = fc.record({
    maxSingleDoseMg: fc.integer({ min: 100, max: 600 }),
    maxDailyDoseMg: fc.integer({ min: 600, max: 1500 }),
    firstDoseMg: fc.integer({ min: 30, max: 60 }),
    maxRisePerDoseMg: fc.integer({ min: 10, max: 60 }),
    maxRisePerDayMg: fc.integer({ min: 20, max: 120 }),
    topUpMaxMg: fc.constant(30),
    topUpMinWaitMinutes: fc.constant(20),
    maxMethadoneDailyMg: fc.constant(150),
  });
  const context = fc.record({
    limits,
    last: fc.option(diamorphine, { nil: null }),
    startingFresh: fc.boolean(),
  });

  it('accepts a prescription exactly when it keeps every ceiling and titration limit on every day', () => {
    const outcomes = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(diamorphine, context, (o, { limits: L, last, startingFresh }) => {
        const c = content(o);
        const x: PrescriptionContext = {
          limits: L,
          clinicSessions: ['AM', 'PM', 'EVE'],
          previous: last ? content(last) : null,
          lastPrescribed: last,
          startingFresh,
          prescriber: licensed,
          today,
        };
        const accepted = checkPrescriptionVersion(c, x).ok;
        expect(accepted).toBe(keepsEveryLimit(c, x));
        fc.pre(true);
        outcomes[accepted ? 'accepted' : 'refused']++;
      }),
      { numRuns: 5000 },
    );
    // Both answers must be common, or the property would prove little.
    expect(outcomes.accepted).toBeGreaterThan(500);
    expect(outcomes.refused).toBeGreaterThan(500);
  });
});
