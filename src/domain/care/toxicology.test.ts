import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { z } from 'zod';
import { Temporal } from 'temporal-polyfill';
import { defaultClinicSettings } from '../clinic/clinic-settings';
import { ServiceUserRecordSchema } from '../service-user/record';
import type { CareRecord } from './care-record';
import type { PersonInCare } from './person-in-care';
import { DEFAULT_TOXICOLOGY_PANEL } from './monitoring-settings';
import { checkToxicology, mondayOf, ToxicologyData, toxicologyDue, toxicologyRules, toxicologyTrends, type ToxicologyRecordData } from './toxicology';

const settings = defaultClinicSettings('Test clinic');
const baseRecord = ServiceUserRecordSchema.parse({ familyName: 'Bloggs', givenName: 'Jo', dateOfBirth: '1980-05-17', address: { lines: ['1 High Street'] } });

let seq = 0;
function tox(effectiveDate: string, data: Partial<z.input<typeof ToxicologyData>> = {}): CareRecord<ToxicologyRecordData> {
  seq++;
  return {
    recordId: `00000000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    version: 1,
    serviceUserId: 'su-1',
    kind: 'toxicology',
    effectiveDate,
    occurredAt: null,
    data: ToxicologyData.parse({ outcome: 'taken', sampleType: 'urine', method: 'point_of_care', results: [], ...data }),
    enteredInError: false,
    reason: null,
    source: 'staff',
    importId: null,
    recordedAt: `${effectiveDate}T10:00:00.000Z`,
    recordedBy: 'staff-1',
  };
}

function person(over: Partial<PersonInCare> = {}, record: Partial<PersonInCare['record']> = {}): PersonInCare {
  return {
    serviceUserId: 'su-1',
    record: { ...baseRecord, ...record },
    episodeState: 'maintenance' as PersonInCare['episodeState'],
    inTreatment: true,
    absent: false,
    treatmentStartedOn: '2026-02-01',
    dischargedOn: null,
    prescription: null,
    records: [],
    assessmentBreathTests: [],
    ...over,
  };
}

const input = (p: PersonInCare, today: string) => ({ person: p, settings, today, now: Temporal.Instant.from(`${today}T12:00:00Z`) });

describe('toxicology data', () => {
  const issues = (d: unknown) => {
    const r = ToxicologyData.safeParse(d);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('accepts a taken sample with results, and one awaiting laboratory results', () => {
    expect(issues({ outcome: 'taken', sampleType: 'urine', method: 'point_of_care', results: [{ substance: 'cocaine', result: 'positive' }, { substance: 'methadone', result: 'level', level: 350, unit: 'ng/mL' }] })).toEqual([]);
    expect(issues({ outcome: 'taken', sampleType: 'oral_fluid', method: 'laboratory', results: [] })).toEqual([]);
  });

  it('needs a reason when no sample was taken, and only then', () => {
    expect(issues({ outcome: 'refused' })).toEqual(['reasonNotTaken: give the reason no sample was taken (refused)']);
    expect(issues({ outcome: 'not_possible', reasonNotTaken: 'could not pass urine' })).toEqual([]);
    expect(issues({ outcome: 'taken', sampleType: 'urine', method: 'laboratory', reasonNotTaken: 'x' })).toEqual(['reasonNotTaken: must be empty when a sample was taken']);
  });

  it('a taken sample needs its type and method; results only when taken', () => {
    expect(issues({ outcome: 'taken' })).toEqual(['sampleType: give the type of sample taken', 'method: say whether it was tested at the clinic (point_of_care) or sent to a laboratory']);
    expect(issues({ outcome: 'refused', reasonNotTaken: 'declined', results: [{ substance: 'cocaine', result: 'negative' }] })).toEqual(['results: must be empty when no sample was taken']);
  });

  it('a level only with result "level", and a unit only (and always) with a level', () => {
    const t = (r: object) => issues({ outcome: 'taken', sampleType: 'blood', method: 'laboratory', results: [{ substance: 'methadone', ...r }] });
    expect(t({ result: 'level' })).toEqual(['results.0.level: give the level measured']);
    expect(t({ result: 'positive', level: 3, unit: 'ng/mL' })).toEqual(['results.0.level: must be empty for a positive result (use result "level")']);
    expect(t({ result: 'level', level: 3 })).toEqual(['results.0.unit: give the unit of the level']);
    expect(t({ result: 'negative', unit: 'ng/mL' })).toEqual(['results.0.unit: must be empty without a level']);
    expect(t({ result: 'level', level: -1, unit: 'ng/mL' })).toEqual(['results.0.level: must be 0 or more']);
  });

  it('each substance at most once, whatever its case', () => {
    expect(issues({ outcome: 'taken', sampleType: 'urine', method: 'point_of_care', results: [{ substance: 'Cocaine', result: 'positive' }, { substance: 'cocaine ', result: 'negative' }] })).toEqual(['results.1.substance: cocaine is listed twice']);
  });
});

describe('checkToxicology (the panel)', () => {
  const panel = [...DEFAULT_TOXICOLOGY_PANEL];
  it("stores the panel's spelling of a substance given in any case", () => {
    const d = ToxicologyData.parse({ outcome: 'taken', sampleType: 'urine', method: 'point_of_care', results: [{ substance: '6-mam', result: 'positive' }, { substance: 'edDP', result: 'negative' }] });
    const checked = checkToxicology(d, panel);
    expect(checked).toEqual({ ok: true, value: { ...d, results: [{ ...d.results[0], substance: '6-MAM' }, { ...d.results[1], substance: 'EDDP' }] } });
  });

  it('refuses a substance not in the panel, naming the result and listing the panel', () => {
    const d = ToxicologyData.parse({ outcome: 'taken', sampleType: 'urine', method: 'point_of_care', results: [{ substance: 'cocaine', result: 'negative' }, { substance: 'ketamine', result: 'positive' }] });
    const checked = checkToxicology(d, ['cocaine', 'opiates']);
    expect(checked).toEqual({ ok: false, refusals: [{ rule: 'substance_not_in_panel', field: 'results[1].substance', message: "ketamine is not in the clinic's toxicology panel (cocaine, opiates)" }] });
  });
});

describe('toxicologyDue', () => {
  it('never taken: due the day treatment started (today if unknown)', () => {
    expect(toxicologyDue(person(), settings, '2026-03-10')).toEqual({ dueOn: '2026-02-01', overdue: true, intervalDays: 7, lastTakenOn: null, lastAttempt: null });
    expect(toxicologyDue(person({ treatmentStartedOn: null }), settings, '2026-03-10')).toMatchObject({ dueOn: '2026-03-10', overdue: false });
  });

  it('an interval after the last sample taken; refusals are shown but do not reset it', () => {
    const records = [tox('2026-03-02'), tox('2026-03-09', { outcome: 'refused', reasonNotTaken: 'declined', sampleType: null, method: null })];
    const due = toxicologyDue(person({ records }), settings, '2026-03-10')!;
    expect(due).toMatchObject({ dueOn: '2026-03-09', overdue: true, lastTakenOn: '2026-03-02', lastAttempt: { on: '2026-03-09', outcome: 'refused' } });
    expect(toxicologyRules.workItems(input(person({ records }), '2026-03-10'))).toEqual([
      { list: 'toxicology_due', serviceUserId: 'su-1', dueOn: '2026-03-09', overdue: true, severity: 'warning', text: 'Toxicology overdue since 2026-03-09 (weekly; last sample 2026-03-02; refused 2026-03-09)', recordId: null },
    ]);
    expect(toxicologyRules.alerts(input(person({ records }), '2026-03-10'))).toEqual([{ kind: 'toxicology', severity: 'info', text: 'Toxicology sample overdue since 2026-03-09: ask for one today' }]);
  });

  it("the person's own interval wins over the clinic's; due today is info, and not yet due lists nothing", () => {
    const p = person({ records: [tox('2026-03-02')] }, { toxicologyIntervalDays: 14 });
    expect(toxicologyDue(p, settings, '2026-03-10')).toMatchObject({ dueOn: '2026-03-16', overdue: false, intervalDays: 14 });
    expect(toxicologyRules.workItems(input(p, '2026-03-10'))).toEqual([]);
    expect(toxicologyRules.workItems(input(p, '2026-03-16'))).toEqual([
      expect.objectContaining({ dueOn: '2026-03-16', overdue: false, severity: 'info', text: 'Toxicology due today (fortnightly; last sample 2026-03-02)' }),
    ]);
    expect(toxicologyRules.alerts(input(p, '2026-03-16'))).toEqual([]);
  });

  it("the clinic's interval applies when the person has none", () => {
    const s = { ...settings, monitoring: { ...settings.monitoring, toxicologyIntervalDays: 3 } };
    expect(toxicologyDue(person({ records: [tox('2026-03-02')] }), s, '2026-03-04')).toMatchObject({ dueOn: '2026-03-05', intervalDays: 3 });
  });

  it('nothing is due while away or out of treatment', () => {
    expect(toxicologyDue(person({ absent: true }), settings, '2026-03-10')).toBeNull();
    expect(toxicologyDue(person({ inTreatment: false }), settings, '2026-03-10')).toBeNull();
    expect(toxicologyRules.workItems(input(person({ absent: true }), '2026-03-10'))).toEqual([]);
  });

  it('a sample from before treatment (re)started does not make them overdue before their first day', () => {
    expect(toxicologyDue(person({ records: [tox('2025-06-01')], treatmentStartedOn: '2026-03-08' }), settings, '2026-03-10')).toMatchObject({ dueOn: '2026-03-08', lastTakenOn: '2025-06-01' });
    // A screen at assessment a few days before induction counts.
    expect(toxicologyDue(person({ records: [tox('2026-03-06')], treatmentStartedOn: '2026-03-08' }), settings, '2026-03-10')).toMatchObject({ dueOn: '2026-03-13' });
  });

  it('crosses a daylight-saving change by calendar days', () => {
    expect(toxicologyDue(person({ records: [tox('2026-03-25')] }), settings, '2026-04-01')).toMatchObject({ dueOn: '2026-04-01', overdue: false });
  });

  it('properties: due an interval after the last taken sample (or at the start), never earlier than treatment start; refusals never move it', () => {
    const day = fc.integer({ min: 0, max: 400 }).map((n) => Temporal.PlainDate.from('2025-06-01').add({ days: n }).toString());
    const attempt = fc.record({ on: day, outcome: fc.constantFrom('taken', 'refused', 'not_possible') });
    fc.assert(
      fc.property(fc.array(attempt, { maxLength: 8 }), fc.option(day, { nil: null }), day, fc.integer({ min: 1, max: 90 }), (attempts, start, today, interval) => {
        const records = attempts.map((a) => (a.outcome === 'taken' ? tox(a.on) : tox(a.on, { outcome: a.outcome as 'refused', reasonNotTaken: 'r', sampleType: null, method: null })));
        const p = person({ records, treatmentStartedOn: start }, { toxicologyIntervalDays: interval });
        const due = toxicologyDue(p, settings, today)!;
        const taken = attempts.filter((a) => a.outcome === 'taken').map((a) => a.on).sort();
        const last = taken.at(-1);
        const fromLast = last ? Temporal.PlainDate.from(last).add({ days: interval }).toString() : null;
        const expected = fromLast ? (start && fromLast < start ? start : fromLast) : (start ?? today);
        expect(due.dueOn).toBe(expected);
        expect(due.overdue).toBe(due.dueOn < today);
        expect(due.lastTakenOn).toBe(last ?? null);
        const withoutRefusals = toxicologyDue(person({ records: records.filter((r) => r.data.outcome === 'taken'), treatmentStartedOn: start }, { toxicologyIntervalDays: interval }), settings, today)!;
        expect(withoutRefusals.dueOn).toBe(due.dueOn);
        const items = toxicologyRules.workItems(input(p, today));
        expect(items.length).toBe(due.dueOn <= today ? 1 : 0);
      }),
    );
  });
});

describe('toxicologyTrends', () => {
  const positive = (substance: string) => ({ substance, result: 'positive' as const });
  const negative = (substance: string) => ({ substance, result: 'negative' as const });
  const monitoring = settings.monitoring;

  it('weeks run Monday to Sunday, oldest first, ending with the week containing today', () => {
    expect(mondayOf('2026-03-08')).toBe('2026-03-02'); // a Sunday
    expect(mondayOf('2026-03-09')).toBe('2026-03-09');
    const t = toxicologyTrends([], monitoring, '2026-03-11', 3);
    expect(t.weeks.map((w) => [w.weekStarting, w.weekEnding])).toEqual([
      ['2026-02-23', '2026-03-01'],
      ['2026-03-02', '2026-03-08'],
      ['2026-03-09', '2026-03-15'],
    ]);
    expect(t.summary).toEqual({ weeks: 3, weeksTested: 0, weeksPositiveStreetHeroin: 0, latest4: { weeksTested: 0, weeksPositiveStreetHeroin: 0 } });
  });

  it('street heroin only from its markers: 6-MAM and morphine alone are the prescription', () => {
    const records = [
      tox('2026-02-24', { results: [positive('6-MAM'), positive('morphine'), negative('acetylcodeine')] }),
      tox('2026-03-03', { results: [positive('6-MAM'), positive('papaverine'), positive('cocaine')] }),
      tox('2026-03-05', { results: [positive('cocaine')] }),
      tox('2026-03-10', { outcome: 'refused', reasonNotTaken: 'declined', sampleType: null, method: null }),
    ];
    const t = toxicologyTrends(records, monitoring, '2026-03-11', 3);
    expect(t.weeks.map((w) => [w.streetHeroin, w.samplesTaken, w.attemptsNotTaken, w.positives])).toEqual([
      ['negative', 1, 0, ['6-MAM', 'morphine']],
      ['positive', 2, 0, ['6-MAM', 'papaverine', 'cocaine']],
      ['no_sample', 0, 1, []],
    ]);
    expect(t.summary).toEqual({ weeks: 3, weeksTested: 2, weeksPositiveStreetHeroin: 1, latest4: { weeksTested: 2, weeksPositiveStreetHeroin: 1 } });
    expect(t.substances).toEqual([
      { substance: '6-MAM', positiveSamples: 2, positiveWeeks: 2 },
      { substance: 'cocaine', positiveSamples: 2, positiveWeeks: 1 },
      { substance: 'morphine', positiveSamples: 1, positiveWeeks: 1 },
      { substance: 'papaverine', positiveSamples: 1, positiveWeeks: 1 },
    ]);
  });

  it('pending results and results without any marker are not called negative; a level above 0 is positive', () => {
    const t = toxicologyTrends(
      [
        tox('2026-02-24', { method: 'laboratory' }),
        tox('2026-03-03', { results: [positive('cocaine')] }),
        tox('2026-03-10', { method: 'laboratory', results: [{ substance: 'noscapine', result: 'level', level: 12, unit: 'ng/mL' }] }),
      ],
      monitoring,
      '2026-03-11',
      3,
    );
    expect(t.weeks.map((w) => w.streetHeroin)).toEqual(['results_pending', 'markers_not_tested', 'positive']);
    const zero = toxicologyTrends([tox('2026-03-10', { method: 'laboratory', results: [{ substance: 'noscapine', result: 'level', level: 0, unit: 'ng/mL' }] })], monitoring, '2026-03-11', 1);
    expect(zero.weeks[0]).toMatchObject({ streetHeroin: 'negative', positives: [] });
  });

  it('the latest four weeks are summarised on their own; records outside the period are left out', () => {
    const records = ['2026-01-06', '2026-01-20', '2026-01-27', '2026-02-24', '2026-03-03', '2026-03-10', '2026-03-20'].map((d) => tox(d, { results: [positive('acetylcodeine')] }));
    const t = toxicologyTrends(records, monitoring, '2026-03-11', 8);
    expect(t.summary).toEqual({ weeks: 8, weeksTested: 5, weeksPositiveStreetHeroin: 5, latest4: { weeksTested: 3, weeksPositiveStreetHeroin: 3 } });
  });

  it('properties: one entry per week, each a Monday 7 days after the last; counts agree with the weeks', () => {
    const day = fc.integer({ min: 0, max: 200 }).map((n) => Temporal.PlainDate.from('2025-11-01').add({ days: n }).toString());
    const sample = fc.record({ on: day, heroin: fc.boolean(), pending: fc.boolean() });
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 10 }), day, fc.integer({ min: 1, max: 30 }), (samples, today, weeks) => {
        const records = samples.map((s) => tox(s.on, { results: s.pending ? [] : [s.heroin ? positive('noscapine') : negative('noscapine')] }));
        const t = toxicologyTrends(records, monitoring, today, weeks);
        expect(t.weeks).toHaveLength(weeks);
        t.weeks.forEach((w, i) => {
          expect(Temporal.PlainDate.from(w.weekStarting).dayOfWeek).toBe(1);
          if (i > 0) expect(Temporal.PlainDate.from(t.weeks[i - 1]!.weekStarting).add({ days: 7 }).toString()).toBe(w.weekStarting);
          const inWeek = samples.filter((s) => s.on >= w.weekStarting && s.on <= w.weekEnding);
          expect(w.samplesTaken).toBe(inWeek.length);
          expect(w.streetHeroin === 'positive').toBe(inWeek.some((s) => s.heroin && !s.pending));
        });
        expect(today >= t.weeks.at(-1)!.weekStarting && today <= t.weeks.at(-1)!.weekEnding).toBe(true);
        expect(t.summary.weeksTested).toBe(t.weeks.filter((w) => w.tested).length);
        expect(t.summary.latest4.weeksPositiveStreetHeroin).toBeLessThanOrEqual(t.summary.weeksPositiveStreetHeroin);
      }),
    );
  });
});
