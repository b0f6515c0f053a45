import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import { Temporal } from 'temporal-polyfill';
import { defaultClinicSettings } from '../clinic/clinic-settings';
import type { CareRecord } from './care-record';
import type { PersonInCare } from './person-in-care';
import {
  checkOutcomeProfile,
  directionOf,
  normaliseOutcomeProfile,
  OUTCOME_MEASURES,
  outcomeChange,
  outcomeDue,
  OutcomeProfileData,
  outcomeRules,
  type OutcomeEpisode,
  type OutcomeProfile,
  type TopStage,
} from './outcome-profile';

/** A fully answered form, as staff would send it. */
const topForm = (stage: TopStage = 'start') => ({
  stage,
  substanceUse: {
    alcohol: { weeks: [2, 3, 1, 0], averagePerUsingDay: 12 },
    opiates: { weeks: [7, 7, 7, 7], averagePerUsingDay: 0.5 },
    crack: { days: 10, averagePerUsingDay: 1 },
    cocaine: { days: 0 },
    amphetamines: { days: 0, averagePerUsingDay: null },
    cannabis: { weeks: [1, 1, 1, 1], averagePerUsingDay: 2 },
    other: { name: null, days: 0 },
    tobacco: { days: 28 },
  },
  injectingRisk: { injected: { weeks: [5, 6, 7, 7] }, sharedNeedleOrSyringe: false, sharedSpoonWaterOrFilter: true },
  crime: {
    shoplifting: { weeks: [2, 2, 1, 0] },
    drugSelling: { days: 0 },
    theftFromOrOfVehicle: false,
    otherPropertyTheftOrBurglary: true,
    fraudForgeryOrHandlingStolenGoods: false,
    assaultOrViolence: false,
  },
  healthAndSocialFunctioning: {
    psychologicalHealth: 6,
    paidWork: { days: 0 },
    collegeOrSchool: { days: 0 },
    physicalHealth: 9,
    acuteHousingProblem: true,
    atRiskOfEviction: false,
    qualityOfLife: 5,
  },
});

type Form = ReturnType<typeof topForm>;
const parse = (input: unknown) => OutcomeProfileData.safeParse(input);
const stored = (input: unknown): OutcomeProfile => normaliseOutcomeProfile(OutcomeProfileData.parse(input));
const issues = (input: unknown) => {
  const r = parse(input);
  expect(r.success).toBe(false);
  return r.error!.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
};
const withAt = (form: Form, path: string, value: unknown) => {
  const copy = structuredClone(form) as Record<string, unknown>;
  const keys = path.split('.');
  let o = copy as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
  if (value === undefined) delete o[keys.at(-1)!];
  else o[keys.at(-1)!] = value;
  return copy;
};

