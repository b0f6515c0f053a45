import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { checkDose, witnessRefusals, type DoseContext } from './dose-rules';
import { missedDoses, wasGiven, type DoseHistoryItem } from './dose-history';
import { DEFAULT_DOSING_LIMITS } from '../prescription/dosing-limits';
import type { PrescriptionContent } from '../prescription/prescription';
import { clinicDate, clinicInstant, elapsedMinutes, sessionWindow } from '../time/clinic-time';

const TZ = 'Europe/London';
const AM = { code: 'AM', start: '08:00', end: '11:30' };
const PM = { code: 'PM', start: '13:00', end: '17:30' };

function prescription(ivDoseMg = 200, topUp: { maxMg: number; minWaitMinutes: number } | null = null): PrescriptionContent {
  return {
    status: 'active',
    diamorphine: { sessions: ['AM', 'PM'], ivDoseMg, imDoseMg: Math.round(ivDoseMg * 0.8), titration: null, topUp, retitrationStartDoseMg: 30 },
    methadone: null,
    startDate: '2026-01-01',
    endDate: null,
    reviewDate: '2026-12-31',
  };
}

function context(now: Temporal.Instant, session = AM, overrides: Partial<DoseContext> = {}): DoseContext {
  const date = clinicDate(now, TZ);
  const w = sessionWindow(date, session, TZ);
  return {
    now,
    timeZone: TZ,
    clinicDate: date.toString(),
    session: { code: session.code, opens: w.opens, closes: w.closes },
    windowOverrideUntil: null,
    prescription: prescription(),
    episodeRefusals: [],
    limits: DEFAULT_DOSING_LIMITS,
    minimumIntervalMinutes: 240,
    history: [],
    retitrationLocked: false,
    assessment: { outcome: 'give', fraction: 1, at: now.subtract({ minutes: 2 }) },
    lastRefusalAt: null,
    ...overrides,
  };
}

const at = (date: string, time: string) => clinicInstant(Temporal.PlainDate.from(date), time, TZ);
const given = (instant: Temporal.Instant, mg: number, session = 'AM', kind: 'dose' | 'top_up' = 'dose'): DoseHistoryItem => ({
  session,
  clinicDate: clinicDate(instant, TZ).toString(),
  kind,
  status: 'given',
  givenMg: mg,
  at: instant,
});
const rules = (d: ReturnType<typeof checkDose>) => (d.ok ? [] : d.refusals.map((r) => r.rule));

