import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kaplanMeier } from './kaplan-meier';
import type { CareRecord, CareRecordKind } from '../care/care-record';
import type { OutcomeProfile, TopStage } from '../care/outcome-profile';
import type { ToxicologyRecordData } from '../care/toxicology';
import type { DoseEvent } from '../dosing/dose-record';
import { adverseEvents, attendance, buildReport, doseCounts, retentionCurve, placesUsed, referrals, retention, topChange, toxicologyByMonth, type DoseFacts, type EpisodeFacts, type ReportInput } from './report';

/*
 * A small fixed synthetic clinic; every expected number below was worked out by hand.
 * Period 2026-01-01 to 2026-03-31.
 */
const from = '2026-01-01';
const to = '2026-03-31';
const ep = (state: EpisodeFacts['state'], referredOn: string, inductionOn: string | null = null, dischargedOn: string | null = null, dischargeReason: EpisodeFacts['dischargeReason'] = null): EpisodeFacts => ({ state, referredOn, inductionOn, dischargedOn, dischargeReason });
const episodes: EpisodeFacts[] = [
  ep('maintenance', '2025-12-01', '2026-01-10'), // A: waited 40 days; in treatment 80 days at the end
  ep('maintenance', '2026-01-05', '2026-01-15'), // B: waited 10; 75 days, still in
  ep('discharged', '2026-01-05', '2026-01-25', '2026-02-24', 'disengaged'), // C: waited 20; left after 30 days
  ep('waiting_list', '2026-02-01'), // D
  ep('not_eligible', '2026-02-10'), // E
  ep('induction', '2026-03-01', '2026-03-21'), // F: waited 20; 10 days, still in
  ep('accepted', '2026-03-05'), // G
  ep('discharged', '2025-10-01', '2025-10-11', '2026-01-09', 'planned'), // H: left (planned) after 90 days
];

const at = (date: string) => `${date}T09:00:00Z`;
const assessed = (date: string): DoseEvent => ({ type: 'assessed', at: at(date), by: null, findings: {} as never, decision: { fraction: 1 } as never, chosen: 'give', notes: null });
const administered = (date: string): DoseEvent => ({ type: 'administered', at: at(date), by: null, witnessId: 'w', route: 'iv', sites: ['arm'], attempts: 1, givenMg: 100, switchedToIm: false, notGivenMg: 0 });
const prepared = (date: string): DoseEvent => ({ type: 'prepared', at: at(date), by: null, witnessId: 'w', route: 'iv', doseMg: 100, ampoules: [], reconstitutionMl: 1, concentrationMgPerMl: 100, drawMl: 1, wasteMg: 0 });
const given = (date: string, observed?: Partial<Extract<DoseEvent, { type: 'observed' }>>): DoseEvent[] => [
  assessed(date),
  prepared(date),
  administered(date),
  ...(observed ? [{ type: 'observed', at: at(date), by: null, sedation: 1, respiratoryRate: 12, spo2: 96, adverseEvents: [], naloxoneMg: null, notes: null, ...observed } as DoseEvent] : []),
];
const dose = (serviceUserId: string, clinicDate: string, sessionCode: string, events: DoseEvent[], kind = 'dose'): DoseFacts => ({ serviceUserId, clinicDate, sessionCode, kind, events });
const doses: DoseFacts[] = [
  dose('B', '2026-01-20', 'AM', given('2026-01-20')),
  dose('A', '2026-01-20', 'AM', [assessed('2026-01-20'), { type: 'refused', at: at('2026-01-20'), by: null, reasons: [], offeredToStay: true, naloxoneChecked: true, adviceGiven: true, reassessAt: null }]),
  dose('A', '2026-01-21', 'AM', [{ type: 'missed', at: at('2026-01-21'), by: null }]),
  dose('B', '2026-01-21', 'AM', given('2026-01-21', { adverseEvents: ['overdose', 'naloxone_given'], naloxoneMg: 0.4 })),
  dose('A', '2026-01-20', 'PM', given('2026-01-20')),
  dose('B', '2026-01-20', 'PM', [assessed('2026-01-20')]),
  dose('B', '2026-01-20', 'PM', given('2026-01-20', { adverseEvents: ['ambulance_called'] }), 'top_up'),
  dose('A', '2025-12-31', 'AM', given('2025-12-31', { adverseEvents: ['overdose'] })), // before the period
];

