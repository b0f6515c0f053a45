import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkServiceUserRows, parseServiceUsersCsv } from '../../domain/imports/service-users-csv';
import { columnOfPrescriptionField, parsePrescriptionsCsv } from '../../domain/imports/prescriptions-csv';

/** The import domain's parsing and checks on the fixture files (the domain itself does no I/O). */

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/imports/${name}`, import.meta.url), 'utf8');
const TODAY = '2026-03-10';
const rowsAndFields = (ps: { row: number; field: string }[]) => ps.map((p) => [p.row, p.field]);

describe('service users CSV', () => {
  it('a good file: every row becomes a checked record, as the API would store it', () => {
    const parsed = parseServiceUsersCsv(fixture('service-users-good.csv'), TODAY);
    expect(parsed.fileProblems).toEqual([]);
    expect(parsed.rows.flatMap((r) => r.problems)).toEqual([]);
    const [a, b, c] = parsed.rows;
    expect(a!.row).toBe(2);
    expect(a!.record).toMatchObject({
      familyName: 'Bloggs',
      givenName: 'Joanne',
      preferredName: 'Jo',
      dateOfBirth: '1980-05-17',
      nhsNumber: '9990000018',
      address: { lines: ['1 High Street', 'Middlesbrough'], postcode: 'TS1 1AA' },
      noFixedAbode: false,
      phone: '07700 900001',
      gp: { practice: 'Linthorpe Surgery' },
      alcohol: { knownUse: true },
    });
    expect(a!.referral).toEqual({ source: 'GP', date: '2026-03-01' });
    expect(b!.record).toMatchObject({ dateOfBirth: '1975-05-17', address: null, noFixedAbode: true });
    expect(b!.referral).toBeNull();
    expect(c!.record).toMatchObject({ familyName: 'Hughes, Jr', address: { lines: ['Flat 2, 3 Low Road', 'Stockton'] } });
    expect(c!.referral).toEqual({ source: 'self', date: '2026-03-09' });
    expect(checkServiceUserRows(parsed.rows, new Set()).valid).toHaveLength(3);
  });

  it('a bad file: every row refused, each problem on its row and column', () => {
    const parsed = parseServiceUsersCsv(fixture('service-users-bad.csv'), TODAY);
    const checked = checkServiceUserRows(parsed.rows, new Set());
    expect(checked.valid).toEqual([]);
    expect(checked.rowsRejected).toBe(8);
    expect(rowsAndFields(checked.rejected)).toEqual([
      [2, 'family_name'],
      [3, 'date_of_birth'],
      [4, 'nhs_number'],
      [5, 'date_of_birth'],
      [6, 'address_line_1'],
      [7, 'no_fixed_abode'],
      [8, 'episode_state'],
      [9, 'referral_source'],
      [9, 'referral_date'],
    ]);
    expect(checked.rejected.find((p) => p.row === 5)!.message).toBe('is in the future');
    expect(checked.rejected.find((p) => p.row === 8)!.message).toMatch(/not imported/);
  });

  it('a mixed file: duplicates in the file and at the clinic are errors; blank lines keep the numbering', () => {
    const parsed = parseServiceUsersCsv(fixture('service-users-mixed.csv'), TODAY);
    const checked = checkServiceUserRows(parsed.rows, new Set(['9990000077']));
    expect(checked.valid.map((v) => v.row)).toEqual([2, 8]);
    expect(rowsAndFields(checked.rejected)).toEqual([
      [4, 'date_of_birth'],
      [5, 'nhs_number'],
      [6, 'nhs_number'],
      [7, 'nhs_number'],
    ]);
    expect(checked.rejected[1]!.message).toMatch(/also on row 6/);
  });

  it('unknown and missing columns refuse the file', () => {
    const parsed = parseServiceUsersCsv(fixture('service-users-bad-columns.csv'), TODAY);
    expect(rowsAndFields(parsed.fileProblems)).toEqual([
      [1, 'surname'],
      [1, 'family_name'],
      [1, 'date_of_birth'],
    ]);
    expect(parsed.rows).toEqual([]);
  });

  it('an empty file or a header alone is a file problem', () => {
    expect(parseServiceUsersCsv('', TODAY).fileProblems[0]!.message).toMatch(/empty/);
    expect(parseServiceUsersCsv('family_name,given_name,date_of_birth\n', TODAY).fileProblems[0]!.message).toMatch(/no rows/);
  });
});

describe('prescriptions CSV', () => {
  it('a good file gives the content the signing workflow takes', () => {
    const parsed = parsePrescriptionsCsv(fixture('prescriptions-good.csv'));
    expect(parsed.rows.flatMap((r) => r.problems)).toEqual([]);
    expect(parsed.rows[0]).toMatchObject({
      row: 2,
      nhsNumber: '9990000018',
      reason: 'from paper chart',
      content: {
        diamorphine: {
          sessions: ['AM', 'PM'],
          ivDoseMg: 90,
          imDoseMg: 60,
          titration: { startDoseMg: 30, steps: [{ fromDate: '2026-03-03', doseMg: 60 }, { fromDate: '2026-03-04', doseMg: 90 }] },
          topUp: { maxMg: 20, minWaitMinutes: 20 },
          retitrationStartDoseMg: 30,
        },
        methadone: { drug: 'methadone oral solution 1 mg/mL', dailyDoseMg: 30, pharmacy: 'Boots, Linthorpe Road', supervised: false },
        startDate: '2026-03-02',
        endDate: null,
        reviewDate: '2026-03-09',
      },
    });
    expect(parsed.rows[1]!.content).toMatchObject({ diamorphine: { sessions: ['AM'], ivDoseMg: 40, imDoseMg: null, titration: { startDoseMg: 20, steps: [] }, topUp: null }, methadone: null });
  });

  it('a bad file: shape problems named by row and column (the person is matched by the server)', () => {
    const parsed = parsePrescriptionsCsv(fixture('prescriptions-bad.csv'));
    expect(rowsAndFields(parsed.rows.flatMap((r) => r.problems))).toEqual([
      [2, 'nhs_number'],
      [4, 'iv_dose_mg'],
      [5, 'sessions'],
      [5, 'titration_steps'],
      [6, 'review_date'],
      [6, 'retitration_start_mg'],
      [6, 'top_up_wait_minutes'],
      [6, 'methadone_daily_mg'],
      [6, 'methadone_pharmacy'],
    ]);
    expect(parsed.rows.map((r) => r.content !== null)).toEqual([false, true, false, false, false]);
  });

  it('one prescription per person per file', () => {
    const parsed = parsePrescriptionsCsv('nhs_number,sessions,iv_dose_mg,start_date,review_date,titration_start_mg\n9990000018,AM,30,2026-03-02,2026-03-09,30\n999 000 0018,PM,30,2026-03-02,2026-03-09,30\n');
    expect(rowsAndFields(parsed.rows.flatMap((r) => r.problems))).toEqual([
      [2, 'nhs_number'],
      [3, 'nhs_number'],
    ]);
  });

  it("names the rules' fields by their columns", () => {
    expect(columnOfPrescriptionField('diamorphine.ivDoseMg')).toBe('iv_dose_mg');
    expect(columnOfPrescriptionField('diamorphine.titration.startDoseMg')).toBe('titration_start_mg');
    expect(columnOfPrescriptionField('diamorphine.titration.steps[1].doseMg')).toBe('titration_steps');
    expect(columnOfPrescriptionField(undefined)).toBe('(row)');
  });
});
