import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { suppress, suppressRate, suppressStatistic, type Shown, type SuppressedTable } from './suppression';

/**
 * An attacker's check written independently of the implementation: in each row and column whose
 * total is shown, the hidden cells must sum to (total − shown cells). A "<t" cell is 1..t−1; a "*"
 * cell is at least t (and at most the residual). Sums of whole-number ranges are whole-number
 * ranges, so a hidden cell's possible values are exactly [max(lo, r − Σ others' hi), min(hi, r − Σ
 * others' lo)]; it is recovered when that range is a single value. (A brute-force version of this
 * agreed on small tables but is too slow for thousands of runs.)
 */
function recoverable(shown: Shown[], total: Shown, threshold: number): boolean {
  if (typeof total !== 'number') return false;
  const residual = total - shown.filter((s): s is number => typeof s === 'number').reduce((a, b) => a + b, 0);
  const ranges = shown.filter((s) => typeof s !== 'number').map((h) => (h === '*' ? [threshold, residual] : [1, threshold - 1]) as [number, number]);
  if (ranges.length === 0) return false;
  const sumLo = ranges.reduce((a, r) => a + r[0], 0);
  const sumHi = ranges.reduce((a, r) => a + r[1], 0);
  return ranges.some(([lo, hi]) => Math.max(lo, residual - (sumHi - hi)) === Math.min(hi, residual - (sumLo - lo)));
}

function leaks(t: SuppressedTable, threshold: number): string[] {
  const problems: string[] = [];
  t.cells.forEach((row, r) => {
    if (recoverable(row, t.rowTotals[r]!, threshold)) problems.push(`row ${r}`);
  });
  t.columns.forEach((_, c) => {
    if (recoverable(t.cells.map((row) => row[c]!), t.columnTotals[c]!, threshold)) problems.push(`column ${c}`);
  });
  if (t.rows.length > 1 && recoverable(t.rowTotals, t.total, threshold)) problems.push('row totals');
  if (t.columns.length > 1 && recoverable(t.columnTotals, t.total, threshold)) problems.push('column totals');
  return problems;
}

const tableArb = fc.integer({ min: 1, max: 5 }).chain((rows) =>
  fc.integer({ min: 1, max: 5 }).chain((cols) =>
    fc.record({
      threshold: fc.integer({ min: 3, max: 8 }),
      cells: fc.array(fc.array(fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 40 })), { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows }),
    }),
  ),
);
const build = (cells: number[][]) => ({ rows: cells.map((_, i) => `r${i}`), columns: cells[0]!.map((_, i) => `c${i}`), cells });

describe('suppress', () => {
  it('never shows a count from 1 to threshold − 1, in a cell or a total (property)', () => {
    fc.assert(
      fc.property(tableArb, ({ threshold, cells }) => {
        const out = suppress(build(cells), threshold);
        const small = (n: number) => n > 0 && n < threshold;
        out.cells.flat().concat(out.rowTotals, out.columnTotals, [out.total]).forEach((s) => {
          if (typeof s === 'number') expect(small(s)).toBe(false);
        });
        // and a shown number is always the true count
        out.cells.forEach((row, r) => row.forEach((s, c) => typeof s === 'number' && expect(s).toBe(cells[r]![c])));
      }),
      { numRuns: 2000 },
    );
  });

  it('never lets a hidden count be worked out from a shown total by subtraction (property, rows and columns)', () => {
    fc.assert(
      fc.property(tableArb, ({ threshold, cells }) => {
        expect(leaks(suppress(build(cells), threshold), threshold)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('hides the next smallest count when only one in a row is small (hand example)', () => {
    const out = suppress({ rows: ['AM', 'PM'], columns: ['given', 'refused', 'missed'], cells: [[40, 3, 12], [38, 6, 9]] }, 5);
    expect(out.cells[0]).toEqual([40, '<5', '*']);
    // column refused now has one hidden cell; the PM refused (6) is hidden too
    expect(out.cells[1]![1]).toBe('*');
    expect(out.rowTotals).toEqual([55, 53]);
    expect(out.smallLabel).toBe('<5');
  });

  it('shows zeros as 0 and large tables untouched', () => {
    const out = suppress({ rows: ['a'], columns: ['x', 'y'], cells: [[0, 12]] }, 5);
    expect(out).toMatchObject({ cells: [[0, 12]], rowTotals: [12], columnTotals: [0, 12], total: 12 });
  });

  it('hides a rate whose numerator or denominator is hidden, and a statistic over too few people', () => {
    expect(suppressRate('<5', 20)).toBe('*');
    expect(suppressRate(10, '*')).toBe('*');
    expect(suppressRate(10, 40)).toBe(25);
    expect(suppressRate(0, 0)).toBeNull();
    expect(suppressStatistic(12.5, 4, 5)).toBe('*');
    expect(suppressStatistic(12.5, 5, 5)).toBe(12.5);
  });
});
