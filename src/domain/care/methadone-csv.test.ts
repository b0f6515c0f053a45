import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { parseImportDate } from '../imports/csv-table';
import { checkRows, dayKey, MAX_IMPORT_ROWS, normaliseStatus, parsePharmacyCsv, resolvePeople, STATUS_SPELLINGS, type ClinicDirectory } from './methadone-csv';

const TODAY = '2026-03-10';
const A = '9990000018';
const B = '9990000026';
const ID_A = '01900000-0000-7000-8000-00000000000a';
const ID_B = '01900000-0000-7000-8000-00000000000b';
const ID_C = '01900000-0000-7000-8000-00000000000c';
const directory: ClinicDirectory = { byNhsNumber: new Map([[A, [ID_A]], [B, [ID_B, ID_C]]]), serviceUserIds: new Set([ID_A, ID_B, ID_C]) };

const HEADER = 'nhs_number,date,status,dose_mg,collected_mg,pharmacy,notes';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n');
const problemsOf = (text: string) => parsePharmacyCsv(text, TODAY).rows.flatMap((r) => r.problems.map((p) => [p.row, p.field]));

describe('dates', () => {
  it('YYYY-MM-DD or DD/MM/YYYY, real, not after today', () => {
    expect(parseImportDate('2026-03-02', TODAY)).toEqual({ ok: true, date: '2026-03-02' });
    expect(parseImportDate('03/02/2026', TODAY)).toEqual({ ok: true, date: '2026-02-03' });
    expect(parseImportDate('3/2/2026', TODAY)).toEqual({ ok: true, date: '2026-02-03' });
    expect(parseImportDate('10/03/2026', TODAY)).toEqual({ ok: true, date: '2026-03-10' });
    expect(parseImportDate('11/03/2026', TODAY)).toEqual({ ok: false, message: 'is after today (2026-03-10)' });
    expect(parseImportDate('29/02/2026', TODAY)).toMatchObject({ ok: false, message: expect.stringMatching(/not a real date/) });
    expect(parseImportDate('29/02/2024', TODAY)).toEqual({ ok: true, date: '2024-02-29' });
    expect(parseImportDate('02/03/26', TODAY)).toMatchObject({ ok: false, message: 'must be a date as YYYY-MM-DD or DD/MM/YYYY' });
    expect(parseImportDate('2026-3-2', TODAY).ok).toBe(false);
    expect(parseImportDate('', TODAY)).toEqual({ ok: false, message: 'is required' });
  });

  it('both forms of any real date read as the same day (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), (n) => {
        const d = Temporal.PlainDate.from('2018-01-01').add({ days: n });
        const today = '2030-01-01';
        const uk = `${String(d.day).padStart(2, '0')}/${String(d.month).padStart(2, '0')}/${d.year}`;
        expect(parseImportDate(uk, today)).toEqual({ ok: true, date: d.toString() });
        expect(parseImportDate(d.toString(), today)).toEqual({ ok: true, date: d.toString() });
      }),
    );
  });
});

describe('statuses', () => {
  it('the four, and the documented spellings, in any case', () => {
    expect(normaliseStatus('Collected')).toBe('collected');
    expect(normaliseStatus('not collected')).toBe('not_collected');
    expect(normaliseStatus('Not-Collected')).toBe('not_collected');
    expect(normaliseStatus('DNC')).toBe('not_collected');
    expect(normaliseStatus('missed')).toBe('not_collected');
    expect(normaliseStatus('partially collected')).toBe('partial');
    expect(normaliseStatus('Supervised consumption')).toBe('supervised');
    expect(normaliseStatus('lost')).toBeNull();
    expect(normaliseStatus('')).toBeNull();
    expect(new Set(Object.values(STATUS_SPELLINGS))).toEqual(new Set(['collected', 'not_collected', 'partial', 'supervised']));
  });
});

