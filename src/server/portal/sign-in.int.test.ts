import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp } from '../../../test/support/test-app';
import { licensedPrescriber, personInInduction } from '../../../test/support/clinical';
import { openAccount, OWN_PASSWORD, PortalClient, portalUser, setPortal, TEMPORARY } from '../../../test/support/portal';
import { queryAudit } from '../../store/audit-log';
import { portalSessionsOf } from '../../store/portal';

describe.skipIf(postgresSkipped())('portal sign-in', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  async function account(portal = { enabled: true, sessionMinutes: 15 }) {
    t.clock.set('2026-03-02T09:00:00Z');
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const person = await personInInduction(t, clinic, doctor);
    await setPortal(clinic, portal);
    const username = `kite-${clinic.clinicId.slice(-8)}`;
    await openAccount(clinic, clinic.admin, person.serviceUserId, username);
    return { clinic, doctor, person, username };
  }

  it('signs in with a short-lived HttpOnly, SameSite=Strict cookie sent only to the portal, and asks for a new password first', async () => {
    const { clinic, person, username } = await account();
    const phone = new PortalClient(t.app);
    const res = await phone.signIn(username.toUpperCase(), TEMPORARY);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ mustChangePassword: true, csrfToken: expect.any(String), expiresAt: '2026-03-02T21:00:00Z', idleMinutes: 15 });
    const cookie = phone.lastSetCookie!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/api\/v1\/portal(;|$)/);
    expect(cookie).not.toMatch(/Max-Age|Expires/);
    expect(cookie).not.toMatch(/Secure/);
    // Only the token's hash is stored.
    const [session] = await portalSessionsOf(t.db.orm, clinic.clinicId, person.serviceUserId);
    expect(session!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(session!.tokenHash).not.toBe(phone.cookie);

    // Until the password is changed, only the session, sign-out and the change itself work.
    expect((await phone.get('/api/v1/portal/session')).status).toBe(200);
    for (const path of ['/api/v1/portal/me', '/api/v1/portal/today', '/api/v1/portal/doses']) {
      const blocked = await phone.get(path);
      expect(blocked.status, path).toBe(403);
      expect(blocked.body.error.code).toBe('password_change_required');
    }
    const same = await phone.post('/api/v1/portal/password', { currentPassword: TEMPORARY, newPassword: TEMPORARY });
    expect(same.body.error.field).toBe('newPassword');
    const named = await phone.post('/api/v1/portal/password', { currentPassword: TEMPORARY, newPassword: `${username} forever` });
    expect(named.body.error.field).toBe('newPassword');
    const wrong = await phone.post('/api/v1/portal/password', { currentPassword: 'not the one at all', newPassword: OWN_PASSWORD });
    expect(wrong.body.error).toMatchObject({ code: 'wrong_password', field: 'currentPassword' });

    const before = phone.cookie;
    const changed = await phone.post('/api/v1/portal/password', { currentPassword: TEMPORARY, newPassword: OWN_PASSWORD });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.mustChangePassword).toBe(false);
    expect(phone.cookie).not.toBe(before);
    expect((await phone.get('/api/v1/portal/me')).body).toEqual({ preferredName: 'Jo', clinicName: expect.stringMatching(/^Clinic /) });
    // The old token is dead.
    const old = new PortalClient(t.app);
    old.cookie = before;
    expect((await old.get('/api/v1/portal/session')).status).toBe(401);

    const actions = (await queryAudit(t.db.orm, { clinicId: clinic.clinicId, limit: 50 })).filter((e) => e.action.startsWith('portal_'));
    expect(actions.map((e) => e.action)).toEqual(['portal_password_changed', 'portal_login']);
    for (const e of actions) expect(e).toMatchObject({ staffId: null, details: { portalServiceUserId: person.serviceUserId } });
  });

  it('sets the Secure flag when configured, as for staff', async () => {
    const secure = await TestApp.open({ cookieSecure: true });
    try {
      secure.clock.set('2026-03-02T09:00:00Z');
      const clinic = await secure.newClinic();
      const doctor = await licensedPrescriber(secure, clinic);
      const person = await personInInduction(secure, clinic, doctor);
      await setPortal(clinic);
      await openAccount(clinic, clinic.admin, person.serviceUserId, 'secure-kite');
      const phone = new PortalClient(secure.app);
      await phone.signIn('secure-kite', TEMPORARY);
      expect(phone.lastSetCookie).toMatch(/; Secure/);
    } finally {
      await secure.close();
    }
  });

  it('says the same for an unknown username, a wrong password and a switched-off account (and a portal that is off: below)', async () => {
    const { clinic, person, username } = await account();
    await portalUser(t, username);
    const answer = async (u: string, p: string) => {
      const res = await new PortalClient(t.app).signIn(u, p);
      return [res.status, res.body];
    };
    const expected = [401, { error: { code: 'invalid_credentials', message: 'Username or password is wrong' } }];
    expect(await answer('nobody-here', OWN_PASSWORD)).toEqual(expected);
    expect(await answer(username, 'a wrong password here')).toEqual(expected);
    await clinic.admin.client.patch(clinic.url(`/service-users/${person.serviceUserId}/portal-account`), { enabled: false, reason: 'test' });
    expect(await answer(username, OWN_PASSWORD)).toEqual(expected);
  });

  it('a clinic that switches the portal off stops every portal session at once, and sign-in with it', async () => {
    const { clinic, username } = await account();
    const phone = await portalUser(t, username);
    expect((await phone.get('/api/v1/portal/today')).status).toBe(200);
    await setPortal(clinic, { enabled: false, sessionMinutes: 15 });
    const ended = await phone.get('/api/v1/portal/today');
    expect(ended.status).toBe(401);
    expect(ended.body.error.code).toBe('session_expired');
    expect((await new PortalClient(t.app).signIn(username, OWN_PASSWORD)).body.error.code).toBe('invalid_credentials');
  });

  it('locks after 5 wrong passwords; then even the right one is refused until the lock runs out', async () => {
    const { clinic, username } = await account();
    await portalUser(t, username);
    const phone = new PortalClient(t.app);
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await phone.signIn(username, `wrong guess ${i} here`)).body.error.code);
    expect(codes).toEqual(['invalid_credentials', 'invalid_credentials', 'invalid_credentials', 'invalid_credentials', 'account_locked']);
    const right = await phone.signIn(username, OWN_PASSWORD);
    expect(right.status).toBe(401);
    expect(right.body.error.code).toBe('account_locked');
    t.clock.advance({ minutes: 15 });
    expect((await phone.signIn(username, OWN_PASSWORD)).status).toBe(200);
    const audit = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, limit: 50 });
    expect(audit.filter((e) => e.action === 'portal_login_failed')).toHaveLength(5);
    expect(audit.filter((e) => e.action === 'portal_login_refused_locked')).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain('wrong guess');
  });

  it('needs the CSRF token for every write, and signing out ends the session', async () => {
    const { username } = await account();
    const phone = await portalUser(t, username);
    const token = phone.csrfToken;
    phone.csrfToken = null;
    const noToken = await phone.post('/api/v1/portal/logout');
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.code).toBe('csrf_token_invalid');
    phone.csrfToken = 'x'.repeat(token!.length);
    expect((await phone.post('/api/v1/portal/logout')).body.error.code).toBe('csrf_token_invalid');
    phone.csrfToken = token;
    expect((await phone.get('/api/v1/portal/session')).body.csrfToken).toBe(token);
    const cookie = phone.cookie;
    const out = await phone.post('/api/v1/portal/logout');
    expect(out.status).toBe(200);
    expect(phone.cookie).toBeNull();
    phone.cookie = cookie;
    expect((await phone.get('/api/v1/portal/me')).status).toBe(401);
  });

  it('a form from another site cannot sign in (JSON only), and answers carry no-store', async () => {
    const { username } = await account();
    const form = await t.app.inject({
      method: 'POST',
      url: '/api/v1/portal/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `username=${username}&password=${encodeURIComponent(TEMPORARY)}`,
    });
    expect(form.statusCode).toBe(415);
    const phone = await portalUser(t, username);
    expect((await phone.get('/api/v1/portal/me')).headers['cache-control']).toBe('no-store');
    expect((await new PortalClient(t.app).get('/api/v1/portal/me')).headers['cache-control']).toBe('no-store');
  });

  it(`ends a session after the clinic's idle minutes, keeps a used one alive, and ends any after 12 hours`, async () => {
    const { clinic, username } = await account({ enabled: true, sessionMinutes: 10 });
    const phone = await portalUser(t, username);
    expect((await phone.get('/api/v1/portal/session')).body.idleMinutes).toBe(10);
    t.clock.advance({ minutes: 9, seconds: 59 });
    expect((await phone.get('/api/v1/portal/me')).status).toBe(200);
    t.clock.advance({ minutes: 9, seconds: 59 });
    expect((await phone.get('/api/v1/portal/me')).status).toBe(200);
    t.clock.advance({ minutes: 10 });
    const idle = await phone.get('/api/v1/portal/me');
    expect(idle.status).toBe(401);
    expect(idle.body.error.code).toBe('session_expired');

    // Busy all day: still ends 12 hours after sign-in.
    const busy = new PortalClient(t.app);
    await busy.signIn(username, OWN_PASSWORD);
    for (let i = 0; i < 79; i++) {
      t.clock.advance({ minutes: 9 });
      if ((await busy.get('/api/v1/portal/me')).status !== 200) throw new Error(`ended early at step ${i}`);
    }
    t.clock.advance({ minutes: 9 }); // 80 × 9 min = 12 h
    expect((await busy.get('/api/v1/portal/me')).status).toBe(401);

    // A shorter setting applies to sessions already open.
    const later = new PortalClient(t.app);
    await later.signIn(username, OWN_PASSWORD);
    await clinic.admin.client.signIn(clinic.admin.email);
    await setPortal(clinic, { enabled: true, sessionMinutes: 5 });
    t.clock.advance({ minutes: 6 });
    expect((await later.get('/api/v1/portal/me')).status).toBe(401);
  });
});

describe.skipIf(postgresSkipped())('portal sign-in rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open({ loginRateLimitPerMinute: 3 });
  });
  afterAll(async () => t?.close());

  it('answers 429 after too many attempts from one address in a minute', async () => {
    const phone = new PortalClient(t.app);
    phone.ip = '198.51.100.77';
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await phone.signIn('nobody-here', 'whatever it is')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const other = new PortalClient(t.app);
    other.ip = '198.51.100.78';
    expect((await other.signIn('nobody-here', 'whatever it is')).status).toBe(401);
  });
});