let n = 0;
const record = <D>(kind: CareRecordKind, serviceUserId: string, effectiveDate: string, data: D): CareRecord<D> => ({
  recordId: `r${++n}`, version: 1, serviceUserId, kind, effectiveDate, occurredAt: null, data, enteredInError: false, reason: null, source: 'staff', importId: null, recordedAt: at(effectiveDate), recordedBy: null,
});
const tox = (serviceUserId: string, date: string, results: [string, 'positive' | 'negative'][] | 'refused') =>
  record<ToxicologyRecordData>('toxicology', serviceUserId, date, results === 'refused'
    ? { outcome: 'refused', reasonNotTaken: 'declined', sampleType: null, method: null, results: [], notes: null }
    : { outcome: 'taken', reasonNotTaken: null, sampleType: 'urine', method: 'point_of_care', results: results.map(([substance, result]) => ({ substance, result, level: null, unit: null })), notes: null });
const toxicology = [
  tox('A', '2026-01-12', [['6-MAM', 'positive'], ['Cocaine', 'negative']]),
  tox('B', '2026-01-13', [['6-MAM', 'negative']]),
  tox('B', '2026-01-27', [['6-MAM', 'negative'], ['Cocaine', 'positive']]),
  tox('C', '2026-01-28', 'refused'),
  tox('A', '2026-02-09', [['6-MAM', 'negative']]),
];
const monitoring = { streetHeroinMarkers: ['6-MAM', 'papaverine'] };

const days = (d: number | null) => (d === null ? null : { weeks: null, days: d, averagePerUsingDay: d > 0 ? 1 : null });
const profile = (stage: TopStage, opiates: number | null, crack: number | null, injected: number | null, qol: number | null): OutcomeProfile => ({
  stage,
  substanceUse: { alcohol: null, opiates: days(opiates), crack: days(crack), cocaine: null, amphetamines: null, cannabis: null, other: null, tobacco: null },
  injectingRisk: { injected: injected === null ? null : { weeks: null, days: injected }, sharedNeedleOrSyringe: null, sharedSpoonWaterOrFilter: null },
  crime: { shoplifting: null, drugSelling: null, theftFromOrOfVehicle: null, otherPropertyTheftOrBurglary: null, fraudForgeryOrHandlingStolenGoods: null, assaultOrViolence: null },
  healthAndSocialFunctioning: { psychologicalHealth: null, paidWork: null, collegeOrSchool: null, physicalHealth: null, acuteHousingProblem: null, atRiskOfEviction: null, qualityOfLife: qol },
  notAnswered: [],
});
const outcomes = [
  record('outcome_profile', 'A', '2026-01-10', profile('start', 20, 8, 20, 8)),
  record('outcome_profile', 'B', '2026-01-15', profile('start', 28, null, 24, 6)),
  record('outcome_profile', 'A', '2026-03-10', profile('review', 2, 0, 0, 14)),
  record('outcome_profile', 'C', '2026-02-24', profile('exit', 10, 4, 6, 10)),
  record('outcome_profile', 'H', '2025-10-11', profile('start', 28, 28, 28, 2)), // before the period
];

describe('dashboard figures on the fixed synthetic data set (hand-computed)', () => {
  it('places used: people in accepted, induction and maintenance', () => {
    expect(placesUsed(episodes)).toEqual({ accepted: 1, induction: 1, maintenance: 2 });
  });

  it('referrals in the period and waiting times of inductions in the period', () => {
    // referred in period: B, C, D, E, F, G; inductions in period: A 40, B 10, C 20, F 20 days
    expect(referrals(episodes, from, to)).toEqual({ outcome: { startedTreatment: 3, stillWaiting: 2, didNotStart: 1 }, inductions: 4, medianWaitDays: 20, longestWaitDays: 40 });
  });

  it('retention: durations, status and the Kaplan–Meier steps', () => {
    const r = retention(episodes, to);
    expect(r.durations).toEqual([{ days: 80, ended: false }, { days: 75, ended: false }, { days: 30, ended: true }, { days: 10, ended: false }, { days: 90, ended: true }]);
    expect(r.status).toEqual({ stillInTreatment: 3, dischargedPlanned: 1, dischargedOther: 1 });
    expect(r.steps.map((s) => [s.time, s.atRisk, s.events, s.survival])).toEqual([[10, 5, 0, 1], [30, 4, 1, 0.75], [75, 3, 0, 0.75], [80, 2, 0, 0.75], [90, 1, 1, 0]]);
  });

  it('attendance per session: given, refused, missed, not given (top-ups and other dates left out)', () => {
    expect(Object.fromEntries(attendance(doseCounts(doses, from, to)))).toEqual({ AM: { given: 2, refused: 1, missed: 1, not_given: 0 }, PM: { given: 1, refused: 0, missed: 0, not_given: 1 } });
  });

  it('adverse events and naloxone use from the observation events', () => {
    expect(adverseEvents(doseCounts(doses, from, to))).toEqual({ overdose: 1, naloxone_given: 1, ambulance_called: 1, injection_site_problem: 0, other: 0, naloxone_used: 1 });
  });

  it('street heroin in toxicology by month: people tested and people positive', () => {
    expect(toxicologyByMonth(toxicology, monitoring, from, to)).toEqual([
      { month: '2026-01', tested: 2, positive: 1 },
      { month: '2026-02', tested: 1, positive: 0 },
      { month: '2026-03', tested: 0, positive: 0 },
    ]);
  });

  it('TOP change: people and means per stage', () => {
    const top = topChange(outcomes, from, to);
    const means = top.map((s) => [s.stage, s.people, ...s.measures.map((m) => [m.n, m.mean])]);
    expect(means).toEqual([
      ['start', 2, [2, 24], [1, 8], [2, 22], [2, 7]],
      ['review', 1, [1, 2], [1, 0], [1, 0], [1, 14]],
      ['exit', 1, [1, 10], [1, 4], [1, 6], [1, 10]],
    ]);
  });
});

