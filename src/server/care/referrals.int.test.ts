import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp } from '../../../test/support/test-app';
import { licensedPrescriber, personInInduction } from '../../../test/support/clinical';
import { queryAudit } from '../../store/audit-log';

describe.skipIf(postgresSkipped())('referrals', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  async function setUp() {
    t.clock.set('2026-03-02T10:00:00Z');
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const jo = await personInInduction(t, clinic, doctor);
    const bob = await personInInduction(t, clinic, doctor, { givenName: 'Bob', preferredName: null, familyName: 'Able' });
    const keyworker = await t.newStaff(clinic.clinicId, ['keyworker']);
    const pathOf = (p: { serviceUserId: string }) => clinic.url(`/service-users/${p.serviceUserId}/referrals`);
    return { clinic, jo, bob, keyworker, pathOf };
  }

  const housing = { service: 'housing', organisation: 'Middlesbrough Housing Options', reason: 'Sofa surfing; at risk of rough sleeping', status: 'to_make' };

  it('each step is a correction with a reason, so the history shows them all; the clinic list shows what is open', async () => {
    const { clinic, jo, bob, keyworker, pathOf } = await setUp();
    const made = await keyworker.client.post(pathOf(jo), housing);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const id = made.body.recordId;
    const bbv = await keyworker.client.post(pathOf(bob), { service: 'bbv_testing', organisation: 'Hep C Trust outreach', reason: 'Never tested', status: 'made', madeOn: '2026-03-01', effectiveDate: '2026-03-01' });
    expect(bbv.status, JSON.stringify(bbv.body)).toBe(201);
    const dental = await keyworker.client.post(pathOf(bob), { service: 'dental', organisation: 'Community dental', reason: 'Toothache', status: 'closed', notes: 'Sorted it himself' });
    expect(dental.status).toBe(201);

    const step = (status: string, reason: string, extra: Record<string, unknown> = {}) =>
      keyworker.client.post(clinic.url(`/referrals/${id}/corrections`), { reason, data: { ...housing, status, madeOn: '2026-03-02', ...extra } });
    expect((await step('made', 'phoned and emailed the form')).status).toBe(201);
    expect((await step('accepted', 'appointment offered 10 March')).status).toBe(201);

    const open = await keyworker.client.get(clinic.url('/referrals'));
    expect(open.status, JSON.stringify(open.body)).toBe(200);
    expect(open.body.referrals.map((r: { displayName: string; data: { service: string; status: string } }) => [r.displayName, r.data.service, r.data.status])).toEqual([
      ['Bob Able', 'bbv_testing', 'made'],
      ['Jo (Joanne) Bloggs', 'housing', 'accepted'],
    ]);
    const onlyHousing = await keyworker.client.get(clinic.url('/referrals?service=housing'));
    expect(onlyHousing.body.referrals).toHaveLength(1);
    expect(onlyHousing.body.referrals[0]).toMatchObject({ recordId: id, version: 3, serviceUserId: jo.serviceUserId });

    expect((await step('completed', 'tenancy signed')).status).toBe(201);
    expect((await keyworker.client.get(clinic.url('/referrals?service=housing'))).body.referrals).toEqual([]);
    const all = (await keyworker.client.get(clinic.url('/referrals?status=all'))).body.referrals;
    expect(all.map((r: { data: { status: string } }) => r.data.status).sort()).toEqual(['closed', 'completed', 'made']);

    const versions = (await keyworker.client.get(clinic.url(`/referrals/${id}`))).body.versions;
    expect(versions.map((v: { data: { status: string }; reason: string | null }) => [v.data.status, v.reason])).toEqual([
      ['to_make', null],
      ['made', 'phoned and emailed the form'],
      ['accepted', 'appointment offered 10 March'],
      ['completed', 'tenancy signed'],
    ]);
    const audit = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'referrals', limit: 10 });
    expect(audit).toHaveLength(4);
    expect(audit.every((a) => a.action === 'read')).toBe(true);
  });

  it('refuses a made referral without its date, a date in the future and unknown services, naming the field; writes nothing', async () => {
    const { clinic, jo, keyworker, pathOf } = await setUp();
    const undated = await keyworker.client.post(pathOf(jo), { ...housing, status: 'made' });
    expect(undated.status).toBe(400);
    expect(undated.body.error.field).toBe('madeOn');
    const future = await keyworker.client.post(pathOf(jo), { ...housing, status: 'made', madeOn: '2026-03-03' });
    expect(future.status).toBe(422);
    expect(future.body.error).toMatchObject({ code: 'date_in_future', field: 'madeOn' });
    const service = await keyworker.client.post(pathOf(jo), { ...housing, service: 'gym' });
    expect(service.body.error.field).toBe('service');
    const noOrg = await keyworker.client.post(pathOf(jo), { ...housing, organisation: '' });
    expect(noOrg.body.error.field).toBe('organisation');
    expect((await keyworker.client.get(pathOf(jo))).body.records).toEqual([]);
    const badQuery = await keyworker.client.get(clinic.url('/referrals?status=some'));
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.field).toBe('status');

    const made = await keyworker.client.post(pathOf(jo), housing);
    const noDate = await keyworker.client.post(clinic.url(`/referrals/${made.body.recordId}/corrections`), { reason: 'made it', data: { ...housing, status: 'made' } });
    expect(noDate.status).toBe(400);
    expect(noDate.body.error.field).toBe('data.madeOn');
    const noReason = await keyworker.client.post(clinic.url(`/referrals/${made.body.recordId}/corrections`), { data: { ...housing, status: 'made', madeOn: '2026-03-02' } });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.field).toBe('reason');
    expect((await keyworker.client.get(clinic.url(`/referrals/${made.body.recordId}`))).body.versions).toHaveLength(1);
  });

  it('HCAs read the list but do not record; a commissioner sees no one', async () => {
    const { clinic, jo, pathOf } = await setUp();
    const hca = await t.newStaff(clinic.clinicId, ['hca']);
    expect((await hca.client.post(pathOf(jo), housing)).status).toBe(403);
    expect((await hca.client.get(clinic.url('/referrals'))).status).toBe(200);
    const commissioner = await t.newStaff(clinic.clinicId, ['commissioner']);
    expect((await commissioner.client.get(clinic.url('/referrals'))).status).toBe(403);
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    expect((await nurse.client.post(pathOf(jo), housing)).status).toBe(201);
  });
});
