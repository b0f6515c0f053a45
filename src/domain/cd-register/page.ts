import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { Decision, Refusal } from '../refusal';
import { refuse } from '../refusal';
import { canonicalJson } from './canonical-json';
import { balanceChange, needsStaffWitness, type EntryDetails } from './entries';

/**
 * One register page and the rules for adding to it. The running balance is computed from the
 * entries, never typed, and can never go below zero. Each entry carries a hash of its own content
 * and of the previous entry's hash, so any change to a stored entry, or a removed or inserted one,
 * breaks the chain from that point and `verifyPage` names it.
 */

export const GENESIS_HASH = '0'.repeat(64);

export interface PageHead {
  /** The last entry's number on this page (0 for an empty page). */
  lastSeq: number;
  balance: number;
  lastHash: string;
  /** Sequence numbers of the entries already on the page (for corrections). */
  hasSeq: (seq: number) => boolean;
}

export interface EntryDraft {
  clinicId: string;
  itemId: string;
  details: EntryDetails;
  /** Ampoules (whole). For a correction, signed; for waste and stock checks, 0. */
  quantity: number;
  /** When it happened (ISO instant); may be earlier than recordedAt for a late entry. */
  occurredAt: string;
  recordedAt: string;
  recordedBy: string;
  witnessId: string | null;
  note: string | null;
}

export interface Entry extends EntryDraft {
  seq: number;
  quantityChange: number;
  balanceAfter: number;
  prevHash: string;
  hash: string;
}

/** The content an entry's hash covers: everything but the hash itself. */
export function hashedContent(e: Omit<Entry, 'hash'>): string {
  return canonicalJson({
    clinicId: e.clinicId,
    itemId: e.itemId,
    seq: e.seq,
    details: e.details,
    quantity: e.quantity,
    quantityChange: e.quantityChange,
    balanceAfter: e.balanceAfter,
    occurredAt: e.occurredAt,
    recordedAt: e.recordedAt,
    recordedBy: e.recordedBy,
    witnessId: e.witnessId,
    note: e.note,
    prevHash: e.prevHash,
  });
}

export function entryHash(e: Omit<Entry, 'hash'>): string {
  return bytesToHex(sha256(utf8ToBytes(hashedContent(e))));
}

function draftRefusals(page: PageHead, d: EntryDraft): Refusal[] {
  const refusals: Refusal[] = [];
  const kind = d.details.kind;
  if (!Number.isInteger(d.quantity)) refusals.push(refuse('whole_ampoules', 'Quantities are whole ampoules', 'quantity'));
  if (kind === 'part_ampoule_waste' || kind === 'stock_check') {
    if (d.quantity !== 0) refusals.push(refuse('quantity_not_allowed', `A ${kind.replace(/_/g, ' ')} does not change the number of ampoules`, 'quantity'));
  } else if (kind === 'correction') {
    if (d.quantity === 0) refusals.push(refuse('quantity_required', 'A correction must add or remove at least one ampoule', 'quantity'));
  } else if (!(d.quantity >= 1)) {
    refusals.push(refuse('quantity_required', 'Record at least one ampoule', 'quantity'));
  }
  if (needsStaffWitness(kind)) {
    if (!d.witnessId) refusals.push(refuse('witness_required', 'A second member of staff must witness this entry', 'witness'));
    else if (d.witnessId === d.recordedBy) refusals.push(refuse('witness_is_recorder', 'The witness must be someone other than the person making the entry', 'witness'));
  }
  switch (d.details.kind) {
    case 'destruction': {
      const w = d.details.authorisedWitness;
      if (!w.name.trim() || !w.role.trim() || !w.authorityNumber.trim()) {
        refusals.push(
          refuse('authorised_witness_required', 'Destroying stock needs an Authorised Witness: their name, role and authority number (Misuse of Drugs Regulations 2001, reg 27)', 'authorisedWitness'),
        );
      }
      break;
    }
    case 'part_ampoule_waste':
      if (!(d.details.wastedMg > 0)) refusals.push(refuse('waste_amount_required', 'Say how many mg were wasted', 'wastedMg'));
      break;
    case 'stock_check':
      if (!Number.isInteger(d.details.countedQuantity) || d.details.countedQuantity < 0) {
        refusals.push(refuse('whole_ampoules', 'The count is a whole number of ampoules, 0 or more', 'countedQuantity'));
      }
      break;
    case 'correction':
      if (!page.hasSeq(d.details.correctsSeq)) {
        refusals.push(refuse('correction_target_missing', `There is no entry ${d.details.correctsSeq} on this page to correct`, 'correctsSeq'));
      }
      if (!d.details.reason.trim()) refusals.push(refuse('reason_required', 'Say why the correction is needed', 'reason'));
      break;
    case 'receipt':
    case 'return_to_supplier':
      if (!d.details.supplier.name.trim() || !d.details.supplier.address.trim()) {
        refusals.push(refuse('supplier_required', "Record the supplier's name and address", 'supplier'));
      }
      break;
    case 'supply_administration':
    case 'supply_take_home':
      if (!d.details.serviceUser.address.trim()) {
        refusals.push(refuse('address_required', 'The register records the address of the person supplied (or "no fixed abode")', 'serviceUser'));
      }
      break;
    default:
      break;
  }
  return refusals;
}

