import { z } from 'zod';
import { ENTRY_KINDS } from '../domain/cd-register/entries';
import { Timestamp, Uuid } from './common';

const text = (max: number, what = 'must not be empty') => z.string().trim().min(1, what).max(max);
const ampoules = z.number().int('must be whole ampoules').min(1, 'must be at least 1 ampoule').max(100_000);
const When = Timestamp.optional().describe('When it happened, if earlier than now (a late entry); never in the future');

export const Witness = z
  .object({ staffId: z.string(), password: z.string().min(1, 'the witness enters their own password').max(1024) })
  .describe('A second member of staff at this clinic, confirming with their own password');

export const ItemParams = z.object({ clinicId: z.string(), itemId: z.string() });

export const CreateItemRequest = z.object({
  drug: text(100).default('Diamorphine hydrochloride'),
  form: text(100).default('ampoule (powder for solution for injection)'),
  strengthMg: z.number().int('must be whole mg').min(1).max(10_000),
  location: text(100).describe('Where the stock is kept, e.g. "CD cupboard, dosing room"'),
});

export const CdItemOut = z
  .object({
    itemId: Uuid,
    drug: z.string(),
    form: z.string(),
    strengthMg: z.number().int(),
    location: z.string(),
    name: z.string(),
    balance: z.number().int().describe('Ampoules, from the entries'),
    entries: z.number().int(),
    createdAt: Timestamp,
  })
  .meta({ id: 'CdItem' });

export const CdEntryOut = z
  .object({
    seq: z.number().int(),
    kind: z.enum(ENTRY_KINDS),
    details: z.record(z.string(), z.unknown()),
    quantity: z.number().int(),
    quantityChange: z.number().int(),
    balanceAfter: z.number().int(),
    occurredAt: Timestamp,
    recordedAt: Timestamp,
    lateEntry: z.boolean().describe('Recorded more than 24 hours after it happened'),
    recordedBy: Uuid,
    recordedByName: z.string(),
    witnessId: Uuid.nullable(),
    witnessName: z.string().nullable(),
    note: z.string().nullable(),
    hash: z.string(),
  })
  .meta({ id: 'CdEntry' });

export const RecordedEntry = z.object({
  entry: CdEntryOut,
  discrepancyId: Uuid.nullable().describe('Opened when a stock check differs from the balance'),
});

const party = z.object({ name: text(200), address: text(500) });

export const ReceiptRequest = z.object({
  quantity: ampoules,
  supplier: party,
  invoiceReference: text(100),
  occurredAt: When,
  witness: Witness,
  note: z.string().max(1000).optional(),
});

export const SupplyRequest = z.object({
  quantity: ampoules,
  serviceUserId: z.string(),
  session: z.string().max(16).optional(),
  occurredAt: When,
  witness: Witness,
  note: z.string().max(1000).optional(),
});

export const WasteRequest = z.object({
  wastedMg: z.number().positive('must be more than 0').max(10_000),
  wastedMl: z.number().positive().max(100).optional(),
  fromSeq: z.number().int().min(1).optional().describe('The supply entry the ampoule was drawn for'),
  session: z.string().max(16).optional(),
  occurredAt: When,
  witness: Witness,
  note: z.string().max(1000).optional(),
});

export const ReturnToSupplierRequest = z.object({
  quantity: ampoules,
  supplier: party,
  reference: text(100),
  occurredAt: When,
  witness: Witness,
  note: z.string().max(1000).optional(),
});

export const DestructionRequest = z.object({
  quantity: ampoules,
  reason: z.enum(['expired', 'damaged', 'returned_by_supplier', 'other']),
  authorisedWitness: z
    .object({ name: z.string().max(200), role: z.string().max(200), authorityNumber: z.string().max(100) })
    .describe('The Authorised Witness (Misuse of Drugs Regulations 2001, reg 27)'),
  method: text(200),
  occurredAt: When,
  note: z.string().max(1000).optional(),
});

export const TransferRequest = z.object({
  quantity: ampoules,
  toItemId: z.string().describe('The receiving page (same drug, form and strength), here or at another clinic'),
  toClinicId: z.string().optional().describe('The receiving clinic, if not this one; you must be its controlled-drug accountable officer too'),
  witness: Witness,
  note: z.string().max(1000).optional(),
});

