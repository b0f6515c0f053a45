import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp } from '../../../test/support/test-app';
import { allCriteriaMet, licensedPrescriber, personInInduction, referredPerson, starting } from '../../../test/support/clinical';
import { queryAudit } from '../../store/audit-log';

describe.skipIf(postgresSkipped())('episodes: from referral to discharge', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  it('walks the pathway, recording who decided what, and which criteria were met or waived', async () => {
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    const { episodeId } = await referredPerson(clinic);
    const ep = (path: string) => clinic.url(`/episodes/${episodeId}${path}`);
    expect((await nurse.client.post(ep('/assessment'))).body.state).toBe('assessing');
    const decided = await doctor.client.post(ep('/eligibility'), {
      outcomes: [
        { code: 'long_term_opioid_dependence', outcome: 'met' },
        { code: 'previous_treatment_without_benefit', outcome: 'waived', reason: 'never offered treatment; referred from prison healthcare' },
      ],
      note: 'injecting daily',
    });
    expect(decided.status).toBe(200);
    expect(decided.body.state).toBe('accepted');
    const eligibility = decided.body.events.find((e: { type: string }) => e.type === 'eligibility_decided');
    expect(eligibility).toMatchObject({ by: doctor.staffId, eligible: true, placeOffered: true });
    expect(eligibility.criteria).toEqual([
      { code: 'long_term_opioid_dependence', outcome: 'met' },
      { code: 'previous_treatment_without_benefit', outcome: 'waived', reason: 'never offered treatment; referred from prison healthcare' },
      { code: 'adult', outcome: 'met' },
    ]);
    expect((await doctor.client.post(ep('/induction'))).body.state).toBe('induction');
    expect((await doctor.client.post(ep('/maintenance'))).body.state).toBe('maintenance');
    const discharged = await nurse.client.post(ep('/discharge'), { reason: 'planned', note: 'moved to oral treatment' });
    expect(discharged.body).toMatchObject({ state: 'discharged', dischargeReason: 'planned', placeHeld: false });
    const got = await nurse.client.get(ep(''));
    expect(got.body.events.map((e: { type: string }) => e.type)).toEqual([
      'referred',
      'assessment_started',
      'eligibility_decided',
      'induction_started',
      'maintenance_started',
      'discharged',
    ]);
  });

  it('refuses steps out of order, says what to do first, and writes nothing', async () => {
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const { episodeId } = await referredPerson(clinic);
    const before = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'episode_event', limit: 100 });
    const res = await doctor.client.post(clinic.url(`/episodes/${episodeId}/induction`));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('transition_not_allowed');
    expect(res.body.error.message).toContain('start the assessment first');
    const after = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'episode_event', limit: 100 });
    expect(after).toHaveLength(before.length);
  });

  it('makes criteria configurable: a switched-off criterion is not asked, a missing one is refused', async () => {
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const settings = (await clinic.admin.client.get(clinic.url())).body.settings;
    settings.eligibilityCriteria = settings.eligibilityCriteria.map((c: { code: string }) =>
      c.code === 'previous_treatment_without_benefit' ? { ...c, enabled: false } : c.code === 'stable_on_methadone' ? { ...c, enabled: true } : c,
    );
    await clinic.admin.client.put(clinic.url('/settings'), { expectedVersion: 1, reason: 'local protocol', settings });
    const { episodeId } = await referredPerson(clinic);
    await doctor.client.post(clinic.url(`/episodes/${episodeId}/assessment`));
    const missing = await doctor.client.post(clinic.url(`/episodes/${episodeId}/eligibility`), { outcomes: [{ code: 'long_term_opioid_dependence', outcome: 'met' }] });
    expect(missing.status).toBe(422);
    expect(missing.body.error.code).toBe('criterion_missing');
    expect(missing.body.error.message).toContain('Stable on oral methadone');
    const notMet = await doctor.client.post(clinic.url(`/episodes/${episodeId}/eligibility`), {
      outcomes: [
        { code: 'long_term_opioid_dependence', outcome: 'met' },
        { code: 'stable_on_methadone', outcome: 'not_met' },
      ],
    });
    expect(notMet.body.state).toBe('not_eligible');
  });

  it('works out the age criterion from the date of birth', async () => {
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const { episodeId } = await referredPerson(clinic, { dateOfBirth: '2009-03-03' });
    await doctor.client.post(clinic.url(`/episodes/${episodeId}/assessment`));
    const res = await doctor.client.post(clinic.url(`/episodes/${episodeId}/eligibility`), { outcomes: allCriteriaMet });
    expect(res.body.state).toBe('not_eligible');
    expect(res.body.events.at(-1).criteria.find((c: { code: string }) => c.code === 'adult').outcome).toBe('not_met');
  });

  it('puts eligible people on the waiting list when every place is taken, and offers a place when one frees', async () => {
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const settings = (await clinic.admin.client.get(clinic.url())).body.settings;
    await clinic.admin.client.put(clinic.url('/settings'), { expectedVersion: 1, reason: 'one place', settings: { ...settings, places: 1 } });
    const first = await personInInduction(t, clinic, doctor);
    const second = await referredPerson(clinic, { familyName: 'Second' });
    await doctor.client.post(clinic.url(`/episodes/${second.episodeId}/assessment`));
    const waiting = await doctor.client.post(clinic.url(`/episodes/${second.episodeId}/eligibility`), { outcomes: allCriteriaMet });
    expect(waiting.body.state).toBe('waiting_list');
    const noPlace = await clinic.admin.client.post(clinic.url(`/episodes/${second.episodeId}/place-offer`));
    expect(noPlace.status).toBe(422);
    expect(noPlace.body.error.code).toBe('no_free_place');
    await doctor.client.post(first.ep('/discharge'), { reason: 'transfer' });
    expect((await clinic.admin.client.post(clinic.url(`/episodes/${second.episodeId}/place-offer`))).body.state).toBe('accepted');
  });

  it('one open episode at a time; a new referral after discharge opens a new one', async () => {
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const { serviceUserId, episodeId } = await referredPerson(clinic);
    const again = await clinic.admin.client.post(clinic.url(`/service-users/${serviceUserId}/episodes`), { source: 'self' });
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe('episode_already_open');
    await clinic.admin.client.post(clinic.url(`/episodes/${episodeId}/discharge`), { reason: 'disengaged' });
    const fresh = await clinic.admin.client.post(clinic.url(`/service-users/${serviceUserId}/episodes`), { source: 'self' });
    expect(fresh.status).toBe(201);
    expect(fresh.body.episodeId).not.toBe(episodeId);
    expect((await doctor.client.post(clinic.url(`/episodes/${episodeId}/assessment`))).body.error.code).toBe('episode_closed');
  });

  it('an absence suspends the prescription at once; the return needs a review and re-titration before any dose', async () => {
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const hca = await t.newStaff(clinic.clinicId, ['hca']);
    const person = await personInInduction(t, clinic, doctor);
    expect((await doctor.client.post(clinic.url(`/service-users/${person.serviceUserId}/prescriptions`), starting())).status).toBe(201);
    const away = await hca.client.post(person.ep('/absences'), { kind: 'hospital', liaison: 'Ward 12, James Cook University Hospital', expectedReturn: '2026-03-10' });
    expect(away.status).toBe(200);
    expect(away.body.absence).toMatchObject({ kind: 'hospital', liaison: 'Ward 12, James Cook University Hospital' });
    const rx = (await doctor.client.get(clinic.url(`/service-users/${person.serviceUserId}/prescriptions`))).body;
    expect(rx.inForce.status).toBe('suspended');
    expect(rx.inForce.reason).toContain('hospital');
    const noLiaison = await hca.client.post(person.ep('/absences'), { kind: 'custody', liaison: '' });
    expect(noLiaison.status).toBe(422);

    t.clock.advance({ days: 3 });
    await doctor.client.signIn(doctor.email); // three days on, the session has long expired
    const back = await doctor.client.post(person.ep('/absences/end'));
    expect(back.body).toMatchObject({ absence: null, retitrationRequired: true, reviewRequired: true });
    const detail = (await doctor.client.get(clinic.url(`/service-users/${person.serviceUserId}`))).body;
    expect(detail.alerts.map((a: { kind: string }) => a.kind)).toEqual(
      expect.arrayContaining(['review_required_after_absence', 'retitration_required', 'prescription_suspended']),
    );
  });

  describe('every step from every state, through the API', () => {
    const steps = ['assessment', 'place-offer', 'induction', 'maintenance', 'absences/end'] as const;
    const allowed: Record<string, readonly string[]> = {
      referred: ['assessment'],
      assessing: [],
      accepted: ['induction'],
      induction: ['maintenance'],
      maintenance: [],
      discharged: [],
    };
    const reach: Record<string, string[]> = {
      referred: [],
      assessing: ['assessment'],
      accepted: ['assessment', 'eligibility'],
      induction: ['assessment', 'eligibility', 'induction'],
      maintenance: ['assessment', 'eligibility', 'induction', 'maintenance'],
      discharged: ['discharge'],
    };
    for (const [state, path] of Object.entries(reach)) {
      it(`from ${state}: allows ${allowed[state]!.join(', ') || 'none of the simple steps'}, refuses the rest and writes nothing`, async () => {
        const clinic = await t.newClinic();
        const doctor = await licensedPrescriber(t, clinic);
        for (const step of steps) {
          const { episodeId } = await referredPerson(clinic, { familyName: `${state}-${step}` });
          for (const p of path) {
            const body = p === 'eligibility' ? { outcomes: allCriteriaMet } : p === 'discharge' ? { reason: 'other' } : {};
            expect((await doctor.client.post(clinic.url(`/episodes/${episodeId}/${p}`), body)).status).toBe(200);
          }
          const before = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'episode_event', limit: 1000 });
          const res = await doctor.client.post(clinic.url(`/episodes/${episodeId}/${step}`));
          const after = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'episode_event', limit: 1000 });
          if (allowed[state]!.includes(step)) {
            expect(res.status, `${state} → ${step}`).toBe(200);
            expect(after.length).toBe(before.length + 1);
          } else {
            expect(res.status, `${state} → ${step}: ${JSON.stringify(res.body)}`).toBe(422);
            expect(after.length).toBe(before.length);
          }
        }
      });
    }
  });
});
