/**
 * Small-number suppression for commissioners' reports (NHS Digital disclosure control): a count
 * from 1 to threshold−1 is shown as "<5" (for the default threshold of 5), a zero is shown as 0, and
 * further cells are hidden ("*", secondary suppression) until no hidden count can be worked out
 * from a row or column total and the cells shown beside it.
 *
 * The check is by intervals, as someone trying to undo it would reason: a "<5" cell lies between
 * 1 and threshold−1, a "*" cell is at least the threshold (only cells at or above it are chosen),
 * a shown cell is exact. In each row and column (cells plus their total) a hidden item is
 * "worked out" when those bounds leave it exactly one possible value.
 */

export type Shown = number | '<5' | '*';

export interface CountTable {
  rows: string[];
  columns: string[];
  /** cells[row][column], whole counts ≥ 0. */
  cells: number[][];
}

export interface SuppressedTable {
  rows: string[];
  columns: string[];
  cells: Shown[][];
  rowTotals: Shown[];
  columnTotals: Shown[];
  total: Shown;
  /** The label used for small counts, e.g. "<5". */
  smallLabel: string;
}

type Mark = 'shown' | 'primary' | 'secondary';
interface Item {
  value: number;
  mark: Mark;
}

/** The label for a count below the threshold: "<5" for 5. */
export const smallLabel = (threshold: number) => `<${threshold}`;

/** Bounds of an item as seen from outside. */
function bounds(it: Item, threshold: number): [number, number] {
  if (it.mark === 'shown') return [it.value, it.value];
  if (it.mark === 'primary') return [1, threshold - 1];
  return [threshold, Number.POSITIVE_INFINITY];
}

/**
 * In the relation Σ cells = total, the hidden items whose bounds leave them a single value.
 * Exported for the property tests (the same reasoning an attacker would use).
 */
export function determinedInRelation(cells: readonly Item[], total: Item, threshold: number): Item[] {
  const cb = cells.map((c) => bounds(c, threshold));
  const [tLo, tHi] = bounds(total, threshold);
  const sumLo = cb.reduce((s, b) => s + b[0], 0);
  const sumHi = cb.reduce((s, b) => s + b[1], 0);
  const out: Item[] = [];
  cells.forEach((c, i) => {
    if (c.mark === 'shown') return;
    const [lo, hi] = cb[i]!;
    const othersLo = sumLo - lo;
    const othersHi = sumHi - hi; // may be Infinity − x = Infinity, fine; Infinity − Infinity handled below
    const oHi = Number.isFinite(hi) ? othersHi : cb.filter((_, j) => j !== i).reduce((s, b) => s + b[1], 0);
    const min = Math.max(lo, tLo - oHi);
    const max = Math.min(hi, tHi - othersLo);
    if (min === max) out.push(c);
  });
  if (total.mark !== 'shown') {
    const min = Math.max(tLo, sumLo);
    const max = Math.min(tHi, sumHi);
    if (min === max) out.push(total);
  }
  return out;
}

/** The relations (rows, columns and the totals) of a table laid out as items. */
function relations(cells: Item[][], rowTotals: Item[], columnTotals: Item[], total: Item) {
  const rels: { cells: Item[]; total: Item }[] = [];
  cells.forEach((row, r) => rels.push({ cells: row, total: rowTotals[r]! }));
  columnTotals.forEach((ct, c) => rels.push({ cells: cells.map((row) => row[c]!), total: ct }));
  if (rowTotals.length > 1) rels.push({ cells: rowTotals, total });
  if (columnTotals.length > 1) rels.push({ cells: columnTotals, total });
  return rels;
}

const show = (it: Item, threshold: number): Shown => (it.mark === 'shown' ? it.value : it.mark === 'primary' ? (smallLabel(threshold) as '<5') : '*');

/**
 * Suppresses a table of counts and its totals. Every count from 1 to threshold−1 (cells and
 * totals) is hidden; then, while some row or column would let a hidden count be worked out, the
 * smallest non-zero count still shown in it is hidden too (or, when none is left, its total).
 */
export function suppress(table: CountTable, threshold: number): SuppressedTable {
  const item = (value: number): Item => ({ value, mark: value > 0 && value < threshold ? 'primary' : 'shown' });
  const cells = table.cells.map((row) => row.map(item));
  const rowTotals = table.cells.map((row) => item(row.reduce((s, v) => s + v, 0)));
  const columnTotals = table.columns.map((_, c) => item(table.cells.reduce((s, row) => s + (row[c] ?? 0), 0)));
  const total = item(table.cells.flat().reduce((s, v) => s + v, 0));
  const rels = relations(cells, rowTotals, columnTotals, total);
  // Each pass hides one more item, so this ends; a relation with nothing left to hide is passed over.
  for (;;) {
    let next: Item | null = null;
    for (const rel of rels) {
      if (determinedInRelation(rel.cells, rel.total, threshold).length === 0) continue;
      const candidates = rel.cells.filter((c) => c.mark === 'shown' && c.value > 0).sort((a, b) => a.value - b.value);
      next = candidates[0] ?? (rel.total.mark === 'shown' && rel.total.value > 0 ? rel.total : null);
      if (next) break;
    }
    if (!next) break;
    next.mark = 'secondary';
  }
  return {
    rows: table.rows,
    columns: table.columns,
    cells: cells.map((row) => row.map((c) => show(c, threshold))),
    rowTotals: rowTotals.map((c) => show(c, threshold)),
    columnTotals: columnTotals.map((c) => show(c, threshold)),
    total: show(total, threshold),
    smallLabel: smallLabel(threshold),
  };
}

/** A single count on its own (no total beside it). */
export const suppressCount = (n: number, threshold: number): Shown => (n > 0 && n < threshold ? (smallLabel(threshold) as '<5') : n);

export const isHidden = (s: Shown): boolean => typeof s !== 'number';

/** A percentage (one decimal place) of two shown counts; hidden when either is hidden, null when the denominator is 0. */
export function suppressRate(numerator: Shown, denominator: Shown): number | '*' | null {
  if (isHidden(numerator) || isHidden(denominator)) return '*';
  if (denominator === 0) return null;
  return Math.round(((numerator as number) / (denominator as number)) * 1000) / 10;
}

/** A summary figure (a mean, a median) over n people: hidden when n is below the threshold. */
export const suppressStatistic = (value: number | null, n: number, threshold: number): number | '*' | null => (n > 0 && n < threshold ? '*' : value);
