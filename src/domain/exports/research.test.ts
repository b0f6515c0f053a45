import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import type { CareRecord } from '../care/care-record';
import type { ToxicologyRecordData } from '../care/toxicology';
import { ageBand, buildResearchExtract, hmacHex, dateShift, daysBetween, generaliseToMonth, MAX_SHIFT_DAYS, pseudonym, RESEARCH_CSV_HEADER, researchCsv, shiftDate, type ResearchPersonInput } from './research';
import { topForm } from './test-fixtures';

const MARKERS = ['acetylcodeine'];
const key = () => crypto.getRandomValues(new Uint8Array(32));

function tox(serviceUserId: string, date: string, positive: boolean): CareRecord<ToxicologyRecordData> {
  return {
    recordId: `${serviceUserId}-${date}`,
    version: 1,
    serviceUserId,
    kind: 'toxicology',
    effectiveDate: date,
    occurredAt: null,
    data: { outcome: 'taken', sampleType: 'urine', method: 'point_of_care', results: [{ substance: 'acetylcodeine', result: positive ? 'positive' : 'negative' }] } as unknown as ToxicologyRecordData,
    enteredInError: false,
    reason: null,
    source: 'staff',
    importId: null,
    recordedAt: `${date}T10:00:00Z`,
    recordedBy: 'staff-1',
  };
}

const person = (id: string, over: Partial<ResearchPersonInput> = {}): ResearchPersonInput => ({
  serviceUserId: id,
  dateOfBirth: '1980-05-17',
  referredOn: '2026-02-10',
  triagedOn: '2026-02-12',
  eligibilityDecidedOn: '2026-02-20',
  eligible: true,
  treatmentStartedOn: '2026-03-02',
  dischargedOn: null,
  dischargeReason: null,
  doses: [
    { clinicDate: '2026-03-02', kind: 'dose', status: 'given' },
    { clinicDate: '2026-03-02', kind: 'dose', status: 'refused' },
    { clinicDate: '2026-03-03', kind: 'dose', status: 'missed' },
    { clinicDate: '2026-03-03', kind: 'top_up', status: 'given' },
    { clinicDate: '2026-03-09', kind: 'dose', status: 'partially_given' },
  ],
  toxicology: [tox(id, '2026-03-03', true), tox(id, '2026-03-10', false)],
  outcomeProfiles: [{ date: '2026-03-02', profile: topForm('start') }],
  ...over,
});

describe('pseudonymisation rules', () => {
  it('HMAC-SHA256 gives the RFC 4231 test case 2 answer', () => {
    expect(hmacHex(new TextEncoder().encode('Jefe'), 'what do ya want for nothing?')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('age in five-year bands at a date', () => {
    expect(ageBand('1980-05-17', '2026-05-16')).toBe('45-49');
    expect(ageBand('1980-05-17', '2025-05-17')).toBe('45-49');
    expect(ageBand('1980-05-17', '2025-05-16')).toBe('40-44');
    expect(ageBand('1930-01-01', '2026-01-01')).toBe('90+');
  });

  it('property: every age falls in its band, and bands are five years wide', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40000 }), fc.integer({ min: 0, max: 32000 }), (born, age) => {
        const dob = Temporal.PlainDate.from('1900-01-01').add({ days: born });
        const on = dob.add({ days: age });
        const years = dob.until(on, { largestUnit: 'years' }).years;
        const band = ageBand(dob.toString(), on.toString());
        if (years >= 90) return band === '90+';
        const [lo, hi] = band.split('-').map(Number);
        return lo! <= years && years <= hi! && hi! - lo! === 4 && lo! % 5 === 0;
      }),
    );
  });

  it('property: the shift is 1 to 14 days either way, never 0, the same for a person within an extract', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uuid(), (k, id) => {
        const s = dateShift(k, id);
        return s !== 0 && Math.abs(s) <= MAX_SHIFT_DAYS && Number.isInteger(s) && dateShift(k, id) === s && pseudonym(k, id) === pseudonym(k, id);
      }),
    );
  });

  it('property: a shift keeps every interval between two dates', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 3000 }), fc.integer({ min: -14, max: 14 }), (a, b, s) => {
        const base = Temporal.PlainDate.from('2020-01-01');
        const d1 = base.add({ days: a }).toString();
        const d2 = base.add({ days: b }).toString();
        return daysBetween(shiftDate(d1, s), shiftDate(d2, s)) === daysBetween(d1, d2);
      }),
    );
  });

  it('pseudonyms differ between people and between extracts, and look nothing like the id', () => {
    const k1 = key();
    const k2 = key();
    const id = '0192f0a0-0000-7000-8000-000000000001';
    expect(pseudonym(k1, id)).toMatch(/^P-[0-9a-f]{16}$/);
    expect(pseudonym(k1, id)).not.toBe(pseudonym(k2, id));
    expect(pseudonym(k1, id)).not.toBe(pseudonym(k1, '0192f0a0-0000-7000-8000-000000000002'));
    expect(pseudonym(k1, id)).not.toContain(id.slice(0, 8));
  });

  it('shifts are spread over the whole range across people', () => {
    const k = key();
    const seen = new Set(Array.from({ length: 2000 }, (_, i) => dateShift(k, `person-${i}`)));
    expect(seen.size).toBe(2 * MAX_SHIFT_DAYS);
  });

  it('generalises to the month', () => {
    expect(generaliseToMonth('2026-03-17')).toBe('2026-03');
  });
});

