import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TEST_PASSWORD, TestApp, type TestClinic, type TestStaff } from '../../../test/support/test-app';
import { cdTeam, page, supplier, witnessOf } from '../../../test/support/cd';
import { getStaff } from '../../store/staff';
import type { PasswordHasher } from '../auth/passwords';

/**
 * A witness's password proved against its Argon2 hash is, for a few minutes, checked by an HMAC
 * instead: these tests count the Argon2 checks and show that nothing a full check would refuse
 * is let through.
 */
describe.skipIf(postgresSkipped())('witness passwords proved a few minutes ago', () => {
  let t: TestApp;
  let argon2Checks = 0;
  beforeAll(async () => {
    t = await TestApp.open();
    const real = t.ctx.passwords;
    const counting: PasswordHasher = { ...real, verify: (hash, password) => ((argon2Checks += 1), real.verify(hash, password)) };
    t.ctx.passwords = counting;
  });
  afterAll(async () => t?.close());

  async function team() {
    const clinic = await t.newClinic();
    const { accountable, hca } = await cdTeam(t, clinic);
    const item = await page(clinic, accountable);
    return { clinic, accountable, hca, item };
  }
  const receipt = (clinic: TestClinic, accountable: TestStaff, item: string, witness: { staffId: string; password: string }) =>
    accountable.client.post(clinic.url(`/cd/items/${item}/receipts`), { quantity: 1, supplier, invoiceReference: 'INV-1', witness });
  const checksDuring = async (f: () => Promise<unknown>) => {
    const before = argon2Checks;
    await f();
    return argon2Checks - before;
  };

  it('checks the hash once, then the same password by HMAC, and every entry is still witnessed', async () => {
    const { clinic, accountable, hca, item } = await team();
    expect(await checksDuring(async () => expect((await receipt(clinic, accountable, item, witnessOf(hca))).status).toBe(201))).toBe(1);
    expect(await checksDuring(async () => expect((await receipt(clinic, accountable, item, witnessOf(hca))).status).toBe(201))).toBe(0);
    const entries = (await accountable.client.get(clinic.url(`/cd/items/${item}/register`))).body.entries;
    expect(entries.map((e: { witnessId: string }) => e.witnessId)).toEqual([hca.staffId, hca.staffId]);
  });

  it('checks the hash once when many entries ask about the same witness at the same time', async () => {
    const { clinic, accountable, hca, item } = await team();
    const checks = await checksDuring(async () => {
      const all = await Promise.all(Array.from({ length: 6 }, () => receipt(clinic, accountable, item, witnessOf(hca))));
      expect(all.map((r) => r.status)).toEqual(Array(6).fill(201));
    });
    expect(checks).toBe(1);
  });

  it('sends a wrong password to the full check, counts it towards the lockout and forgets the proof', async () => {
    const { clinic, accountable, hca, item } = await team();
    await receipt(clinic, accountable, item, witnessOf(hca));
    let wrong: Awaited<ReturnType<typeof receipt>> | undefined;
    expect(await checksDuring(async () => (wrong = await receipt(clinic, accountable, item, { staffId: hca.staffId, password: 'not theirs at all' })))).toBe(1);
    expect(wrong!.status).toBe(400);
    expect(wrong!.body.error).toMatchObject({ code: 'witness_password_invalid', field: 'witness.password' });
    expect((await getStaff(t.db.orm, hca.staffId))!.failedLoginCount).toBe(1);
    // The right password again: a full check (the proof was forgotten), then remembered.
    expect(await checksDuring(() => receipt(clinic, accountable, item, witnessOf(hca)))).toBe(1);
    expect(await checksDuring(() => receipt(clinic, accountable, item, witnessOf(hca)))).toBe(0);
  });

  it('proves again after the time allowed, measured on the clock, and when the clock has gone back', async () => {
    const { clinic, accountable, hca, item } = await team();
    await receipt(clinic, accountable, item, witnessOf(hca));
    t.clock.advance({ minutes: t.ctx.config.confirmationCacheMinutes - 1 });
    expect(await checksDuring(() => receipt(clinic, accountable, item, witnessOf(hca)))).toBe(0);
    t.clock.advance({ minutes: 1 });
    expect(await checksDuring(() => receipt(clinic, accountable, item, witnessOf(hca)))).toBe(1);
    t.clock.advance({ minutes: -5 });
    expect(await checksDuring(() => receipt(clinic, accountable, item, witnessOf(hca)))).toBe(1);
  });

  it('refuses the old password once the witness has changed it, though it was proved a minute ago', async () => {
    const { clinic, accountable, hca, item } = await team();
    await receipt(clinic, accountable, item, witnessOf(hca));
    const newPassword = 'a different long passphrase 42';
    const changed = await hca.client.post('/api/v1/auth/password', { currentPassword: TEST_PASSWORD, newPassword });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const old = await receipt(clinic, accountable, item, witnessOf(hca));
    expect(old.status).toBe(400);
    expect(old.body.error.code).toBe('witness_password_invalid');
    expect((await receipt(clinic, accountable, item, { staffId: hca.staffId, password: newPassword })).status).toBe(201);
  });

  it('refuses a witness who has been locked out or lost their role, though their password was proved', async () => {
    const { clinic, accountable, hca, item } = await team();
    await receipt(clinic, accountable, item, witnessOf(hca));
    for (let i = 0; i < t.ctx.config.lockout.maxFailures; i++) {
      await t.client().post('/api/v1/auth/login', { email: hca.email, password: `wrong ${i} wrong wrong` });
    }
    const locked = await receipt(clinic, accountable, item, witnessOf(hca));
    expect(locked.status).toBe(422);
    expect(locked.body.error.code).toBe('account_locked');

    const other = await t.newStaff(clinic.clinicId, ['hca']);
    await receipt(clinic, accountable, item, witnessOf(other));
    expect((await clinic.admin.client.put(clinic.url(`/staff/${other.staffId}/roles`), { roles: ['commissioner'] })).status).toBe(200);
    const roleless = await receipt(clinic, accountable, item, witnessOf(other));
    expect(roleless.status).toBe(400);
    expect(roleless.body.error.field).toBe('witness.staffId');
  });

  it('checks the hash every time when turned off (OPENHAT_CONFIRMATION_CACHE_MINUTES=0)', async () => {
    const off = await TestApp.open({ confirmationCacheMinutes: 0 });
    try {
      const real = off.ctx.passwords;
      let checks = 0;
      off.ctx.passwords = { ...real, verify: (hash, password) => ((checks += 1), real.verify(hash, password)) };
      const clinic = await off.newClinic();
      const { accountable, hca } = await cdTeam(off, clinic);
      const item = await page(clinic, accountable);
      const before = checks; // the sign-ins above checked passwords too
      for (let i = 0; i < 3; i++) expect((await receipt(clinic, accountable, item, witnessOf(hca))).status).toBe(201);
      expect(checks - before).toBe(3);
    } finally {
      await off.close();
    }
  });
});
