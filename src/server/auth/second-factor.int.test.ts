import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp, TEST_PASSWORD, type Client } from '../../../test/support/test-app';
import { totpCode } from '../../../test/support/second-factor';
import { timeStep } from '../../domain/auth/totp';
import { queryAudit } from '../../store/audit-log';
import { loadConfig } from '../config';
import { ensureFirstAdministrator } from '../first-administrator';

const step = (t: TestApp) => timeStep(t.clock.now().epochMilliseconds);

/** Sign in by password only, leaving the second factor to the test. */
async function passwordOnly(t: TestApp, email: string, password = TEST_PASSWORD): Promise<{ client: Client; res: Awaited<ReturnType<Client['signIn']>> }> {
  const client = t.client();
  client.autoSecondFactor = false;
  const res = await client.signIn(email, password);
  return { client, res };
}

/** Enrol by hand: returns the secret and the recovery codes. */
async function enrol(t: TestApp, client: Client) {
  const enrolment = await client.post('/api/v1/auth/second-factor/enrolment');
  expect(enrolment.status).toBe(200);
  const confirmed = await client.post('/api/v1/auth/second-factor/enrolment/confirm', { code: totpCode(enrolment.body.secret, step(t)) });
  expect(confirmed.status).toBe(200);
  return { secret: enrolment.body.secret as string, recoveryCodes: confirmed.body.recoveryCodes as string[], enrolment: enrolment.body, confirmed };
}