export const CorrectionRequest = z.object({
  quantity: z.number().int('must be whole ampoules').min(-100_000).max(100_000).refine((q) => q !== 0, 'must add or remove at least one ampoule'),
  correctsSeq: z.number().int().min(1),
  reason: text(1000, 'say why the correction is needed'),
  witness: Witness,
});

export const StockCheckRequest = z.object({
  itemId: z.string(),
  countedQuantity: z.number().int('must be whole ampoules').min(0),
  secondChecker: Witness.describe('The second person who counted, with their own password'),
  note: z.string().max(1000).optional(),
});

export const DiscrepancyOut = z.object({
  discrepancyId: Uuid,
  itemId: Uuid,
  itemName: z.string(),
  stockCheckSeq: z.number().int(),
  expected: z.number().int(),
  counted: z.number().int(),
  openedAt: Timestamp,
  openedBy: Uuid,
  resolution: z.object({ resolvedAt: Timestamp, resolvedBy: Uuid, note: z.string(), correctionSeq: z.number().int().nullable() }).nullable(),
});

export const ResolveDiscrepancyRequest = z.object({
  note: text(5000, 'write what the investigation found'),
  correction: z
    .object({ quantity: z.number().int().refine((q) => q !== 0, 'must not be 0'), reason: text(1000), witness: Witness })
    .optional()
    .describe('A correcting entry on the page, referring to the stock check, made in the same transaction'),
});

export const PatientReturnRequest = z.object({
  serviceUserId: z.string(),
  description: text(200).describe('e.g. "Diamorphine 100 mg ampoule, take-home supply of 2026-03-01"'),
  strengthMg: z.number().int().min(1).max(10_000),
  quantity: ampoules,
  occurredAt: When,
  witness: Witness,
  note: z.string().max(1000).optional(),
});

export const PatientReturnOut = z.object({
  returnId: Uuid,
  serviceUserId: Uuid,
  description: z.string(),
  strengthMg: z.number().int(),
  quantity: z.number().int(),
  returnedAt: Timestamp,
  receivedBy: Uuid,
  witnessId: Uuid,
  note: z.string().nullable(),
  destruction: z.object({ destroyedAt: Timestamp, destroyedBy: Uuid, witnessId: Uuid, method: z.string() }).nullable(),
});

export const DestroyReturnRequest = z.object({ method: text(200), witness: Witness });

export const VerifyReport = z.object({
  ok: z.boolean(),
  pages: z.array(
    z.object({
      itemId: Uuid,
      name: z.string(),
      entries: z.number().int(),
      ok: z.boolean(),
      balance: z.number().int().nullable(),
      brokenAtSeq: z.number().int().nullable(),
      problem: z.string().nullable(),
    }),
  ),
});

export const MAX_REGISTER_LIMIT = 1000;

export const RegisterQuery = z
  .object({
    format: z.enum(['json', 'csv', 'html']).default('json').describe('json: a page of entries at a time; csv and html: every entry (of the dates asked for), the legal copy'),
    limit: z.coerce
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(MAX_REGISTER_LIMIT, `must be at most ${MAX_REGISTER_LIMIT}`)
      .default(200)
      .describe('JSON only: how many entries (the latest, or the latest before `before`)'),
    before: z.coerce
      .number()
      .int('must be a whole number')
      .min(1, 'must be an entry number, 1 or more')
      .max(2_147_483_647, 'is not an entry number')
      .optional()
      .describe('JSON only: entries numbered below this (pass the last answer\'s page.olderBefore for the next older page)'),
    from: z.iso.date('must be a date, YYYY-MM-DD').optional().describe('Only entries that happened on or after this clinic date'),
    to: z.iso.date('must be a date, YYYY-MM-DD').optional().describe('Only entries that happened on or before this clinic date'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'must not be before from' });

export const RegisterPageOut = z.object({
  item: CdItemOut.describe('The page with its current balance and number of entries, whatever the filter'),
  entries: z.array(CdEntryOut).describe('Oldest first'),
  page: z.object({
    limit: z.number().int(),
    total: z.number().int().describe('Entries on the page (of the dates asked for, if any)'),
    first: z.number().int().nullable().describe('Number of the first entry returned'),
    last: z.number().int().nullable().describe('Number of the last entry returned'),
    olderBefore: z.number().int().nullable().describe('Pass as `before` for the next older entries; null when there are none'),
  }),
});
