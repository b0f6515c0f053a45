import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultClinicSettings } from '../../domain/clinic/clinic-settings';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp } from '../../../test/support/test-app';
import { queryAudit } from '../../store/audit-log';

describe.skipIf(postgresSkipped())('clinics and their settings', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  it('a deployment administrator creates a clinic with defaults and becomes its administrator', async () => {
    const home = await t.newClinic();
    const boss = await t.newStaff(home.clinicId, ['admin'], { deploymentAdmin: true });
    const res = await boss.client.post('/api/v1/clinics', { settings: { name: 'Teesside HAT', places: 12 } });
    expect(res.status).toBe(201);
    expect(res.body.settings).toEqual({ ...defaultClinicSettings('Teesside HAT'), places: 12 });
    expect(res.body.settingsVersion).toBe(1);
    const list = (await boss.client.get('/api/v1/clinics')).body.clinics;
    expect(list.find((c: { clinicId: string }) => c.clinicId === res.body.clinicId)).toMatchObject({ name: 'Teesside HAT', member: true });
    const staff = (await boss.client.get(`/api/v1/clinics/${res.body.clinicId}/staff`)).body.staff;
    expect(staff).toEqual([expect.objectContaining({ staffId: boss.staffId, roles: ['admin'] })]);
  });

  it('refuses bad settings, naming the field, and writes nothing', async () => {
    const home = await t.newClinic();
    const boss = await t.newStaff(home.clinicId, ['admin'], { deploymentAdmin: true });
    const before = await queryAudit(t.db.orm, { clinicId: null, limit: 1000 });
    const res = await boss.client.post('/api/v1/clinics', {
      settings: { name: 'Bad', timeZone: 'Mars/Olympus', minimumDoseIntervalMinutes: 60 },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('settings.timeZone');
    expect(res.body.error.problems.map((p: { field: string }) => p.field)).toEqual([
      'settings.timeZone',
      'settings.minimumDoseIntervalMinutes',
    ]);
    const list = (await boss.client.get('/api/v1/clinics')).body.clinics;
    expect(list.some((c: { name: string }) => c.name === 'Bad')).toBe(false);
    expect((await queryAudit(t.db.orm, { clinicId: null, limit: 1000 })).length).toBe(before.length);
  });

  it('changes settings as a new version with a reason; old versions stay', async () => {
    const clinic = await t.newClinic();
    const current = (await clinic.admin.client.get(clinic.url())).body;
    const settings = { ...current.settings, places: 20 };
    const res = await clinic.admin.client.put(clinic.url('/settings'), { expectedVersion: 1, reason: 'new funding', settings });
    expect(res.status).toBe(200);
    expect(res.body.settingsVersion).toBe(2);
    expect(res.body.settings.places).toBe(20);
    const history = (await clinic.admin.client.get(clinic.url('/settings/history'))).body.versions;
    expect(history.map((v: { version: number; reason: string }) => [v.version, v.reason])).toEqual([
      [2, 'new funding'],
      [1, 'clinic created'],
    ]);
    const audit = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'clinic_settings', limit: 5 });
    expect(audit[0]?.details).toMatchObject({ reason: 'new funding', before: { places: 15 }, after: { places: 20 } });
  });

  it('stops two administrators overwriting each other (409 with the current version)', async () => {
    const clinic = await t.newClinic();
    const settings = (await clinic.admin.client.get(clinic.url())).body.settings;
    await clinic.admin.client.put(clinic.url('/settings'), { expectedVersion: 1, reason: 'first', settings });
    const res = await clinic.admin.client.put(clinic.url('/settings'), { expectedVersion: 1, reason: 'second', settings });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('stale_version');
  });

  it('refuses a timetable that breaks the minimum interval, saying why', async () => {
    const clinic = await t.newClinic();
    const settings = (await clinic.admin.client.get(clinic.url())).body.settings;
    settings.sessions[1].start = '11:45';
    const res = await clinic.admin.client.put(clinic.url('/settings'), { expectedVersion: 1, reason: 'earlier PM', settings });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('settings.sessions[1].start');
    expect(res.body.error.message).toContain('minimum interval of 4 h');
    expect((await clinic.admin.client.get(clinic.url())).body.settingsVersion).toBe(1);
  });

  it('names the field for a malformed request body', async () => {
    const clinic = await t.newClinic();
    const res = await clinic.admin.client.put(clinic.url('/settings'), { expectedVersion: 'one', reason: '', settings: {} });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('expectedVersion');
    expect(res.body.error.problems.map((p: { field: string }) => p.field)).toContain('reason');
  });

  it('answers broken JSON with a 400, not a crash', async () => {
    const clinic = await t.newClinic();
    const res = await t.app.inject({
      method: 'PUT',
      url: clinic.url('/settings'),
      headers: { cookie: clinic.admin.client.cookie!, 'x-csrf-token': clinic.admin.client.csrfToken!, 'content-type': 'application/json' },
      payload: '{"expectedVersion": 1,',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'bad_request', field: '(body)' });
  });
});