describe('checkDose: examples', () => {
  it('allows the prescribed dose in its session after an assessment', () => {
    const d = checkDose({ kind: 'dose', route: 'iv', mg: 200 }, context(at('2026-03-02', '09:00')));
    expect(d).toEqual({ ok: true, value: { maxMg: 200, basis: 'prescribed IV dose 200 mg' } });
  });

  it('names the minimum interval with clinic times', () => {
    const now = at('2026-03-02', '13:05');
    const d = checkDose({ kind: 'dose', route: 'iv', mg: 200 }, context(now, PM, { history: [given(at('2026-03-02', '09:12'), 200)] }));
    expect(d.ok ? null : d.refusals[0]?.message).toBe('Minimum interval 4 h: last dose 09:12, next possible 13:12');
  });

  it('measures the interval in real time across the spring clock change', () => {
    // 23:30 GMT on Saturday to 04:30 BST on Sunday is 4 hours of real time, though 5 on the wall.
    const last = at('2026-03-28', '23:30');
    const now = at('2026-03-29', '04:29');
    expect(elapsedMinutes(last, now)).toBe(239);
    const d = checkDose({ kind: 'dose', route: 'iv', mg: 100 }, context(now, AM, { history: [given(last, 100, 'PM')], windowOverrideUntil: now }));
    expect(rules(d)).toContain('minimum_interval');
  });

  it('allows one dose a session, refuses outside the window without an override, and needs an assessment after a refusal', () => {
    const now = at('2026-03-02', '10:00');
    expect(rules(checkDose({ kind: 'dose', route: 'iv', mg: 100 }, context(now, AM, { history: [given(at('2026-03-02', '08:30'), 100)] })))).toContain('one_dose_per_session');
    expect(rules(checkDose({ kind: 'dose', route: 'iv', mg: 100 }, context(at('2026-03-02', '12:00'))))).toEqual(['outside_session_window']);
    expect(rules(checkDose({ kind: 'dose', route: 'iv', mg: 100 }, context(at('2026-03-02', '12:00'), AM, { windowOverrideUntil: at('2026-03-02', '12:30') })))).toEqual([]);
    expect(rules(checkDose({ kind: 'dose', route: 'iv', mg: 100 }, context(now, AM, { lastRefusalAt: now.subtract({ minutes: 1 }) })))).toEqual(['reassessment_after_refusal']);
  });

  it('keeps to the reduced dose, the re-titration dose, the rolling 24 hours and the single-dose ceiling', () => {
    const now = at('2026-03-02', '09:00');
    expect(rules(checkDose({ kind: 'dose', route: 'iv', mg: 150 }, context(now, AM, { assessment: { outcome: 'give_reduced', fraction: 0.5, at: now } })))).toEqual(['above_reduced_dose']);
    expect(rules(checkDose({ kind: 'dose', route: 'iv', mg: 60 }, context(now, AM, { retitrationLocked: true })))).toEqual(['retitration_locked']);
    const heavy = context(now, AM, {
      prescription: prescription(400),
      history: [given(at('2026-03-01', '13:30'), 400, 'PM'), given(at('2026-03-01', '09:30'), 400, 'AM')],
    });
    const d = checkDose({ kind: 'dose', route: 'iv', mg: 400 }, heavy);
    expect(rules(d)).toEqual(['max_rolling_24h']);
    expect(d.ok ? null : d.refusals[0]!.message).toContain('at most 200 mg now');
    const tight = context(now, AM, { limits: { ...DEFAULT_DOSING_LIMITS, maxSingleDoseMg: 150 } });
    expect(rules(checkDose({ kind: 'dose', route: 'iv', mg: 200 }, tight))).toEqual(['max_single_dose']);
  });

  it('allows a top-up only after the wait, with a new assessment, once, within the plan', () => {
    const dose = at('2026-03-02', '09:00');
    const p = prescription(100, { maxMg: 30, minWaitMinutes: 20 });
    const base = { prescription: p, history: [given(dose, 100)] };
    expect(rules(checkDose({ kind: 'top_up', route: 'iv', mg: 20 }, context(dose.add({ minutes: 10 }), AM, { ...base, assessment: { outcome: 'give', fraction: 1, at: dose.add({ minutes: 9 }) } })))).toEqual(['top_up_too_soon']);
    expect(rules(checkDose({ kind: 'top_up', route: 'iv', mg: 20 }, context(dose.add({ minutes: 25 }), AM, { ...base, assessment: { outcome: 'give', fraction: 1, at: dose.subtract({ minutes: 5 }) } })))).toEqual(['top_up_reassessment_required']);
    const ok = context(dose.add({ minutes: 25 }), AM, { ...base, assessment: { outcome: 'give', fraction: 1, at: dose.add({ minutes: 24 }) } });
    expect(rules(checkDose({ kind: 'top_up', route: 'iv', mg: 30 }, ok))).toEqual([]);
    expect(rules(checkDose({ kind: 'top_up', route: 'iv', mg: 40 }, ok))).toEqual(['above_prescribed_dose']);
    const twice = { ...ok, history: [...base.history, given(dose.add({ minutes: 21 }), 10, 'AM', 'top_up')] };
    expect(rules(checkDose({ kind: 'top_up', route: 'iv', mg: 10 }, twice))).toEqual(['one_top_up_per_session']);
  });

  it('never doses without an active prescription or while the episode forbids it', () => {
    const now = at('2026-03-02', '09:00');
    expect(rules(checkDose({ kind: 'dose', route: 'iv', mg: 10 }, context(now, AM, { prescription: { ...prescription(), status: 'suspended' } })))).toEqual(['prescription_suspended']);
    expect(rules(checkDose({ kind: 'dose', route: 'iv', mg: 10 }, context(now, AM, { prescription: null })))).toEqual(['no_prescription']);
    expect(rules(checkDose({ kind: 'dose', route: 'iv', mg: 10 }, context(now, AM, { episodeRefusals: [{ rule: 'absent', message: 'away' }] })))).toEqual(['absent']);
  });

  it('a witness is someone other than the person administering', () => {
    expect(witnessRefusals('a', 'a').map((r) => r.rule)).toEqual(['witness_is_administrator']);
    expect(witnessRefusals(null, 'a').map((r) => r.rule)).toEqual(['witness_required']);
    expect(witnessRefusals('b', 'a')).toEqual([]);
  });
});

