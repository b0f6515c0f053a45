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
    expect((await names(clinic.admin)).length).toBe(10); // every list, with emergency access (admins only)
    expect(await names(keyworker)).not.toContain('emergency_access');
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

  it('every list fills from the records, the same findings reach the hatch, and doing the work clears each item', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    const keyworker = await t.newStaff(clinic.clinicId, ['keyworker']);
    const jo = await personInInduction(t, clinic, doctor, { alcohol: { knownUse: true, notes: null } });
    const su = (p: string) => clinic.url(`/service-users/${jo.serviceUserId}${p}`);
    expect((await doctor.client.post(su('/prescriptions'), starting())).status).toBe(201);

    // Three weeks on: nothing done yet but three days of methadone missed, an ECG with a long QTc and a wound.
    t.clock.set('2026-03-20T10:00:00Z');
    for (const who of [clinic.admin, doctor, nurse, keyworker]) await who.client.signIn(who.email);
    for (const day of ['2026-03-17', '2026-03-18', '2026-03-19']) {
      expect((await nurse.client.post(su('/methadone-collections'), { effectiveDate: day, status: 'not_collected', pharmacy: 'Boots' })).status).toBe(201);
    }
    expect((await nurse.client.post(su('/ecgs'), { qtcMs: 520, correction: 'bazett' })).status).toBe(201);
    const wound = await nurse.client.post(su('/injection-site-problems'), { site: 'left arm', problem: 'abscess', description: 'hot, swollen, 2 cm', severity: 'moderate', status: 'open' });
    expect(wound.status, JSON.stringify(wound.body)).toBe(201);

    const lists = async () => {
      const res = await clinic.admin.client.get(clinic.url('/work-lists'));
      expect(res.status).toBe(200);
      return Object.fromEntries((res.body.lists as { list: string; items: { serviceUserId: string; text: string; severity: string; overdue: boolean }[] }[]).map((l) => [l.list, l.items.filter((i) => i.serviceUserId === jo.serviceUserId)]));
    };
    const before = await lists();
    for (const list of ['toxicology_due', 'reviews_due', 'methadone_non_collection', 'ecg_due', 'outcomes_due', 'breath_test_today', 'naloxone_expiring', 'care_plan_review_due', 'wound_care_open']) {
      expect(before[list], list).toHaveLength(1);
    }
    expect(before.toxicology_due![0]).toMatchObject({ overdue: true });
    expect(before.methadone_non_collection![0]).toMatchObject({ severity: 'danger' });
    expect(before.methadone_non_collection![0]!.text).toContain('3');
    expect(before.ecg_due![0]).toMatchObject({ severity: 'danger' });
    expect(before.ecg_due![0]!.text).toContain('520');
    expect(before.outcomes_due![0]!.text).toContain('Start TOP');

    // The nurse at the hatch sees what matters before a dose, on the dose list and the record.
    const board = await nurse.client.get(clinic.url('/dose-list?session=AM'));
    expect(board.status).toBe(200);
    const alerts = (board.body.entries as { serviceUserId: string; alerts: { kind: string; severity: string; text: string }[] }[]).find((e) => e.serviceUserId === jo.serviceUserId)!.alerts;
    const texts = alerts.map((a) => a.text).join('\n');
    expect(texts).toMatch(/Methadone not collected 3 times running/);
    expect(texts).toMatch(/QTc 520 ms/);
    expect(texts).toMatch(/Breath test required today/);
    expect(texts).toMatch(/abscess at left arm/i);
    const record = await nurse.client.get(su(''));
    expect(record.body.alerts.map((a: { text: string }) => a.text).join('\n')).toMatch(/Methadone not collected 3 times running/);

    // Doing the work clears each item.
    expect((await nurse.client.post(su('/toxicology'), { outcome: 'taken', sampleType: 'urine', method: 'point_of_care', results: [{ substance: 'acetylcodeine', result: 'negative' }] })).status).toBe(201);
    expect((await nurse.client.post(su('/breath-tests'), { reading: { value: 0, unit: 'mg_per_l_breath' }, reason: 'daily_required', occurredAt: '2026-03-20T09:55:00Z' })).status).toBe(201);
    expect((await doctor.client.post(su('/methadone-alert-actions'), { action: 'contacted_pharmacy', notes: 'Pharmacy to hold; seen today' })).status).toBe(201);
    expect((await nurse.client.post(su('/naloxone-supplies'), { product: 'nyxoid_nasal', quantity: 1, batch: 'B1', expiryDate: '2028-01-31', reason: 'first_supply', trainingGiven: true })).status).toBe(201);
    expect((await keyworker.client.post(su('/care-plans'), { goals: [{ domain: 'housing', goal: 'A tenancy', actions: 'Housing referral', owner: 'keyworker' }], agreedWithServiceUser: true })).status).toBe(201);
    const resolved = await nurse.client.post(clinic.url(`/injection-site-problems/${wound.body.recordId}/corrections`), { reason: 'healed', data: { ...wound.body.data, status: 'resolved', resolvedOn: '2026-03-20' } });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(201);
    const after = await lists();
    for (const list of ['toxicology_due', 'methadone_non_collection', 'breath_test_today', 'naloxone_expiring', 'care_plan_review_due', 'wound_care_open']) {
      expect(after[list], list).toEqual([]);
    }
    // Still to do: the review, the ECG's QTc (until a new ECG) and the start TOP.
    expect(after.reviews_due).toHaveLength(1);
    expect(after.ecg_due).toHaveLength(1);
    expect(after.outcomes_due).toHaveLength(1);
    // The prescriber's action takes the item off the list, but the hatch still warns while the run lasts.
    const later = (await nurse.client.get(su(''))).body.alerts.map((a: { text: string }) => a.text).join('\n');
    expect(later).toMatch(/Methadone not collected 3 times running/);
    expect(later).not.toMatch(/Breath test required today/);
  });
});
