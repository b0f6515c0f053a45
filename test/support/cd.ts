import type { TestApp, TestClinic, TestStaff } from './test-app';
import { TEST_PASSWORD } from './test-app';
import { inTransaction } from '../../src/store/transaction';
import { recordCdEntry } from '../../src/server/cd/record-entry';

export const witnessOf = (s: TestStaff) => ({ staffId: s.staffId, password: TEST_PASSWORD });

export async function cdTeam(t: TestApp, clinic: TestClinic) {
  const accountable = await t.newStaff(clinic.clinicId, ['cd_accountable']);
  const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
  const hca = await t.newStaff(clinic.clinicId, ['hca']);
  return { accountable, nurse, hca };
}

export async function page(clinic: TestClinic, accountable: TestStaff, strengthMg = 100, location = 'CD cupboard, dosing room') {
  const res = await accountable.client.post(clinic.url('/cd/items'), { strengthMg, location });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return res.body.itemId as string;
}

export const supplier = { name: 'Specialist Pharmaceuticals Ltd', address: 'Unit 4, Depot Road, Leeds LS1 1AA' };

export async function receive(clinic: TestClinic, accountable: TestStaff, witness: TestStaff, itemId: string, quantity: number) {
  const res = await accountable.client.post(clinic.url(`/cd/items/${itemId}/receipts`), { quantity, supplier, invoiceReference: `INV-${quantity}`, witness: witnessOf(witness) });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return res.body;
}

/**
 * A page's entries, all of them, read as the screen reads them: the latest page, then older pages
 * (`page.olderBefore`) until there are none. For tests that need the whole page.
 */
export async function allEntries(
  clinic: TestClinic,
  who: { client: { get: (u: string) => Promise<{ status: number; body: any }> } },
  itemId: string,
  query = '',
): Promise<{ item: any; entries: any[] }> {
  const pages: any[][] = [];
  let before: number | null = null;
  let item: any;
  do {
    const res = await who.client.get(clinic.url(`/cd/items/${itemId}/register?limit=1000${query}${before === null ? '' : `&before=${before}`}`));
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
    item = res.body.item;
    pages.unshift(res.body.entries);
    before = res.body.page.olderBefore;
  } while (before !== null);
  return { item, entries: pages.flat() };
}

/**
 * Many entries on a page quickly (straight through the register's own write path, recordCdEntry,
 * in one transaction; no HTTP or witness passwords): receipts of 1–3 ampoules, and every seventh a
 * destruction of one. `occurredAt[i]` is when entry i happened; the clock is the recording time.
 * Returns what was written, in order.
 */
export async function fillPage(t: TestApp, clinic: TestClinic, itemId: string, recorder: TestStaff, witness: TestStaff, occurredAt: string[]) {
  return inTransaction(t.db, t.clock, { staffId: recorder.staffId, ip: null, userAgent: 'test', requestId: null }, async (w) => {
    const written = [];
    for (const [i, at] of occurredAt.entries()) {
      const destroy = i % 7 === 6;
      const { entry } = await recordCdEntry(w, clinic.clinicId, itemId, destroy
        ? { details: { kind: 'destruction', reason: 'expired', authorisedWitness: { name: 'A. Witness', role: 'Inspector', authorityNumber: 'AW-1' }, method: 'denaturing kit' }, quantity: 1, occurredAt: at, witnessId: null, note: null }
        : { details: { kind: 'receipt', supplier, invoiceReference: `INV-${i}` }, quantity: (i % 3) + 1, occurredAt: at, witnessId: witness.staffId, note: i % 5 === 0 ? `note, "${i}"` : null });
      written.push(entry);
    }
    return written;
  });
}
