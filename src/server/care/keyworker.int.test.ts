import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp } from '../../../test/support/test-app';
import { licensedPrescriber, personInInduction, referredPerson } from '../../../test/support/clinical';
import { queryAudit } from '../../store/audit-log';
import { staff } from '../../store/schema';

describe.skipIf(postgresSkipped())('keyworkers: assignment and caseloads', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  async function setUp() {
    t.clock.set('2026-03-02T10:00:00Z');
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const person = await personInInduction(t, clinic, doctor);
    const keyworker = await t.newStaff(clinic.clinicId, ['keyworker']);
    return { clinic, doctor, person, keyworker, url: clinic.url(`/service-users/${person.serviceUserId}/keyworker`) };
  }

  it('assigning a keyworker is a new version of the record with the reason, audited; repeating it is refused (nothing to change); null removes them', async () => {
    const { clinic, person, keyworker, url } = await setUp();
    const assigned = await clinic.admin.client.put(url, { staffId: keyworker.staffId, reason: 'new starter: Sam has space' });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    expect(assigned.body).toMatchObject({ version: 2, reason: 'new starter: Sam has space', recordedBy: clinic.admin.staffId, record: { keyworkerStaffId: keyworker.staffId, familyName: 'Bloggs' } });

    const again = await clinic.admin.client.put(url, { staffId: keyworker.staffId, reason: 'double click' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('keyworker_unchanged');

    const removed = await keyworker.client.put(url, { staffId: null, reason: 'Sam leaving the service' });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ version: 3, record: { keyworkerStaffId: null } });
    const history = (await clinic.admin.client.get(clinic.url(`/service-users/${person.serviceUserId}/history`))).body.versions;
    expect(history.map((v: { version: number; reason: string; record: { keyworkerStaffId: string | null } }) => [v.version, v.reason, v.record.keyworkerStaffId])).toEqual([
      [3, 'Sam leaving the service', null],
      [2, 'new starter: Sam has space', keyworker.staffId],
      [1, 'record created', null],
    ]);
    const audit = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'service_user', limit: 20 });
    expect(audit.filter((a) => a.action === 'update' && a.entityId === person.serviceUserId)).toHaveLength(2);
  });

  it('refuses someone who is not a keyworker here (or whose account is deactivated), and bad input; writes nothing', async () => {
    const { clinic, person, doctor, url } = await setUp();
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    const notKw = await clinic.admin.client.put(url, { staffId: nurse.staffId, reason: 'cover' });
    expect(notKw.status).toBe(422);
    expect(notKw.body.error).toMatchObject({ code: 'not_a_keyworker', field: 'staffId' });
    expect(notKw.body.error.message).toContain('(nurse)');

    const elsewhere = await t.newClinic();
    const theirs = await t.newStaff(elsewhere.clinicId, ['keyworker']);
    const other = await clinic.admin.client.put(url, { staffId: theirs.staffId, reason: 'cover' });
    expect(other.status).toBe(422);
    expect(other.body.error).toMatchObject({ code: 'not_a_keyworker', field: 'staffId', message: 'This member of staff does not hold the keyworker role at this clinic' });

    const gone = await t.newStaff(clinic.clinicId, ['keyworker']);
    await t.db.orm.update(staff).set({ active: false }).where(eq(staff.staffId, gone.staffId));
    const inactive = await clinic.admin.client.put(url, { staffId: gone.staffId, reason: 'cover' });
    expect(inactive.status).toBe(422);
    expect(inactive.body.error).toMatchObject({ code: 'keyworker_inactive', field: 'staffId' });

    const notUuid = await clinic.admin.client.put(url, { staffId: 'sam', reason: 'cover' });
    expect(notUuid.status).toBe(400);
    expect(notUuid.body.error.field).toBe('staffId');
    const noReason = await clinic.admin.client.put(url, { staffId: null });
    expect(noReason.body.error.field).toBe('reason');
    const nobody = await clinic.admin.client.put(clinic.url('/service-users/00000000-0000-7000-8000-000000000000/keyworker'), { staffId: null, reason: 'cover' });
    expect(nobody.status).toBe(404);
    const history = (await doctor.client.get(clinic.url(`/service-users/${person.serviceUserId}/history`))).body.versions;
    expect(history).toHaveLength(1);
  });

  it('admins, prescribers and keyworkers assign; nurses and HCAs do not', async () => {
    const { clinic, doctor, keyworker, url } = await setUp();
    for (const roles of [['nurse'], ['hca'], ['cd_accountable']] as const) {
      const s = await t.newStaff(clinic.clinicId, [...roles]);
      expect((await s.client.put(url, { staffId: keyworker.staffId, reason: 'cover' })).status).toBe(403);
      expect((await s.client.get(clinic.url('/keyworkers/caseloads'))).status).toBe(roles[0] === 'nurse' ? 200 : 403);
    }
    expect((await doctor.client.put(url, { staffId: keyworker.staffId, reason: 'allocation meeting' })).status).toBe(200);
  });

  it("caseloads: each keyworker's open cases with their state, and the people in treatment with no keyworker", async () => {
    const { clinic, doctor, person: jo, keyworker, url } = await setUp();
    const bob = await personInInduction(t, clinic, doctor, { givenName: 'Bob', preferredName: null, familyName: 'Able' });
    const ann = await referredPerson(clinic, { givenName: 'Ann', preferredName: null, familyName: 'Zed' });
    const cy = await personInInduction(t, clinic, doctor, { givenName: 'Cy', preferredName: null, familyName: 'Done' });
    await referredPerson(clinic, { givenName: 'Di', preferredName: null, familyName: 'Waiting' }); // referred, no keyworker: not "unassigned in treatment"
    const other = await t.newStaff(clinic.clinicId, ['keyworker', 'nurse']);
    expect((await doctor.client.put(url, { staffId: keyworker.staffId, reason: 'allocation' })).status).toBe(200);
    for (const p of [ann, cy]) expect((await doctor.client.put(clinic.url(`/service-users/${p.serviceUserId}/keyworker`), { staffId: keyworker.staffId, reason: 'allocation' })).status).toBe(200);
    expect((await doctor.client.post(clinic.url(`/episodes/${cy.episodeId}/discharge`), { reason: 'planned' })).status).toBe(200);

    const res = await keyworker.client.get(clinic.url('/keyworkers/caseloads'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const mine = res.body.keyworkers.find((k: { staffId: string }) => k.staffId === keyworker.staffId);
    expect(mine).toEqual({
      staffId: keyworker.staffId,
      displayName: 'Test keyworker',
      active: true,
      people: [
        { serviceUserId: ann.serviceUserId, displayName: 'Ann Zed', episodeState: 'referred' },
        { serviceUserId: jo.serviceUserId, displayName: 'Jo (Joanne) Bloggs', episodeState: 'induction' },
      ],
    });
    expect(res.body.keyworkers.find((k: { staffId: string }) => k.staffId === other.staffId).people).toEqual([]);
    expect(res.body.keyworkers).toHaveLength(2);
    expect(res.body.unassigned).toEqual([{ serviceUserId: bob.serviceUserId, displayName: 'Bob Able', episodeState: 'induction' }]);

    // A keyworker who loses the role: their people in treatment show as unassigned.
    expect((await clinic.admin.client.put(clinic.url(`/staff/${keyworker.staffId}/roles`), { roles: ['hca'] })).status).toBe(200);
    const after = (await doctor.client.get(clinic.url('/keyworkers/caseloads'))).body;
    expect(after.keyworkers.map((k: { staffId: string }) => k.staffId)).toEqual([other.staffId]);
    expect(after.unassigned.map((p: { displayName: string }) => p.displayName)).toEqual(['Bob Able', 'Jo (Joanne) Bloggs']);
    const audit = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'keyworker_caseloads', limit: 5 });
    expect(audit.map((a) => a.action)).toEqual(['read', 'read']);
  });

  it('the OpenAPI document describes the care routes of this area, each with a summary and tag', async () => {
    const paths = (await t.client().get('/api/openapi.json')).body.paths as Record<string, Record<string, { summary?: string; tags?: string[] }>>;
    const mine = Object.entries(paths).flatMap(([p, ops]) => (/naloxone|equipment|injection-site|keywork|care-plans|referrals|keyworker/.test(p) ? Object.values(ops) : []));
    expect(mine).toHaveLength(7 * 4 + 3);
    for (const op of mine) {
      expect(op.summary).toBeTruthy();
      expect(op.tags?.length).toBe(1);
    }
    expect(paths['/api/v1/clinics/{clinicId}/service-users/{serviceUserId}/keyworker']!.put!.summary).toContain('keyworker');
  });
});