describe('parsing a file', () => {
  it('reads a good file: BOM, CRLF, header in any case, spaces in NHS numbers, "60 mg"', () => {
    const text = '\uFEFFNHS Number,DATE,Status,Dose-mg,collected_mg,Pharmacy,Notes\r\n943 476 5919,02/03/2026,not collected,60 mg,,"Boots, Linthorpe Rd",\r\n';
    const parsed = parsePharmacyCsv(text, TODAY);
    expect(parsed.fileProblems).toEqual([]);
    expect(parsed.rowsTotal).toBe(1);
    expect(parsed.rows[0]).toEqual({
      row: 2,
      nhsNumber: '9434765919',
      serviceUserId: null,
      date: '2026-03-02',
      data: { status: 'not_collected', doseMg: 60, collectedMg: null, pharmacy: 'Boots, Linthorpe Rd', notes: null },
      problems: [],
    });
  });

  it('numbers rows as a spreadsheet does: header row 1, blank lines counted, a quoted field across lines is one row', () => {
    const text = csv(`${A},2026-03-02,collected,,,,`, '', `${A},2026-03-03,collected,,,,"two\nlines"`, `${A},2026-03-04,lost,,,,`);
    const parsed = parsePharmacyCsv(text, TODAY);
    expect(parsed.rows.map((r) => r.row)).toEqual([2, 4, 5]);
    expect(parsed.rows[1]!.data!.notes).toBe('two\nlines');
    expect(problemsOf(text)).toEqual([[5, 'status']]);
    expect(parsed.rowsTotal).toBe(3);
  });

  it('names the column for each row problem', () => {
    expect(problemsOf(csv(`${A},2026-03-11,collected,,,,`))).toEqual([[2, 'date']]);
    expect(problemsOf(csv(`${A},2026/03/01,collected,,,,`))).toEqual([[2, 'date']]);
    expect(problemsOf(csv(`${A},2026-03-01,,,,,`))).toEqual([[2, 'status']]);
    expect(problemsOf(csv(`${A},2026-03-01,collected,sixty,,,`))).toEqual([[2, 'dose_mg']]);
    expect(problemsOf(csv(`${A},2026-03-01,collected,0,,,`))).toEqual([[2, 'dose_mg']]);
    expect(problemsOf(csv(`${A},2026-03-01,partial,60,,,`))).toEqual([[2, 'collected_mg']]);
    expect(problemsOf(csv(`${A},2026-03-01,partial,60,75,,`))).toEqual([[2, 'collected_mg']]);
    expect(problemsOf(csv(`${A},2026-03-01,not_collected,60,20,,`))).toEqual([[2, 'collected_mg']]);
    expect(problemsOf(csv(`1234567890,2026-03-01,collected,,,,`))).toEqual([[2, 'nhs_number']]);
    expect(problemsOf(csv(`,2026-03-01,collected,,,,`))).toEqual([[2, 'nhs_number']]);
    expect(problemsOf(csv(`${A},2026-03-01,collected,,,,,extra`))).toEqual([[2, '(row)']]);
    expect(problemsOf(csv(`${A},x,lost,,,,`))).toEqual([[2, 'date'], [2, 'status']]);
    // A bad status names the accepted spellings.
    expect(parsePharmacyCsv(csv(`${A},2026-03-01,lost,,,,`), TODAY).rows[0]!.problems[0]!.message).toMatch(/use collected, not_collected, partial or supervised \(also accepted: .*dnc/);
  });

  it('whole-file problems name the column, and nothing is read from the rows', () => {
    const unknown = parsePharmacyCsv('nhs_number,date,qty,pharmacy\n9990000018,2026-03-02,60,Boots\n', TODAY);
    expect(unknown.rows).toEqual([]);
    expect(unknown.fileProblems.map((p) => [p.row, p.field])).toEqual([
      [1, 'qty'],
      [1, 'status'],
    ]);
    expect(parsePharmacyCsv('date,status\n2026-03-01,collected\n', TODAY).fileProblems.map((p) => p.field)).toEqual(['nhs_number']);
    expect(parsePharmacyCsv('nhs_number,date,Date,status\n', TODAY).fileProblems.map((p) => p.field)).toEqual(['Date', '(file)']);
    expect(parsePharmacyCsv('', TODAY).fileProblems).toEqual([{ row: 1, field: '(file)', message: expect.stringMatching(/^is empty/) }]);
    expect(parsePharmacyCsv(`${HEADER}\n\n`, TODAY).fileProblems).toEqual([{ row: 2, field: '(file)', message: 'has no rows under the header' }]);
    expect(parsePharmacyCsv(`${HEADER}\n${A},"2026-03-01,collected\n`, TODAY).fileProblems[0]).toMatchObject({ field: '(file)', message: expect.stringMatching(/^is not a valid CSV file/) });
  });

  it(`refuses more than ${MAX_IMPORT_ROWS.toLocaleString('en-GB')} rows, naming the first one over`, () => {
    const row = `${A},2026-03-01,collected,,,,`;
    expect(parsePharmacyCsv([HEADER, ...Array(MAX_IMPORT_ROWS).fill(row)].join('\n'), TODAY).fileProblems).toEqual([]);
    const over = parsePharmacyCsv([HEADER, ...Array(MAX_IMPORT_ROWS + 1).fill(row)].join('\n'), TODAY);
    expect(over.fileProblems).toEqual([{ row: MAX_IMPORT_ROWS + 2, field: '(file)', message: 'has more than 10,000 rows; split it into smaller files' }]);
  });

  it('an unnamed empty column (a trailing comma) is ignored; a value under it is not', () => {
    expect(parsePharmacyCsv(`nhs_number,date,status,\n${A},2026-03-01,collected,\n`, TODAY).rows[0]!.problems).toEqual([]);
    expect(problemsOf(`nhs_number,date,status,\n${A},2026-03-01,collected,60\n`)).toEqual([[2, '(column 4)']]);
  });

  it('never throws, and every problem has a row and a field (property)', () => {
    const cell = fc.oneof(fc.constantFrom('', A, '2026-03-01', '01/03/2026', 'collected', 'partial', 'DNC', '60', '"', ',', '\n', '\r\n', 'x'), fc.string({ maxLength: 8 }));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { maxLength: 9 }), { maxLength: 12 }), (rows) => {
        const text = [HEADER, ...rows.map((r) => r.join(','))].join('\n');
        const parsed = parsePharmacyCsv(text, TODAY);
        for (const p of [...parsed.fileProblems, ...parsed.rows.flatMap((r) => r.problems)]) {
          expect(p.row).toBeGreaterThanOrEqual(1);
          expect(p.field.length).toBeGreaterThan(0);
          expect(p.message.length).toBeGreaterThan(0);
        }
        for (const r of parsed.rows) expect(r.data === null).toBe(r.problems.length > 0);
      }),
    );
  });
});