describe('the research extract', () => {
  it('gives episode timings, weekly doses and toxicology, and TOP with shifted dates and exact intervals', () => {
    const k = key();
    const { people } = buildResearchExtract(k, '2026-03-01', '2026-03-15', [person('a')], MARKERS);
    expect(people).toHaveLength(1);
    const p = people[0]!;
    const s = dateShift(k, 'a');
    expect(p).toMatchObject({
      pseudonym: pseudonym(k, 'a'),
      ageBandAtReferral: '45-49',
      referredOn: shiftDate('2026-02-10', s),
      treatmentStartedOn: shiftDate('2026-03-02', s),
      daysToTriage: 2,
      daysToTreatment: 20,
      daysInTreatment: 13,
    });
    expect(p.referredOn).not.toBe('2026-02-10');
    expect(p.weeks).toEqual([
      { weekStarting: shiftDate('2026-03-02', s), weekStartDay: 20, dosesGiven: 1, dosesRefused: 1, dosesMissed: 1, dosesWithheld: 0, topUpsGiven: 1, toxicologySamples: 1, streetHeroin: 'positive' },
      { weekStarting: shiftDate('2026-03-09', s), weekStartDay: 27, dosesGiven: 1, dosesRefused: 0, dosesMissed: 0, dosesWithheld: 0, topUpsGiven: 0, toxicologySamples: 1, streetHeroin: 'negative' },
    ]);
    expect(p.outcomeProfiles).toEqual([expect.objectContaining({ stage: 'start', day: 20, date: shiftDate('2026-03-02', s), opiatesDays: 28, qualityOfLife: 5 })]);
  });

  it('leaves out what happened after the end of the extract and people outside it', () => {
    const k = key();
    const { people } = buildResearchExtract(k, '2026-03-01', '2026-03-05', [
      person('a', { dischargedOn: '2026-03-20', dischargeReason: 'planned' }),
      person('gone', { dischargedOn: '2026-02-25', dischargeReason: 'planned' }),
      person('new', { referredOn: '2026-03-06' }),
    ], MARKERS);
    expect(people.map((p) => p.pseudonym)).toEqual([pseudonym(k, 'a')]);
    expect(people[0]).toMatchObject({ dischargedOn: null, dischargeReason: null, daysInTreatment: 3 });
    expect(people[0]!.weeks.map((w) => w.dosesGiven)).toEqual([1]);
  });

  it('property: intervals between a person\'s dates survive the shift exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 100 }), (tri, start, dis) => {
        const base = Temporal.PlainDate.from('2025-06-01');
        const referredOn = base.toString();
        const triagedOn = base.add({ days: tri }).toString();
        const treatmentStartedOn = base.add({ days: tri + start }).toString();
        const dischargedOn = base.add({ days: tri + start + dis }).toString();
        const k = key();
        const [p] = buildResearchExtract(k, '2025-01-01', '2026-12-31', [person('x', { referredOn, triagedOn, eligibilityDecidedOn: triagedOn, treatmentStartedOn, dischargedOn, dischargeReason: 'planned', doses: [], toxicology: [], outcomeProfiles: [{ date: dischargedOn, profile: topForm('exit') }] })], MARKERS).people;
        expect(daysBetween(p!.referredOn, p!.triagedOn!)).toBe(tri);
        expect(daysBetween(p!.triagedOn!, p!.treatmentStartedOn!)).toBe(start);
        expect(daysBetween(p!.treatmentStartedOn!, p!.dischargedOn!)).toBe(dis);
        expect(daysBetween(p!.referredOn, p!.outcomeProfiles[0]!.date)).toBe(tri + start + dis);
        expect(p!.daysInTreatment).toBe(dis);
        for (const w of p!.weeks) expect(daysBetween(p!.referredOn, w.weekStarting)).toBe(w.weekStartDay);
      }),
      { numRuns: 50 },
    );
  });

  it('writes the extract as one CSV whose lines are linked by the pseudonym, with no source id', () => {
    const k = key();
    const extract = buildResearchExtract(k, '2026-03-01', '2026-03-15', [person('0192f0a0-0000-7000-8000-00000000abcd')], MARKERS);
    const csv = researchCsv(extract);
    const lines = csv.trim().split('\r\n').map((l) => l.split(','));
    expect(lines[0]).toEqual([...RESEARCH_CSV_HEADER]);
    expect(lines.slice(1).map((l) => [l[0], l[1]])).toEqual([
      ['person', extract.people[0]!.pseudonym],
      ['week', extract.people[0]!.pseudonym],
      ['week', extract.people[0]!.pseudonym],
      ['top', extract.people[0]!.pseudonym],
    ]);
    for (const l of lines) expect(l).toHaveLength(RESEARCH_CSV_HEADER.length);
    expect(csv).not.toContain('0192f0a0');
    expect(csv).not.toContain('1980-05-17');
  });
});