/** The next entry on a page, or the rules that refuse it. Nothing about it is chosen by the caller but the draft. */
export function appendToPage(page: PageHead, draft: EntryDraft, pageName: string): Decision<Entry> {
  const refusals = draftRefusals(page, draft);
  if (refusals.length > 0) return { ok: false, refusals };
  const quantityChange = balanceChange(draft.details, draft.quantity);
  const balanceAfter = page.balance + quantityChange;
  if (balanceAfter < 0) {
    return {
      ok: false,
      refusals: [
        refuse(
          'balance_would_be_negative',
          `The register shows ${page.balance} ampoule${page.balance === 1 ? '' : 's'} of ${pageName}; ${-quantityChange} cannot be taken out. Check the stock and the register.`,
          'quantity',
        ),
      ],
    };
  }
  // Instants in one spelling (what the database gives back), so the hash can be recomputed.
  const occurredAt = new Date(draft.occurredAt).toISOString();
  const recordedAt = new Date(draft.recordedAt).toISOString();
  const unhashed = { ...draft, occurredAt, recordedAt, seq: page.lastSeq + 1, quantityChange, balanceAfter, prevHash: page.lastHash };
  return { ok: true, value: { ...unhashed, hash: entryHash(unhashed) } };
}

export type PageVerdict =
  | { ok: true; entries: number; balance: number }
  | { ok: false; brokenAtSeq: number; problem: string };

/**
 * A page checked so far: the entries seen, the last hash and balance, or the first break. Fed a
 * batch at a time (`checkEntries`), so a page of any length is checked without holding it whole.
 */
export interface PageCheck {
  readonly entries: number;
  readonly prevHash: string;
  readonly balance: number;
  readonly broken: { brokenAtSeq: number; problem: string } | null;
}

export function startPageCheck(): PageCheck {
  return { entries: 0, prevHash: GENESIS_HASH, balance: 0, broken: null };
}

/** The check carried on over the next entries of the page, in order (the batch after the last one checked). */
export function checkEntries(check: PageCheck, batch: readonly Entry[]): PageCheck {
  if (check.broken) return check;
  let { entries, prevHash, balance } = check;
  const broken = (brokenAtSeq: number, problem: string): PageCheck => ({ entries, prevHash, balance, broken: { brokenAtSeq, problem } });
  for (const e of batch) {
    const expected = entries + 1;
    if (e.seq !== expected) return broken(expected, `entry ${expected} is missing (found ${e.seq} in its place)`);
    if (e.prevHash !== prevHash) return broken(e.seq, `entry ${e.seq} does not follow entry ${e.seq - 1} (previous hash differs): an entry was removed, inserted or changed`);
    const { hash: _stored, ...rest } = e;
    if (entryHash(rest) !== e.hash) return broken(e.seq, `entry ${e.seq} was changed after it was written (its hash no longer matches its content)`);
    if (e.quantityChange !== balanceChange(e.details, e.quantity) || e.balanceAfter !== balance + e.quantityChange) {
      return broken(e.seq, `entry ${e.seq}'s balance does not follow from the entries before it`);
    }
    if (e.balanceAfter < 0) return broken(e.seq, `entry ${e.seq} leaves a negative balance`);
    balance = e.balanceAfter;
    prevHash = e.hash;
    entries = expected;
  }
  return { entries, prevHash, balance, broken: null };
}

export function pageVerdict(check: PageCheck): PageVerdict {
  return check.broken ? { ok: false, ...check.broken } : { ok: true, entries: check.entries, balance: check.balance };
}

/** Check a whole page: sequence, hash chain, and that every balance follows from the entries. */
export function verifyPage(entries: readonly Entry[]): PageVerdict {
  return pageVerdict(checkEntries(startPageCheck(), entries));
}

export function emptyPage(): PageHead {
  return { lastSeq: 0, balance: 0, lastHash: GENESIS_HASH, hasSeq: () => false };
}
