import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp, TEST_PASSWORD } from '../../../test/support/test-app';
import { licensedPrescriber, personInInduction, starting } from '../../../test/support/clinical';
import { queryAudit } from '../../store/audit-log';

describe.skipIf(postgresSkipped())('prescriber reviews', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  it('lists who is due: a week after induction, then a week after each review', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const person = await personInInduction(t, clinic, doctor);
    await doctor.client.post(clinic.url(`/service-users/${person.serviceUserId}/prescriptions`), starting({ reviewDate: '2026-03-20' }));
    const now = await doctor.client.get(clinic.url('/reviews/due'));
    expect(now.body).toEqual({ today: '2026-03-02', due: [] });
    const soon = await doctor.client.get(clinic.url('/reviews/due?withinDays=7'));
    expect(soon.body.due).toEqual([expect.objectContaining({ serviceUserId: person.serviceUserId, dueOn: '2026-03-09', why: 'first review since induction', overdue: false })]);

    t.clock.set('2026-03-10T09:00:00Z');
    await doctor.client.signIn(doctor.email);
    const overdue = (await doctor.client.get(clinic.url('/reviews/due'))).body.due[0];
    expect(overdue).toMatchObject({ dueOn: '2026-03-09', overdue: true, displayName: 'Jo (Joanne) Bloggs', sinceLastReview: { prescriptionVersions: 1, absences: 0 } });

    const review = await doctor.client.post(clinic.url(`/service-users/${person.serviceUserId}/reviews`), {
      notes: 'settling well; no sedation; keep dose',
      signature: { password: TEST_PASSWORD },
    });
    expect(review.status).toBe(201);
    expect(review.body.review).toMatchObject({ nextReviewDue: '2026-03-17', prescriptionVersion: null, reviewedBy: doctor.staffId });
    expect((await doctor.client.get(clinic.url('/reviews/due'))).body.due).toEqual([]);
    const next = (await doctor.client.get(clinic.url('/reviews/due?withinDays=7'))).body.due[0];
    expect(next).toMatchObject({ dueOn: '2026-03-17', why: 'weekly review' });
  });

  it('issues a new prescription with the review in one transaction; a refused prescription leaves no review', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const person = await personInInduction(t, clinic, doctor);
    await doctor.client.post(clinic.url(`/service-users/${person.serviceUserId}/prescriptions`), starting());
    const tooHigh = starting();
    tooHigh.content.diamorphine = { ...tooHigh.content.diamorphine, ivDoseMg: 500, titration: null } as never;
    const refused = await doctor.client.post(clinic.url(`/service-users/${person.serviceUserId}/reviews`), {
      notes: 'wants more',
      prescription: { content: tooHigh.content, reason: 'increase' },
      signature: { password: TEST_PASSWORD },
    });
    expect(refused.status).toBe(422);
    expect((await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'review', limit: 10 })).length).toBe(0);
    expect((await doctor.client.get(clinic.url(`/service-users/${person.serviceUserId}/reviews`))).body.reviews).toEqual([]);

    const fine = starting();
    fine.content.diamorphine = { ...fine.content.diamorphine, ivDoseMg: 110, titration: null } as never;
    const ok = await doctor.client.post(clinic.url(`/service-users/${person.serviceUserId}/reviews`), {
      notes: 'up to 110',
      prescription: { content: fine.content, reason: 'weekly review' },
      signature: { password: TEST_PASSWORD },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.review.prescriptionVersion).toBe(2);
    expect(ok.body.prescription.version).toBe(2);
  });

  it('after an absence, only a review with a re-titration prescription clears the lock', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const person = await personInInduction(t, clinic, doctor);
    const rx = clinic.url(`/service-users/${person.serviceUserId}/prescriptions`);
    const maintenance = starting();
    maintenance.content.diamorphine = { ...maintenance.content.diamorphine, titration: null } as never;
    await doctor.client.post(rx, starting());
    await doctor.client.post(person.ep('/absences'), { kind: 'hospital', liaison: 'Ward 12' });
    await doctor.client.post(person.ep('/absences/end'));
    const due = (await doctor.client.get(clinic.url('/reviews/due'))).body.due[0];
    expect(due.why).toContain('returned from an absence');

    const withoutPlan = await doctor.client.post(clinic.url(`/service-users/${person.serviceUserId}/reviews`), {
      notes: 'back from hospital',
      retitrationPlanned: true,
      signature: { password: TEST_PASSWORD },
    });
    expect(withoutPlan.body.error.code).toBe('retitration_plan_required');

    // The old dose straight away is refused: re-titration starts at the first-dose limit.
    const oldDose = await doctor.client.post(clinic.url(`/service-users/${person.serviceUserId}/reviews`), {
      notes: 'back from hospital',
      retitrationPlanned: true,
      prescription: { content: maintenance.content, reason: 're-titration' },
      signature: { password: TEST_PASSWORD },
    });
    expect(oldDose.body.error.code).toBe('first_dose_limit');

    const plan = await doctor.client.post(clinic.url(`/service-users/${person.serviceUserId}/reviews`), {
      notes: 'back from hospital; re-titrate over three days',
      retitrationPlanned: true,
      prescription: { content: starting().content, reason: 're-titration after admission' },
      signature: { password: TEST_PASSWORD },
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(201);
    const after = (await doctor.client.get(clinic.url(`/service-users/${person.serviceUserId}`))).body;
    expect(after.episode).toMatchObject({ retitrationRequired: false, reviewRequired: false });
    expect(after.prescriptionInForce.status).toBe('active');
  });
});
