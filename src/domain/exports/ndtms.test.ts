import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { topForm } from './test-fixtures';
import { activeInMonth, buildNdtmsRows, initialOf, monthBounds, NDTMS_FIELDS, ndtmsCsv, ndtmsSex, postcodeDistrict, validateNdtms, type NdtmsEpisodeInput, type NdtmsRow } from './ndtms';

const episode = (over: Partial<NdtmsEpisodeInput> = {}): NdtmsEpisodeInput => ({
  serviceUserId: 'su-1',
  episodeId: 'ep-1',
  givenName: 'Joanne',
  familyName: 'Bloggs',
  dateOfBirth: '1980-05-17',
  sex: 'F',
  postcode: 'TS1 1AA',
  noFixedAbode: false,
  referredOn: '2026-02-10',
  triagedOn: '2026-02-12',
  notEligibleOn: null,
  treatmentStartedOn: '2026-03-02',
  dischargedOn: null,
  dischargeReason: null,
  outcomeProfiles: [{ date: '2026-03-02', profile: topForm('start') }],
  ...over,
});

describe('NDTMS rows', () => {
  it('maps an episode in treatment to one row with its modality and the TOP of the month', () => {
    const [row, ...rest] = buildNdtmsRows('2026-03', [episode()]);
    expect(rest).toEqual([]);
    expect(row).toMatchObject({
      CLIENTID: 'su-1',
      FINITIAL: 'J',
      SINITIAL: 'B',
      DOB: '1980-05-17',
      SEX: 'F',
      PC: 'TS1',
      REFLD: '2026-02-10',
      TRIAGED: '2026-02-12',
      MODAL: 'specialist_prescribing',
      MODSUB: 'injectable_opioid_treatment',
      MODST: '2026-03-02',
      MODEND: null,
      DISD: null,
      TOPDATE: '2026-03-02',
      TRSTAGE: 'S',
      TOPOPID: 28,
      TOPALCD: 6,
      TOPALCU: 12,
      TOPCANND: null,
      TOPINJD: 25,
      TOPSHNDL: 'N',
      TOPSHOTH: 'Y',
      TOPQOL: 5,
    });
    expect(validateNdtms('2026-03', [row!])).toEqual([]);
  });

  it('leaves out episodes ended before the month or referred after it, and dates after the month end', () => {
    const rows = buildNdtmsRows('2026-03', [
      episode({ serviceUserId: 'gone', dischargedOn: '2026-02-27', dischargeReason: 'planned' }),
      episode({ serviceUserId: 'later', referredOn: '2026-04-01', triagedOn: null, treatmentStartedOn: null, outcomeProfiles: [] }),
      episode({ serviceUserId: 'refused', treatmentStartedOn: null, notEligibleOn: '2026-02-20', outcomeProfiles: [] }),
      episode({ serviceUserId: 'in', treatmentStartedOn: '2026-04-02', outcomeProfiles: [] }),
    ]);
    expect(rows.map((r) => r.CLIENTID)).toEqual(['in']);
    expect(rows[0]).toMatchObject({ MODST: null, MODAL: null, TOPDATE: null });
  });

  it('maps discharge reasons, and leaves "other" for a person to decide', () => {
    const [done] = buildNdtmsRows('2026-03', [episode({ dischargedOn: '2026-03-20', dischargeReason: 'disengaged' })]);
    expect(done).toMatchObject({ MODEND: '2026-03-20', DISD: '2026-03-20', DISRSN: 'incomplete_dropped_out' });
    const [other] = buildNdtmsRows('2026-03', [episode({ dischargedOn: '2026-03-20', dischargeReason: 'other' })]);
    expect(other!.DISRSN).toBeNull();
    expect(validateNdtms('2026-03', [other!])).toEqual([expect.objectContaining({ row: 1, field: 'DISRSN', message: expect.stringContaining('choose one') })]);
  });

  it('reports no fixed abode as ZZ99 and a missing sex as a problem naming the row and field', () => {
    const rows = buildNdtmsRows('2026-03', [episode({ serviceUserId: 'a' }), episode({ serviceUserId: 'b', sex: null, noFixedAbode: true, postcode: null })]);
    expect(rows[1]!.PC).toBe('ZZ99');
    expect(validateNdtms('2026-03', rows)).toEqual([{ row: 2, clientId: 'b', field: 'SEX', message: expect.stringContaining('sex was never asked') }]);
  });
});

