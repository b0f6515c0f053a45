import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp } from '../../../test/support/test-app';
import { record } from '../../../test/support/clinical';
import { queryAudit } from '../../store/audit-log';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);

describe.skipIf(postgresSkipped())('service users', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  it('creates a record with a referral in one transaction and shows it with alerts', async () => {
    const clinic = await t.newClinic();
    const res = await clinic.admin.client.post(clinic.url('/service-users'), {
      record: record({ nhsNumber: '943 476 5919', alcohol: { knownUse: true }, interactingMedicines: [{ name: 'diazepam', class: 'benzodiazepine', dose: '10 mg' }] }),
      referral: { source: 'Community drug service', reason: 'injecting street heroin despite methadone' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ displayName: 'Jo (Joanne) Bloggs', nhsNumber: '9434765919', version: 1, episode: { state: 'referred' } });
    expect(res.body.alerts.map((a: { kind: string }) => a.kind)).toEqual(['interacting_medicine', 'alcohol']);
    const got = await clinic.admin.client.get(clinic.url(`/service-users/${res.body.serviceUserId}`));
    expect(got.body.record.alcohol.knownUse).toBe(true);
    const reads = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, action: 'read', entityType: 'service_user', entityId: res.body.serviceUserId, limit: 5 });
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({ staffId: clinic.admin.staffId, ip: '203.0.113.7' });
  });

  it('refuses a bad record, naming the field, and writes nothing', async () => {
    const clinic = await t.newClinic();
    const before = (await queryAudit(t.db.orm, { clinicId: clinic.clinicId, limit: 500 })).length;
    for (const [bad, field] of [
      [record({ nhsNumber: '943 476 5918' }), 'record.nhsNumber'],
      [record({ dateOfBirth: '2080-01-01' }), 'record.dateOfBirth'],
      [record({ address: null }), 'record.address'],
      [record({ familyName: '' }), 'record.familyName'],
      [record({ pregnancy: { status: 'pregnant' } }), 'record.pregnancy.dueDate'],
    ] as const) {
      const res = await clinic.admin.client.post(clinic.url('/service-users'), { record: bad });
      expect(res.status, field).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
    expect((await clinic.admin.client.get(clinic.url('/service-users'))).body.serviceUsers).toEqual([]);
    const after = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, limit: 500 });
    expect(after.filter((e) => e.action !== 'read')).toHaveLength(before);
  });

  it('accepts as keyworker only someone who works at the clinic', async () => {
    const clinic = await t.newClinic();
    const other = await t.newClinic();
    const keyworker = await t.newStaff(clinic.clinicId, ['keyworker'], { signIn: false });
    const stranger = await t.newStaff(other.clinicId, ['keyworker'], { signIn: false });
    expect((await clinic.admin.client.post(clinic.url('/service-users'), { record: record({ keyworkerStaffId: keyworker.staffId }) })).status).toBe(201);
    const res = await clinic.admin.client.post(clinic.url('/service-users'), { record: record({ keyworkerStaffId: stranger.staffId }) });
    expect(res.body.error.field).toBe('record.keyworkerStaffId');
  });

  it('refuses a second record with the same NHS number at the clinic', async () => {
    const clinic = await t.newClinic();
    await clinic.admin.client.post(clinic.url('/service-users'), { record: record({ nhsNumber: '4010232137' }) });
    const again = await clinic.admin.client.post(clinic.url('/service-users'), { record: record({ nhsNumber: '401 023 2137', givenName: 'Other' }) });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('nhs_number_in_use');
  });

  it('gives an NHS number to one person only, even when two records are made at once', async () => {
    const clinic = await t.newClinic();
    const answers = await Promise.all(
      ['A', 'B', 'C'].map((n) => clinic.admin.client.post(clinic.url('/service-users'), { record: record({ givenName: n, nhsNumber: '9434765919' }) })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
  });

  it('records changes as new versions with a reason, keeps the old ones, and stops lost updates', async () => {
    const clinic = await t.newClinic();
    const created = await clinic.admin.client.post(clinic.url('/service-users'), { record: record() });
    const id = created.body.serviceUserId;
    const update = await clinic.admin.client.put(clinic.url(`/service-users/${id}`), {
      expectedVersion: 1,
      reason: 'moved house',
      record: record({ address: { lines: ['2 Low Street'], postcode: 'TS2 2BB' } }),
    });
    expect(update.status).toBe(200);
    expect(update.body.version).toBe(2);
    const stale = await clinic.admin.client.put(clinic.url(`/service-users/${id}`), { expectedVersion: 1, reason: 'x', record: record() });
    expect(stale.status).toBe(409);
    const history = (await clinic.admin.client.get(clinic.url(`/service-users/${id}/history`))).body.versions;
    expect(history.map((v: { version: number; reason: string }) => [v.version, v.reason])).toEqual([
      [2, 'moved house'],
      [1, 'record created'],
    ]);
    expect(history[1].record.address.lines).toEqual(['1 High Street', 'Middlesbrough']);
  });

  it('finds people by name or NHS number, and audits who looked', async () => {
    const clinic = await t.newClinic();
    await clinic.admin.client.post(clinic.url('/service-users'), { record: record({ familyName: 'Smith', nhsNumber: '9434765870' }) });
    await clinic.admin.client.post(clinic.url('/service-users'), { record: record({ familyName: 'Jones' }) });
    const byName = await clinic.admin.client.get(clinic.url('/service-users?search=smi'));
    expect(byName.body.serviceUsers.map((s: { familyName: string }) => s.familyName)).toEqual(['Smith']);
    const byNhs = await clinic.admin.client.get(clinic.url('/service-users?search=943 476 5870'));
    expect(byNhs.body.serviceUsers).toHaveLength(1);
    const all = await clinic.admin.client.get(clinic.url('/service-users'));
    expect(all.body.serviceUsers.map((s: { familyName: string }) => s.familyName)).toEqual(['Jones', 'Smith']);
    const looks = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'service_user_list', limit: 10 });
    expect(looks).toHaveLength(3);
  });

  it('keeps identity photos (type- and size-checked), shows the newest, and audits every view', async () => {
    const clinic = await t.newClinic();
    const hca = await t.newStaff(clinic.clinicId, ['hca']);
    const id = (await clinic.admin.client.post(clinic.url('/service-users'), { record: record() })).body.serviceUserId;
    const up = await hca.client.post(clinic.url(`/service-users/${id}/photo`), { contentType: 'image/png', dataBase64: PNG.toString('base64') });
    expect(up.status).toBe(201);
    expect(up.body.byteSize).toBe(PNG.length);
    const res = await t.app.inject({ method: 'GET', url: clinic.url(`/service-users/${id}/photo`), headers: { cookie: hca.client.cookie! } });
    expect(res.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(res.rawPayload, PNG)).toBe(0);
    const views = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, action: 'read', entityType: 'service_user_photo', limit: 5 });
    expect(views.map((v) => v.staffId)).toEqual([hca.staffId]);

    const liar = await hca.client.post(clinic.url(`/service-users/${id}/photo`), { contentType: 'image/jpeg', dataBase64: PNG.toString('base64') });
    expect(liar.body.error).toMatchObject({ field: 'dataBase64', message: 'dataBase64: the image says it is image/jpeg but is image/png' });
    const svg = await hca.client.post(clinic.url(`/service-users/${id}/photo`), { contentType: 'image/png', dataBase64: Buffer.from('<svg/>').toString('base64') });
    expect(svg.status).toBe(400);
    const huge = Buffer.alloc(2 * 1024 * 1024 + 1);
    PNG.copy(huge);
    const big = await hca.client.post(clinic.url(`/service-users/${id}/photo`), { contentType: 'image/png', dataBase64: huge.toString('base64') });
    expect(big.status).toBe(400);
    expect(big.body.error.message).toContain('the limit is 2 MiB');
  });

  it('answers 404 for someone at another clinic', async () => {
    const a = await t.newClinic();
    const b = await t.newClinic();
    const id = (await b.admin.client.post(b.url('/service-users'), { record: record() })).body.serviceUserId;
    for (const path of ['', '/history', '/photo', '/prescriptions', '/reviews']) {
      expect((await a.admin.client.get(a.url(`/service-users/${id}${path}`))).status, path).toBe(404);
    }
    expect((await a.admin.client.put(a.url(`/service-users/${id}`), { expectedVersion: 1, reason: 'x', record: record() })).status).toBe(404);
  });
});
