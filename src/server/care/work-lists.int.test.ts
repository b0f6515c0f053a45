import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp } from '../../../test/support/test-app';
import { licensedPrescriber, personInInduction, starting } from '../../../test/support/clinical';
import { queryAudit } from '../../store/audit-log';

describe.skipIf(postgresSkipped())('work lists', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  it('each role sees its own lists; asking for another role\'s list is refused', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const clinic = await t.newClinic();
    const hca = await t.newStaff(clinic.clinicId, ['hca']);
    const keyworker = await t.newStaff(clinic.clinicId, ['keyworker']);
    const names = async (who: typeof hca) => ((await who.client.get(clinic.url('/work-lists'))).body.lists as { list: string }[]).map((l) => l.list);
    expect(await names(hca)).toEqual(['toxicology_due', 'breath_test_today']);
    expect(await names(keyworker)).toEqual(['methadone_non_collection', 'outcomes_due', 'naloxone_expiring', 'care_plan_review_due']);
    expect((await names(clinic.admin)).length).toBe(9);
    const notMine = await hca.client.get(clinic.url('/work-lists?list=reviews_due'));
    expect(notMine.status).toBe(403);
    expect(notMine.body.error.message).toContain('prescriber');
    const cd = await t.newStaff(clinic.clinicId, ['cd_accountable']);
    expect((await cd.client.get(clinic.url('/work-lists'))).body.lists).toEqual([]);
    const commissioner = await t.newStaff(clinic.clinicId, ['commissioner']);
    expect((await commissioner.client.get(clinic.url('/work-lists'))).status).toBe(403);
  });

  it('the prescriber\'s list shows reviews due, overdue first, and reading it is audited', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const jo = await personInInduction(t, clinic, doctor);
    await doctor.client.post(clinic.url(`/service-users/${jo.serviceUserId}/prescriptions`), starting());
    t.clock.set('2026-03-10T09:00:00Z');
    await doctor.client.signIn(doctor.email);
    const res = await doctor.client.get(clinic.url('/work-lists?list=reviews_due'));
    expect(res.status).toBe(200);
    expect(res.body.today).toBe('2026-03-10');
    expect(res.body.lists).toEqual([
      {
        list: 'reviews_due',
        label: 'Prescriber reviews due',
        roles: ['prescriber', 'admin'],
        items: [expect.objectContaining({ serviceUserId: jo.serviceUserId, displayName: 'Jo (Joanne) Bloggs', dueOn: '2026-03-09', overdue: true, severity: 'warning' })],
      },
    ]);
    const audit = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'work_lists', limit: 5 });
    expect(audit[0]).toMatchObject({ action: 'read', staffId: doctor.staffId, details: { lists: ['reviews_due'], serviceUserIds: [jo.serviceUserId] } });
  });
});
