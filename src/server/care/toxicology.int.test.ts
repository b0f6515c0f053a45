import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp, type TestStaff } from '../../../test/support/test-app';
import { licensedPrescriber, personInInduction, record } from '../../../test/support/clinical';
import { queryAudit } from '../../store/audit-log';

describe.skipIf(postgresSkipped())('toxicology', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  const urine = (results: object[] = []) => ({ outcome: 'taken', sampleType: 'urine', method: 'point_of_care', results });
  const signInAgain = async (...staff: TestStaff[]) => {
    for (const s of staff) await s.client.signIn(s.email);
  };

  async function setting() {
    t.clock.set('2026-03-02T10:00:00Z');
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    const hca = await t.newStaff(clinic.clinicId, ['hca']);
    const keyworker = await t.newStaff(clinic.clinicId, ['keyworker']);
    const person = await personInInduction(t, clinic, doctor);
    return { clinic, doctor, nurse, hca, keyworker, person, path: clinic.url(`/service-users/${person.serviceUserId}/toxicology`) };
  }

  it("records a sample in the panel's spelling, then adds the laboratory results by a correction", async () => {
    const { clinic, doctor, nurse, path } = await setting();
    const sent = await nurse.client.post(path, { outcome: 'taken', sampleType: 'oral_fluid', method: 'laboratory', occurredAt: '2026-03-02T09:40:00Z' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body).toMatchObject({ kind: 'toxicology', version: 1, effectiveDate: '2026-03-02', occurredAt: '2026-03-02T09:40:00.000Z', data: { outcome: 'taken', results: [], reasonNotTaken: null } });
    const id = sent.body.recordId;

    const results = [
      { substance: '6-mam', result: 'positive' },
      { substance: 'Noscapine', result: 'negative' },
      { substance: 'methadone', result: 'level', level: 240, unit: 'ng/mL' },
    ];
    const lab = await doctor.client.post(clinic.url(`/toxicology/${id}/corrections`), { reason: 'lab results received', data: { outcome: 'taken', sampleType: 'oral_fluid', method: 'laboratory', results } });
    expect(lab.status, JSON.stringify(lab.body)).toBe(201);
    expect(lab.body).toMatchObject({ version: 2, reason: 'lab results received', occurredAt: '2026-03-02T09:40:00.000Z', effectiveDate: '2026-03-02' });
    expect(lab.body.data.results.map((r: { substance: string }) => r.substance)).toEqual(['6-MAM', 'noscapine', 'methadone']);
    expect(lab.body.data.results[2]).toEqual({ substance: 'methadone', result: 'level', level: 240, unit: 'ng/mL' });

    const listed = (await nurse.client.get(path)).body.records;
    expect(listed).toHaveLength(1);
    expect(listed[0].version).toBe(2);
    const versions = (await nurse.client.get(clinic.url(`/toxicology/${id}`))).body.versions;
    expect(versions.map((v: { version: number; data: { results: unknown[] } }) => [v.version, v.data.results.length])).toEqual([[1, 0], [2, 3]]);
    const audit = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'toxicology', limit: 10 });
    expect(audit.map((a) => a.action).sort()).toEqual(['correct', 'create', 'read']);
  });

  it('refuses bad input naming the field, and a substance not in the panel; writes nothing', async () => {
    const { clinic, nurse, path } = await setting();
    const noReason = await nurse.client.post(path, { outcome: 'refused' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.field).toBe('reasonNotTaken');
    const twice = await nurse.client.post(path, urine([{ substance: 'cocaine', result: 'positive' }, { substance: 'Cocaine', result: 'negative' }]));
    expect(twice.status).toBe(400);
    expect(twice.body.error.field).toBe('results[1].substance');
    const noUnit = await nurse.client.post(path, urine([{ substance: 'methadone', result: 'level', level: 100 }]));
    expect(noUnit.status).toBe(400);
    expect(noUnit.body.error.field).toBe('results[0].unit');
    const resultsWithoutSample = await nurse.client.post(path, { outcome: 'not_possible', reasonNotTaken: 'could not pass urine', results: [{ substance: 'cocaine', result: 'negative' }] });
    expect(resultsWithoutSample.status).toBe(400);
    expect(resultsWithoutSample.body.error.field).toBe('results');
    const unknown = await nurse.client.post(path, urine([{ substance: 'cocaine', result: 'negative' }, { substance: 'ketamine', result: 'positive' }]));
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ code: 'substance_not_in_panel', field: 'results[1].substance' });
    expect(unknown.body.error.message).toContain('ketamine is not in the clinic');
    expect(unknown.body.error.message).toContain('acetylcodeine');
    expect((await nurse.client.get(path)).body.records).toEqual([]);

    // A correction is checked the same way, and leaves the record as it was.
    const ok = await nurse.client.post(path, urine());
    const badCorrection = await nurse.client.post(clinic.url(`/toxicology/${ok.body.recordId}/corrections`), { reason: 'lab results received', data: urine([{ substance: 'spice', result: 'positive' }]) });
    expect(badCorrection.status).toBe(422);
    expect(badCorrection.body.error.code).toBe('substance_not_in_panel');
    expect((await nurse.client.get(clinic.url(`/toxicology/${ok.body.recordId}`))).body.versions).toHaveLength(1);
  });

  it('nurses, HCAs and prescribers record; every clinical role reads; keyworkers and CD accountable officers may not record', async () => {
    const { clinic, hca, keyworker, path } = await setting();
    const cdo = await t.newStaff(clinic.clinicId, ['cd_accountable']);
    const commissioner = await t.newStaff(clinic.clinicId, ['commissioner']);
    const made = await hca.client.post(path, urine([{ substance: 'cocaine', result: 'negative' }]));
    expect(made.status).toBe(201);
    expect((await keyworker.client.post(path, urine())).status).toBe(403);
    expect((await cdo.client.post(path, urine())).status).toBe(403);
    expect((await keyworker.client.post(clinic.url(`/toxicology/${made.body.recordId}/corrections`), { reason: 'wrong day', enteredInError: true })).status).toBe(403);
    expect((await keyworker.client.get(path)).status).toBe(200);
    expect((await cdo.client.get(path)).status).toBe(200);
    expect((await commissioner.client.get(path)).status).toBe(403);
    expect((await commissioner.client.get(`${path}/trends`)).status).toBe(403);
    expect((await keyworker.client.get(clinic.url('/toxicology/due'))).status).toBe(200);
    expect((await cdo.client.get(clinic.url('/toxicology/due'))).status).toBe(403);
    expect((await keyworker.client.get(path)).body.records).toHaveLength(1);
  });

  it("the due list: weekly from the last sample taken, a refusal shown but not resetting it, the person's own interval, nobody away", async () => {
    const { clinic, doctor, nurse, hca, keyworker, person: ann, path } = await setting();
    const ben = await personInInduction(t, clinic, doctor, { familyName: 'Brown', givenName: 'Ben', preferredName: null });
    const cat = await personInInduction(t, clinic, doctor, { familyName: 'Cole', givenName: 'Cat', preferredName: null });
    const due0 = (await nurse.client.get(clinic.url('/toxicology/due'))).body;
    expect(due0.today).toBe('2026-03-02');
    expect(due0.due.map((d: { serviceUserId: string; dueOn: string; overdue: boolean; lastAttempt: unknown }) => [d.serviceUserId, d.dueOn, d.overdue, d.lastAttempt])).toEqual(
      expect.arrayContaining([
        [ann.serviceUserId, '2026-03-02', false, null],
        [ben.serviceUserId, '2026-03-02', false, null],
        [cat.serviceUserId, '2026-03-02', false, null],
      ]),
    );

    // Samples from all three today; Ben is tested every 3 days; Cat goes into hospital.
    expect((await nurse.client.post(path, urine())).status).toBe(201);
    expect((await nurse.client.post(clinic.url(`/service-users/${ben.serviceUserId}/toxicology`), urine())).status).toBe(201);
    expect((await nurse.client.post(clinic.url(`/service-users/${cat.serviceUserId}/toxicology`), urine())).status).toBe(201);
    const put = await clinic.admin.client.put(clinic.url(`/service-users/${ben.serviceUserId}`), {
      expectedVersion: 1,
      reason: 'more frequent testing agreed at review',
      record: record({ familyName: 'Brown', givenName: 'Ben', preferredName: null, toxicologyIntervalDays: 3 }),
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect((await hca.client.post(cat.ep('/absences'), { kind: 'hospital', liaison: 'Ward 12' })).status).toBe(200);
    expect((await nurse.client.get(clinic.url('/toxicology/due'))).body.due).toEqual([]);
    const soon = (await nurse.client.get(clinic.url('/toxicology/due?withinDays=7'))).body.due;
    expect(soon.map((d: { displayName: string; dueOn: string; intervalDays: number }) => [d.dueOn, d.intervalDays])).toEqual([
      ['2026-03-05', 3],
      ['2026-03-09', 7],
    ]);
    expect(soon[0]).toMatchObject({ serviceUserId: ben.serviceUserId, lastTakenOn: '2026-03-02', lastAttempt: { on: '2026-03-02', outcome: 'taken' } });

    // Ann refuses on the day it falls due; the next day she is overdue since then.
    t.clock.set('2026-03-09T10:00:00Z');
    await signInAgain(nurse, hca, keyworker);
    expect((await hca.client.post(path, { outcome: 'refused', reasonNotTaken: 'declined: in a hurry' })).status).toBe(201);
    t.clock.set('2026-03-10T10:00:00Z');
    await signInAgain(nurse, keyworker);
    const due = (await keyworker.client.get(clinic.url('/toxicology/due'))).body;
    expect(due.today).toBe('2026-03-10');
    expect(due.due).toEqual([
      { serviceUserId: ben.serviceUserId, displayName: expect.any(String), dueOn: '2026-03-05', overdue: true, intervalDays: 3, lastTakenOn: '2026-03-02', lastAttempt: { on: '2026-03-02', outcome: 'taken' } },
      { serviceUserId: ann.serviceUserId, displayName: expect.any(String), dueOn: '2026-03-09', overdue: true, intervalDays: 7, lastTakenOn: '2026-03-02', lastAttempt: { on: '2026-03-09', outcome: 'refused' } },
    ]);
    const bad = await nurse.client.get(clinic.url('/toxicology/due?withinDays=29'));
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('withinDays');
    const audit = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'toxicology_due', limit: 10 });
    expect(audit.length).toBeGreaterThanOrEqual(4);
  });

  it('trends: week by week, street heroin only from its markers (not 6-MAM, which prescribed diamorphine also gives)', async () => {
    const { clinic, nurse, keyworker, path } = await setting();
    // Week of 2 March: 6-MAM and morphine only (the prescription).
    expect((await nurse.client.post(path, urine([{ substance: '6-MAM', result: 'positive' }, { substance: 'morphine', result: 'positive' }, { substance: 'acetylcodeine', result: 'negative' }]))).status).toBe(201);
    // Week of 9 March: street heroin and cocaine.
    t.clock.set('2026-03-11T10:00:00Z');
    await signInAgain(nurse, keyworker);
    expect((await nurse.client.post(path, urine([{ substance: '6-MAM', result: 'positive' }, { substance: 'papaverine', result: 'positive' }, { substance: 'cocaine', result: 'positive' }]))).status).toBe(201);
    // Week of 16 March: refused.
    t.clock.set('2026-03-17T10:00:00Z');
    await signInAgain(nurse, keyworker);
    expect((await nurse.client.post(path, { outcome: 'refused', reasonNotTaken: 'declined' })).status).toBe(201);

    const res = await keyworker.client.get(`${path}/trends?weeks=4`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.today).toBe('2026-03-17');
    expect(res.body.streetHeroinMarkers).toEqual(['acetylcodeine', 'papaverine', 'noscapine']);
    expect(res.body.weeks.map((w: { weekStarting: string; tested: boolean; streetHeroin: string; positives: string[] }) => [w.weekStarting, w.tested, w.streetHeroin, w.positives])).toEqual([
      // Treatment started on 2026-03-02: the week before is not a week without a sample.
      ['2026-03-02', true, 'negative', ['6-MAM', 'morphine']],
      ['2026-03-09', true, 'positive', ['6-MAM', 'papaverine', 'cocaine']],
      ['2026-03-16', false, 'no_sample', []],
    ]);
    expect(res.body.weeks[2].attemptsNotTaken).toBe(1);
    expect(res.body.summary).toEqual({ weeks: 3, weeksTested: 2, weeksPositiveStreetHeroin: 1, latest4: { weeksTested: 2, weeksPositiveStreetHeroin: 1 } });
    expect(res.body.substances[0]).toEqual({ substance: '6-MAM', positiveSamples: 2, positiveWeeks: 2 });
    // Asking for 12 weeks gives the 3 since treatment started.
    expect((await keyworker.client.get(`${path}/trends`)).body.weeks).toHaveLength(3);
    expect((await keyworker.client.get(`${path}/trends?weeks=0`)).body.error.field).toBe('weeks');
    expect((await keyworker.client.get(clinic.url('/service-users/00000000-0000-7000-8000-000000000000/toxicology/trends'))).status).toBe(404);
    const audit = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'toxicology_trends', limit: 10 });
    expect(audit.length).toBe(2);
  });
});
