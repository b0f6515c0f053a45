import { and, asc, count, desc, eq, gt, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { EntryDetails } from '../domain/cd-register/entries';
import { emptyPage, type Entry, type PageHead } from '../domain/cd-register/page';
import type { Orm } from './database';
import { cdDiscrepancies, cdDiscrepancyResolutions, cdEntries, cdItems, cdPatientReturnDestructions, cdPatientReturns } from './schema';
import type { WriteContext } from './transaction';

export type CdItem = typeof cdItems.$inferSelect;

export function pageName(item: Pick<CdItem, 'drug' | 'form' | 'strengthMg'>): string {
  return `${item.drug} ${item.strengthMg} mg ${item.form}`;
}

export async function createItem(
  w: WriteContext,
  clinicId: string,
  item: { drug: string; form: string; strengthMg: number; location: string },
): Promise<CdItem> {
  const [row] = await w.tx
    .insert(cdItems)
    .values({ clinicId, itemId: uuidv7(), ...item, createdAt: w.now, createdBy: w.actor.staffId })
    .returning();
  await w.audit({ clinicId, action: 'create', entityType: 'cd_item', entityId: row!.itemId, details: item });
  return row!;
}

export async function getItem(orm: Orm, clinicId: string, itemId: string): Promise<CdItem | null> {
  const rows = await orm.select().from(cdItems).where(and(eq(cdItems.clinicId, clinicId), eq(cdItems.itemId, itemId)));
  return rows[0] ?? null;
}

/** The page's row, locked until the transaction ends: entries on one page are made one at a time. */
export async function lockItem(orm: Orm, clinicId: string, itemId: string): Promise<CdItem | null> {
  const rows = await orm.select().from(cdItems).where(and(eq(cdItems.clinicId, clinicId), eq(cdItems.itemId, itemId))).for('update');
  return rows[0] ?? null;
}

export async function listItems(orm: Orm, clinicId: string): Promise<(CdItem & { balance: number; entries: number })[]> {
  const items = await orm.select().from(cdItems).where(eq(cdItems.clinicId, clinicId)).orderBy(asc(cdItems.drug), asc(cdItems.strengthMg), asc(cdItems.location));
  const heads = await orm
    .selectDistinctOn([cdEntries.itemId], { itemId: cdEntries.itemId, seq: cdEntries.seq, balance: cdEntries.balanceAfter })
    .from(cdEntries)
    .where(eq(cdEntries.clinicId, clinicId))
    .orderBy(cdEntries.itemId, desc(cdEntries.seq));
  const byItem = new Map(heads.map((h) => [h.itemId, h]));
  return items.map((i) => ({ ...i, balance: byItem.get(i.itemId)?.balance ?? 0, entries: byItem.get(i.itemId)?.seq ?? 0 }));
}

export async function pageHead(orm: Orm, clinicId: string, itemId: string): Promise<PageHead> {
  const [last] = await orm
    .select({ seq: cdEntries.seq, balance: cdEntries.balanceAfter, hash: cdEntries.hash })
    .from(cdEntries)
    .where(and(eq(cdEntries.clinicId, clinicId), eq(cdEntries.itemId, itemId)))
    .orderBy(desc(cdEntries.seq))
    .limit(1);
  if (!last) return emptyPage();
  // Sequence numbers are contiguous from 1 (the primary key and verify see to it).
  return { lastSeq: last.seq, balance: last.balance, lastHash: last.hash, hasSeq: (s) => Number.isInteger(s) && s >= 1 && s <= last.seq };
}

function toEntry(row: typeof cdEntries.$inferSelect): Entry {
  return {
    clinicId: row.clinicId,
    itemId: row.itemId,
    seq: row.seq,
    details: row.details as EntryDetails,
    quantity: row.quantity,
    quantityChange: row.quantityChange,
    balanceAfter: row.balanceAfter,
    occurredAt: row.occurredAt.toISOString(),
    recordedAt: row.recordedAt.toISOString(),
    recordedBy: row.recordedBy,
    witnessId: row.witnessId,
    note: row.note,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

export async function insertEntry(w: WriteContext, entry: Entry): Promise<void> {
  await w.tx.insert(cdEntries).values({
    clinicId: entry.clinicId,
    itemId: entry.itemId,
    seq: entry.seq,
    kind: entry.details.kind,
    details: entry.details,
    quantity: entry.quantity,
    quantityChange: entry.quantityChange,
    balanceAfter: entry.balanceAfter,
    occurredAt: new Date(entry.occurredAt),
    recordedAt: new Date(entry.recordedAt),
    recordedBy: entry.recordedBy,
    witnessId: entry.witnessId,
    note: entry.note,
    prevHash: entry.prevHash,
    hash: entry.hash,
  });
  await w.audit({
    clinicId: entry.clinicId,
    action: 'create',
    entityType: 'cd_entry',
    entityId: `${entry.itemId}/${entry.seq}`,
    details: { kind: entry.details.kind, quantity: entry.quantity, balanceAfter: entry.balanceAfter, witnessId: entry.witnessId, hash: entry.hash },
  });
}

/** A page's entries in order, all of them at once (verification; screens and exports page instead). */
export async function pageEntries(orm: Orm, clinicId: string, itemId: string): Promise<Entry[]> {
  const rows = await orm
    .select()
    .from(cdEntries)
    .where(and(eq(cdEntries.clinicId, clinicId), eq(cdEntries.itemId, itemId)))
    .orderBy(asc(cdEntries.seq));
  return rows.map(toEntry);
}

/**
 * Which entries of a page a read wants: those that happened in [from, to) (instants; a clinic's
 * dates turned into instants by the caller), and a window of sequence numbers (keyset paging:
 * `before` and `after` are exclusive, `through` inclusive). Every read below walks the primary key
 * (clinic_id, item_id, seq), so its cost follows the rows returned, not the length of the page;
 * with a date range PostgreSQL may instead take cd_entries_day (clinic_id, occurred_at).
 */
export interface EntryWindow {
  from?: Date;
  to?: Date;
  before?: number;
  after?: number;
  through?: number;
}

function windowWhere(clinicId: string, itemId: string, w: EntryWindow): SQL {
  return and(
    eq(cdEntries.clinicId, clinicId),
    eq(cdEntries.itemId, itemId),
    w.from ? gte(cdEntries.occurredAt, w.from) : undefined,
    w.to ? lt(cdEntries.occurredAt, w.to) : undefined,
    w.before !== undefined ? lt(cdEntries.seq, w.before) : undefined,
    w.after !== undefined ? gt(cdEntries.seq, w.after) : undefined,
    w.through !== undefined ? lte(cdEntries.seq, w.through) : undefined,
  )!;
}

/**
 * The `limit` entries just before entry `before` (in the window), oldest first: a page of the
 * register as it reads. Always bounded by `before`: with `seq < before` in the condition the
 * planner walks the primary key backwards and stops after `limit` rows even when its statistics
 * are stale (PGlite has no autovacuum; measured: without the bound, a page of 115,000 entries that
 * had never been analysed was read whole and sorted, 130 ms instead of 0.2 ms).
 */
export async function pageEntriesBefore(orm: Orm, clinicId: string, itemId: string, before: number, limit: number, w: EntryWindow = {}): Promise<Entry[]> {
  const rows = await orm.select().from(cdEntries).where(windowWhere(clinicId, itemId, { ...w, before })).orderBy(desc(cdEntries.seq)).limit(limit);
  return rows.reverse().map(toEntry);
}

/** The latest `limit` entries of a page (in the window), oldest first: those before the one after the last. */
export async function pageEntriesLatest(orm: Orm, clinicId: string, itemId: string, limit: number, w: EntryWindow = {}): Promise<Entry[]> {
  const last = await lastPageEntry(orm, clinicId, itemId);
  return last ? pageEntriesBefore(orm, clinicId, itemId, last.seq + 1, limit, w) : [];
}

/** Up to `limit` entries after entry `after` (0: from the start), in order: one batch of an export. */
export async function pageEntriesAfter(orm: Orm, clinicId: string, itemId: string, after: number, limit: number, w: EntryWindow = {}): Promise<Entry[]> {
  const rows = await orm.select().from(cdEntries).where(windowWhere(clinicId, itemId, { ...w, after })).orderBy(asc(cdEntries.seq)).limit(limit);
  return rows.map(toEntry);
}

/** Entries that happened in [from, to), in order, in batches of `batchSize` (keyset on seq), up to entry `through`. */
export async function* pageEntriesBetween(
  orm: Orm,
  clinicId: string,
  itemId: string,
  w: Pick<EntryWindow, 'from' | 'to' | 'through'>,
  batchSize = 5000,
): AsyncGenerator<Entry[]> {
  let after = 0;
  for (;;) {
    const batch = await pageEntriesAfter(orm, clinicId, itemId, after, batchSize, w);
    if (batch.length > 0) yield batch;
    if (batch.length < batchSize) return;
    after = batch.at(-1)!.seq;
  }
}

/** The last entry in the window (its number and the balance it left), or null. One row by the primary key. */
export async function lastPageEntry(orm: Orm, clinicId: string, itemId: string, w: EntryWindow = {}): Promise<{ seq: number; balanceAfter: number } | null> {
  const [row] = await orm
    .select({ seq: cdEntries.seq, balanceAfter: cdEntries.balanceAfter })
    .from(cdEntries)
    .where(windowWhere(clinicId, itemId, w))
    .orderBy(desc(cdEntries.seq))
    .limit(1);
  return row ?? null;
}

/** How many entries the window holds. Without dates the caller need not ask: entries are numbered 1…n. */
export async function countPageEntries(orm: Orm, clinicId: string, itemId: string, w: EntryWindow): Promise<number> {
  const [row] = await orm.select({ n: count() }).from(cdEntries).where(windowWhere(clinicId, itemId, w));
  return Number(row?.n ?? 0);
}

export async function entriesBetween(orm: Orm, clinicId: string, from: Date, to: Date): Promise<Entry[]> {
  const rows = await orm
    .select()
    .from(cdEntries)
    .where(and(eq(cdEntries.clinicId, clinicId), gte(cdEntries.occurredAt, from), lt(cdEntries.occurredAt, to)))
    .orderBy(asc(cdEntries.itemId), asc(cdEntries.seq));
  return rows.map(toEntry);
}

/** Every page of every clinic (or one clinic), in the order verification reports them. */
export async function registerItems(orm: Orm, clinicId?: string): Promise<CdItem[]> {
  return orm.select().from(cdItems).where(clinicId ? eq(cdItems.clinicId, clinicId) : sql`true`).orderBy(asc(cdItems.clinicId), asc(cdItems.itemId));
}

/** Every page of every clinic (or one clinic) with all its entries, for the backup check. */
export async function allPages(orm: Orm, clinicId?: string): Promise<{ item: CdItem; entries: Entry[] }[]> {
  const items = await registerItems(orm, clinicId);
  const out = [];
  for (const item of items) out.push({ item, entries: await pageEntries(orm, item.clinicId, item.itemId) });
  return out;
}

export async function openDiscrepancy(
  w: WriteContext,
  clinicId: string,
  d: { itemId: string; stockCheckSeq: number; expected: number; counted: number },
): Promise<string> {
  const discrepancyId = uuidv7();
  await w.tx.insert(cdDiscrepancies).values({ clinicId, discrepancyId, ...d, openedAt: w.now, openedBy: w.actor.staffId! });
  await w.audit({ clinicId, action: 'create', entityType: 'cd_discrepancy', entityId: discrepancyId, details: d });
  return discrepancyId;
}

export async function resolveDiscrepancy(
  w: WriteContext,
  clinicId: string,
  r: { discrepancyId: string; note: string; correctionItemId: string | null; correctionSeq: number | null },
): Promise<void> {
  await w.tx.insert(cdDiscrepancyResolutions).values({ clinicId, ...r, resolvedAt: w.now, resolvedBy: w.actor.staffId! });
  await w.audit({ clinicId, action: 'resolve', entityType: 'cd_discrepancy', entityId: r.discrepancyId, details: { note: r.note, correctionSeq: r.correctionSeq } });
}

export interface DiscrepancyRow {
  discrepancyId: string;
  itemId: string;
  stockCheckSeq: number;
  expected: number;
  counted: number;
  openedAt: Date;
  openedBy: string;
  resolution: { resolvedAt: Date; resolvedBy: string; note: string; correctionSeq: number | null } | null;
}

export async function discrepancies(orm: Orm, clinicId: string, discrepancyId?: string): Promise<DiscrepancyRow[]> {
  const rows = await orm
    .select({ d: cdDiscrepancies, r: cdDiscrepancyResolutions })
    .from(cdDiscrepancies)
    .leftJoin(
      cdDiscrepancyResolutions,
      and(eq(cdDiscrepancyResolutions.clinicId, cdDiscrepancies.clinicId), eq(cdDiscrepancyResolutions.discrepancyId, cdDiscrepancies.discrepancyId)),
    )
    .where(and(eq(cdDiscrepancies.clinicId, clinicId), discrepancyId ? eq(cdDiscrepancies.discrepancyId, discrepancyId) : undefined))
    .orderBy(desc(cdDiscrepancies.openedAt));
  return rows.map(({ d, r }) => ({
    discrepancyId: d.discrepancyId,
    itemId: d.itemId,
    stockCheckSeq: d.stockCheckSeq,
    expected: d.expected,
    counted: d.counted,
    openedAt: d.openedAt,
    openedBy: d.openedBy,
    resolution: r ? { resolvedAt: r.resolvedAt, resolvedBy: r.resolvedBy, note: r.note, correctionSeq: r.correctionSeq } : null,
  }));
}

export async function recordPatientReturn(
  w: WriteContext,
  clinicId: string,
  r: { serviceUserId: string; description: string; strengthMg: number; quantity: number; returnedAt: Date; witnessId: string; note: string | null },
) {
  const [row] = await w.tx
    .insert(cdPatientReturns)
    .values({ clinicId, returnId: uuidv7(), receivedBy: w.actor.staffId!, ...r })
    .returning();
  await w.audit({ clinicId, action: 'create', entityType: 'cd_patient_return', entityId: row!.returnId, details: { ...r, returnedAt: r.returnedAt.toISOString() } });
  return row!;
}

export async function destroyPatientReturn(w: WriteContext, clinicId: string, returnId: string, witnessId: string, method: string) {
  await w.tx.insert(cdPatientReturnDestructions).values({ clinicId, returnId, destroyedAt: w.now, destroyedBy: w.actor.staffId!, witnessId, method });
  await w.audit({ clinicId, action: 'destroy', entityType: 'cd_patient_return', entityId: returnId, details: { witnessId, method } });
}

export async function patientReturns(orm: Orm, clinicId: string, returnId?: string) {
  const rows = await orm
    .select({ r: cdPatientReturns, d: cdPatientReturnDestructions })
    .from(cdPatientReturns)
    .leftJoin(cdPatientReturnDestructions, and(eq(cdPatientReturnDestructions.clinicId, cdPatientReturns.clinicId), eq(cdPatientReturnDestructions.returnId, cdPatientReturns.returnId)))
    .where(and(eq(cdPatientReturns.clinicId, clinicId), returnId ? eq(cdPatientReturns.returnId, returnId) : undefined))
    .orderBy(desc(cdPatientReturns.returnedAt));
  return rows.map(({ r, d }) => ({ ...r, destruction: d }));
}