describe.skipIf(postgresSkipped())('TOTP second factor', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open({ loginRateLimitPerMinute: 1000 });
  });
  afterAll(async () => t?.close());

  it('an administrator must enrol at sign-in; until then the session can do nothing else', async () => {
    const clinic = await t.newClinic();
    const admin = await t.newStaff(clinic.clinicId, ['admin'], { signIn: false });
    const { client, res } = await passwordOnly(t, admin.email);
    expect(res.status).toBe(200);
    expect(res.body.secondFactor).toBe('enrolment_required');
    expect(res.body.clinics).toEqual([]);
    expect(res.body.staff.secondFactorEnrolled).toBe(false);
    for (const [method, url] of [
      ['GET', '/api/v1/clinics'],
      ['GET', clinic.url()],
      ['GET', clinic.url('/service-users')],
      ['POST', '/api/v1/auth/password'],
    ] as const) {
      const r = await client.request(method, url, method === 'POST' ? { currentPassword: TEST_PASSWORD, newPassword: 'another long pass phrase' } : undefined);
      expect(r.status, url).toBe(403);
      expect(r.body.error.code, url).toBe('second_factor_required');
    }
    expect((await client.get('/api/v1/auth/session')).body.secondFactor).toBe('enrolment_required');
    expect((await client.post('/api/v1/auth/second-factor/verify', { code: '123456' })).body.error.code).toBe('second_factor_not_pending');

    const enrolment = await client.post('/api/v1/auth/second-factor/enrolment');
    expect(enrolment.status).toBe(200);
    expect(enrolment.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrolment.body.otpauthUri).toBe(
      `otpauth://totp/openhat:${encodeURIComponent(admin.email)}?issuer=openhat&secret=${enrolment.body.secret}&algorithm=SHA1&digits=6&period=30`,
    );
    expect(enrolment.body.qrCode).toMatch(/^data:image\/png;base64,/);

    const wrong = await client.post('/api/v1/auth/second-factor/enrolment/confirm', { code: totpCode(enrolment.body.secret, step(t) + 5) });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'second_factor_invalid', field: 'code' });
    const malformed = await client.post('/api/v1/auth/second-factor/enrolment/confirm', { code: '12ab56' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.field).toBe('code');

    const pendingCookie = client.cookie;
    const confirmed = await client.post('/api/v1/auth/second-factor/enrolment/confirm', { code: totpCode(enrolment.body.secret, step(t)) });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.secondFactor).toBeNull();
    expect(confirmed.body.staff.secondFactorEnrolled).toBe(true);
    expect(confirmed.body.clinics).toEqual([{ clinicId: clinic.clinicId, clinicName: expect.any(String), roles: ['admin'] }]);
    expect(confirmed.body.recoveryCodes).toHaveLength(8);
    // A new token: the one that only passed the password is dead.
    expect(client.cookie).not.toBe(pendingCookie);
    const old = t.client();
    old.cookie = pendingCookie;
    expect((await old.get('/api/v1/auth/session')).status).toBe(401);
    expect((await client.get(clinic.url())).status).toBe(200);

    // The secret is never shown again.
    const again = await client.post('/api/v1/auth/second-factor/enrolment');
    expect(again.status).toBe(409);
    expect(JSON.stringify((await client.get('/api/v1/auth/session')).body)).not.toContain(enrolment.body.secret);

    const audit = await queryAudit(t.db.orm, { clinicId: null, entityId: admin.staffId, limit: 50 });
    expect(audit.map((e) => e.action)).toEqual(
      expect.arrayContaining(['second_factor_enrolment_started', 'second_factor_failed', 'second_factor_enrolled']),
    );
  });

  it('asks an enrolled person for a code, refuses one already used, and rotates the session on a good one', async () => {
    const clinic = await t.newClinic();
    const doctor = await t.newStaff(clinic.clinicId, ['prescriber'], { signIn: false });
    const first = await passwordOnly(t, doctor.email);
    expect(first.res.body.secondFactor).toBe('enrolment_required');
    const { secret } = await enrol(t, first.client);

    const { client, res } = await passwordOnly(t, doctor.email);
    expect(res.body.secondFactor).toBe('code_required');
    expect(res.body.staff.secondFactorEnrolled).toBe(true);
    expect((await client.get(clinic.url('/service-users'))).body.error.code).toBe('second_factor_required');

    // The enrolment used this step's code: it cannot be used again, nor can the step before.
    for (const s of [step(t), step(t) - 1]) {
      const reused = await client.post('/api/v1/auth/second-factor/verify', { code: totpCode(secret, s) });
      expect(reused.status).toBe(401);
      expect(reused.body.error.code).toBe('second_factor_reused');
    }
    const tooLate = await client.post('/api/v1/auth/second-factor/verify', { code: totpCode(secret, step(t) + 2) });
    expect(tooLate.body.error.code).toBe('second_factor_invalid');

    const pendingCookie = client.cookie;
    const ok = await client.post('/api/v1/auth/second-factor/verify', { code: totpCode(secret, step(t) + 1) });
    expect(ok.status).toBe(200);
    expect(ok.body.secondFactor).toBeNull();
    expect(client.cookie).not.toBe(pendingCookie);
    const old = t.client();
    old.cookie = pendingCookie;
    expect((await old.get('/api/v1/auth/session')).status).toBe(401);
    expect((await client.get(clinic.url('/service-users'))).status).toBe(200);

    // Thirty seconds on, the next step's code is fine for a new sign-in.
    t.clock.advance({ seconds: 60 });
    const later = await passwordOnly(t, doctor.email);
    expect((await later.client.post('/api/v1/auth/second-factor/verify', { code: ` ${totpCode(secret, step(t)).replace(/^(\d{3})/, '$1 ')} ` })).status).toBe(200);
  });

  it('lets only one of two requests with the same code pass', async () => {
    const clinic = await t.newClinic();
    const cdo = await t.newStaff(clinic.clinicId, ['cd_accountable'], { signIn: false });
    const { secret } = await enrol(t, (await passwordOnly(t, cdo.email)).client);
    t.clock.advance({ seconds: 90 });
    const a = await passwordOnly(t, cdo.email);
    const b = await passwordOnly(t, cdo.email);
    const code = totpCode(secret, step(t));
    const results = await Promise.all([a.client, b.client].map((c) => c.post('/api/v1/auth/second-factor/verify', { code })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    expect(results.find((r) => r.status === 401)!.body.error.code).toBe('second_factor_reused');
  });

  it('locks the factor after 5 wrong codes, refuses even the right one while locked, and opens again later', async () => {
    const clinic = await t.newClinic();
    const admin = await t.newStaff(clinic.clinicId, ['admin'], { signIn: false });
    const { secret } = await enrol(t, (await passwordOnly(t, admin.email)).client);
    t.clock.advance({ minutes: 1 });
    const { client } = await passwordOnly(t, admin.email);
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await client.post('/api/v1/auth/second-factor/verify', { code: totpCode(secret, step(t) + 10 + i) })).body.error.code);
    expect(codes).toEqual(['second_factor_invalid', 'second_factor_invalid', 'second_factor_invalid', 'second_factor_invalid', 'second_factor_locked']);
    const right = await client.post('/api/v1/auth/second-factor/verify', { code: totpCode(secret, step(t)) });
    expect(right.body.error.code).toBe('second_factor_locked');
    t.clock.advance({ minutes: 15 });
    // That session has expired meanwhile (15 minutes to answer): sign in again.
    expect((await client.post('/api/v1/auth/second-factor/verify', { code: totpCode(secret, step(t)) })).body.error.code).toBe('session_expired');
    const again = await passwordOnly(t, admin.email);
    expect((await again.client.post('/api/v1/auth/second-factor/verify', { code: totpCode(secret, step(t)) })).status).toBe(200);
    const audit = await queryAudit(t.db.orm, { clinicId: null, action: 'second_factor_refused_locked', entityId: admin.staffId, limit: 5 });
    expect(audit).toHaveLength(1);
  });

  it('accepts each recovery code once', async () => {
    const clinic = await t.newClinic();
    const admin = await t.newStaff(clinic.clinicId, ['admin'], { signIn: false });
    const { recoveryCodes } = await enrol(t, (await passwordOnly(t, admin.email)).client);
    const one = await passwordOnly(t, admin.email);
    const used = await one.client.post('/api/v1/auth/second-factor/verify', { recoveryCode: recoveryCodes[0]!.toUpperCase() });
    expect(used.status).toBe(200);
    const two = await passwordOnly(t, admin.email);
    const again = await two.client.post('/api/v1/auth/second-factor/verify', { recoveryCode: recoveryCodes[0] });
    expect(again.body.error.code).toBe('second_factor_invalid');
    expect((await two.client.post('/api/v1/auth/second-factor/verify', { recoveryCode: recoveryCodes[1] })).status).toBe(200);
    const neither = await two.client.post('/api/v1/auth/second-factor/verify', {});
    expect(neither.status).toBe(400);
    expect(neither.body.error.field).toBe('code');
    const audit = await queryAudit(t.db.orm, { clinicId: null, action: 'second_factor_verified', entityId: admin.staffId, limit: 5 });
    expect(audit.map((e) => e.details)).toContainEqual({ method: 'recovery_code', recoveryCodesLeft: 6 });
  });

  it('does not ask a nurse, who may still enrol and is then asked', async () => {
    const clinic = await t.newClinic();
    const nurse = await t.newStaff(clinic.clinicId, ['nurse'], { signIn: false });
    const { client, res } = await passwordOnly(t, nurse.email);
    expect(res.body.secondFactor).toBeNull();
    await enrol(t, client);
    expect((await passwordOnly(t, nurse.email)).res.body.secondFactor).toBe('code_required');
  });

  it('an administrator resets a lost second factor: audited, sessions ended, enrolment asked again', async () => {
    const clinic = await t.newClinic();
    const doctor = await t.newStaff(clinic.clinicId, ['prescriber']);
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    const url = clinic.url(`/staff/${doctor.staffId}/reset-second-factor`);
    expect((await nurse.client.post(url)).status).toBe(403);
    const reset = await clinic.admin.client.post(url);
    expect(reset.status).toBe(200);
    expect((await doctor.client.get('/api/v1/auth/session')).status).toBe(401);
    expect((await passwordOnly(t, doctor.email)).res.body.secondFactor).toBe('enrolment_required');
    const audit = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, action: 'second_factor_reset', limit: 5 });
    expect(audit).toMatchObject([{ entityId: doctor.staffId, staffId: clinic.admin.staffId, details: { hadSecondFactor: true } }]);
  });

  it('a session that has passed only the password ends after 15 minutes', async () => {
    const clinic = await t.newClinic();
    const admin = await t.newStaff(clinic.clinicId, ['admin'], { signIn: false });
    const { client } = await passwordOnly(t, admin.email);
    t.clock.advance({ minutes: 14 });
    expect((await client.get('/api/v1/auth/session')).status).toBe(200);
    t.clock.advance({ minutes: 1 });
    const late = await client.post('/api/v1/auth/second-factor/enrolment');
    expect(late.status).toBe(401);
    expect(late.body.error.code).toBe('session_expired');
  });

  it('the test support signs the same person in many times at one instant', async () => {
    const clinic = await t.newClinic();
    const admin = await t.newStaff(clinic.clinicId, ['admin']);
    for (let i = 0; i < 6; i++) {
      const res = await t.client().signIn(admin.email);
      expect(res.status, `sign-in ${i}`).toBe(200);
      expect(res.body.secondFactor).toBeNull();
    }
  });
});