describe('the TOP form', () => {
  it('keeps both the weeks and their total, or the total alone', () => {
    const p = stored(topForm());
    expect(p.substanceUse.alcohol).toEqual({ weeks: [2, 3, 1, 0], days: 6, averagePerUsingDay: 12 });
    expect(p.substanceUse.crack).toEqual({ weeks: null, days: 10, averagePerUsingDay: 1 });
    expect(p.injectingRisk.injected).toEqual({ weeks: [5, 6, 7, 7], days: 25 });
    expect(p.crime.shoplifting!.days).toBe(5);
    expect(p.notAnswered).toEqual([]);
  });

  it('refuses weeks that do not add up to the total, naming the item', () => {
    const bad = withAt(topForm(), 'substanceUse.alcohol', { weeks: [2, 3, 1, 0], days: 7, averagePerUsingDay: 12 });
    expect(issues(bad)).toEqual([{ path: 'substanceUse.alcohol', message: 'the four weeks add up to 6 days, but the total says 7' }]);
    expect(parse(withAt(topForm(), 'substanceUse.alcohol', { weeks: [2, 3, 1, 0], days: 6, averagePerUsingDay: 12 })).success).toBe(true);
  });

  it('refuses days outside the week, the four weeks and the rating scale', () => {
    expect(issues(withAt(topForm(), 'crime.shoplifting', { weeks: [1, 8, 0, 0] }))[0]!.path).toBe('crime.shoplifting.weeks.1');
    expect(issues(withAt(topForm(), 'crime.drugSelling', { days: 29 }))[0]!.path).toBe('crime.drugSelling.days');
    expect(issues(withAt(topForm(), 'crime.drugSelling', { days: -1 }))[0]!.path).toBe('crime.drugSelling.days');
    expect(issues(withAt(topForm(), 'crime.drugSelling', { days: 2.5 }))[0]!.path).toBe('crime.drugSelling.days');
    expect(issues(withAt(topForm(), 'crime.drugSelling', { weeks: [1, 1, 1] }))[0]!.path).toBe('crime.drugSelling.weeks');
    expect(issues(withAt(topForm(), 'healthAndSocialFunctioning.qualityOfLife', 21))).toEqual([{ path: 'healthAndSocialFunctioning.qualityOfLife', message: 'must be from 0 (poor) to 20 (good)' }]);
    expect(issues(withAt(topForm(), 'healthAndSocialFunctioning.physicalHealth', -1))[0]!.path).toBe('healthAndSocialFunctioning.physicalHealth');
    expect(issues(withAt(topForm(), 'stage', 'post_treatment'))[0]!.path).toBe('stage');
  });

  it('needs the weeks or the total for an answered days item', () => {
    expect(issues(withAt(topForm(), 'crime.shoplifting', {}))).toEqual([{ path: 'crime.shoplifting', message: expect.stringContaining('give the days in each of the four weeks') }]);
    expect(issues(withAt(topForm(), 'crime.shoplifting', { weeks: null, days: null }))[0]!.path).toBe('crime.shoplifting');
  });

  it('an item left out is an error naming it; null is "not answered", counted as missing and never as zero', () => {
    expect(issues(withAt(topForm(), 'healthAndSocialFunctioning.atRiskOfEviction', undefined))).toEqual([
      { path: 'healthAndSocialFunctioning.atRiskOfEviction', message: 'is missing: give the answer, or null if not answered (refused or not asked)' },
    ]);
    expect(issues(withAt(topForm(), 'substanceUse.crack', undefined))[0]!.path).toBe('substanceUse.crack');
    let form = withAt(topForm(), 'substanceUse.crack', null) as Form;
    form = withAt(form, 'healthAndSocialFunctioning.psychologicalHealth', null) as Form;
    form = withAt(form, 'injectingRisk.sharedNeedleOrSyringe', null) as Form;
    const p = stored(form);
    expect(p.substanceUse.crack).toBeNull();
    expect(p.healthAndSocialFunctioning.psychologicalHealth).toBeNull();
    expect(p.notAnswered).toEqual(['substanceUse.crack', 'injectingRisk.sharedNeedleOrSyringe', 'healthAndSocialFunctioning.psychologicalHealth']);
  });

  it('an amount on a using day is missing only when there were using days', () => {
    const p = stored(withAt(topForm(), 'substanceUse.opiates', { days: 20 }));
    expect(p.substanceUse.opiates).toEqual({ weeks: null, days: 20, averagePerUsingDay: null });
    expect(p.notAnswered).toEqual(['substanceUse.opiates.averagePerUsingDay']);
    expect(stored(topForm()).notAnswered).not.toContain('substanceUse.cocaine.averagePerUsingDay');
  });

  it('refuses an amount with no using days, other days without a name, and sharing without injecting', () => {
    expect(issues(withAt(topForm(), 'substanceUse.cocaine', { days: 0, averagePerUsingDay: 1 }))).toEqual([
      { path: 'substanceUse.cocaine.averagePerUsingDay', message: 'must be empty (null) or 0 when there were no using days' },
    ]);
    expect(issues(withAt(topForm(), 'substanceUse.other', { name: null, days: 3 }))[0]!.path).toBe('substanceUse.other.name');
    expect(parse(withAt(topForm(), 'substanceUse.other', { name: 'pregabalin', weeks: [1, 0, 0, 2] })).success).toBe(true);
    const noInjecting = withAt(topForm(), 'injectingRisk', { injected: { days: 0 }, sharedNeedleOrSyringe: true, sharedSpoonWaterOrFilter: true });
    expect(issues(noInjecting).map((i) => i.path)).toEqual(['injectingRisk.sharedNeedleOrSyringe', 'injectingRisk.sharedSpoonWaterOrFilter']);
    expect(parse(withAt(topForm(), 'injectingRisk', { injected: { days: 0 }, sharedNeedleOrSyringe: false, sharedSpoonWaterOrFilter: null })).success).toBe(true);
  });

  it('what is stored reads back through the same schema unchanged (the API sends it through it)', () => {
    const p = stored(topForm());
    const encoded = z.safeEncode(OutcomeProfileData.loose(), { ...p } as z.output<ReturnType<typeof OutcomeProfileData.loose>>);
    expect(encoded.success).toBe(true);
    expect(normaliseOutcomeProfile(OutcomeProfileData.parse(p))).toEqual(p);
  });

  it('property: the total is the sum of the weeks; a wrong total is refused at that item', () => {
    const week = fc.integer({ min: 0, max: 7 });
    fc.assert(
      fc.property(fc.tuple(week, week, week, week), fc.integer({ min: 0, max: 28 }), (weeks, total) => {
        const sumOf = weeks.reduce((a, b) => a + b, 0);
        const ok = stored(withAt(topForm(), 'crime.drugSelling', { weeks }));
        expect(ok.crime.drugSelling).toEqual({ weeks, days: sumOf });
        const both = parse(withAt(topForm(), 'crime.drugSelling', { weeks, days: total }));
        expect(both.success).toBe(total === sumOf);
        if (!both.success) expect(both.error.issues.map((i) => i.path.join('.'))).toEqual(['crime.drugSelling']);
      }),
    );
  });

  it('property: exactly the items sent as null are listed as not answered', () => {
    const items = [
      'substanceUse.alcohol',
      'substanceUse.other',
      'substanceUse.tobacco',
      'injectingRisk.injected',
      'injectingRisk.sharedSpoonWaterOrFilter',
      'crime.drugSelling',
      'crime.assaultOrViolence',
      'healthAndSocialFunctioning.paidWork',
      'healthAndSocialFunctioning.qualityOfLife',
      'healthAndSocialFunctioning.acuteHousingProblem',
    ];
    fc.assert(
      fc.property(fc.subarray(items), (nulls) => {
        let form = topForm();
        for (const path of nulls) form = withAt(form, path, null) as Form;
        const p = stored(form);
        expect(p.notAnswered.sort()).toEqual([...nulls].sort());
        for (const m of OUTCOME_MEASURES) {
          if (nulls.some((n) => m.measure === n || m.measure.startsWith(`${n}.`))) expect(m.get(p)).toBeNull();
        }
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------

let seq = 0;
const rec = (effectiveDate: string, stage: TopStage, data: Partial<OutcomeProfile> = {}): CareRecord<OutcomeProfile> => ({
  recordId: `r${String(++seq).padStart(4, '0')}`,
  version: 1,
  serviceUserId: 'su',
  kind: 'outcome_profile',
  effectiveDate,
  occurredAt: null,
  data: { ...stored(topForm(stage)), ...data },
  enteredInError: false,
  reason: null,
  source: 'staff',
  importId: null,
  recordedAt: `${effectiveDate}T12:00:00.000Z`,
  recordedBy: 'staff',
});

describe('which profiles may be recorded', () => {
  const inTreatment: OutcomeEpisode = { state: 'maintenance', referredOn: '2026-01-20', treatmentStartedOn: '2026-03-02', dischargedOn: null };
  const check = (stage: TopStage, date: string, episode: OutcomeEpisode, others: CareRecord<OutcomeProfile>[] = []) => checkOutcomeProfile(stored(topForm(stage)), date, episode, others);
  const rules = (d: ReturnType<typeof check>) => (d.ok ? [] : d.refusals.map((r) => r.rule));

  it('one start profile per episode; one done at assessment (within 28 days of starting) counts', () => {
    expect(check('start', '2026-03-05', inTreatment).ok).toBe(true);
    expect(rules(check('start', '2026-03-05', inTreatment, [rec('2026-03-02', 'start')]))).toEqual(['start_profile_exists']);
    expect(rules(check('start', '2026-03-05', inTreatment, [rec('2026-02-02', 'start')]))).toEqual(['start_profile_exists']);
    // 29 days before treatment started: another episode's, or too early to count.
    expect(check('start', '2026-03-05', inTreatment, [rec('2026-02-01', 'start')]).ok).toBe(true);
    expect(rules(check('start', '2026-02-01', inTreatment))).toEqual(['before_episode']);
  });

  it('a start profile at assessment, before treatment; not after discharge, nor without a referral', () => {
    const assessing: OutcomeEpisode = { state: 'assessing', referredOn: '2026-02-10', treatmentStartedOn: null, dischargedOn: null };
    expect(check('start', '2026-02-12', assessing).ok).toBe(true);
    expect(rules(check('start', '2026-02-12', assessing, [rec('2026-02-11', 'start')]))).toEqual(['start_profile_exists']);
    expect(check('start', '2026-02-12', assessing, [rec('2026-01-11', 'start')]).ok).toBe(true);
    expect(rules(check('start', '2026-02-09', assessing))).toEqual(['before_episode']);
    expect(rules(check('review', '2026-02-12', assessing, [rec('2026-02-11', 'start')]))).toEqual(['not_in_treatment']);
    const discharged: OutcomeEpisode = { ...inTreatment, state: 'discharged', dischargedOn: '2026-06-01' };
    expect(rules(check('start', '2026-06-02', discharged))).toEqual(['episode_ended']);
    expect(rules(check('start', '2026-06-02', { state: null, referredOn: null, treatmentStartedOn: null, dischargedOn: null }))).toEqual(['no_treatment_episode']);
    expect(rules(check('start', '2026-06-02', { state: 'not_eligible', referredOn: '2026-06-01', treatmentStartedOn: null, dischargedOn: null }))).toEqual(['no_treatment_episode']);
  });

  it('a review needs the start profile first', () => {
    expect(rules(check('review', '2026-09-02', inTreatment))).toEqual(['start_profile_missing']);
    expect(rules(check('review', '2026-09-02', inTreatment, [rec('2026-01-01', 'start')]))).toEqual(['start_profile_missing']);
    expect(rules(check('review', '2026-03-01', inTreatment, [rec('2026-03-02', 'start')]))).toEqual(['start_profile_missing']);
    expect(check('review', '2026-09-02', inTreatment, [rec('2026-03-02', 'start')]).ok).toBe(true);
    expect(check('review', '2026-09-02', inTreatment, [rec('2026-03-02', 'start'), rec('2026-06-02', 'review')]).ok).toBe(true);
  });

  it('an exit profile in treatment (just before discharge) or after discharge, once per episode', () => {
    expect(check('exit', '2026-09-02', inTreatment, [rec('2026-03-02', 'start')]).ok).toBe(true);
    const discharged: OutcomeEpisode = { ...inTreatment, state: 'discharged', dischargedOn: '2026-09-01' };
    expect(check('exit', '2026-09-02', discharged).ok).toBe(true);
    expect(rules(check('exit', '2026-09-02', discharged, [rec('2026-08-30', 'exit')]))).toEqual(['exit_profile_exists']);
    expect(check('exit', '2026-09-02', discharged, [rec('2025-08-30', 'exit')]).ok).toBe(true);
    const neverTreated: OutcomeEpisode = { state: 'waiting_list', referredOn: '2026-02-10', treatmentStartedOn: null, dischargedOn: null };
    expect(rules(check('exit', '2026-02-12', neverTreated))).toEqual(['not_in_treatment']);
  });
});

// ---------------------------------------------------------------------------------------------

const monitoring = { outcomeEntryWithinDays: 14, outcomeReviewMonths: 6 };
const person = (over: Partial<PersonInCare> = {}): PersonInCare => ({
  serviceUserId: 'su',
  record: {} as PersonInCare['record'],
  episodeState: 'maintenance',
  inTreatment: true,
  absent: false,
  treatmentStartedOn: '2026-03-02',
  dischargedOn: null,
  prescription: null,
  records: [],
  assessmentBreathTests: [],
  ...over,
});

describe('when a profile is due', () => {
  it('the start profile by two weeks after treatment started; overdue after', () => {
    expect(outcomeDue(person(), monitoring, '2026-03-10')).toMatchObject({ stage: 'start', dueOn: '2026-03-16', overdue: false, since: '2026-03-02' });
    expect(outcomeDue(person(), monitoring, '2026-03-16')!.overdue).toBe(false);
    expect(outcomeDue(person(), monitoring, '2026-03-17')).toMatchObject({ stage: 'start', overdue: true, text: 'Start TOP due by 2026-03-16: treatment started on 2026-03-02, no start profile yet' });
    expect(outcomeDue(person(), { ...monitoring, outcomeEntryWithinDays: 0 }, '2026-03-02')!.dueOn).toBe('2026-03-02');
    // Across the clocks going forward (29 March 2026 in the UK): calendar days, not hours.
    expect(outcomeDue(person({ treatmentStartedOn: '2026-03-20' }), monitoring, '2026-03-30')!.dueOn).toBe('2026-04-03');
  });

  it('a start profile done at assessment counts (28 days before), an older one does not', () => {
    expect(outcomeDue(person({ records: [rec('2026-02-02', 'start')] }), monitoring, '2026-03-20')).toBeNull();
    expect(outcomeDue(person({ records: [rec('2026-02-01', 'start')] }), monitoring, '2026-03-20')!.stage).toBe('start');
    // A review or exit does not stand in for the start profile.
    expect(outcomeDue(person({ records: [rec('2026-03-05', 'review')] }), monitoring, '2026-03-20')!.stage).toBe('start');
  });

  it('a review 6 calendar months after the latest profile, listed from two weeks before', () => {
    const records = [rec('2026-03-02', 'start')];
    expect(outcomeDue(person({ records }), monitoring, '2026-08-18')).toBeNull();
    expect(outcomeDue(person({ records }), monitoring, '2026-08-19')).toMatchObject({ stage: 'review', dueOn: '2026-09-02', overdue: false });
    expect(outcomeDue(person({ records }), monitoring, '2026-09-02')).toMatchObject({ dueOn: '2026-09-02', overdue: false, lastProfile: { recordId: records[0]!.recordId, stage: 'start', effectiveDate: '2026-03-02' } });
    expect(outcomeDue(person({ records }), monitoring, '2026-09-03')).toMatchObject({ overdue: true, text: '6-month review TOP overdue since 2026-09-02: last profile (treatment start) on 2026-03-02' });
    const after = [...records, rec('2026-08-25', 'review')];
    expect(outcomeDue(person({ records: after }), monitoring, '2026-09-03')).toBeNull();
    expect(outcomeDue(person({ records: after }), monitoring, '2027-02-25')!.dueOn).toBe('2027-02-25');
    expect(outcomeDue(person({ records: [rec('2026-08-31', 'start')], treatmentStartedOn: '2026-08-31' }), monitoring, '2027-03-01')!.dueOn).toBe('2027-02-28');
    expect(outcomeDue(person({ records }), { ...monitoring, outcomeReviewMonths: 3 }, '2026-06-02')).toMatchObject({ dueOn: '2026-06-02', text: expect.stringMatching(/^3-month review TOP due/) });
  });

  it('nothing while away, before treatment, or once the exit profile is done', () => {
    expect(outcomeDue(person({ absent: true }), monitoring, '2026-04-01')).toBeNull();
    expect(outcomeDue(person({ absent: true, records: [rec('2026-03-02', 'start')] }), monitoring, '2026-10-01')).toBeNull();
    expect(outcomeDue(person({ inTreatment: false, episodeState: 'assessing', treatmentStartedOn: null }), monitoring, '2026-04-01')).toBeNull();
    expect(outcomeDue(person({ records: [rec('2026-03-02', 'start'), rec('2026-05-02', 'exit')] }), monitoring, '2026-12-01')).toBeNull();
  });

  it('an exit profile on the day of discharge, for 28 days, unless one was done since treatment started', () => {
    const discharged = { inTreatment: false, episodeState: 'discharged' as const, dischargedOn: '2026-05-01', records: [rec('2026-03-02', 'start')] };
    expect(outcomeDue(person(discharged), monitoring, '2026-05-01')).toMatchObject({ stage: 'exit', dueOn: '2026-05-01', overdue: false });
    expect(outcomeDue(person(discharged), monitoring, '2026-05-02')).toMatchObject({ stage: 'exit', overdue: true, text: 'Exit TOP due: discharged on 2026-05-01, no exit profile since treatment started on 2026-03-02' });
    expect(outcomeDue(person(discharged), monitoring, '2026-05-29')!.stage).toBe('exit');
    expect(outcomeDue(person(discharged), monitoring, '2026-05-30')).toBeNull();
    expect(outcomeDue(person({ ...discharged, records: [...discharged.records, rec('2026-04-29', 'exit')] }), monitoring, '2026-05-02')).toBeNull();
    expect(outcomeDue(person({ ...discharged, records: [rec('2025-04-29', 'exit')] }), monitoring, '2026-05-02')!.stage).toBe('exit');
    expect(outcomeDue(person({ ...discharged, treatmentStartedOn: null }), monitoring, '2026-05-02')).toBeNull();
  });

  it('work items: outcomes_due, a warning when overdue, info before; no alerts', () => {
    const settings = defaultClinicSettings('Test');
    const input = (today: string) => ({ person: person(), settings, today, now: Temporal.Instant.from(`${today}T12:00:00Z`) });
    expect(outcomeRules.workItems(input('2026-03-10'))).toEqual([
      { list: 'outcomes_due', serviceUserId: 'su', dueOn: '2026-03-16', overdue: false, severity: 'info', text: 'Start TOP due by 2026-03-16: treatment started on 2026-03-02, no start profile yet', recordId: null },
    ]);
    expect(outcomeRules.workItems(input('2026-03-17'))[0]).toMatchObject({ overdue: true, severity: 'warning' });
    expect(outcomeRules.alerts(input('2026-03-17'))).toEqual([]);
  });

  const day = fc.integer({ min: 0, max: 1500 }).map((n) => Temporal.PlainDate.from('2025-01-01').add({ days: n }).toString());

  it('property: the review is always exactly N calendar months after the latest profile', () => {
    fc.assert(
      fc.property(day, fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 4 }), fc.integer({ min: 1, max: 12 }), (started, gaps, months) => {
        const dates = [started, ...gaps.map((g) => Temporal.PlainDate.from(started).add({ days: g }).toString())];
        const records = dates.map((d, i) => rec(d, i === 0 ? 'start' : 'review'));
        const latest = Temporal.PlainDate.from([...dates].sort().at(-1)!);
        const today = latest.add({ years: 2 }).toString();
        const due = outcomeDue(person({ treatmentStartedOn: started, records }), { outcomeEntryWithinDays: 14, outcomeReviewMonths: months }, today)!;
        expect(due.stage).toBe('review');
        expect(due.since).toBe(latest.toString());
        const d = Temporal.PlainDate.from(due.dueOn);
        expect(d.year * 12 + d.month - (latest.year * 12 + latest.month)).toBe(months);
        expect(d.day).toBe(Math.min(latest.day, d.daysInMonth));
        expect(due.overdue).toBe(true);
      }),
    );
  });

  it('property: nothing is due for anyone away or not in treatment, except the exit profile after discharge', () => {
    const profiles = fc.array(fc.tuple(day, fc.constantFrom<TopStage>('start', 'review', 'exit')), { maxLength: 4 });
    fc.assert(
      fc.property(day, fc.option(day, { nil: null }), fc.option(day, { nil: null }), fc.boolean(), fc.boolean(), profiles, (today, started, dischargedOn, inTreatment, absent, ps) => {
        const p = person({ inTreatment, absent, treatmentStartedOn: started, dischargedOn: inTreatment ? null : dischargedOn, records: ps.map(([d, s]) => rec(d, s)) });
        const due = outcomeDue(p, monitoring, today);
        if (!started) expect(due).toBeNull();
        if (inTreatment && absent) expect(due).toBeNull();
        if (!inTreatment && due) {
          expect(due.stage).toBe('exit');
          expect(due.dueOn).toBe(dischargedOn);
          expect(dischargedOn! <= today).toBe(true);
          expect(Temporal.PlainDate.from(dischargedOn!).until(today).days).toBeLessThanOrEqual(28);
        }
        if (inTreatment && due) expect(due.stage).not.toBe('exit');
        if (due) expect(due.overdue).toBe(due.dueOn < today);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('change since the start profile', () => {
  const at = (form: Form, path: string, value: unknown) => stored(withAt(form, path, value));

  it('nothing to compare without a start profile; unknown without a later one', () => {
    expect(outcomeChange([])).toEqual({ start: null, latest: null, measures: [] });
    expect(outcomeChange([rec('2026-03-02', 'review')])).toEqual({ start: null, latest: null, measures: [] });
    const onlyStart = outcomeChange([rec('2026-03-02', 'start')]);
    expect(onlyStart.latest).toBeNull();
    expect(onlyStart.measures.every((m) => m.direction === 'unknown' && m.latest === null && m.change === null)).toBe(true);
  });

  it('fewer days of use and crime, higher ratings, more work and yes to no are better', () => {
    const start = rec('2026-03-02', 'start');
    let later = topForm('review');
    later = withAt(later, 'substanceUse.opiates', { days: 4, averagePerUsingDay: 0.2 }) as Form;
    later = withAt(later, 'substanceUse.cocaine', { days: 2, averagePerUsingDay: 1 }) as Form;
    later = withAt(later, 'healthAndSocialFunctioning.psychologicalHealth', 12) as Form;
    later = withAt(later, 'healthAndSocialFunctioning.physicalHealth', 4) as Form;
    later = withAt(later, 'healthAndSocialFunctioning.paidWork', { weeks: [3, 3, 0, 0] }) as Form;
    later = withAt(later, 'healthAndSocialFunctioning.acuteHousingProblem', false) as Form;
    later = withAt(later, 'crime.assaultOrViolence', true) as Form;
    later = withAt(later, 'healthAndSocialFunctioning.qualityOfLife', null) as Form;
    const review = rec('2026-09-02', 'review', stored(later));
    const c = outcomeChange([review, start]);
    expect(c.start).toEqual({ recordId: start.recordId, effectiveDate: '2026-03-02' });
    expect(c.latest).toEqual({ recordId: review.recordId, effectiveDate: '2026-09-02', stage: 'review' });
    const m = Object.fromEntries(c.measures.map((x) => [x.measure, x]));
    expect(m['substanceUse.opiates.days']).toEqual({ measure: 'substanceUse.opiates.days', label: 'Opiates/opioids (illicit): days used', start: 28, latest: 4, change: -24, direction: 'better' });
    expect(m['substanceUse.cocaine.days']).toMatchObject({ start: 0, latest: 2, change: 2, direction: 'worse' });
    expect(m['substanceUse.alcohol.days']).toMatchObject({ start: 6, latest: 6, change: 0, direction: 'same' });
    expect(m['healthAndSocialFunctioning.psychologicalHealth']).toMatchObject({ start: 6, latest: 12, change: 6, direction: 'better' });
    expect(m['healthAndSocialFunctioning.physicalHealth']).toMatchObject({ change: -5, direction: 'worse' });
    expect(m['healthAndSocialFunctioning.paidWork.days']).toMatchObject({ start: 0, latest: 6, direction: 'better' });
    expect(m['healthAndSocialFunctioning.acuteHousingProblem']).toMatchObject({ start: true, latest: false, change: null, direction: 'better' });
    expect(m['crime.assaultOrViolence']).toMatchObject({ start: false, latest: true, direction: 'worse' });
    expect(m['crime.otherPropertyTheftOrBurglary']).toMatchObject({ start: true, latest: true, direction: 'same' });
    expect(m['healthAndSocialFunctioning.qualityOfLife']).toMatchObject({ start: 5, latest: null, change: null, direction: 'unknown' });
  });

  it('compares with the latest profile after the latest start, leaving out records entered in error', () => {
    const start = rec('2026-03-02', 'start');
    const r1 = rec('2026-09-02', 'review', at(topForm('review'), 'healthAndSocialFunctioning.qualityOfLife', 10));
    const r2 = rec('2027-03-02', 'exit', at(topForm('exit'), 'healthAndSocialFunctioning.qualityOfLife', 15));
    const c = outcomeChange([r2, start, r1]);
    expect(c.latest!.recordId).toBe(r2.recordId);
    expect(c.measures.find((x) => x.measure === 'healthAndSocialFunctioning.qualityOfLife')!.change).toBe(10);
    expect(outcomeChange([start, r1, { ...r2, enteredInError: true }]).latest!.recordId).toBe(r1.recordId);
    const newStart = rec('2028-01-10', 'start');
    expect(outcomeChange([start, r1, r2, newStart])).toMatchObject({ start: { recordId: newStart.recordId }, latest: null });
  });

  it('a different "other problem substance" cannot be compared', () => {
    const start = rec('2026-03-02', 'start', at(topForm(), 'substanceUse.other', { name: 'pregabalin', days: 10 }));
    const same = rec('2026-09-02', 'review', at(topForm('review'), 'substanceUse.other', { name: 'Pregabalin ', days: 4 }));
    const other = rec('2026-09-02', 'review', at(topForm('review'), 'substanceUse.other', { name: 'ketamine', days: 4 }));
    expect(outcomeChange([start, same]).measures.find((m) => m.measure === 'substanceUse.other.days')).toMatchObject({ change: -6, direction: 'better' });
    expect(outcomeChange([start, other]).measures.find((m) => m.measure === 'substanceUse.other.days')).toMatchObject({ change: null, direction: 'unknown' });
  });

  it('property: swapping start and latest swaps better and worse; unknown exactly when an answer is missing', () => {
    const value = fc.option(fc.integer({ min: 0, max: 28 }), { nil: null });
    const yn = fc.option(fc.boolean(), { nil: null });
    const flip = { better: 'worse', worse: 'better', same: 'same', unknown: 'unknown' } as const;
    fc.assert(
      fc.property(fc.constantFrom('fewer' as const, 'more' as const), value, value, (better, a, b) => {
        const d = directionOf(better, a, b);
        expect(directionOf(better, b, a)).toBe(flip[d]);
        expect(d === 'unknown').toBe(a === null || b === null);
        if (d === 'better') expect(better === 'fewer' ? b! < a! : b! > a!).toBe(true);
      }),
    );
    fc.assert(
      fc.property(yn, yn, (a, b) => {
        const d = directionOf('no', a, b);
        expect(directionOf('no', b, a)).toBe(flip[d]);
        expect(d === 'better').toBe(a === true && b === false);
      }),
    );
  });
});
