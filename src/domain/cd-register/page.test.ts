import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { appendToPage, checkEntries, emptyPage, pageVerdict, startPageCheck, verifyPage, type Entry, type EntryDraft, type PageHead } from './page';
import type { EntryDetails } from './entries';

const base = {
  clinicId: '01a21e00-0000-7000-8000-000000000001',
  itemId: '01a21e00-0000-7000-8000-000000000002',
  occurredAt: '2026-03-02T09:00:00.000Z',
  recordedAt: '2026-03-02T09:00:00.000Z',
  recordedBy: 'nurse-1',
  witnessId: 'hca-1',
  note: null,
};
const receipt = (quantity: number): EntryDraft => ({
  ...base,
  quantity,
  details: { kind: 'receipt', supplier: { name: 'Pharmacy wholesaler', address: '1 Depot Road, Leeds' }, invoiceReference: 'INV-1' },
});
const supply = (quantity: number): EntryDraft => ({
  ...base,
  quantity,
  details: {
    kind: 'supply_administration',
    serviceUser: { serviceUserId: 'su-1', name: 'Jo Bloggs', address: '1 High Street, Middlesbrough' },
    prescriber: { staffId: 'dr-1', name: 'Dr Who' },
    administeredBy: { staffId: 'nurse-1', name: 'Nurse' },
    session: 'AM',
    doseId: null,
  },
});

function headOf(entries: Entry[]): PageHead {
  const last = entries.at(-1);
  return last
    ? { lastSeq: last.seq, balance: last.balanceAfter, lastHash: last.hash, hasSeq: (s) => s >= 1 && s <= last.seq }
    : emptyPage();
}

function add(entries: Entry[], draft: EntryDraft) {
  const d = appendToPage(headOf(entries), draft, 'Diamorphine 100 mg ampoule');
  if (d.ok) entries.push(d.value);
  return d;
}