describe('buildReport', () => {
  const input: ReportInput = { from, to, places: 15, threshold: 3, monitoring, episodes, doses: doseCounts(doses, from, to), toxicology, outcomes };

  it('suppresses every small count and what could reveal it (threshold 3)', () => {
    const r = buildReport(input);
    // places: 1, 1, 2 all below 3; total 4 shown? 4 minus hidden cells of 1..2 each: 3 hidden summing to 4 — not unique.
    expect(r.places.table.cells.flat()).toEqual(['<3', '<3', '<3']);
    expect(r.places.table.total).toBe(4);
    expect(r.places.occupancyPercent).toBe(26.7);
    // referrals: 3 started (shown), 2 waiting and 1 not started hidden; total 6 would give 2+1=3 → both 1..2 sum 3: not unique.
    expect(r.referrals.table.cells[0]).toEqual([3, '<3', '<3']);
    expect(r.referrals.medianWaitDays).toBe(20);
    // retention: 3 still in; 1 and 1 hidden, and with 3 and the total 5 shown they would be 1+1, so
    // the 3 is hidden; then 5 − (≥3) leaves 1+1 again, so the total is hidden too
    expect(r.retention.table.cells[0]).toEqual(['*', '<3', '<3']);
    expect(r.retention.table.columnTotals).toEqual(['*', '<3', '<3']);
    expect(r.retention.table.total).toBe('*');
    expect(r.retention.curve).toEqual([
      { day: 0, atRisk: 5, retainedPercent: 100 },
      // 4 at risk is 1 fewer than the 5 shown before it: hidden, as the difference would be a small count
      { day: 30, atRisk: '*', retainedPercent: '*' },
      { day: 90, atRisk: '<3', retainedPercent: '*' },
    ]);
    expect(r.adverseEvents.find((a) => a.label === 'Overdose')!.doses).toBe('<3');
    expect(r.toxicology[0]).toEqual({ month: '2026-01', tested: '<3', positive: '<3', positivePercent: '*' });
    expect(r.top[0]).toMatchObject({ stage: 'Treatment start', people: '<3' });
    expect(r.top[0]!.measures[0]).toMatchObject({ n: '<3', mean: '*' });
  });

  it('shows everything when the numbers are large enough', () => {
    const many = buildReport({ ...input, threshold: 3, episodes: [...episodes, ...episodes, ...episodes] });
    expect(many.places.table.cells.flat()).toEqual([3, 3, 6]);
    expect(many.referrals.table.cells[0]).toEqual([9, 6, 3]);
  });
});

describe('retentionCurve', () => {
  it('never shows a number at risk below the threshold, nor one a small count below the last shown (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ days: fc.integer({ min: 0, max: 800 }), ended: fc.boolean() }), { maxLength: 60 }), fc.integer({ min: 3, max: 8 }), (durations, t) => {
        const curve = retentionCurve(kaplanMeier(durations), durations, t);
        let last: number | null = null;
        for (const p of curve) {
          if (typeof p.atRisk !== 'number') {
            expect(p.retainedPercent).toBe('*');
            continue;
          }
          expect(p.atRisk === 0 || p.atRisk >= t).toBe(true);
          if (last !== null) expect(last - p.atRisk === 0 || last - p.atRisk >= t).toBe(true);
          last = p.atRisk;
        }
      }),
    );
  });
});
