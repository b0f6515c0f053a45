import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp, TEST_PASSWORD } from '../../../test/support/test-app';
import { queryAudit } from '../../store/audit-log';

describe.skipIf(postgresSkipped())('sign-in', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open({ loginRateLimitPerMinute: 1000 });
  });
  afterAll(async () => t?.close());

  it('signs in with the right password and says who, where and with which roles', async () => {
    const clinic = await t.newClinic('Middlesbrough');
    const nurse = await t.newStaff(clinic.clinicId, ['nurse', 'hca'], { signIn: false });
    const res = await nurse.client.signIn(nurse.email.toUpperCase());
    expect(res.status).toBe(200);
    expect(res.body.staff.email).toBe(nurse.email);
    expect(res.body.clinics).toEqual([{ clinicId: clinic.clinicId, clinicName: 'Middlesbrough', roles: ['hca', 'nurse'] }]);
    expect(res.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = res.headers['set-cookie']!.toString();
    expect(cookie).toMatch(/openhat_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict/);
    expect((await nurse.client.get('/api/v1/auth/session')).status).toBe(200);
  });

  it('refuses a wrong password or an unknown email with the same answer, and audits both', async () => {
    const clinic = await t.newClinic();
    const nurse = await t.newStaff(clinic.clinicId, ['nurse'], { signIn: false });
    const wrong = await t.client().post('/api/v1/auth/login', { email: nurse.email, password: 'not the password at all' });
    const unknown = await t.client().post('/api/v1/auth/login', { email: 'nobody@clinic.test', password: 'not the password at all' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    const failed = await queryAudit(t.db.orm, { clinicId: null, action: 'login_failed', limit: 500 });
    expect(failed.some((e) => e.entityId === nurse.staffId && e.ip === '203.0.113.7')).toBe(true);
    expect(failed.some((e) => (e.details as { email?: string })?.email === 'nobody@clinic.test')).toBe(true);
  });

  it('names the missing field', async () => {
    const res = await t.client().post('/api/v1/auth/login', { email: 'a@b.test' });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('password');
  });

  it('locks the account after 5 wrong passwords, refuses even the right one while locked, and unlocks after 15 minutes', async () => {
    const clinic = await t.newClinic();
    const hca = await t.newStaff(clinic.clinicId, ['hca'], { signIn: false });
    const client = t.client();
    for (let i = 1; i <= 4; i++) {
      expect((await client.post('/api/v1/auth/login', { email: hca.email, password: `wrong password ${i}` })).body.error.code).toBe(
        'invalid_credentials',
      );
    }
    const fifth = await client.post('/api/v1/auth/login', { email: hca.email, password: 'wrong password 5' });
    expect(fifth.body.error.code).toBe('account_locked');
    t.clock.advance({ minutes: 14 });
    const right = await client.signIn(hca.email);
    expect(right.status).toBe(401);
    expect(right.body.error.code).toBe('account_locked');
    t.clock.advance({ minutes: 1 });
    expect((await client.signIn(hca.email)).status).toBe(200);
  });

  it('a successful sign-in resets the count of wrong passwords', async () => {
    const clinic = await t.newClinic();
    const hca = await t.newStaff(clinic.clinicId, ['hca'], { signIn: false });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) await t.client().post('/api/v1/auth/login', { email: hca.email, password: 'wrong password!' });
      expect((await t.client().signIn(hca.email)).status).toBe(200);
    }
  });

  it('rotates the session at sign-in: the old token stops working', async () => {
    const clinic = await t.newClinic();
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    const oldCookie = nurse.client.cookie!;
    await nurse.client.signIn(nurse.email);
    expect(nurse.client.cookie).not.toBe(oldCookie);
    const stale = t.client();
    stale.cookie = oldCookie;
    const res = await stale.get('/api/v1/auth/session');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('session_expired');
  });

  it('ends a session after 30 idle minutes', async () => {
    const clinic = await t.newClinic();
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    t.clock.advance({ minutes: 29 });
    expect((await nurse.client.get('/api/v1/auth/session')).status).toBe(200);
    t.clock.advance({ minutes: 29 });
    expect((await nurse.client.get('/api/v1/auth/session')).status).toBe(200);
    t.clock.advance({ minutes: 30 });
    const res = await nurse.client.get('/api/v1/auth/session');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('session_expired');
  });

  it('ends a session 12 hours after sign-in however busy', async () => {
    const clinic = await t.newClinic();
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    for (let i = 0; i < 35; i++) {
      t.clock.advance({ minutes: 20 });
      expect((await nurse.client.get('/api/v1/auth/session')).status).toBe(200);
    }
    t.clock.advance({ minutes: 20 });
    expect((await nurse.client.get('/api/v1/auth/session')).status).toBe(401);
  });

  it('signs out: the session ends, the cookie is cleared, and it is audited', async () => {
    const clinic = await t.newClinic();
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    const cookie = nurse.client.cookie!;
    expect((await nurse.client.post('/api/v1/auth/logout')).status).toBe(200);
    const replay = t.client();
    replay.cookie = cookie;
    expect((await replay.get('/api/v1/auth/session')).status).toBe(401);
    const events = await queryAudit(t.db.orm, { clinicId: null, staffId: nurse.staffId, limit: 10 });
    expect(events.map((e) => e.action)).toEqual(['logout', 'login']);
  });

  it('refuses writes without the CSRF token, even with a valid session cookie', async () => {
    const clinic = await t.newClinic();
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    const res = await nurse.client.post('/api/v1/auth/logout', {}, { 'x-csrf-token': 'forged' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('csrf_token_invalid');
    expect((await nurse.client.get('/api/v1/auth/session')).status).toBe(200);
  });

  it('accepts only JSON for sign-in (no cross-site form posts)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `email=a%40b.test&password=${encodeURIComponent(TEST_PASSWORD)}`,
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('unsupported_media_type');
  });
});

describe.skipIf(postgresSkipped())('sign-in rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open({ loginRateLimitPerMinute: 3 });
  });
  afterAll(async () => t?.close());

  it('answers 429 after too many attempts from one address in a minute', async () => {
    const client = t.client();
    client.ip = '198.51.100.23';
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await client.post('/api/v1/auth/login', { email: 'x@y.test', password: 'whatever it is' })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    const other = t.client();
    other.ip = '198.51.100.24';
    expect((await other.post('/api/v1/auth/login', { email: 'x@y.test', password: 'whatever it is' })).status).toBe(401);
  });
});

describe.skipIf(postgresSkipped())('sign-in under concurrency', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  it('counts concurrent wrong passwords one by one, so a burst cannot dodge the lockout', async () => {
    const clinic = await t.newClinic();
    const hca = await t.newStaff(clinic.clinicId, ['hca'], { signIn: false });
    await Promise.all(Array.from({ length: 5 }, (_, i) => t.client().post('/api/v1/auth/login', { email: hca.email, password: `burst guess ${i}` })));
    const res = await t.client().signIn(hca.email);
    expect(res.body.error.code).toBe('account_locked');
  });
});
