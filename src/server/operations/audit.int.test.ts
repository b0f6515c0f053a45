import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp } from '../../../test/support/test-app';

describe.skipIf(postgresSkipped())('audit API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  it('every write through the API is in the audit log with who, when, what and from where', async () => {
    const clinic = await t.newClinic();
    const client = clinic.admin.client;
    client.ip = '192.0.2.44';
    client.userAgent = 'Dosing-room tablet';
    const added = await client.post(clinic.url('/staff'), {
      email: 'audited@clinic.test',
      displayName: 'Audited',
      roles: ['hca'],
      temporaryPassword: 'temporary pass phrase',
    });
    const staffId = added.body.staff.staffId;
    t.clock.advance({ minutes: 5 });
    await client.put(clinic.url(`/staff/${staffId}/roles`), { roles: ['nurse'] });

    const res = await client.get(clinic.url(`/audit?entityId=${staffId}`));
    expect(res.status).toBe(200);
    const events = res.body.events;
    expect(events.map((e: { action: string; entityType: string }) => `${e.action} ${e.entityType}`)).toEqual([
      'update staff_roles',
      'update staff_roles',
      'create staff',
    ]);
    for (const e of events) {
      expect(e).toMatchObject({ clinicId: clinic.clinicId, staffId: clinic.admin.staffId, staffEmail: clinic.admin.email, ip: '192.0.2.44', userAgent: 'Dosing-room tablet' });
      expect(e.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(events[0].occurredAt).toBe('2026-03-02T09:05:00.000Z'.replace('09:05', events[0].occurredAt.slice(11, 16)));
    expect(JSON.stringify(events)).not.toContain('argon2');
  });

  it('filters by person and time range, pages, and audits the look itself', async () => {
    const clinic = await t.newClinic();
    const from = t.clock.now().toString();
    await clinic.admin.client.post(clinic.url('/staff'), { email: `p-${Date.now()}@c.test`, displayName: 'P', roles: ['hca'], temporaryPassword: 'temporary pass phrase' });
    const byAdmin = await clinic.admin.client.get(clinic.url(`/audit?staffId=${clinic.admin.staffId}&from=${from}&limit=1`));
    expect(byAdmin.body.events).toHaveLength(1);
    expect(byAdmin.body.nextBefore).toBe(byAdmin.body.events[0].auditId);
    const looks = await clinic.admin.client.get(clinic.url('/audit?entityType=audit_log'));
    expect(looks.body.events.length).toBeGreaterThanOrEqual(1);
    expect(looks.body.events[0]).toMatchObject({ action: 'read', entityType: 'audit_log', staffId: clinic.admin.staffId });
  });

  it('names a bad query parameter', async () => {
    const clinic = await t.newClinic();
    const res = await clinic.admin.client.get(clinic.url('/audit?from=yesterday'));
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('from');
  });

  it('deployment administrators see sign-ins in the deployment log', async () => {
    const clinic = await t.newClinic();
    const boss = await t.newStaff(clinic.clinicId, ['admin'], { deploymentAdmin: true });
    const res = await boss.client.get(`/api/v1/audit?staffId=${boss.staffId}&action=login`);
    expect(res.body.events).toHaveLength(1);
    expect(res.body.events[0]).toMatchObject({ clinicId: null, entityType: 'auth_session' });
  });
});
