import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp } from '../../../test/support/test-app';
import { licensedPrescriber, personInInduction } from '../../../test/support/clinical';
import { breathTestRules } from '../../domain/care/breath-tests';
import { queryAudit } from '../../store/audit-log';
import { onePersonInCare } from './people-in-care';

describe.skipIf(postgresSkipped())('breath tests', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  async function setting(alcohol = true) {
    t.clock.set('2026-03-02T08:00:00Z');
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    const hca = await t.newStaff(clinic.clinicId, ['hca']);
    const person = await personInInduction(t, clinic, doctor, { alcohol: { knownUse: alcohol, notes: null } });
    return { clinic, doctor, nurse, hca, person, path: clinic.url(`/service-users/${person.serviceUserId}/breath-tests`) };
  }

  /** What the rules say about the person now, from what is stored. */
  async function rulesNow(clinicId: string, serviceUserId: string) {
    const now = t.clock.now();
    const found = (await onePersonInCare(t.db.orm, clinicId, serviceUserId, now))!;
    const input = { person: found.person, settings: found.settings, today: found.today, now };
    return { workItems: breathTestRules.workItems(input), alerts: breathTestRules.alerts(input) };
  }

  it('stores the reading as shown and in mg/L; a correction converts again; every version kept', async () => {
    const { clinic, nurse, hca, path } = await setting();
    const made = await hca.client.post(path, { reading: { value: 22, unit: 'ug_per_100ml_breath' }, reason: 'daily_required' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ kind: 'breath_test', effectiveDate: '2026-03-02', occurredAt: null, data: { reading: { value: 22, unit: 'ug_per_100ml_breath' }, mgPerL: 0.22, reason: 'daily_required', notes: null } });
    const id = made.body.recordId;
    const fixed = await nurse.client.post(clinic.url(`/breath-tests/${id}/corrections`), { reason: 'meter showed blood estimate', data: { reading: { value: 0.5, unit: 'g_per_l_blood' }, reason: 'daily_required' } });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(201);
    expect(fixed.body).toMatchObject({ version: 2, data: { reading: { value: 0.5, unit: 'g_per_l_blood' }, mgPerL: 0.219 } });
    const versions = (await nurse.client.get(clinic.url(`/breath-tests/${id}`))).body.versions;
    expect(versions.map((v: { data: { mgPerL: number } }) => v.data.mgPerL)).toEqual([0.22, 0.219]);
    const listed = (await nurse.client.get(path)).body.records;
    expect(listed).toHaveLength(1);
    const audit = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'breath_test', limit: 10 });
    expect(audit.map((a) => a.action).sort()).toEqual(['correct', 'create', 'read']);
  });

  it('refuses bad input naming the field, and a time in the future; writes nothing', async () => {
    const { nurse, path } = await setting();
    const unit = await nurse.client.post(path, { reading: { value: 0.1, unit: 'promille' }, reason: 'daily_required' });
    expect(unit.status).toBe(400);
    expect(unit.body.error.field).toBe('reading.unit');
    const negative = await nurse.client.post(path, { reading: { value: -0.1, unit: 'mg_per_l_breath' }, reason: 'daily_required' });
    expect(negative.status).toBe(400);
    expect(negative.body.error.field).toBe('reading.value');
    const reason = await nurse.client.post(path, { reading: { value: 0, unit: 'mg_per_l_breath' }, reason: 'because' });
    expect(reason.status).toBe(400);
    expect(reason.body.error.field).toBe('reason');
    const future = await nurse.client.post(path, { reading: { value: 0, unit: 'mg_per_l_breath' }, reason: 'daily_required', occurredAt: '2026-03-02T09:00:00Z' });
    expect(future.status).toBe(400);
    expect(future.body.error.field).toBe('occurredAt');
    expect((await nurse.client.get(path)).body.records).toEqual([]);
  });

  it('nurses and HCAs record; prescribers and keyworkers only read; commissioners see nothing', async () => {
    const { clinic, doctor, hca, path } = await setting();
    const keyworker = await t.newStaff(clinic.clinicId, ['keyworker']);
    const commissioner = await t.newStaff(clinic.clinicId, ['commissioner']);
    const body = { reading: { value: 0, unit: 'mg_per_l_breath' }, reason: 'on_request' };
    const made = await hca.client.post(path, body);
    expect(made.status).toBe(201);
    expect((await doctor.client.post(path, body)).status).toBe(403);
    expect((await keyworker.client.post(path, body)).status).toBe(403);
    expect((await doctor.client.post(clinic.url(`/breath-tests/${made.body.recordId}/corrections`), { reason: 'wrong person', enteredInError: true })).status).toBe(403);
    expect((await doctor.client.get(path)).status).toBe(200);
    expect((await keyworker.client.get(clinic.url(`/breath-tests/${made.body.recordId}`))).status).toBe(200);
    expect((await commissioner.client.get(path)).status).toBe(403);
  });

  it('the rules, from what is stored: required today until tested; a high reading warns with the figure and the threshold', async () => {
    const { clinic, hca, person, path } = await setting();
    expect(await rulesNow(clinic.clinicId, person.serviceUserId)).toEqual({
      workItems: [expect.objectContaining({ list: 'breath_test_today', serviceUserId: person.serviceUserId, dueOn: '2026-03-02', severity: 'warning' })],
      alerts: [{ kind: 'breath_test', severity: 'warning', text: 'Breath test required today: not yet done' }],
    });
    // A test back-dated to yesterday does not count for today.
    expect((await hca.client.post(path, { reading: { value: 0, unit: 'mg_per_l_breath' }, reason: 'daily_required', effectiveDate: '2026-03-01' })).status).toBe(201);
    expect((await rulesNow(clinic.clinicId, person.serviceUserId)).workItems).toHaveLength(1);

    t.clock.set('2026-03-02T08:10:00Z');
    const high = await hca.client.post(path, { reading: { value: 0.31, unit: 'mg_per_l_breath' }, reason: 'daily_required', occurredAt: '2026-03-02T08:05:00Z' });
    expect(high.status).toBe(201);
    expect(await rulesNow(clinic.clinicId, person.serviceUserId)).toEqual({
      workItems: [],
      alerts: [{ kind: 'breath_test', severity: 'warning', text: "Breath alcohol 0.31 mg/L today at 08:05: at or above the clinic's threshold to reduce the dose (0.25 mg/L)" }],
    });

    // Marked entered in error: required again.
    const erased = await hca.client.post(clinic.url(`/breath-tests/${high.body.recordId}/corrections`), { reason: 'wrong person', enteredInError: true });
    expect(erased.status).toBe(201);
    expect((await rulesNow(clinic.clinicId, person.serviceUserId)).workItems).toHaveLength(1);

    // Nothing is required of someone away.
    expect((await hca.client.post(person.ep('/absences'), { kind: 'hospital', liaison: 'Ward 12' })).status).toBe(200);
    expect(await rulesNow(clinic.clinicId, person.serviceUserId)).toEqual({ workItems: [], alerts: [] });
  });

  it('someone not identified as using alcohol is never listed, but a high reading on request still warns', async () => {
    const { clinic, nurse, person, path } = await setting(false);
    expect(await rulesNow(clinic.clinicId, person.serviceUserId)).toEqual({ workItems: [], alerts: [] });
    expect((await nurse.client.post(path, { reading: { value: 60, unit: 'ug_per_100ml_breath' }, reason: 'on_request', notes: 'smelt of alcohol' })).status).toBe(201);
    expect((await rulesNow(clinic.clinicId, person.serviceUserId)).alerts).toEqual([
      { kind: 'breath_test', severity: 'danger', text: "Breath alcohol 0.6 mg/L today at 08:00: at or above the clinic's threshold to refuse a dose (0.5 mg/L)" },
    ]);
  });
});
