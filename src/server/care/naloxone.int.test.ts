import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp, type TestClinic } from '../../../test/support/test-app';
import { licensedPrescriber, personInInduction } from '../../../test/support/clinical';
import { harmReductionRules } from '../../domain/care/harm-reduction';
import { queryAudit } from '../../store/audit-log';
import { clinicCare } from './people-in-care';

describe.skipIf(postgresSkipped())('take-home naloxone', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  const kit = { product: 'prenoxad_injection', quantity: 1, batch: 'PX2231', expiryDate: '2027-09-30', reason: 'first_supply', trainingGiven: true };

  async function setUp() {
    t.clock.set('2026-03-02T10:00:00Z');
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const person = await personInInduction(t, clinic, doctor);
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    return { clinic, doctor, person, nurse, supplies: clinic.url(`/service-users/${person.serviceUserId}/naloxone-supplies`), uses: clinic.url(`/service-users/${person.serviceUserId}/naloxone-uses`) };
  }

  /** The person's naloxone work item, as the clinic's work lists see it now. */
  async function naloxoneItems(clinic: TestClinic, serviceUserId: string) {
    const care = await clinicCare(t.db.orm, clinic.clinicId, t.clock.now());
    const person = care.people.find((p) => p.serviceUserId === serviceUserId)!;
    return harmReductionRules.workItems({ person, settings: care.settings, today: care.today, now: care.now }).filter((i) => i.list === 'naloxone_expiring');
  }

  it('records a supply and a use; the naloxone list follows: offer, then nothing, then re-supply after a use, then nothing', async () => {
    const { clinic, person, nurse, supplies, uses } = await setUp();
    expect(await naloxoneItems(clinic, person.serviceUserId)).toMatchObject([{ severity: 'info', dueOn: '2026-03-02', overdue: false }]);

    const supplied = await nurse.client.post(supplies, kit);
    expect(supplied.status, JSON.stringify(supplied.body)).toBe(201);
    expect(supplied.body).toMatchObject({ kind: 'naloxone_supply', effectiveDate: '2026-03-02', data: { ...kit, productName: null, notes: null }, recordedBy: nurse.staffId });
    expect(await naloxoneItems(clinic, person.serviceUserId)).toEqual([]);

    t.clock.set('2026-03-09T18:00:00Z');
    await nurse.client.signIn(nurse.email); // a week on: a new shift, a new session
    const used = await nurse.client.post(uses, { usedOn: 'someone_else', ambulanceCalled: true, outcome: 'Friend came round; taken to hospital', effectiveDate: '2026-03-08' });
    expect(used.status, JSON.stringify(used.body)).toBe(201);
    expect(await naloxoneItems(clinic, person.serviceUserId)).toMatchObject([
      { severity: 'danger', dueOn: '2026-03-08', overdue: true, recordId: used.body.recordId, text: expect.stringContaining('used on 2026-03-08 (on someone else, ambulance called)') },
    ]);

    const again = await nurse.client.post(supplies, { ...kit, batch: 'PX2290', reason: 'replaces_used' });
    expect(again.status).toBe(201);
    expect(await naloxoneItems(clinic, person.serviceUserId)).toEqual([]);
    expect((await nurse.client.get(supplies)).body.records.map((r: { data: { batch: string } }) => r.data.batch)).toEqual(['PX2290', 'PX2231']);
    const audit = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'naloxone_supply', limit: 10 });
    expect(audit.filter((a) => a.action === 'create')).toHaveLength(2);
  });

  it('warns as the kit nears its expiry, and is a danger once expired', async () => {
    const { clinic, person, nurse, supplies } = await setUp();
    expect((await nurse.client.post(supplies, { ...kit, expiryDate: '2026-05-31' })).status).toBe(201);
    t.clock.set('2026-04-30T22:30:00Z'); // 23:30 on 30 April in London (BST): 31 days to go
    expect(await naloxoneItems(clinic, person.serviceUserId)).toEqual([]);
    t.clock.set('2026-04-30T23:30:00Z'); // 00:30 on 1 May in London: 30 days to go
    expect(await naloxoneItems(clinic, person.serviceUserId)).toMatchObject([{ severity: 'warning', dueOn: '2026-05-31', overdue: false }]);
    t.clock.set('2026-06-01T08:00:00Z');
    expect(await naloxoneItems(clinic, person.serviceUserId)).toMatchObject([{ severity: 'danger', dueOn: '2026-05-31', overdue: true, text: expect.stringContaining('expired on 2026-05-31') }]);
  });

  it('refuses an expired kit (on supply and on correction) and bad input, naming the field; writes nothing', async () => {
    const { clinic, nurse, supplies, uses } = await setUp();
    const expired = await nurse.client.post(supplies, { ...kit, expiryDate: '2026-03-01' });
    expect(expired.status).toBe(422);
    expect(expired.body.error).toMatchObject({ code: 'naloxone_expired', field: 'expiryDate' });
    const backdated = await nurse.client.post(supplies, { ...kit, expiryDate: '2026-03-01', effectiveDate: '2026-02-27' });
    expect(backdated.status, 'in date on the day it was supplied').toBe(201);

    const other = await nurse.client.post(supplies, { ...kit, product: 'other' });
    expect(other.status).toBe(400);
    expect(other.body.error.field).toBe('productName');
    const many = await nurse.client.post(supplies, { ...kit, quantity: 11 });
    expect(many.body.error.field).toBe('quantity');
    const noBatch = await nurse.client.post(supplies, { ...kit, batch: ' ' });
    expect(noBatch.body.error.field).toBe('batch');
    const who = await nurse.client.post(uses, { usedOn: 'a friend', ambulanceCalled: false });
    expect(who.status).toBe(400);
    expect(who.body.error.field).toBe('usedOn');
    expect((await nurse.client.get(supplies)).body.records).toHaveLength(1);
    expect((await nurse.client.get(uses)).body.records).toEqual([]);

    const id = backdated.body.recordId;
    const bad = await nurse.client.post(clinic.url(`/naloxone-supplies/${id}/corrections`), { reason: 'wrong batch', data: { ...kit, expiryDate: '2026-02-01' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('naloxone_expired');
    const badField = await nurse.client.post(clinic.url(`/naloxone-supplies/${id}/corrections`), { reason: 'wrong batch', data: { ...kit, quantity: 0 } });
    expect(badField.status).toBe(400);
    expect(badField.body.error.field).toBe('data.quantity');
    expect((await nurse.client.get(clinic.url(`/naloxone-supplies/${id}`))).body.versions).toHaveLength(1);
  });

  it('nurses, HCAs, keyworkers and prescribers record; the CD accountable officer and admin only read', async () => {
    const { clinic, doctor, supplies, uses } = await setUp();
    for (const roles of [['hca'], ['keyworker']] as const) {
      const s = await t.newStaff(clinic.clinicId, [...roles]);
      expect((await s.client.post(supplies, kit)).status).toBe(201);
    }
    expect((await doctor.client.post(uses, { usedOn: 'self', ambulanceCalled: false })).status).toBe(201);
    const cd = await t.newStaff(clinic.clinicId, ['cd_accountable']);
    expect((await cd.client.post(supplies, kit)).status).toBe(403);
    expect((await clinic.admin.client.post(uses, { usedOn: 'self', ambulanceCalled: false })).status).toBe(403);
    expect((await cd.client.get(supplies)).status).toBe(200);
    const commissioner = await t.newStaff(clinic.clinicId, ['commissioner']);
    expect((await commissioner.client.get(supplies)).status).toBe(403);
    expect((await clinic.admin.client.get(supplies)).body.records).toHaveLength(2);
  });
});
