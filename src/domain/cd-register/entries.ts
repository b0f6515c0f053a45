/**
 * The controlled-drug register (Misuse of Drugs Regulations 2001, regs 19–20 and 27; see
 * docs/clinical-defaults.md): one page per drug, form and strength at a storage location, entries
 * in the order they were made, never altered. Balances are whole ampoules.
 */

export const ENTRY_KINDS = [
  'receipt',
  'supply_administration',
  'supply_take_home',
  'part_ampoule_waste',
  'return_to_supplier',
  'destruction',
  'transfer_out',
  'transfer_in',
  'stock_check',
  'correction',
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export const ENTRY_KIND_LABELS: Record<EntryKind, string> = {
  receipt: 'Received',
  supply_administration: 'Supplied (administration)',
  supply_take_home: 'Supplied (take-home)',
  part_ampoule_waste: 'Part-ampoule waste (denatured)',
  return_to_supplier: 'Returned to supplier',
  destruction: 'Destroyed',
  transfer_out: 'Transferred out',
  transfer_in: 'Transferred in',
  stock_check: 'Stock check',
  correction: 'Correction',
};

export interface Party {
  name: string;
  address: string;
}

export interface AuthorisedWitness {
  name: string;
  role: string;
  authorityNumber: string;
}

/** What each kind of entry records, beyond who made it, when, and how many ampoules. */
export type EntryDetails =
  | { kind: 'receipt'; supplier: Party; invoiceReference: string }
  | {
      kind: 'supply_administration';
      serviceUser: { serviceUserId: string; name: string; address: string };
      prescriber: { staffId: string; name: string };
      administeredBy: { staffId: string; name: string };
      session: string | null;
      doseId: string | null;
    }
  | {
      kind: 'supply_take_home';
      serviceUser: { serviceUserId: string; name: string; address: string };
      prescriber: { staffId: string; name: string };
      collectedBy: string;
      idRequested: boolean;
      idShown: boolean;
    }
  | { kind: 'part_ampoule_waste'; wastedMg: number; wastedMl: number | null; fromSeq: number | null; session: string | null }
  | { kind: 'return_to_supplier'; supplier: Party; reference: string }
  | { kind: 'destruction'; reason: 'expired' | 'damaged' | 'returned_by_supplier' | 'other'; authorisedWitness: AuthorisedWitness; method: string }
  | { kind: 'transfer_out'; transferId: string; to: string }
  | { kind: 'transfer_in'; transferId: string; from: string }
  | { kind: 'stock_check'; countedQuantity: number }
  | { kind: 'correction'; correctsSeq: number; reason: string };

/** How an entry moves the balance: ampoules in (+), out (−), or none. */
export function balanceChange(details: EntryDetails, quantity: number): number {
  switch (details.kind) {
    case 'receipt':
    case 'transfer_in':
      return quantity;
    case 'supply_administration':
    case 'supply_take_home':
    case 'return_to_supplier':
    case 'destruction':
    case 'transfer_out':
      return -quantity;
    case 'part_ampoule_waste':
    case 'stock_check':
      return 0;
    case 'correction':
      return quantity; // signed: a correction may add or remove
  }
}

/** Entries that need a second member of staff to witness them (and confirm with their password). */
export function needsStaffWitness(kind: EntryKind): boolean {
  return kind !== 'destruction' && kind !== 'transfer_in';
}
