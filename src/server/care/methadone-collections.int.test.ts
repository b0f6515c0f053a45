import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp, type TestStaff } from '../../../test/support/test-app';
import { licensedPrescriber, personInInduction, starting } from '../../../test/support/clinical';
import { methadoneRules } from '../../domain/care/methadone';
import { queryAudit } from '../../store/audit-log';
import { onePersonInCare } from './people-in-care';

describe.skipIf(postgresSkipped())('methadone collections', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  const signInAgain = async (...staff: TestStaff[]) => {
    for (const s of staff) await s.client.signIn(s.email);
  };

  /** A person on methadone cover (30 mg a day from Boots), the team, and the clock at 10 March. */
  async function setting() {
    t.clock.set('2026-03-02T09:00:00Z');
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const person = await personInInduction(t, clinic, doctor);
    const rx = await doctor.client.post(clinic.url(`/service-users/${person.serviceUserId}/prescriptions`), starting({ reviewDate: '2026-03-20' }));
    if (rx.status !== 201) throw new Error(JSON.stringify(rx.body));
    t.clock.set('2026-03-10T10:00:00Z');
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    const hca = await t.newStaff(clinic.clinicId, ['hca']);
    const cdo = await t.newStaff(clinic.clinicId, ['cd_accountable']);
    await signInAgain(doctor, clinic.admin);
    const path = clinic.url(`/service-users/${person.serviceUserId}/methadone-collections`);
    const actions = clinic.url(`/service-users/${person.serviceUserId}/methadone-alert-actions`);
    const rules = async () => {
      const found = (await onePersonInCare(t.db.orm, clinic.clinicId, person.serviceUserId, t.clock.now()))!;
      const input = { person: found.person, settings: found.settings, today: found.today, now: t.clock.now() };
      return { alerts: methadoneRules.alerts(input), items: methadoneRules.workItems(input) };
    };
    return { clinic, doctor, nurse, hca, cdo, person, path, actions, rules };
  }

  it('records a collection; a second one for the same day is refused (correct the first instead)', async () => {
    const { clinic, nurse, hca, path } = await setting();
    const first = await hca.client.post(path, { status: 'collected', doseMg: 30, pharmacy: 'Boots, Linthorpe Road', effectiveDate: '2026-03-09' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ kind: 'methadone_collection', effectiveDate: '2026-03-09', source: 'staff', data: { status: 'collected', doseMg: 30, collectedMg: null, pharmacy: 'Boots, Linthorpe Road', notes: null } });

    const again = await nurse.client.post(path, { status: 'not_collected', effectiveDate: '2026-03-09' });
    expect(again.status).toBe(422);
    expect(again.body.error).toMatchObject({ code: 'collection_already_recorded', field: 'effectiveDate' });
    expect(again.body.error.message).toMatch(/2026-03-09 is already recorded \(collected\); correct that record/);

    // Correcting the record itself keeps its day; moving another record onto that day is refused.
    const fixed = await nurse.client.post(clinic.url(`/methadone-collections/${first.body.recordId}/corrections`), { reason: 'pharmacy phoned: partial', data: { status: 'partial', doseMg: 30, collectedMg: 20 } });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(201);
    expect(fixed.body).toMatchObject({ version: 2, effectiveDate: '2026-03-09', data: { status: 'partial', collectedMg: 20 } });
    const other = await nurse.client.post(path, { status: 'supervised', effectiveDate: '2026-03-08' });
    expect(other.status).toBe(201);
    const moved = await nurse.client.post(clinic.url(`/methadone-collections/${other.body.recordId}/corrections`), { reason: 'wrong day', effectiveDate: '2026-03-09', data: { status: 'supervised' } });
    expect(moved.status).toBe(422);
    expect(moved.body.error.code).toBe('collection_already_recorded');

    // Once the first is entered in error, the day is free again.
    expect((await nurse.client.post(clinic.url(`/methadone-collections/${first.body.recordId}/corrections`), { reason: 'wrong person', enteredInError: true })).status).toBe(201);
    expect((await nurse.client.post(path, { status: 'not_collected', effectiveDate: '2026-03-09' })).status).toBe(201);
    const listed = (await nurse.client.get(path)).body.records;
    expect(listed.map((r: { effectiveDate: string; data: { status: string } }) => [r.effectiveDate, r.data.status])).toEqual([
      ['2026-03-09', 'not_collected'],
      ['2026-03-08', 'supervised'],
    ]);
  });

  it('refuses bad input naming the field; writes nothing', async () => {
    const { clinic, nurse, path } = await setting();
    const cases: [object, string][] = [
      [{ status: 'partial', doseMg: 30 }, 'collectedMg'],
      [{ status: 'partial', doseMg: 30, collectedMg: 30 }, 'collectedMg'],
      [{ status: 'not_collected', collectedMg: 10 }, 'collectedMg'],
      [{ status: 'collected', doseMg: 0 }, 'doseMg'],
      [{ status: 'lost' }, 'status'],
      [{ status: 'collected', effectiveDate: '2026-03-11' }, 'effectiveDate'],
    ];
    for (const [body, field] of cases) {
      const res = await nurse.client.post(path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.field, JSON.stringify(res.body)).toBe(field);
    }
    expect((await nurse.client.get(path)).body.records).toEqual([]);
    expect(await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'methadone_collection', limit: 10 })).toEqual([]);
  });

  it('who may record and read; only a prescriber records the action', async () => {
    const { clinic, nurse, hca, cdo, doctor, path, actions } = await setting();
    const keyworker = await t.newStaff(clinic.clinicId, ['keyworker']);
    const commissioner = await t.newStaff(clinic.clinicId, ['commissioner']);
    expect((await keyworker.client.post(path, { status: 'collected', effectiveDate: '2026-03-01' })).status).toBe(201);
    expect((await clinic.admin.client.post(path, { status: 'collected', effectiveDate: '2026-03-02' })).status).toBe(201);
    expect((await doctor.client.post(path, { status: 'collected', effectiveDate: '2026-03-03' })).status).toBe(201);
    expect((await cdo.client.post(path, { status: 'collected', effectiveDate: '2026-03-04' })).status).toBe(403);
    expect((await cdo.client.get(path)).status).toBe(200);
    expect((await commissioner.client.get(path)).status).toBe(403);

    for (const s of [nurse, hca, keyworker, clinic.admin]) expect((await s.client.post(actions, { action: 'contacted_pharmacy' })).status).toBe(403);
    const done = await doctor.client.post(actions, { action: 'other', notes: 'Asked the pharmacy to supervise for a week' });
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    expect((await nurse.client.get(actions)).body.records).toHaveLength(1);
    const noNotes = await doctor.client.post(actions, { action: 'other' });
    expect(noNotes.status).toBe(400);
    expect(noNotes.body.error.field).toBe('notes');
  });

  it('three uncollected doses running: a danger alert at the hatch and a work item, until a prescriber acts and a dose is collected', async () => {
    const { nurse, doctor, path, actions, rules } = await setting();
    const record = async (effectiveDate: string, status: string) => {
      const res = await nurse.client.post(path, { status, effectiveDate, doseMg: 30 });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    };
    await record('2026-03-02', 'collected');
    await record('2026-03-03', 'not_collected');
    await record('2026-03-04', 'not_collected');
    expect(await rules()).toEqual({ alerts: [], items: [] });

    // No record for 5 March (Sunday's dose given on Saturday, say): the run goes on.
    await record('2026-03-06', 'not_collected');
    const three = await rules();
    expect(three.alerts).toEqual([
      {
        kind: 'methadone_non_collection',
        severity: 'danger',
        text: 'Methadone not collected 3 times running (last on 2026-03-06; last collected 2026-03-02): tolerance may be lower — assess before dosing and tell the prescriber',
      },
    ]);
    expect(three.items).toEqual([expect.objectContaining({ list: 'methadone_non_collection', severity: 'danger', dueOn: '2026-03-06', overdue: true })]);

    // An action dated before the last miss does not answer it; one on or after does (the alert stays).
    expect((await doctor.client.post(actions, { action: 'contacted_pharmacy', effectiveDate: '2026-03-05' })).status).toBe(201);
    expect((await rules()).items).toHaveLength(1);
    expect((await doctor.client.post(actions, { action: 'contacted_service_user', effectiveDate: '2026-03-06' })).status).toBe(201);
    expect((await rules()).items).toEqual([]);
    expect((await rules()).alerts).toHaveLength(1);

    // Another miss: the item is back, with the count.
    await record('2026-03-07', 'not_collected');
    expect((await rules()).items[0]!.text).toMatch(/^Methadone not collected 4 times running/);

    // A collection ends the run.
    await record('2026-03-08', 'supervised');
    expect(await rules()).toEqual({ alerts: [], items: [] });
  });

  it("follows the clinic's threshold", async () => {
    const { clinic, nurse, path, rules } = await setting();
    const current = (await clinic.admin.client.get(clinic.url())).body;
    const settings = { ...current.settings, monitoring: { ...current.settings.monitoring, methadoneNonCollectionAlertAfter: 2 } };
    const changed = await clinic.admin.client.put(clinic.url('/settings'), { expectedVersion: current.settingsVersion, settings, reason: 'prescriber asked for an earlier warning' });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    await nurse.client.post(path, { status: 'not_collected', effectiveDate: '2026-03-08' });
    expect((await rules()).alerts).toEqual([]);
    await nurse.client.post(path, { status: 'not_collected', effectiveDate: '2026-03-09' });
    expect((await rules()).alerts[0]!.text).toMatch(/^Methadone not collected 2 times running/);
    expect((await rules()).items[0]!.dueOn).toBe('2026-03-09');
  });
});