describe('people and days', () => {
  const rows = (text: string) => resolvePeople(parsePharmacyCsv(text, TODAY).rows, directory);

  it('matches by NHS number or service user id at this clinic', () => {
    const text = ['service_user_id,nhs_number,date,status', `${ID_A},,2026-03-01,collected`, `,${A},2026-03-02,collected`, `${ID_C},${B},2026-03-03,collected`].join('\n');
    expect(rows(text).map((r) => [r.personId, r.problems])).toEqual([
      [ID_A, []],
      [ID_A, []],
      [ID_C, []],
    ]);
  });

  it('an unknown person, an NHS number two people share, or an id that does not match the NHS number', () => {
    const text = [
      'service_user_id,nhs_number,date,status',
      `,9990000042,2026-03-01,collected`,
      `,${B},2026-03-01,collected`,
      `${ID_A},${B},2026-03-01,collected`,
      `01900000-0000-7000-8000-0000000000ff,,2026-03-01,collected`,
      `not-an-id,,2026-03-01,collected`,
    ].join('\n');
    expect(rows(text).map((r) => [r.personId, r.problems.map((p) => p.field)])).toEqual([
      [null, ['nhs_number']],
      [null, ['nhs_number']],
      [null, ['nhs_number']],
      [null, ['service_user_id']],
      [null, ['service_user_id']],
    ]);
  });

  it('a day already recorded, or the same person and day twice in the file, is rejected (every such row)', () => {
    const text = csv(`${A},2026-03-01,collected,,,,`, `${A},01/03/2026,not_collected,,,,`, `${A},2026-03-02,collected,,,,`, `${A},2026-03-03,collected,,,,`, `${A},2026-03-04,lost,,,,`);
    const checked = checkRows(rows(text), new Set([dayKey(ID_A, '2026-03-02')]));
    expect(checked.valid.map((v) => [v.row, v.date])).toEqual([[5, '2026-03-03']]);
    expect(checked.rowsRejected).toBe(4);
    expect(checked.rejected.map((p) => [p.row, p.field])).toEqual([
      [2, 'date'],
      [3, 'date'],
      [4, 'date'],
      [6, 'status'],
    ]);
    expect(checked.rejected[0]!.message).toMatch(/also on row 3/);
    expect(checked.rejected[2]!.message).toMatch(/already recorded/);
  });

  it('a row with a bad status still blocks another row for the same person and day', () => {
    const checked = checkRows(rows(csv(`${A},2026-03-01,lost,,,,`, `${A},2026-03-01,collected,,,,`)), new Set());
    expect(checked.valid).toEqual([]);
  });

  it('valid rows plus rejected rows are every row (property)', () => {
    const line = fc.tuple(fc.constantFrom(A, B, '9990000042', 'x', ''), fc.integer({ min: 1, max: 12 }), fc.constantFrom('collected', 'not_collected', 'partial', 'lost', 'supervised'), fc.constantFrom('', '60', '-1'), fc.constantFrom('', '30'));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 25 }), fc.subarray([1, 2, 3, 4, 5].map((d) => dayKey(ID_A, `2026-03-0${d}`))), (lines, recorded) => {
        const text = csv(...lines.map(([nhs, d, s, dose, col]) => `${nhs},2026-03-${String(d).padStart(2, '0')},${s},${dose},${col},,`));
        const checked = checkRows(rows(text), new Set(recorded));
        expect(checked.valid.length + checked.rowsRejected).toBe(lines.length);
        // No two valid rows for one person and day, and none for a day already recorded.
        const keys = checked.valid.map((v) => dayKey(v.personId, v.date));
        expect(new Set(keys).size).toBe(keys.length);
        for (const k of keys) expect(recorded).not.toContain(k);
        expect(new Set(checked.rejected.map((p) => p.row)).size).toBe(checked.rowsRejected);
      }),
    );
  });
});
