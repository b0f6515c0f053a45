import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseCsvTable, parseImportDate, parseYesNo } from './csv-table';
import { checkServiceUserRows, parseServiceUsersCsv } from './service-users-csv';
import { checkServiceUserRecord, recordDateProblems } from '../service-user/record';


describe('dates and yes/no in import files', () => {
  it('reads both date forms, never MM/DD, and refuses impossible dates', () => {
    expect(parseImportDate('2026-03-01')).toEqual({ ok: true, date: '2026-03-01' });
    expect(parseImportDate('1/3/2026')).toEqual({ ok: true, date: '2026-03-01' });
    expect(parseImportDate('31/02/2026').ok).toBe(false);
    expect(parseImportDate('03/31/2026').ok).toBe(false);
    expect(parseImportDate('').ok).toBe(false);
  });
  it('any real date written DD/MM/YYYY reads back as itself', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 10);
        const [y, m, day] = iso.split('-');
        expect(parseImportDate(`${day}/${m}/${y}`)).toEqual({ ok: true, date: iso });
      }),
    );
  });
  it('yes/no', () => {
    expect(['yes', 'Y', 'true', '1'].map(parseYesNo)).toEqual([true, true, true, true]);
    expect(['no', 'N', 'false', '0', ''].map(parseYesNo)).toEqual([false, false, false, false, false]);
    expect(parseYesNo('maybe')).toBeNull();
  });
  it('an import may set its own row limit and a rule on the header, checked before the required columns', () => {
    const oneOf = { maxRows: 2, checkHeader: (has: (c: 'a' | 'b' | 'c') => boolean) => (has('a') || has('b') ? [] : [{ field: 'a', message: 'needs a or b' }]) };
    expect(parseCsvTable('a,c\n1,2\n3,4\n', ['a', 'b', 'c'], ['c'], 'thing', oneOf).fileProblems).toEqual([]);
    expect(parseCsvTable('a,c\n1,2\n3,4\n5,6\n', ['a', 'b', 'c'], ['c'], 'thing', oneOf).fileProblems).toEqual([{ row: 4, field: '(file)', message: 'has more than 2 rows; split it into smaller files' }]);
    expect(parseCsvTable('x\n1\n', ['a', 'b', 'c'], ['c'], 'thing', oneOf).fileProblems.map((p) => [p.row, p.field])).toEqual([
      [1, 'x'],
      [1, 'a'],
      [1, 'c'],
    ]);
    expect(parseImportDate('2026-03-11', '2026-03-10')).toEqual({ ok: false, message: 'is after today (2026-03-10)' });
    expect(parseImportDate('2026-03-11')).toEqual({ ok: true, date: '2026-03-11' });
  });
  it('never throws on arbitrary text, and every problem names a row at or after the header', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (csv) => {
        const t = parseCsvTable(csv, ['a', 'b'], ['a'], 'thing');
        for (const p of [...t.fileProblems, ...t.rows.flatMap((r) => r.problems)]) expect(p.row).toBeGreaterThanOrEqual(1);
      }),
    );
  });
});


describe('a service-user row is checked exactly as the API checks a record', () => {
  const header = 'family_name,given_name,date_of_birth,nhs_number,address_line_1,no_fixed_abode\n';
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  it('the row is accepted exactly when checkServiceUserRecord and recordDateProblems accept the same fields', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 120 }),
        fc.string({ maxLength: 5 }),
        fc.constantFrom('1980-05-17', '2030-01-01', '1900-01-01', '17/05/1980'),
        fc.constantFrom('', '9990000018', '9990000019', '999 000 0026'),
        fc.constantFrom('', '1 High Street'),
        fc.boolean(),
        (family, given, dob, nhs, line, nfa) => {
          const csv = header + [family, given, dob, nhs, line, nfa ? 'yes' : 'no'].map(quote).join(',') + '\n';
          const parsed = parseServiceUsersCsv(csv, '2026-03-10');
          if (parsed.fileProblems.length > 0) return; // e.g. a name that is only blank leaves a blank line
          const row = parsed.rows[0]!;
          const iso = dob.includes('/') ? '1980-05-17' : dob;
          const api = checkServiceUserRecord({
            familyName: family.trim(),
            givenName: given.trim(),
            dateOfBirth: iso,
            nhsNumber: nhs || null,
            address: line ? { lines: [line], postcode: null } : null,
            noFixedAbode: nfa,
          });
          const apiOk = api.ok && recordDateProblems(api.value, '2026-03-10').length === 0;
          expect(row.record !== null).toBe(apiOk);
          if (!apiOk) expect(row.problems.length).toBeGreaterThan(0);
        },
      ),
    );
  });

  it('sex: words and NDTMS letters are read, empty means not asked yet, anything else is named', () => {
    const parsed = parseServiceUsersCsv('family_name,given_name,date_of_birth,sex,no_fixed_abode\nA,B,1980-01-01,F,yes\nC,D,1980-01-01,Prefers not to say,yes\nE,F,1980-01-01,,yes\nG,H,1980-01-01,woman?,yes\n', '2026-03-10');
    expect(parsed.rows.map((r) => r.record?.sex ?? null)).toEqual(['female', 'not_stated', 'not_known', null]);
    expect(parsed.rows[3]!.problems).toEqual([{ row: 5, field: 'sex', message: expect.stringContaining('male, female') }]);
  });

  it('inline file: columns in any order and case, problems on the right row', () => {
    const parsed = parseServiceUsersCsv('Date-Of-Birth,GIVEN NAME,family_name,no_fixed_abode\n1980-01-01,Jo,Bloggs,yes\n\n1980-01-01,,Bloggs,yes\n', '2026-03-10');
    expect(parsed.rows[0]!.record).toMatchObject({ familyName: 'Bloggs', givenName: 'Jo', noFixedAbode: true });
    expect(parsed.rows[1]!.problems).toEqual([{ row: 4, field: 'given_name', message: expect.any(String) }]);
    const dup = checkServiceUserRows(parseServiceUsersCsv('family_name,given_name,date_of_birth,nhs_number,no_fixed_abode\nA,B,1980-01-01,9990000018,yes\nC,D,1980-01-01,9990000026,yes\n', '2026-03-10').rows, new Set(['9990000026']));
    expect(dup.valid.map((v) => v.row)).toEqual([2]);
    expect(dup.rejected).toEqual([{ row: 3, field: 'nhs_number', message: expect.stringMatching(/already|another/i) }]);
  });
});