describe('missed doses', () => {
  const h = (minutes: number, status: DoseHistoryItem['status']): DoseHistoryItem => ({ session: 'AM', clinicDate: '2026-03-02', kind: 'dose', status, givenMg: status === 'given' ? 100 : 0, at: at('2026-03-02', '08:00').add({ minutes }) });
  it('counts non-attendance, not staff refusals; a dose resets; three lock until a plan', () => {
    expect(missedDoses([h(1, 'missed'), h(2, 'refused'), h(3, 'missed')], 3, null)).toEqual({ consecutiveMissed: 2, retitrationLocked: false });
    expect(missedDoses([h(1, 'missed'), h(2, 'given'), h(3, 'missed'), h(4, 'missed')], 3, null).retitrationLocked).toBe(false);
    const locked = [h(1, 'missed'), h(2, 'missed'), h(3, 'missed'), h(4, 'given')];
    expect(missedDoses(locked, 3, null)).toEqual({ consecutiveMissed: 0, retitrationLocked: true });
    expect(missedDoses(locked, 3, at('2026-03-02', '08:03')).retitrationLocked).toBe(false);
  });
});

/**
 * A simulated stretch of clinic days (including a clock change) with random attendance, requests,
 * refusals, top-ups and missed sessions. Every dose the rules accept is recorded; then the whole
 * history is checked by plain, independent statements of rules 1–4 and 6.
 */
