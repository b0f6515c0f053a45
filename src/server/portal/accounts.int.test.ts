import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp } from '../../../test/support/test-app';
import { licensedPrescriber, personInInduction } from '../../../test/support/clinical';
import { consent, notInTreatment, OWN_PASSWORD, portalUser, PortalClient, setPortal, TEMPORARY } from '../../../test/support/portal';
import { queryAudit } from '../../store/audit-log';
import { getPortalAccount } from '../../store/portal';

describe.skipIf(postgresSkipped())('portal accounts (staff side)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  async function setup(portalOn = true) {
    t.clock.set('2026-03-02T09:00:00Z');
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const person = await personInInduction(t, clinic, doctor);
    if (portalOn) await setPortal(clinic);
    const url = clinic.url(`/service-users/${person.serviceUserId}/portal-account`);
    return { clinic, doctor, person, url };
  }
  const auditOf = (clinicId: string) => queryAudit(t.db.orm, { clinicId, entityType: 'portal_account', limit: 50 });
  const uniqueName = () => `kite-${Math.random().toString(36).slice(2, 10)}`;

  it('opens an account with consent: temporary password, must change it, audited; the card can read it', async () => {
    const { clinic, person, url } = await setup();
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    const username = uniqueName();
    const res = await nurse.client.post(url, { username: `  ${username.toUpperCase()} `, temporaryPassword: TEMPORARY, consent });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ serviceUserId: person.serviceUserId, username, enabled: true, mustChangePassword: true, lockedUntil: null, createdBy: nurse.staffId, lastSignInAt: null, activeSessions: 0 });
    expect(JSON.stringify(res.body)).not.toContain(TEMPORARY);
    const stored = await getPortalAccount(t.db.orm, clinic.clinicId, person.serviceUserId);
    expect(stored!.passwordHash).toMatch(/^\$argon2id\$/);
    const [entry] = await auditOf(clinic.clinicId);
    expect(entry).toMatchObject({ action: 'create', staffId: nurse.staffId, entityId: person.serviceUserId, details: { username, consent } });
    expect(JSON.stringify(entry)).not.toContain(TEMPORARY);

    const card = await clinic.admin.client.get(url);
    expect(card.body).toMatchObject({ portalEnabled: true, account: { username, enabled: true } });
    expect((await auditOf(clinic.clinicId)).map((e) => e.action)).toContain('read');
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const { clinic, person, url } = await setup();
    const cases: [unknown, string][] = [
      [{ username: 'ab', temporaryPassword: TEMPORARY, consent }, 'username'],
      [{ username: 'joanne-77', temporaryPassword: TEMPORARY, consent }, 'username'],
      [{ username: uniqueName(), temporaryPassword: 'too short', consent }, 'temporaryPassword'],
      [{ username: uniqueName(), temporaryPassword: TEMPORARY, consent: { explained: true, sharedPhoneWarningGiven: false } }, 'consent.sharedPhoneWarningGiven'],
      [{ username: uniqueName(), temporaryPassword: TEMPORARY, consent: { sharedPhoneWarningGiven: true } }, 'consent.explained'],
      [{ username: uniqueName(), temporaryPassword: TEMPORARY }, 'consent'],
    ];
    for (const [body, field] of cases) {
      const res = await clinic.admin.client.post(url, body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
    expect(await getPortalAccount(t.db.orm, clinic.clinicId, person.serviceUserId)).toBeNull();
    expect(await auditOf(clinic.clinicId)).toEqual([]);
  });

  it('refuses when the clinic has not switched the portal on, or the person is not in treatment (422, nothing written)', async () => {
    const { clinic, person, url } = await setup(false);
    const off = await clinic.admin.client.post(url, { username: uniqueName(), temporaryPassword: TEMPORARY, consent });
    expect(off.status).toBe(422);
    expect(off.body.error.code).toBe('portal_disabled');
    expect(await getPortalAccount(t.db.orm, clinic.clinicId, person.serviceUserId)).toBeNull();

    await setPortal(clinic);
    const waiting = await notInTreatment(clinic);
    const res = await clinic.admin.client.post(clinic.url(`/service-users/${waiting.serviceUserId}/portal-account`), { username: uniqueName(), temporaryPassword: TEMPORARY, consent });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('not_in_treatment');
    expect(await auditOf(clinic.clinicId)).toEqual([]);
  });

  it('keeps usernames unique across the whole deployment, whatever the case, and one account per person', async () => {
    const a = await setup();
    const b = await setup();
    const username = uniqueName();
    expect((await a.clinic.admin.client.post(a.url, { username, temporaryPassword: TEMPORARY, consent })).status).toBe(201);
    const again = await a.clinic.admin.client.post(a.url, { username: uniqueName(), temporaryPassword: TEMPORARY, consent });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('portal_account_exists');
    const elsewhere = await b.clinic.admin.client.post(b.url, { username: username.toUpperCase(), temporaryPassword: TEMPORARY, consent });
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body.error.code).toBe('username_taken');
    expect(await getPortalAccount(t.db.orm, b.clinic.clinicId, b.person.serviceUserId)).toBeNull();
  });

  it('is for admin, keyworker, prescriber and nurse only; another clinic and a missing person are not found', async () => {
    const { clinic, url } = await setup();
    for (const role of ['hca', 'cd_accountable', 'commissioner'] as const) {
      const who = await t.newStaff(clinic.clinicId, [role]);
      expect((await who.client.get(url)).status, role).toBe(403);
      expect((await who.client.post(url, { username: uniqueName(), temporaryPassword: TEMPORARY, consent })).status, role).toBe(403);
      expect((await who.client.patch(url, { enabled: false, reason: 'x' })).status, role).toBe(403);
    }
    const keyworker = await t.newStaff(clinic.clinicId, ['keyworker']);
    expect((await keyworker.client.post(url, { username: uniqueName(), temporaryPassword: TEMPORARY, consent })).status).toBe(201);
    const prescriber = await t.newStaff(clinic.clinicId, ['prescriber']);
    expect((await prescriber.client.get(url)).status).toBe(200);

    const other = await setup();
    const wrongClinic = await clinic.admin.client.get(clinic.url(`/service-users/${other.person.serviceUserId}/portal-account`));
    expect(wrongClinic.status).toBe(404);
    const outsider = await clinic.admin.client.get(other.url);
    expect(outsider.body.error.code).toBe('clinic_not_found');
    const missing = await clinic.admin.client.post(clinic.url('/service-users/00000000-0000-7000-8000-000000000000/portal-account'), { username: uniqueName(), temporaryPassword: TEMPORARY, consent });
    expect(missing.status).toBe(404);
  });

  it('switching an account off ends its sessions at once; back on needs consent and a reason; audited', async () => {
    const { clinic, person, url } = await setup();
    const username = uniqueName();
    await clinic.admin.client.post(url, { username, temporaryPassword: TEMPORARY, consent });
    const phone = await portalUser(t, username);
    expect((await phone.get('/api/v1/portal/me')).status).toBe(200);
    expect((await clinic.admin.client.get(url)).body.account).toMatchObject({ activeSessions: 1, mustChangePassword: false, lastSignInAt: expect.any(String) });

    expect((await clinic.admin.client.patch(url, { enabled: false })).body.error.field).toBe('reason');
    const off = await clinic.admin.client.patch(url, { enabled: false, reason: 'worried someone else is using it' });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect(off.body).toMatchObject({ enabled: false, activeSessions: 0 });
    expect((await phone.get('/api/v1/portal/me')).status).toBe(401);
    expect((await new PortalClient(t.app).signIn(username, OWN_PASSWORD)).status).toBe(401);

    const noConsent = await clinic.admin.client.patch(url, { enabled: true, reason: 'talked it through' });
    expect(noConsent.status).toBe(400);
    expect(noConsent.body.error.field).toBe('consent');
    await setPortal(clinic, { enabled: false, sessionMinutes: 15 });
    const portalOff = await clinic.admin.client.patch(url, { enabled: true, consent, reason: 'talked it through' });
    expect(portalOff.body.error.code).toBe('portal_disabled');
    await setPortal(clinic);
    const on = await clinic.admin.client.patch(url, { enabled: true, consent, reason: 'talked it through' });
    expect(on.status).toBe(200);
    expect((await new PortalClient(t.app).signIn(username, OWN_PASSWORD)).status).toBe(200);

    const updates = (await auditOf(clinic.clinicId)).filter((e) => e.action === 'update');
    expect(updates.map((e) => e.details)).toEqual([
      expect.objectContaining({ reason: 'talked it through', enabled: { before: false, after: true }, consent }),
      expect.objectContaining({ reason: 'worried someone else is using it', enabled: { before: true, after: false }, sessionsEnded: 1 }),
    ]);
    expect(await getPortalAccount(t.db.orm, clinic.clinicId, person.serviceUserId)).toMatchObject({ enabled: true });
  });

  it('a new temporary password ends the sessions, clears a lockout and must be changed', async () => {
    const { clinic, url } = await setup();
    const username = uniqueName();
    await clinic.admin.client.post(url, { username, temporaryPassword: TEMPORARY, consent });
    const phone = await portalUser(t, username);
    const guesser = new PortalClient(t.app);
    for (let i = 0; i < 5; i++) await guesser.signIn(username, `wrong guess number ${i}`);
    expect((await clinic.admin.client.get(url)).body.account.lockedUntil).toBe('2026-03-02T09:15:00.000Z');

    const weak = await clinic.admin.client.patch(url, { temporaryPassword: 'short', reason: 'forgot it' });
    expect(weak.body.error.field).toBe('temporaryPassword');
    const reset = await clinic.admin.client.patch(url, { temporaryPassword: 'another temporary phrase', reason: 'forgot it' });
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect(reset.body).toMatchObject({ mustChangePassword: true, lockedUntil: null, enabled: true });
    expect((await phone.get('/api/v1/portal/me')).status).toBe(401);
    const again = new PortalClient(t.app);
    expect((await again.signIn(username, 'another temporary phrase')).body.mustChangePassword).toBe(true);
    expect((await again.get('/api/v1/portal/me')).body.error.code).toBe('password_change_required');
  });

  it('a PATCH must say what to change, and answers 404 when there is no account', async () => {
    const { clinic, url } = await setup();
    expect((await clinic.admin.client.patch(url, { enabled: false, reason: 'x' })).status).toBe(404);
    await clinic.admin.client.post(url, { username: uniqueName(), temporaryPassword: TEMPORARY, consent });
    const nothing = await clinic.admin.client.patch(url, { reason: 'nothing' });
    expect(nothing.status).toBe(400);
    expect(nothing.body.error.field).toBe('enabled');
  });
});
