import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp, type TestClinic } from '../../../test/support/test-app';
import { licensedPrescriber, personInInduction, starting } from '../../../test/support/clinical';
import { allEntries, cdTeam, page, receive, witnessOf } from '../../../test/support/cd';

describe.skipIf(postgresSkipped())('controlled-drug register', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  async function personWithPrescription(clinic: TestClinic) {
    const doctor = await licensedPrescriber(t, clinic);
    const person = await personInInduction(t, clinic, doctor);
    const rx = await doctor.client.post(clinic.url(`/service-users/${person.serviceUserId}/prescriptions`), starting());
    if (rx.status !== 201) throw new Error(JSON.stringify(rx.body));
    return { doctor, ...person };
  }

  const entriesOf = async (clinic: TestClinic, who: { client: { get: (u: string) => Promise<{ status: number; body: any }> } }, itemId: string) =>
    (await allEntries(clinic, who, itemId)).entries;

  it('keeps a page per strength with a running balance from witnessed entries', async () => {
    const clinic = await t.newClinic();
    const { accountable, nurse, hca } = await cdTeam(t, clinic);
    const { serviceUserId, doctor } = await personWithPrescription(clinic);
    const p100 = await page(clinic, accountable, 100);
    const p500 = await page(clinic, accountable, 500);
    expect(p100).not.toBe(p500);
    const receipt = await receive(clinic, accountable, nurse, p100, 10);
    expect(receipt.entry).toMatchObject({ seq: 1, kind: 'receipt', quantityChange: 10, balanceAfter: 10, witnessName: 'Test nurse' });
    const supply = await nurse.client.post(clinic.url(`/cd/items/${p100}/supplies`), { quantity: 1, serviceUserId, session: 'AM', witness: witnessOf(hca) });
    expect(supply.status, JSON.stringify(supply.body)).toBe(201);
    expect(supply.body.entry.details).toMatchObject({
      serviceUser: { name: 'Joanne Bloggs', address: '1 High Street, Middlesbrough, TS1 1AA' },
      prescriber: { staffId: doctor.staffId },
      administeredBy: { staffId: nurse.staffId },
      session: 'AM',
    });
    const waste = await nurse.client.post(clinic.url(`/cd/items/${p100}/waste`), { wastedMg: 70, wastedMl: 0.7, fromSeq: 2, session: 'AM', witness: witnessOf(hca) });
    expect(waste.body.entry).toMatchObject({ quantityChange: 0, balanceAfter: 9 });
    const items = (await nurse.client.get(clinic.url('/cd/items'))).body.items;
    expect(items.map((i: { strengthMg: number; balance: number }) => [i.strengthMg, i.balance])).toEqual([
      [100, 9],
      [500, 0],
    ]);
    const entries = await entriesOf(clinic, nurse, p100);
    expect(entries.map((e) => [e.seq, e.kind, e.balanceAfter])).toEqual([
      [1, 'receipt', 10],
      [2, 'supply_administration', 9],
      [3, 'part_ampoule_waste', 9],
    ]);
    const verify = (await accountable.client.get(clinic.url('/cd/verify'))).body;
    expect(verify.ok).toBe(true);
  });

  it('refuses to go below zero, a wrong or absent witness, and a supply without a prescription, writing nothing', async () => {
    const clinic = await t.newClinic();
    const { accountable, nurse, hca } = await cdTeam(t, clinic);
    const { serviceUserId } = await personWithPrescription(clinic);
    const item = await page(clinic, accountable);
    await receive(clinic, accountable, nurse, item, 2);
    const url = clinic.url(`/cd/items/${item}/supplies`);
    const tooMany = await nurse.client.post(url, { quantity: 3, serviceUserId, witness: witnessOf(hca) });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error).toMatchObject({ code: 'balance_would_be_negative', field: 'quantity' });
    expect(tooMany.body.error.message).toContain('The register shows 2 ampoules of Diamorphine hydrochloride 100 mg');
    const wrongPassword = await nurse.client.post(url, { quantity: 1, serviceUserId, witness: { staffId: hca.staffId, password: 'not theirs at all' } });
    expect(wrongPassword.status).toBe(400);
    expect(wrongPassword.body.error).toMatchObject({ code: 'witness_password_invalid', field: 'witness.password' });
    const self = await nurse.client.post(url, { quantity: 1, serviceUserId, witness: witnessOf(nurse) });
    expect(self.body.error.code).toBe('witness_is_recorder');
    const outsider = await t.newStaff((await t.newClinic()).clinicId, ['nurse']);
    expect((await nurse.client.post(url, { quantity: 1, serviceUserId, witness: witnessOf(outsider) })).body.error.field).toBe('witness.staffId');
    const noWitness = await nurse.client.post(url, { quantity: 1, serviceUserId });
    expect(noWitness.body.error).toMatchObject({ code: 'validation_failed', field: 'witness' });
    await nurse.client.post(clinic.url(`/service-users/${serviceUserId}/prescriptions/suspension`), { reason: 'sedated' });
    const suspended = await nurse.client.post(url, { quantity: 1, serviceUserId, witness: witnessOf(hca) });
    expect(suspended.body.error.code).toBe('no_prescription_in_force');
    expect((await entriesOf(clinic, nurse, item)).length).toBe(1);
  });

  it('destroys only with an Authorised Witness named, with role and authority number', async () => {
    const clinic = await t.newClinic();
    const { accountable, nurse } = await cdTeam(t, clinic);
    const item = await page(clinic, accountable);
    await receive(clinic, accountable, nurse, item, 5);
    const url = clinic.url(`/cd/items/${item}/destructions`);
    const missing = await accountable.client.post(url, { quantity: 2, reason: 'expired', authorisedWitness: { name: 'PC Smith', role: '', authorityNumber: '' }, method: 'denaturing kit' });
    expect(missing.body.error.code).toBe('authorised_witness_required');
    const ok = await accountable.client.post(url, { quantity: 2, reason: 'expired', authorisedWitness: { name: 'PC Smith', role: 'Police CD liaison officer', authorityNumber: 'CDLO-42' }, method: 'denaturing kit' });
    expect(ok.body.entry).toMatchObject({ kind: 'destruction', balanceAfter: 3 });
  });

  it('a stock check that disagrees opens a discrepancy; it is resolved with a note and a correcting entry that refers to the check', async () => {
    const clinic = await t.newClinic();
    const { accountable, nurse } = await cdTeam(t, clinic);
    const item = await page(clinic, accountable);
    await receive(clinic, accountable, nurse, item, 10);
    const agrees = await accountable.client.post(clinic.url('/cd/stock-checks'), { itemId: item, countedQuantity: 10, secondChecker: witnessOf(nurse) });
    expect(agrees.body.discrepancyId).toBeNull();
    const short = await accountable.client.post(clinic.url('/cd/stock-checks'), { itemId: item, countedQuantity: 9, secondChecker: witnessOf(nurse) });
    expect(short.body.discrepancyId).not.toBeNull();
    const open = (await accountable.client.get(clinic.url('/cd/discrepancies'))).body.discrepancies;
    expect(open).toEqual([expect.objectContaining({ expected: 10, counted: 9, stockCheckSeq: 3, resolution: null })]);
    const resolved = await accountable.client.post(clinic.url(`/cd/discrepancies/${short.body.discrepancyId}/resolution`), {
      note: 'ampoule broken on 1 March, not recorded; staff reminded',
      correction: { quantity: -1, reason: 'broken ampoule not recorded', witness: witnessOf(nurse) },
    });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(201);
    expect(resolved.body.resolution).toMatchObject({ correctionSeq: 4 });
    expect((await accountable.client.get(clinic.url('/cd/discrepancies'))).body.discrepancies).toEqual([]);
    const entries = await entriesOf(clinic, accountable, item);
    expect(entries.at(-1)).toMatchObject({ kind: 'correction', quantityChange: -1, balanceAfter: 9, details: { correctsSeq: 3 } });
    const again = await accountable.client.post(clinic.url(`/cd/discrepancies/${short.body.discrepancyId}/resolution`), { note: 'again' });
    expect(again.body.error.code).toBe('already_resolved');
  });

  it('keeps patient returns out of stock and destroys them with a witness', async () => {
    const clinic = await t.newClinic();
    const { accountable, nurse, hca } = await cdTeam(t, clinic);
    const { serviceUserId } = await personWithPrescription(clinic);
    const item = await page(clinic, accountable);
    await receive(clinic, accountable, nurse, item, 4);
    const ret = await nurse.client.post(clinic.url('/cd/patient-returns'), { serviceUserId, description: 'Diamorphine 100 mg ampoule, take-home', strengthMg: 100, quantity: 2, witness: witnessOf(hca) });
    expect(ret.status).toBe(201);
    expect((await nurse.client.get(clinic.url('/cd/items'))).body.items[0].balance).toBe(4);
    const destroyed = await accountable.client.post(clinic.url(`/cd/patient-returns/${ret.body.returnId}/destruction`), { method: 'denaturing kit', witness: witnessOf(nurse) });
    expect(destroyed.body.destruction).toMatchObject({ destroyedBy: accountable.staffId, witnessId: nurse.staffId });
    expect((await accountable.client.post(clinic.url(`/cd/patient-returns/${ret.body.returnId}/destruction`), { method: 'x', witness: witnessOf(nurse) })).body.error.code).toBe('already_destroyed');
  });

  it('transfers between pages in one transaction, only between pages of the same drug, form and strength', async () => {
    const clinic = await t.newClinic();
    const { accountable, nurse } = await cdTeam(t, clinic);
    const main = await page(clinic, accountable, 100, 'Main safe');
    const hatch = await page(clinic, accountable, 100, 'Dosing room cupboard');
    const other = await page(clinic, accountable, 500, 'Main safe');
    await receive(clinic, accountable, nurse, main, 20);
    const moved = await accountable.client.post(clinic.url(`/cd/items/${main}/transfers`), { quantity: 5, toItemId: hatch, witness: witnessOf(nurse) });
    expect(moved.status, JSON.stringify(moved.body)).toBe(201);
    expect(moved.body.entry.balanceAfter).toBe(15);
    expect(moved.body.receivingEntry).toMatchObject({ kind: 'transfer_in', balanceAfter: 5 });
    const wrong = await accountable.client.post(clinic.url(`/cd/items/${main}/transfers`), { quantity: 1, toItemId: other, witness: witnessOf(nurse) });
    expect(wrong.body.error.field).toBe('toItemId');
    const tooMany = await accountable.client.post(clinic.url(`/cd/items/${main}/transfers`), { quantity: 99, toItemId: hatch, witness: witnessOf(nurse) });
    expect(tooMany.body.error.code).toBe('balance_would_be_negative');
    expect((await entriesOf(clinic, accountable, hatch)).length).toBe(1);
  });

  it('prints each page (HTML) and exports it (CSV), and audits who looked', async () => {
    const clinic = await t.newClinic();
    const { accountable, nurse } = await cdTeam(t, clinic);
    const item = await page(clinic, accountable);
    await accountable.client.post(clinic.url(`/cd/items/${item}/receipts`), { quantity: 3, supplier: { name: '=HYPERLINK("x")', address: 'A, "quoted" <b>' }, invoiceReference: 'I-1', witness: witnessOf(nurse) });
    const csv = await t.app.inject({ method: 'GET', url: clinic.url(`/cd/items/${item}/register?format=csv`), headers: { cookie: accountable.client.cookie! } });
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[1]).toBe('Entry,Date,Time,Kind,Details,In,Out,Balance,Recorded by,Witness,Recorded at,Late entry,Note,Hash');
    expect(lines[2]).toContain(`"From =HYPERLINK(""x""), A, ""quoted"" <b>; invoice I-1"`);
    expect(lines[2]).toContain(',3,,3,');
    const html = await t.app.inject({ method: 'GET', url: clinic.url(`/cd/items/${item}/register?format=html`), headers: { cookie: accountable.client.cookie! } });
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('&quot;quoted&quot; &lt;b&gt;');
    expect(html.body).toContain('@media print');
  });

  it('reconciles a day by session: ampoules supplied and waste', async () => {
    const clinic = await t.newClinic();
    const { accountable, nurse, hca } = await cdTeam(t, clinic);
    const { serviceUserId } = await personWithPrescription(clinic);
    const item = await page(clinic, accountable);
    await receive(clinic, accountable, nurse, item, 10);
    for (const session of ['AM', 'AM', 'PM']) {
      await nurse.client.post(clinic.url(`/cd/items/${item}/supplies`), { quantity: 1, serviceUserId, session, witness: witnessOf(hca) });
    }
    await nurse.client.post(clinic.url(`/cd/items/${item}/waste`), { wastedMg: 40, session: 'AM', witness: witnessOf(hca) });
    const rec = (await nurse.client.get(clinic.url('/cd/reconciliation'))).body;
    expect(rec.sessions.map((s: any) => [s.session, s.ampoulesSupplied, s.wasteMg])).toEqual([
      ['AM', 2, 40],
      ['PM', 1, 0],
      ['none', 0, 0],
    ]);
  });
});
