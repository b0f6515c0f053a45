import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp, type TestClinic } from '../../../test/support/test-app';
import { licensedPrescriber, personInInduction } from '../../../test/support/clinical';
import { carePlanRules } from '../../domain/care/care-plan';
import { clinicCare } from './people-in-care';

describe.skipIf(postgresSkipped())('care plans', () => {
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
    return { clinic, doctor, person, keyworker, path: clinic.url(`/service-users/${person.serviceUserId}/care-plans`) };
  }

  async function dueItems(clinic: TestClinic, serviceUserId: string) {
    const care = await clinicCare(t.db.orm, clinic.clinicId, t.clock.now());
    const person = care.people.find((p) => p.serviceUserId === serviceUserId)!;
    return carePlanRules.workItems({ person, settings: care.settings, today: care.today, now: care.now });
  }

  const plan = {
    goals: [
      { domain: 'housing', goal: 'A tenancy of my own', actions: 'Keyworker refers to Housing Options; Jo attends the appointment', owner: 'keyworker', targetDate: '2026-06-01' },
      { domain: 'drug_use', goal: 'Stop using street heroin on top', actions: 'Stable dose; talk through triggers at key work', owner: 'service_user' },
    ],
    agreedWithServiceUser: true,
  };

  it("a first plan is due two weeks into treatment; agreeing one sets its review date from the clinic's interval; the latest plan is in force", async () => {
    const { clinic, person, keyworker, path } = await setUp();
    t.clock.set('2026-03-09T10:00:00Z');
    expect(await dueItems(clinic, person.serviceUserId)).toMatchObject([{ list: 'care_plan_review_due', dueOn: '2026-03-16', overdue: false, severity: 'info', text: expect.stringContaining('Agree a first care plan') }]);
    t.clock.set('2026-03-17T10:00:00Z');
    expect(await dueItems(clinic, person.serviceUserId)).toMatchObject([{ dueOn: '2026-03-16', overdue: true, severity: 'warning' }]);

    await keyworker.client.signIn(keyworker.email);
    const made = await keyworker.client.post(path, plan);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.data).toMatchObject({ agreedWithServiceUser: true, reviewOn: '2026-06-15', goals: [{ status: 'open', targetDate: '2026-06-01' }, { status: 'open', targetDate: null }] });
    expect(await dueItems(clinic, person.serviceUserId)).toEqual([]);

    t.clock.set('2026-06-09T10:00:00Z');
    expect(await dueItems(clinic, person.serviceUserId)).toMatchObject([{ dueOn: '2026-06-15', severity: 'info', recordId: made.body.recordId, text: 'Review the care plan of 2026-03-17: due on 2026-06-15; 2 open goals' }]);

    await keyworker.client.signIn(keyworker.email);
    const reviewed = await keyworker.client.post(path, { ...plan, goals: [{ ...plan.goals[0], status: 'achieved' }, plan.goals[1]], reviewOn: '2026-07-09' });
    expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(201);
    expect(await dueItems(clinic, person.serviceUserId)).toEqual([]);
    t.clock.set('2026-07-10T10:00:00Z');
    expect(await dueItems(clinic, person.serviceUserId)).toMatchObject([{ dueOn: '2026-07-09', overdue: true, recordId: reviewed.body.recordId, text: expect.stringContaining('1 open goal') }]);
  });

  it('refuses a review date not after the plan, and bad goals, naming the field; writes nothing', async () => {
    const { clinic, keyworker, path } = await setUp();
    const same = await keyworker.client.post(path, { ...plan, reviewOn: '2026-03-02' });
    expect(same.status).toBe(422);
    expect(same.body.error).toMatchObject({ code: 'review_not_after_plan', field: 'reviewOn' });
    const none = await keyworker.client.post(path, { ...plan, goals: [] });
    expect(none.status).toBe(400);
    expect(none.body.error.field).toBe('goals');
    const domain = await keyworker.client.post(path, { ...plan, goals: [{ ...plan.goals[0], domain: 'hobbies' }] });
    expect(domain.body.error.field).toBe('goals[0].domain');
    const owner = await keyworker.client.post(path, { ...plan, goals: [{ ...plan.goals[0], owner: 'mum' }] });
    expect(owner.body.error.field).toBe('goals[0].owner');
    const agreed = await keyworker.client.post(path, { goals: plan.goals });
    expect(agreed.body.error.field).toBe('agreedWithServiceUser');
    expect((await keyworker.client.get(path)).body.records).toEqual([]);

    const made = await keyworker.client.post(path, plan);
    const bad = await keyworker.client.post(clinic.url(`/care-plans/${made.body.recordId}/corrections`), { reason: 'review sooner', data: { ...plan, reviewOn: '2026-02-01' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.field).toBe('reviewOn');
    expect((await keyworker.client.get(clinic.url(`/care-plans/${made.body.recordId}`))).body.versions).toHaveLength(1);
  });

  it('keyworkers, nurses and prescribers record; HCAs and admins only read', async () => {
    const { clinic, doctor, path } = await setUp();
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    expect((await nurse.client.post(path, plan)).status).toBe(201);
    expect((await doctor.client.post(path, plan)).status).toBe(201);
    const hca = await t.newStaff(clinic.clinicId, ['hca']);
    expect((await hca.client.post(path, plan)).status).toBe(403);
    expect((await clinic.admin.client.post(path, plan)).status).toBe(403);
    expect((await hca.client.get(path)).body.records).toHaveLength(2);
  });
});
