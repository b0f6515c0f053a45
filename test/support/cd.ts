import type { TestApp, TestClinic, TestStaff } from './test-app';
import { TEST_PASSWORD } from './test-app';

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