describe('a register page', () => {
  it('keeps a running balance from the entries and chains them', () => {
    const entries: Entry[] = [];
    add(entries, receipt(10));
    add(entries, supply(2));
    add(entries, { ...base, quantity: 0, details: { kind: 'part_ampoule_waste', wastedMg: 10, wastedMl: 0.5, fromSeq: 2, session: 'AM' } });
    expect(entries.map((e) => e.balanceAfter)).toEqual([10, 8, 8]);
    expect(entries[1]!.prevHash).toBe(entries[0]!.hash);
    expect(verifyPage(entries)).toEqual({ ok: true, entries: 3, balance: 8 });
  });

  it('refuses to take out more than the balance, with the figures', () => {
    const entries: Entry[] = [];
    add(entries, receipt(3));
    const d = add(entries, supply(5));
    expect(d.ok ? null : d.refusals[0]).toEqual({
      rule: 'balance_would_be_negative',
      field: 'quantity',
      message: 'The register shows 3 ampoules of Diamorphine 100 mg ampoule; 5 cannot be taken out. Check the stock and the register.',
    });
    expect(entries).toHaveLength(1);
  });

  it('needs whole ampoules, a witness who is someone else, and an Authorised Witness to destroy', () => {
    const rules = (draft: EntryDraft) => {
      const d = appendToPage({ ...emptyPage(), balance: 10, lastSeq: 1, hasSeq: (s) => s === 1 }, draft, 'X');
      return d.ok ? [] : d.refusals.map((r) => r.rule);
    };
    expect(rules(supply(1.5))).toContain('whole_ampoules');
    expect(rules({ ...supply(1), witnessId: null })).toEqual(['witness_required']);
    expect(rules({ ...supply(1), witnessId: 'nurse-1' })).toEqual(['witness_is_recorder']);
    const destroy = (name: string): EntryDraft => ({
      ...base,
      witnessId: null,
      quantity: 2,
      details: { kind: 'destruction', reason: 'expired', authorisedWitness: { name, role: 'Police CD liaison officer', authorityNumber: 'AW-42' }, method: 'denaturing kit' },
    });
    expect(rules(destroy(''))).toEqual(['authorised_witness_required']);
    expect(rules(destroy('PC Smith'))).toEqual([]);
    expect(rules({ ...base, quantity: -1, details: { kind: 'correction', correctsSeq: 7, reason: 'miscounted' } })).toEqual(['correction_target_missing']);
    expect(rules({ ...base, quantity: 1, details: { kind: 'stock_check', countedQuantity: 9 } })).toEqual(['quantity_not_allowed']);
    expect(rules({ ...base, quantity: 0, details: { kind: 'receipt', supplier: { name: '', address: '' }, invoiceReference: 'x' } })).toEqual([
      'quantity_required',
      'supplier_required',
    ]);
  });

  it('detects a changed, removed or inserted entry, naming the first broken one', () => {
    const entries: Entry[] = [];
    add(entries, receipt(10));
    add(entries, supply(2));
    add(entries, supply(3));
    const changed = entries.map((e) => ({ ...e }));
    changed[1] = { ...changed[1]!, details: { ...(changed[1]!.details as object), serviceUser: { serviceUserId: 'su-2', name: 'Someone Else', address: 'x' } } as EntryDetails };
    expect(verifyPage(changed)).toMatchObject({ ok: false, brokenAtSeq: 2 });
    const removed = [entries[0]!, { ...entries[2]!, seq: 2 }];
    expect(verifyPage(removed)).toMatchObject({ ok: false, brokenAtSeq: 2 });
    const rebalanced = entries.map((e) => ({ ...e }));
    rebalanced[2] = { ...rebalanced[2]!, balanceAfter: 99 };
    expect(verifyPage(rebalanced)).toMatchObject({ ok: false, brokenAtSeq: 3 });
  });

  // Random operations; whatever the register accepts, the balance is the sum of the accepted
  // entries' changes and never negative, and the chain verifies.
  const operation = fc.oneof(
    fc.integer({ min: 1, max: 20 }).map((q) => receipt(q)),
    fc.integer({ min: 1, max: 8 }).map((q) => supply(q)),
    fc.integer({ min: 1, max: 5 }).map((q) => ({ ...base, witnessId: null, quantity: q, details: { kind: 'destruction' as const, reason: 'expired' as const, authorisedWitness: { name: 'A', role: 'B', authorityNumber: 'C' }, method: 'kit' } })),
    fc.integer({ min: 1, max: 40 }).map((mg) => ({ ...base, quantity: 0, details: { kind: 'part_ampoule_waste' as const, wastedMg: mg, wastedMl: null, fromSeq: null, session: null } })),
    fc.integer({ min: 0, max: 30 }).map((n) => ({ ...base, quantity: 0, details: { kind: 'stock_check' as const, countedQuantity: n } })),
    fc.tuple(fc.integer({ min: -5, max: 5 }).filter((q) => q !== 0), fc.integer({ min: 1, max: 30 })).map(([q, target]) => ({ ...base, quantity: q, details: { kind: 'correction' as const, correctsSeq: target, reason: 'recount' } })),
  );

  it('balance = sum of accepted entries, never negative, and the chain verifies (property)', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (ops) => {
        const entries: Entry[] = [];
        let refusedNegative = 0;
        for (const op of ops) {
          const before = entries.length;
          const d = add(entries, op as EntryDraft);
          if (!d.ok && d.refusals.some((r) => r.rule === 'balance_would_be_negative')) refusedNegative++;
          if (!d.ok) expect(entries.length).toBe(before);
        }
        const sum = entries.reduce((total, e) => total + e.quantityChange, 0);
        expect(headOf(entries).balance).toBe(sum);
        expect(entries.every((e) => e.balanceAfter >= 0)).toBe(true);
        expect(verifyPage(entries)).toEqual({ ok: true, entries: entries.length, balance: sum });
        void refusedNegative;
      }),
      { numRuns: 500 },
    );
  });

  it('any change to any field of any entry is detected (property)', () => {
    fc.assert(
      fc.property(fc.array(operation, { minLength: 3, maxLength: 30 }), fc.nat(), fc.constantFrom('quantity', 'occurredAt', 'recordedBy', 'witnessId', 'note', 'details'), (ops, pick, field) => {
        const entries: Entry[] = [];
        for (const op of ops) add(entries, op as EntryDraft);
        fc.pre(entries.length > 0);
        const i = pick % entries.length;
        const tampered = entries.map((e) => ({ ...e }));
        const victim = tampered[i]! as unknown as Record<string, unknown>;
        victim[field] =
          field === 'quantity' ? (victim.quantity as number) + 1
          : field === 'details' ? { ...(victim.details as object), tampered: true }
          : `${String(victim[field])}x`;
        const verdict = verifyPage(tampered);
        expect(verdict.ok).toBe(false);
        if (!verdict.ok) expect(verdict.brokenAtSeq).toBe(i + 1);
      }),
      { numRuns: 500 },
    );
  });

  it('checks a page batch by batch with the same verdict as the whole page, broken or not (property)', () => {
    fc.assert(
      fc.property(
        fc.array(operation, { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 40 }),
        fc.option(fc.tuple(fc.nat(), fc.constantFrom('remove', 'change', 'swap')), { nil: null }),
        (ops, sizes, damage) => {
          const entries: Entry[] = [];
          for (const op of ops) add(entries, op as EntryDraft);
          const page = entries.map((e) => ({ ...e }));
          if (damage && page.length > 1) {
            const i = damage[0] % page.length;
            if (damage[1] === 'remove') page.splice(i, 1);
            else if (damage[1] === 'change') page[i] = { ...page[i]!, note: `${page[i]!.note ?? ''}x` };
            else if (i + 1 < page.length) [page[i], page[i + 1]] = [page[i + 1]!, page[i]!];
          }
          let check = startPageCheck();
          let at = 0;
          for (let k = 0; at < page.length; k++) {
            const size = sizes[k % sizes.length]!;
            check = checkEntries(check, page.slice(at, at + size));
            at += size;
          }
          expect(pageVerdict(check)).toEqual(verifyPage(page));
        },
      ),
      { numRuns: 500 },
    );
  });
});
