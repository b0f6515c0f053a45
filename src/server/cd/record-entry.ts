import type { EntryDetails } from '../../domain/cd-register/entries';
import { appendToPage, type Entry } from '../../domain/cd-register/page';
import { insertEntry, lockItem, openDiscrepancy, pageHead, pageName, type CdItem } from '../../store/cd-register';
import type { WriteContext } from '../../store/transaction';
import { notFound, refused } from '../errors';

export interface CdEntryRequest {
  details: EntryDetails;
  quantity: number;
  occurredAt: string;
  witnessId: string | null;
  note: string | null;
}

/**
 * Add an entry to a register page inside the caller's transaction (the dosing room adds its supply
 * in the same transaction as the dose). The page is locked first, so concurrent entries on one page
 * queue and each sees the balance the one before it left; the domain refuses anything that would
 * take the balance below zero. A stock check that differs from the balance opens a discrepancy.
 */
export async function recordCdEntry(
  w: WriteContext,
  clinicId: string,
  itemId: string,
  request: CdEntryRequest,
): Promise<{ item: CdItem; entry: Entry; discrepancyId: string | null }> {
  const item = await lockItem(w.tx, clinicId, itemId);
  if (!item) throw notFound('Register page');
  const head = await pageHead(w.tx, clinicId, itemId);
  const decision = appendToPage(
    head,
    { clinicId, itemId, ...request, recordedAt: w.now.toISOString(), recordedBy: w.actor.staffId! },
    pageName(item),
  );
  if (!decision.ok) throw refused(decision.refusals);
  const entry = decision.value;
  await insertEntry(w, entry);
  let discrepancyId: string | null = null;
  if (entry.details.kind === 'stock_check' && entry.details.countedQuantity !== entry.balanceAfter) {
    discrepancyId = await openDiscrepancy(w, clinicId, {
      itemId,
      stockCheckSeq: entry.seq,
      expected: entry.balanceAfter,
      counted: entry.details.countedQuantity,
    });
  }
  return { item, entry, discrepancyId };
}
