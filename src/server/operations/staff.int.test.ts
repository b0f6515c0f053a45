import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp, TEST_PASSWORD } from '../../../test/support/test-app';
import { queryAudit } from '../../store/audit-log';

describe.skipIf(postgresSkipped())('staff accounts and roles', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  it('adds a new member with a temporary password they must change at first sign-in', async () => {
    const clinic = await t.newClinic();
    const res = await clinic.admin.client.post(clinic.url('/staff'), {
      email: 'Jo.Nurse@Clinic.test',
      displayName: 'Jo Nurse',
      roles: ['nurse'],
      temporaryPassword: 'temporary pass phrase',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ existingAccount: false, staff: { email: 'jo.nurse@clinic.test', roles: ['nurse'], mustChangePassword: true } });

    const jo = t.client();
    const signIn = await jo.signIn('jo.nurse@clinic.test', 'temporary pass phrase');
    expect(signIn.body.staff.mustChangePassword).toBe(true);
    expect((await jo.get(clinic.url())).body.error.code).toBe('password_change_required');
    const weak = await jo.post('/api/v1/auth/password', { currentPassword: 'temporary pass phrase', newPassword: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.field).toBe('newPassword');
    const changed = await jo.post('/api/v1/auth/password', { currentPassword: 'temporary pass phrase', newPassword: 'my own long pass phrase' });
    expect(changed.status).toBe(200);
    expect(changed.body.staff.mustChangePassword).toBe(false);
    expect((await jo.get(clinic.url())).status).toBe(200);
  });

  it('a password change ends every other session and rotates this one', async () => {
    const clinic = await t.newClinic();
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    const otherDevice = t.client();
    await otherDevice.signIn(nurse.email);
    const oldCookie = nurse.client.cookie;
    const res = await nurse.client.post('/api/v1/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'a brand new pass phrase' });
    expect(res.status).toBe(200);
    expect(nurse.client.cookie).not.toBe(oldCookie);
    expect((await nurse.client.get('/api/v1/auth/session')).status).toBe(200);
    expect((await otherDevice.get('/api/v1/auth/session')).status).toBe(401);
    expect((await t.client().signIn(nurse.email, 'a brand new pass phrase')).status).toBe(200);
  });

  it('refuses a password change with the wrong current password', async () => {
    const clinic = await t.newClinic();
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    const res = await nurse.client.post('/api/v1/auth/password', { currentPassword: 'not my password', newPassword: 'a brand new pass phrase' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'wrong_password', field: 'currentPassword' });
  });

  it('gives an existing account (someone from another clinic) roles here without touching their password', async () => {
    const a = await t.newClinic();
    const b = await t.newClinic();
    const doctor = await t.newStaff(a.clinicId, ['prescriber']);
    const res = await b.admin.client.post(b.url('/staff'), { email: doctor.email, displayName: 'Ignored', roles: ['prescriber'] });
    expect(res.status).toBe(201);
    expect(res.body.existingAccount).toBe(true);
    const session = (await doctor.client.get('/api/v1/auth/session')).body;
    expect(session.clinics.map((c: { clinicId: string }) => c.clinicId).sort()).toEqual([a.clinicId, b.clinicId].sort());
    const again = await b.admin.client.post(b.url('/staff'), { email: doctor.email, displayName: 'X', roles: ['nurse'] });
    expect(again.status).toBe(409);
  });

  it('requires and checks a temporary password for a new account', async () => {
    const clinic = await t.newClinic();
    const missing = await clinic.admin.client.post(clinic.url('/staff'), { email: 'new@clinic.test', displayName: 'New', roles: ['hca'] });
    expect(missing.body.error.field).toBe('temporaryPassword');
    const badEmail = await clinic.admin.client.post(clinic.url('/staff'), { email: 'nope', displayName: 'New', roles: ['hca'] });
    expect(badEmail.body.error.field).toBe('email');
    const badRole = await clinic.admin.client.post(clinic.url('/staff'), { email: 'n@c.test', displayName: 'N', roles: ['surgeon'] });
    expect(badRole.body.error.field).toBe('roles[0]');
  });

  it('changes roles, removes someone from the clinic, and never removes the last administrator', async () => {
    const clinic = await t.newClinic();
    const hca = await t.newStaff(clinic.clinicId, ['hca']);
    const promoted = await clinic.admin.client.put(clinic.url(`/staff/${hca.staffId}/roles`), { roles: ['hca', 'keyworker'] });
    expect(promoted.body.roles).toEqual(['hca', 'keyworker']);
    const removed = await clinic.admin.client.put(clinic.url(`/staff/${hca.staffId}/roles`), { roles: [] });
    expect(removed.body).toEqual({ staffId: hca.staffId, removed: true });
    expect((await hca.client.get(clinic.url())).status).toBe(404);
    const lastAdmin = await clinic.admin.client.put(clinic.url(`/staff/${clinic.admin.staffId}/roles`), { roles: ['nurse'] });
    expect(lastAdmin.status).toBe(409);
    expect(lastAdmin.body.error.code).toBe('last_admin');
    const audit = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'staff_roles', entityId: hca.staffId, limit: 5 });
    expect(audit.map((e) => e.details)).toEqual([
      { before: ['hca', 'keyworker'], after: [] },
      { before: ['hca'], after: ['hca', 'keyworker'] },
      { before: [], after: ['hca'] },
    ]);
  });

  it('records a prescriber\'s registration and Home Office licence, refusing half of one', async () => {
    const clinic = await t.newClinic();
    const doctor = await t.newStaff(clinic.clinicId, ['prescriber']);
    const half = await clinic.admin.client.patch(clinic.url(`/staff/${doctor.staffId}`), { homeOfficeLicenceNumber: 'HO/123' });
    expect(half.status).toBe(400);
    expect(half.body.error.field).toBe('homeOfficeLicenceExpiry');
    const badDate = await clinic.admin.client.patch(clinic.url(`/staff/${doctor.staffId}`), { homeOfficeLicenceExpiry: '31/03/2027' });
    expect(badDate.body.error.field).toBe('homeOfficeLicenceExpiry');
    const ok = await clinic.admin.client.patch(clinic.url(`/staff/${doctor.staffId}`), {
      professionalBody: 'GMC',
      registrationNumber: '7654321',
      homeOfficeLicenceNumber: 'HO/123',
      homeOfficeLicenceExpiry: '2027-03-31',
    });
    expect(ok.status).toBe(200);
    expect(ok.body.registration).toEqual({
      professionalBody: 'GMC',
      registrationNumber: '7654321',
      homeOfficeLicenceNumber: 'HO/123',
      homeOfficeLicenceExpiry: '2027-03-31',
    });
  });

  it('resets a password (ending their sessions) and unlocks an account', async () => {
    const clinic = await t.newClinic();
    const hca = await t.newStaff(clinic.clinicId, ['hca']);
    for (let i = 0; i < 5; i++) await t.client().post('/api/v1/auth/login', { email: hca.email, password: 'wrong wrong wrong' });
    const locked = (await clinic.admin.client.get(clinic.url(`/staff/${hca.staffId}`))).body;
    expect(locked.lockedUntil).not.toBeNull();
    const unlocked = await clinic.admin.client.post(clinic.url(`/staff/${hca.staffId}/unlock`));
    expect(unlocked.body.lockedUntil).toBeNull();
    expect((await t.client().signIn(hca.email)).status).toBe(200);

    const reset = await clinic.admin.client.post(clinic.url(`/staff/${hca.staffId}/reset-password`), { temporaryPassword: 'given over the phone' });
    expect(reset.body.mustChangePassword).toBe(true);
    expect((await hca.client.get('/api/v1/auth/session')).status).toBe(401);
    expect((await t.client().signIn(hca.email, 'given over the phone')).body.staff.mustChangePassword).toBe(true);
  });

  it('an administrator of one clinic cannot take over the account of someone who also works at another', async () => {
    const a = await t.newClinic();
    const b = await t.newClinic();
    const shared = await t.newStaff(a.clinicId, ['nurse']);
    await b.admin.client.post(b.url('/staff'), { email: shared.email, displayName: 'X', roles: ['nurse'] });
    const res = await a.admin.client.post(a.url(`/staff/${shared.staffId}/reset-password`), { temporaryPassword: 'a takeover attempt' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('account_managed_elsewhere');
    expect((await shared.client.get('/api/v1/auth/session')).status).toBe(200);
  });
});
