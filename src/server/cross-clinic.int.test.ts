import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../domain/staff/roles';
import { postgresSkipped } from '../../test/support/test-database';
import { TestApp } from '../../test/support/test-app';
import { permissions } from './permissions';

/**
 * Two clinics on one deployment. Someone who holds every role at clinic A reaches nothing of
 * clinic B: B's routes, and B's records through A's routes, all answer 404.
 */
describe.skipIf(postgresSkipped())('cross-clinic isolation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  it('no route returns or changes another clinic\'s data', async () => {
    const a = await t.newClinic('Clinic A');
    const b = await t.newClinic('Clinic B');
    const insider = await t.newStaff(a.clinicId, [...ROLES]);
    const bNurse = await t.newStaff(b.clinicId, ['nurse'], { signIn: false });
    const bAuditBefore = (await b.admin.client.get(b.url('/audit?limit=500'))).body.events.length;

    const clinicRoutes = Object.keys(permissions).filter((k) => k.includes(':clinicId'));
    for (const key of clinicRoutes) {
      const [method, url] = key.split(' ') as ['GET' | 'POST' | 'PUT' | 'PATCH', string];
      const body = method === 'GET' ? undefined : { roles: ['admin'], temporaryPassword: 'a perfectly fine one', displayName: 'X', email: 'x@y.test', reason: 'r', expectedVersion: 1, settings: {} };

      // B's clinic id in the URL
      const once = url.endsWith('/events') ? '?once=1' : '';
      const direct = await insider.client.request(method, url.replace(':clinicId', b.clinicId).replace(':staffId', bNurse.staffId) + once, body);
      expect(direct.status, key).toBe(404);

      // B's staff member through A's URL
      if (url.includes(':staffId')) {
        const sideways = await insider.client.request(method, url.replace(':clinicId', a.clinicId).replace(':staffId', bNurse.staffId), body);
        expect(sideways.status, key).toBe(404);
        expect(sideways.body.error.code).toBe('not_found');
      }
    }

    const aStaff = (await insider.client.get(a.url('/staff'))).body.staff.map((s: { staffId: string }) => s.staffId);
    expect(aStaff).not.toContain(bNurse.staffId);
    const aAudit = (await insider.client.get(a.url('/audit?limit=500'))).body.events;
    expect(aAudit.every((e: { clinicId: string }) => e.clinicId === a.clinicId)).toBe(true);
    const clinics = (await insider.client.get('/api/v1/clinics')).body.clinics.map((c: { clinicId: string }) => c.clinicId);
    expect(clinics).toEqual([a.clinicId]);

    // Nothing was written at B: its audit log only grew by B's admin's own look at it.
    const bAuditAfter = (await b.admin.client.get(b.url('/audit?limit=500'))).body.events;
    expect(bAuditAfter.length).toBe(bAuditBefore + 1);
    expect(bAuditAfter.filter((e: { staffId: string }) => e.staffId === insider.staffId)).toEqual([]);
  });
});
