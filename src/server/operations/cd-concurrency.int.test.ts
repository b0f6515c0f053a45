import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp } from '../../../test/support/test-app';
import { licensedPrescriber, personInInduction, starting } from '../../../test/support/clinical';
import { cdTeam, page, receive, witnessOf } from '../../../test/support/cd';
import { inTransaction, SYSTEM_ACTOR } from '../../store/transaction';
import { recordCdEntry } from '../cd/record-entry';
import { verifyRegister } from '../cd/verify';
import { createItem } from '../../store/cd-register';

describe.skipIf(postgresSkipped())('controlled-drug register under load and tampering', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  it('60 parallel supplies on one page of 40 ampoules: exactly 40 succeed, the balance is exact, the refused write nothing', async () => {
    const clinic = await t.newClinic();
    const { accountable, nurse, hca } = await cdTeam(t, clinic);
    const doctor = await licensedPrescriber(t, clinic);
    const person = await personInInduction(t, clinic, doctor);
    await doctor.client.post(clinic.url(`/service-users/${person.serviceUserId}/prescriptions`), starting());
    const item = await page(clinic, accountable);
    await receive(clinic, accountable, nurse, item, 40);
    const answers = await Promise.all(
      Array.from({ length: 60 }, () =>
        nurse.client.post(clinic.url(`/cd/items/${item}/supplies`), { quantity: 1, serviceUserId: person.serviceUserId, witness: witnessOf(hca) }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(40);
    expect(statuses.filter((s) => s === 422)).toHaveLength(20);
    expect(answers.filter((a) => a.status === 422).every((a) => a.body.error.code === 'balance_would_be_negative')).toBe(true);
    const register = (await accountable.client.get(clinic.url(`/cd/items/${item}/register`))).body;
    expect(register.item.balance).toBe(0);
    expect(register.entries).toHaveLength(41);
    expect(register.entries.map((e: { seq: number }) => e.seq)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
    expect(register.entries.every((e: { balanceAfter: number }) => e.balanceAfter >= 0)).toBe(true);
    // Balances never skipped or repeated: each supply left one fewer than the one before.
    expect(register.entries.map((e: { balanceAfter: number }) => e.balanceAfter)).toEqual([40, ...Array.from({ length: 40 }, (_, i) => 39 - i)]);
    expect((await accountable.client.get(clinic.url('/cd/verify'))).body.ok).toBe(true);
  });

  it('any change to any stored entry, made in SQL behind the triggers\' back, is found by verify (property)', async () => {
    const clinic = await t.newClinic();
    const staff = await t.newStaff(clinic.clinicId, ['cd_accountable'], { signIn: false });
    const witness = await t.newStaff(clinic.clinicId, ['nurse'], { signIn: false });
    const actor = { ...SYSTEM_ACTOR, staffId: staff.staffId };
    const columns = ['quantity', 'quantity_change', 'balance_after', 'occurred_at', 'recorded_by', 'witness_id', 'note', 'details', 'prev_hash', 'hash'] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.integer({ min: 1, max: 9 }).map((q) => ({ q, kind: 'receipt' as const })), fc.integer({ min: 1, max: 5 }).map((q) => ({ q, kind: 'destruction' as const }))), { minLength: 2, maxLength: 12 }),
        fc.nat(),
        fc.constantFrom(...columns),
        async (ops, pick, column) => {
          const item = await inTransaction(t.db, t.clock, actor, (w) => createItem(w, clinic.clinicId, { drug: 'Diamorphine', form: 'ampoule', strengthMg: 100, location: `loc-${crypto.randomUUID()}` }));
          let seq = 0;
          for (const op of ops) {
            try {
              await inTransaction(t.db, t.clock, actor, (w) =>
                recordCdEntry(w, clinic.clinicId, item.itemId, {
                  quantity: op.q,
                  details:
                    op.kind === 'receipt'
                      ? { kind: 'receipt', supplier: { name: 'S', address: 'A' }, invoiceReference: 'I' }
                      : { kind: 'destruction', reason: 'expired', authorisedWitness: { name: 'N', role: 'R', authorityNumber: 'X' }, method: 'kit' },
                  occurredAt: t.clock.now().toString(),
                  witnessId: op.kind === 'receipt' ? witness.staffId : null,
                  note: null,
                }),
              );
              seq++;
            } catch {
              // refused (would go below zero): nothing written
            }
          }
          fc.pre(seq > 0);
          const target = (pick % seq) + 1;
          const set: Record<(typeof columns)[number], string> = {
            quantity: 'quantity = quantity + 1',
            quantity_change: 'quantity_change = quantity_change + 1',
            balance_after: 'balance_after = balance_after + 1',
            occurred_at: "occurred_at = occurred_at + interval '1 minute'",
            recorded_by: `recorded_by = '${witness.staffId}'`,
            witness_id: `witness_id = '${staff.staffId}'`,
            note: "note = 'tampered'",
            details: `details = jsonb_set(details, '{kind}', '"receipt"') || '{"x": 1}'`,
            prev_hash: "prev_hash = repeat('a', 64)",
            hash: "hash = repeat('b', 64)",
          };
          await t.db.query('ALTER TABLE cd_entries DISABLE TRIGGER cd_entries_append_only');
          try {
            await t.db.query(`UPDATE cd_entries SET ${set[column]} WHERE clinic_id = $1 AND item_id = $2 AND seq = $3`, [clinic.clinicId, item.itemId, target]);
          } finally {
            await t.db.query('ALTER TABLE cd_entries ENABLE TRIGGER cd_entries_append_only');
          }
          const report = await verifyRegister(t.db.orm, clinic.clinicId);
          const pageReport = report.pages.find((p) => p.itemId === item.itemId)!;
          expect(pageReport.ok).toBe(false);
          expect(pageReport.brokenAtSeq).toBe(target);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('a deleted entry is found too', async () => {
    const clinic = await t.newClinic();
    const { accountable, nurse } = await cdTeam(t, clinic);
    const item = await page(clinic, accountable);
    await receive(clinic, accountable, nurse, item, 5);
    await receive(clinic, accountable, nurse, item, 6);
    await receive(clinic, accountable, nurse, item, 7);
    await t.db.query('ALTER TABLE cd_entries DISABLE TRIGGER cd_entries_append_only');
    try {
      await t.db.query('DELETE FROM cd_entries WHERE clinic_id = $1 AND item_id = $2 AND seq = 2', [clinic.clinicId, item]);
    } finally {
      await t.db.query('ALTER TABLE cd_entries ENABLE TRIGGER cd_entries_append_only');
    }
    const report = (await accountable.client.get(clinic.url('/cd/verify'))).body;
    expect(report.pages[0]).toMatchObject({ ok: false, brokenAtSeq: 2 });
    expect(report.pages[0].problem).toContain('missing');
  });

  it('the triggers refuse changes to the register', async () => {
    const clinic = await t.newClinic();
    const { accountable, nurse } = await cdTeam(t, clinic);
    const item = await page(clinic, accountable);
    await receive(clinic, accountable, nurse, item, 5);
    await expect(t.db.query('UPDATE cd_entries SET quantity = 50 WHERE item_id = $1', [item])).rejects.toThrow(/append-only/);
    await expect(t.db.query('DELETE FROM cd_entries WHERE item_id = $1', [item])).rejects.toThrow(/append-only/);
    await expect(t.db.query('DELETE FROM cd_items WHERE item_id = $1', [item])).rejects.toThrow(/append-only/);
  });
});