describe('NDTMS validation', () => {
  const good = (): NdtmsRow => buildNdtmsRows('2026-03', [episode()])[0]!;
  const problemsOf = (over: Partial<NdtmsRow>) => validateNdtms('2026-03', [{ ...good(), ...over }]).map((p) => `${p.field}: ${p.message}`);

  it('checks formats and codes field by field', () => {
    expect(problemsOf({ DOB: '1980-02-30' })).toEqual(['DOB: must be a date as YYYY-MM-DD']);
    expect(problemsOf({ FINITIAL: 'jo' })).toEqual(['FINITIAL: must be one letter A–Z']);
    expect(problemsOf({ SEX: 'Q' })).toEqual(['SEX: must be one of M, F, I, U']);
    expect(problemsOf({ PC: 'TS1 1AA' })).toEqual(['PC: must be a postcode district such as TS1 (ZZ99 for no fixed abode)']);
    expect(problemsOf({ TOPOPID: 29 })).toEqual(['TOPOPID: must be a whole number of days from 0 to 28']);
    expect(problemsOf({ TOPQOL: 21 })).toEqual(['TOPQOL: must be a whole number from 0 to 20']);
    expect(problemsOf({ TOPSHNDL: 'yes' })).toEqual(['TOPSHNDL: must be Y or N']);
    expect(problemsOf({ MODAL: 'inpatient' })).toEqual(['MODAL: must be one of specialist_prescribing']);
    expect(problemsOf({ REFLD: null })).toEqual(['REFLD: is required']);
    expect(problemsOf({ TRSTAGE: null })).toEqual(['TRSTAGE: is required']);
    expect(problemsOf({ MODAL: null })).toEqual(['MODAL: is required']);
  });

  it('checks the order of dates, the month, and adults only', () => {
    expect(problemsOf({ TRIAGED: '2026-02-01' })).toEqual(['TRIAGED: must not be before the referral date (2026-02-10)']);
    expect(problemsOf({ MODST: '2026-02-11' })).toEqual(['MODST: must not be before the triage date (2026-02-12)']);
    expect(problemsOf({ MODEND: '2026-03-05', DISD: null })).toEqual(['DISD: is required when the modality has ended']);
    expect(problemsOf({ MODEND: '2026-03-01', DISD: '2026-03-01', DISRSN: 'treatment_completed' })).toEqual(['MODEND: must not be before the modality start date (2026-03-02)']);
    expect(problemsOf({ DISD: '2026-04-01', DISRSN: 'treatment_completed' })).toEqual(['DISD: must not be after the end of the month (2026-03-31)']);
    expect(problemsOf({ TOPDATE: '2026-02-28' })).toEqual(['TOPDATE: must be in the month (2026-03-01 to 2026-03-31)']);
    expect(problemsOf({ DOB: '2010-01-01' })).toEqual(['DOB: gives an age under 18 at referral: the adult dataset is for people aged 18 and over']);
  });

  it('property: rows built from consistent episodes validate cleanly, whatever the dates', () => {
    const day = fc.integer({ min: 0, max: 200 });
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.option(fc.integer({ min: 0, max: 120 })), (r, tri, start, dis) => {
        const base = Temporal.PlainDate.from('2025-10-01');
        const referredOn = base.add({ days: r }).toString();
        const triagedOn = base.add({ days: r + tri }).toString();
        const treatmentStartedOn = base.add({ days: r + tri + start }).toString();
        const dischargedOn = dis === null ? null : base.add({ days: r + tri + start + dis }).toString();
        const e = episode({ referredOn, triagedOn, treatmentStartedOn, dischargedOn, dischargeReason: dischargedOn ? 'planned' : null, outcomeProfiles: [] });
        for (const month of ['2025-10', '2025-12', '2026-02', '2026-04']) {
          const rows = buildNdtmsRows(month, [e]);
          expect(rows.length).toBe(activeInMonth(e, monthBounds(month)) ? 1 : 0);
          expect(validateNdtms(month, rows)).toEqual([]);
        }
      }),
    );
  });
});

describe('NDTMS helpers and CSV', () => {
  it('sex: each recorded answer has its code, and "never asked" is left for the validator to name', () => {
    expect(ndtmsSex('male')).toBe('M');
    expect(ndtmsSex('female')).toBe('F');
    expect(ndtmsSex('indeterminate')).toBe('I');
    expect(ndtmsSex('not_stated')).toBe('U');
    expect(ndtmsSex('not_known')).toBeNull();
  });
  it('initials fold accents and refuse non-letters', () => {
    expect(initialOf(' élise')).toBe('E');
    expect(initialOf("O'Brien")).toBe('O');
    expect(initialOf('1st')).toBeNull();
  });
  it('postcode districts', () => {
    expect(postcodeDistrict('ts1 1aa')).toBe('TS1');
    expect(postcodeDistrict('SW1A 1AA')).toBe('SW1A');
    expect(postcodeDistrict('M1 1AE')).toBe('M1');
    expect(postcodeDistrict('not a postcode')).toBeNull();
  });
  it('writes a header of every field in order and one quoted-as-needed line per row', () => {
    const csv = ndtmsCsv(buildNdtmsRows('2026-03', [episode({ serviceUserId: 'a,b' })]));
    const [header, line, end] = csv.split('\r\n');
    expect(header).toBe(NDTMS_FIELDS.map((f) => f.field).join(','));
    expect(line!.startsWith('"a,b",ep-1,J,B,1980-05-17,F,TS1,2026-02-10,2026-02-12,specialist_prescribing,')).toBe(true);
    expect(end).toBe('');
  });
});