describe.skipIf(postgresSkipped())('the first administrator', () => {
  it('enrols at the first sign-in of a new installation, before changing the generated password', async () => {
    const t = await TestApp.open();
    try {
      const first = (await ensureFirstAdministrator(t.ctx, null))!;
      const { client, res } = await passwordOnly(t, first.email, first.generatedPassword!);
      expect(res.status).toBe(200);
      expect(res.body.secondFactor).toBe('enrolment_required');
      expect(res.body.staff.mustChangePassword).toBe(true);
      const { confirmed } = await enrol(t, client);
      expect(confirmed.body.secondFactor).toBeNull();
      // Now the temporary password, and nothing else, can be dealt with.
      expect((await client.get('/api/v1/clinics')).body.error.code).toBe('password_change_required');
      const changed = await client.post('/api/v1/auth/password', { currentPassword: first.generatedPassword, newPassword: 'a kettle, a lantern and an orchard' });
      expect(changed.status).toBe(200);
      expect((await client.get(`/api/v1/clinics/${first.clinicId}`)).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe.skipIf(postgresSkipped())('second factor configuration', () => {
  it('OPENHAT_SECOND_FACTOR_ROLES=none asks no one; a key encrypts the secret at rest', async () => {
    const key = randomBytes(32);
    const t = await TestApp.open({ secondFactor: { ...loadConfig({ OPENHAT_SECOND_FACTOR_ROLES: 'none' }).secondFactor, key } });
    try {
      const clinic = await t.newClinic();
      const admin = await t.newStaff(clinic.clinicId, ['admin'], { signIn: false });
      const { client, res } = await passwordOnly(t, admin.email);
      expect(res.body.secondFactor).toBeNull();
      const { secret } = await enrol(t, client);
      const [row] = await t.db.query<{ secret: string }>('SELECT secret FROM staff_second_factors WHERE staff_id = $1', [admin.staffId]);
      expect(row!.secret).toMatch(/^aes256gcm:/);
      expect(row!.secret).not.toContain(secret);
      t.clock.advance({ minutes: 1 });
      const again = await passwordOnly(t, admin.email);
      expect((await again.client.post('/api/v1/auth/second-factor/verify', { code: totpCode(secret, step(t)) })).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('reads the roles list and refuses a bad one', () => {
    expect(loadConfig({}).secondFactor.requiredRoles).toEqual(['admin', 'prescriber', 'cd_accountable']);
    expect(loadConfig({ OPENHAT_SECOND_FACTOR_ROLES: 'nurse, prescriber' }).secondFactor.requiredRoles).toEqual(['nurse', 'prescriber']);
    expect(() => loadConfig({ OPENHAT_SECOND_FACTOR_ROLES: 'nurse,chef' })).toThrow(/OPENHAT_SECOND_FACTOR_ROLES/);
    expect(() => loadConfig({ OPENHAT_SECOND_FACTOR_KEY: 'short' })).toThrow(/OPENHAT_SECOND_FACTOR_KEY: must be 32 random bytes/);
  });
});

describe.skipIf(postgresSkipped())('rate limits on sign-in, portal sign-in and the second factor', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open({ loginRateLimitPerMinute: 3 });
  });
  afterAll(async () => t?.close());

  it('answers 429 in the error shape after the limit', async () => {
    const clinic = await t.newClinic();
    const nurse = await t.newStaff(clinic.clinicId, ['nurse'], { signIn: false });
    const signedIn = t.client();
    signedIn.ip = '198.51.100.1';
    expect((await signedIn.signIn(nurse.email)).status).toBe(200);
    for (const [url, body, client] of [
      ['/api/v1/auth/login', { email: 'x@y.test', password: 'whatever it is' }, t.client()],
      ['/api/v1/portal/login', { username: 'nobody-here', password: 'whatever it is' }, t.client()],
      // The code routes count only signed-in requests (the rest are 401 before the limit).
      ['/api/v1/auth/second-factor/verify', { code: '123456' }, signedIn],
    ] as const) {
      client.ip = `198.51.100.${url.length}`;
      const statuses = [];
      let last: any = null;
      for (let i = 0; i < 4; i++) {
        last = await client.post(url, body);
        statuses.push(last.status);
      }
      expect(statuses[3], url).toBe(429);
      expect(statuses.slice(0, 3).every((s) => s !== 429), url).toBe(true);
      expect(last.body, url).toEqual({ error: { code: 'rate_limited', message: expect.stringMatching(/Too many requests/) } });
    }
  });
});