describe('dose rules over random histories (property)', () => {
  const visit = fc.record({
    attend: fc.integer({ min: 0, max: 9 }),
    attempts: fc.array(fc.record({ minute: fc.integer({ min: -30, max: 300 }), mg: fc.integer({ min: 0, max: 90 }).map((x) => x * 5) }), { minLength: 1, maxLength: 3 }),
    refuseFirst: fc.boolean(),
    reassess: fc.boolean(),
    reduced: fc.boolean(),
    topUp: fc.integer({ min: 0, max: 8 }).map((x) => x * 5),
    wait: fc.integer({ min: 5, max: 60 }),
  });
  const day = fc.record({ am: visit, pm: visit, plan: fc.integer({ min: 0, max: 15 }) });
  const scenario = fc.record({
    start: fc.constantFrom('2026-03-26', '2026-03-28', '2026-10-23', '2026-10-25', '2026-06-01'),
    dose: fc.integer({ min: 6, max: 80 }).map((x) => x * 5),
    topUp: fc.option(fc.record({ maxMg: fc.constantFrom(10, 20, 30), minWaitMinutes: fc.constant(20) }), { nil: null }),
    limits: fc.record({ maxSingleDoseMg: fc.constantFrom(200, 300, 400), maxDailyDoseMg: fc.constantFrom(300, 500, 800) }),
    interval: fc.constantFrom(180, 200, 240),
    days: fc.array(day, { minLength: 2, maxLength: 8 }),
  });

  it('never breaks rules 1–4 and 6, across the clock changes', () => {
    fc.assert(
      fc.property(scenario, (sc) => {
        const limits = { ...DEFAULT_DOSING_LIMITS, ...sc.limits };
        const rx = prescription(sc.dose, sc.topUp);
        const history: DoseHistoryItem[] = [];
        const assessments: { session: string; date: string; at: Temporal.Instant }[] = [];
        const refusalsAt: { session: string; date: string; at: Temporal.Instant }[] = [];
        let lastPlan: Temporal.Instant | null = null;
        const plans: Temporal.Instant[] = [];
        let date = Temporal.PlainDate.from(sc.start);
        for (const d of sc.days) {
          for (const [session, s] of [[AM, d.am], [PM, d.pm]] as const) {
            const w = sessionWindow(date, session, TZ);
            const dateText = date.toString();
            if (s.attend < 3) {
              history.push({ session: session.code, clinicDate: dateText, kind: 'dose', status: 'missed', givenMg: 0, at: w.closes });
              continue;
            }
            const attempts = [...s.attempts].sort((x, y) => x.minute - y.minute);
            let now = w.opens.add({ minutes: attempts[0]!.minute });
            let lastRefusalAt: Temporal.Instant | null = null;
            if (s.refuseFirst) {
              history.push({ session: session.code, clinicDate: dateText, kind: 'dose', status: 'refused', givenMg: 0, at: now });
              refusalsAt.push({ session: session.code, date: dateText, at: now });
              lastRefusalAt = now;
            }
            for (const attempt of attempts) {
              now = w.opens.add({ minutes: attempt.minute + (s.refuseFirst ? 5 : 0) });
              // Without a fresh assessment after a refusal, the one from before it is all there is.
              const assessedAt = lastRefusalAt && !s.reassess ? lastRefusalAt.subtract({ minutes: 2 }) : now.subtract({ minutes: 1 });
              const assessment = { outcome: s.reduced ? ('give_reduced' as const) : ('give' as const), fraction: 0.5, at: assessedAt };
              if (s.attend % 2 === 0) assessments.push({ session: session.code, date: dateText, at: assessment.at });
              const locked = missedDoses(history, 3, lastPlan).retitrationLocked;
              const ctx = (n: Temporal.Instant, a: typeof assessment | null): DoseContext => ({
                now: n,
                timeZone: TZ,
                clinicDate: dateText,
                session: { code: session.code, opens: w.opens, closes: w.closes },
                windowOverrideUntil: null,
                prescription: rx,
                episodeRefusals: [],
                limits,
                minimumIntervalMinutes: sc.interval,
                history,
                retitrationLocked: locked,
                assessment: a,
                lastRefusalAt,
              });
              // Half the time the assessment is forgotten: the rules must then refuse.
              const a = s.attend % 2 === 0 ? assessment : null;
              const r = checkDose({ kind: 'dose', route: 'iv', mg: attempt.mg }, ctx(now, a));
              if (r.ok) history.push({ session: session.code, clinicDate: dateText, kind: 'dose', status: 'given', givenMg: attempt.mg, at: now });
              else if (s.attend === 9) history.push({ session: session.code, clinicDate: dateText, kind: 'dose', status: 'withheld', givenMg: 0, at: now });
              if (r.ok && s.topUp > 0) {
                const later = now.add({ minutes: s.wait });
                const again = { ...assessment, at: later.subtract({ minutes: 1 }) };
                assessments.push({ session: session.code, date: dateText, at: again.at });
                const t = checkDose({ kind: 'top_up', route: 'iv', mg: s.topUp }, ctx(later, again));
                if (t.ok) history.push({ session: session.code, clinicDate: dateText, kind: 'top_up', status: 'given', givenMg: s.topUp, at: later });
              }
            }
          }
          if (d.plan === 0) {
            lastPlan = sessionWindow(date, PM, TZ).closes.add({ minutes: 30 });
            plans.push(lastPlan);
          }
          date = date.add({ days: 1 });
        }

        const gives = history.filter(wasGiven).sort((x, y) => x.at.epochMilliseconds - y.at.epochMilliseconds);
        const doses = gives.filter((g) => g.kind === 'dose');
        // Rule 2: doses at least the minimum interval apart in real elapsed time (whatever the clocks did).
        for (let i = 1; i < doses.length; i++) expect(elapsedMinutes(gives.filter((g) => g.at.epochMilliseconds < doses[i]!.at.epochMilliseconds).at(-1)!.at, doses[i]!.at)).toBeGreaterThanOrEqual(sc.interval);
        // Rule 3: at most one dose and one top-up per session; a top-up only after that session's dose.
        const perSession = new Map<string, DoseHistoryItem[]>();
        for (const g of gives) perSession.set(`${g.clinicDate}/${g.session}`, [...(perSession.get(`${g.clinicDate}/${g.session}`) ?? []), g]);
        for (const list of perSession.values()) {
          expect(list.filter((g) => g.kind === 'dose')).toHaveLength(1);
          expect(list.filter((g) => g.kind === 'top_up').length).toBeLessThanOrEqual(1);
          // Rule 1: prescription per session (dose ≤ dose, top-up ≤ plan), single-dose ceiling per session.
          const dose = list.find((g) => g.kind === 'dose')!;
          expect(dose.givenMg).toBeLessThanOrEqual(sc.dose);
          expect(list.reduce((t, g) => t + g.givenMg, 0)).toBeLessThanOrEqual(limits.maxSingleDoseMg);
          const topUp = list.find((g) => g.kind === 'top_up');
          if (topUp) expect(topUp.givenMg).toBeLessThanOrEqual(sc.topUp!.maxMg);
        }
        // Rule 1: never more than the ceiling in any 24 hours, nor the prescription's day.
        for (const g of gives) {
          const window = gives.filter((x) => x.at.epochMilliseconds > g.at.epochMilliseconds - 24 * 3600_000 && x.at.epochMilliseconds <= g.at.epochMilliseconds);
          expect(window.reduce((t, x) => t + x.givenMg, 0)).toBeLessThanOrEqual(limits.maxDailyDoseMg);
          const sameDay = gives.filter((x) => x.clinicDate === g.clinicDate);
          expect(sameDay.reduce((t, x) => t + x.givenMg, 0)).toBeLessThanOrEqual(2 * (sc.dose + (sc.topUp?.maxMg ?? 0)));
        }
        // Rule 4: every dose came after an assessment that followed any refusal in its session.
        for (const g of doses) {
          const assessed = assessments.filter((a) => a.session === g.session && a.date === g.clinicDate && a.at.epochMilliseconds < g.at.epochMilliseconds);
          expect(assessed.length).toBeGreaterThan(0);
          const refused = refusalsAt.filter((r) => r.session === g.session && r.date === g.clinicDate);
          for (const r of refused) expect(assessed.some((a) => a.at.epochMilliseconds > r.at.epochMilliseconds)).toBe(true);
        }
        // Rule 6: after three missed sessions in a row (since the last plan), doses stay at the
        // re-titration dose until a prescriber's plan.
        let run = 0;
        let locked = false;
        const timeline = [...history].filter((x) => x.kind === 'dose').sort((x, y) => x.at.epochMilliseconds - y.at.epochMilliseconds);
        for (const x of timeline) {
          if (plans.some((p) => p.epochMilliseconds < x.at.epochMilliseconds && p.epochMilliseconds > (timeline[timeline.indexOf(x) - 1]?.at.epochMilliseconds ?? 0))) {
            run = 0;
            locked = false;
          }
          if (wasGiven(x) && locked) expect(x.givenMg).toBeLessThanOrEqual(30);
          if (x.status === 'missed') run++;
          else if (wasGiven(x)) run = 0;
          if (run >= 3) locked = true;
        }
      }),
      { numRuns: 400 },
    );
  });
});
