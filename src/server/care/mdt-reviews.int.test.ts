import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp } from '../../../test/support/test-app';
import { licensedPrescriber, personInInduction } from '../../../test/support/clinical';
import { queryAudit } from '../../store/audit-log';

describe.skipIf(postgresSkipped())('multidisciplinary reviews (and the routes every care record has)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  const review = {
    attendees: [
      { name: 'Dr A', role: 'prescriber' },
      { name: 'Sam', role: 'keyworker' },
    ],
    serviceUserAttended: true,
    notes: 'Housing is the priority; dose stable.',
    actions: [{ action: 'Chase the housing referral', owner: 'Sam', dueOn: '2026-03-09' }],
  };

  it('records, lists, corrects with a reason and marks entered in error, keeping every version', async () => {
    t.clock.set('2026-03-02T10:00:00Z');
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const person = await personInInduction(t, clinic, doctor);
    const path = clinic.url(`/service-users/${person.serviceUserId}/mdt-reviews`);

    const created = await doctor.client.post(path, review);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ version: 1, effectiveDate: '2026-03-02', occurredAt: null, reason: null, source: 'staff', recordedBy: doctor.staffId });
    const id = created.body.recordId;

    const corrected = await doctor.client.post(clinic.url(`/mdt-reviews/${id}/corrections`), { reason: 'wrong owner', data: { ...review, actions: [{ action: 'Chase the housing referral', owner: 'Pat', dueOn: null }] } });
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(201);
    expect(corrected.body).toMatchObject({ version: 2, reason: 'wrong owner', data: { actions: [{ owner: 'Pat' }] } });
    const listed = await doctor.client.get(path);
    expect(listed.body.records).toHaveLength(1);
    expect(listed.body.records[0].version).toBe(2);

    const erased = await doctor.client.post(clinic.url(`/mdt-reviews/${id}/corrections`), { reason: 'wrong person', enteredInError: true });
    expect(erased.status).toBe(201);
    expect((await doctor.client.get(path)).body.records).toEqual([]);
    const versions = (await doctor.client.get(clinic.url(`/mdt-reviews/${id}`))).body.versions;
    expect(versions.map((v: { version: number; enteredInError: boolean }) => [v.version, v.enteredInError])).toEqual([[1, false], [2, false], [3, true]]);
    const again = await doctor.client.post(clinic.url(`/mdt-reviews/${id}/corrections`), { reason: 'twice', enteredInError: true });
    expect(again.status).toBe(409);
    const audit = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'mdt_review', limit: 10 });
    expect(audit.map((a) => a.action).sort()).toEqual(['correct', 'create', 'entered_in_error', 'read']);
  });

  it('refuses bad input naming the field, and dates in the future; writes nothing', async () => {
    t.clock.set('2026-03-02T10:00:00Z');
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const person = await personInInduction(t, clinic, doctor);
    const path = clinic.url(`/service-users/${person.serviceUserId}/mdt-reviews`);
    const oneAttendee = await doctor.client.post(path, { ...review, attendees: [review.attendees[0]] });
    expect(oneAttendee.status).toBe(400);
    expect(oneAttendee.body.error.field).toBe('attendees');
    const future = await doctor.client.post(path, { ...review, effectiveDate: '2026-03-03' });
    expect(future.status).toBe(400);
    expect(future.body.error.field).toBe('effectiveDate');
    const badCorrection = await doctor.client.post(clinic.url(`/mdt-reviews/00000000-0000-7000-8000-000000000000/corrections`), { reason: 'x y z', data: review });
    expect(badCorrection.status).toBe(404);
    expect((await doctor.client.get(path)).body.records).toEqual([]);
  });

  it('an HCA may read but not record; a record of another kind is not found under this path', async () => {
    t.clock.set('2026-03-02T10:00:00Z');
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const person = await personInInduction(t, clinic, doctor);
    const hca = await t.newStaff(clinic.clinicId, ['hca']);
    const path = clinic.url(`/service-users/${person.serviceUserId}/mdt-reviews`);
    expect((await hca.client.post(path, review)).status).toBe(403);
    expect((await hca.client.get(path)).status).toBe(200);
  });
});
