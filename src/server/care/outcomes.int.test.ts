import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp, type TestClinic, type TestStaff } from '../../../test/support/test-app';
import { licensedPrescriber, personInInduction } from '../../../test/support/clinical';
import { queryAudit } from '../../store/audit-log';

/** A fully answered TOP form, as a keyworker would send it. */
const form = (stage: 'start' | 'review' | 'exit' = 'start', over: { qualityOfLife?: number | null; opiates?: unknown; acuteHousingProblem?: boolean | null } = {}) => ({
  stage,
  substanceUse: {
    alcohol: { weeks: [2, 3, 1, 0], averagePerUsingDay: 12 },
    opiates: over.opiates === undefined ? { weeks: [7, 7, 7, 7], averagePerUsingDay: 0.5 } : over.opiates,
    crack: { days: 10, averagePerUsingDay: 1 },
    cocaine: { days: 0 },
    amphetamines: { days: 0 },
    cannabis: null,
    other: { name: null, days: 0 },
    tobacco: { days: 28 },
  },
  injectingRisk: { injected: { weeks: [5, 6, 7, 7] }, sharedNeedleOrSyringe: false, sharedSpoonWaterOrFilter: true },
  crime: { shoplifting: { days: 4 }, drugSelling: { days: 0 }, theftFromOrOfVehicle: false, otherPropertyTheftOrBurglary: true, fraudForgeryOrHandlingStolenGoods: false, assaultOrViolence: false },
  healthAndSocialFunctioning: {
    psychologicalHealth: 6,
    paidWork: { days: 0 },
    collegeOrSchool: { days: 0 },
    physicalHealth: 9,
    acuteHousingProblem: over.acuteHousingProblem === undefined ? true : over.acuteHousingProblem,
    atRiskOfEviction: false,
    qualityOfLife: over.qualityOfLife === undefined ? 5 : over.qualityOfLife,
  },
});

describe.skipIf(postgresSkipped())('Treatment Outcomes Profiles', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  async function setUp() {
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const keyworker = await t.newStaff(clinic.clinicId, ['keyworker']);
    return { clinic, doctor, keyworker };
  }
  /** Time passes: a new day, a new shift, new sessions. */
  async function later(iso: string, ...staff: TestStaff[]) {
    t.clock.set(iso);
    for (const s of staff) await s.client.signIn(s.email);
  }
  const outcomesOf = (clinic: TestClinic, serviceUserId: string) => clinic.url(`/service-users/${serviceUserId}/outcomes`);

  it('records a start profile with the weeks and their totals, lists it, and corrects it with a reason', async () => {
    t.clock.set('2026-03-02T10:00:00Z');
    const { clinic, doctor, keyworker } = await setUp();
    const person = await personInInduction(t, clinic, doctor);
    const path = outcomesOf(clinic, person.serviceUserId);

    const created = await keyworker.client.post(path, form());
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ kind: 'outcome_profile', version: 1, effectiveDate: '2026-03-02', recordedBy: keyworker.staffId });
    expect(created.body.data.substanceUse.alcohol).toEqual({ weeks: [2, 3, 1, 0], days: 6, averagePerUsingDay: 12 });
    expect(created.body.data.substanceUse.crack).toEqual({ weeks: null, days: 10, averagePerUsingDay: 1 });
    expect(created.body.data.injectingRisk.injected).toEqual({ weeks: [5, 6, 7, 7], days: 25 });
    expect(created.body.data.substanceUse.cannabis).toBeNull();
    expect(created.body.data.notAnswered).toEqual(['substanceUse.cannabis']);

    const listed = await doctor.client.get(path);
    expect(listed.status).toBe(200);
    expect(listed.body.records.map((r: { recordId: string }) => r.recordId)).toEqual([created.body.recordId]);

    const corrected = await keyworker.client.post(clinic.url(`/outcomes/${created.body.recordId}/corrections`), { reason: 'cannabis was answered', data: { ...form(), substanceUse: { ...form().substanceUse, cannabis: { days: 3, averagePerUsingDay: 1 } } } });
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(201);
    expect(corrected.body).toMatchObject({ version: 2, data: { substanceUse: { cannabis: { weeks: null, days: 3 } }, notAnswered: [] } });
    const versions = await doctor.client.get(clinic.url(`/outcomes/${created.body.recordId}`));
    expect(versions.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const audit = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'outcome_profile', limit: 10 });
    expect(audit.map((a) => a.action).sort()).toEqual(['correct', 'create', 'read']);
  });

  it('refuses a bad form naming the field, and writes nothing', async () => {
    t.clock.set('2026-03-02T10:00:00Z');
    const { clinic, doctor, keyworker } = await setUp();
    const person = await personInInduction(t, clinic, doctor);
    const path = outcomesOf(clinic, person.serviceUserId);

    const mismatch = await keyworker.client.post(path, { ...form(), substanceUse: { ...form().substanceUse, alcohol: { weeks: [2, 3, 1, 0], days: 7 } } });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.field).toBe('substanceUse.alcohol');
    expect(mismatch.body.error.message).toContain('the four weeks add up to 6 days, but the total says 7');

    const week8 = await keyworker.client.post(path, { ...form(), crime: { ...form().crime, shoplifting: { weeks: [1, 8, 0, 0] } } });
    expect(week8.status).toBe(400);
    expect(week8.body.error.field).toBe('crime.shoplifting.weeks[1]');

    const rating = await keyworker.client.post(path, form('start', { qualityOfLife: 21 }));
    expect(rating.status).toBe(400);
    expect(rating.body.error.field).toBe('healthAndSocialFunctioning.qualityOfLife');

    const { atRiskOfEviction: _left, ...withoutEviction } = form().healthAndSocialFunctioning;
    const missing = await keyworker.client.post(path, { ...form(), healthAndSocialFunctioning: withoutEviction });
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe('healthAndSocialFunctioning.atRiskOfEviction');

    expect((await keyworker.client.get(path)).body.records).toEqual([]);

    const created = await keyworker.client.post(path, form());
    const badCorrection = await keyworker.client.post(clinic.url(`/outcomes/${created.body.recordId}/corrections`), { reason: 'typo', data: { ...form(), healthAndSocialFunctioning: { ...form().healthAndSocialFunctioning, physicalHealth: 30 } } });
    expect(badCorrection.status).toBe(400);
    expect(badCorrection.body.error.field).toBe('data.healthAndSocialFunctioning.physicalHealth');
    const after = (await keyworker.client.get(path)).body.records;
    expect(after.map((r: { version: number }) => r.version)).toEqual([1]);
  });

  it('keyworkers, prescribers and nurses record; the clinical team reads; others may not', async () => {
    t.clock.set('2026-03-02T10:00:00Z');
    const { clinic, doctor } = await setUp();
    const person = await personInInduction(t, clinic, doctor);
    const path = outcomesOf(clinic, person.serviceUserId);
    const hca = await t.newStaff(clinic.clinicId, ['hca']);
    const commissioner = await t.newStaff(clinic.clinicId, ['commissioner']);

    expect((await hca.client.post(path, form())).status).toBe(403);
    expect((await clinic.admin.client.post(path, form())).status).toBe(403);
    expect((await commissioner.client.post(path, form())).status).toBe(403);
    expect((await hca.client.get(path)).status).toBe(200);
    expect((await hca.client.get(`${path}/change`)).status).toBe(200);
    expect((await commissioner.client.get(path)).status).toBe(403);
    expect((await commissioner.client.get(`${path}/change`)).status).toBe(403);
    expect((await hca.client.get(clinic.url('/outcomes/due'))).status).toBe(403);
    expect((await commissioner.client.get(clinic.url('/outcomes/due'))).status).toBe(403);
    expect((await clinic.admin.client.get(clinic.url('/outcomes/due'))).status).toBe(200);

    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    expect((await nurse.client.post(path, form())).status).toBe(201);
    expect((await doctor.client.post(path, form('review'))).status).toBe(201);
    expect((await hca.client.get(path)).body.records).toHaveLength(2);
  });

  it('one start per episode, a review only after it, at most one exit', async () => {
    t.clock.set('2026-03-02T10:00:00Z');
    const { clinic, doctor, keyworker } = await setUp();
    const person = await personInInduction(t, clinic, doctor);
    const path = outcomesOf(clinic, person.serviceUserId);

    const reviewFirst = await keyworker.client.post(path, form('review'));
    expect(reviewFirst.status).toBe(422);
    expect(reviewFirst.body.error.code).toBe('start_profile_missing');

    expect((await keyworker.client.post(path, form('start'))).status).toBe(201);
    const secondStart = await keyworker.client.post(path, form('start'));
    expect(secondStart.status).toBe(422);
    expect(secondStart.body.error).toMatchObject({ code: 'start_profile_exists', field: 'stage' });

    await later('2026-09-02T10:00:00Z', keyworker, doctor);
    expect((await keyworker.client.post(path, form('review'))).status).toBe(201);
    // The exit interview may come just before discharge.
    expect((await keyworker.client.post(path, form('exit'))).status).toBe(201);
    const secondExit = await keyworker.client.post(path, form('exit'));
    expect(secondExit.status).toBe(422);
    expect(secondExit.body.error.code).toBe('exit_profile_exists');

    const discharged = await keyworker.client.post(person.ep('/discharge'), { reason: 'planned' });
    expect(discharged.status, JSON.stringify(discharged.body)).toBe(200);
    const startAfterDischarge = await keyworker.client.post(path, form('start'));
    expect(startAfterDischarge.status).toBe(422);
    expect(startAfterDischarge.body.error.code).toBe('episode_ended');
    expect((await keyworker.client.get(path)).body.records.map((r: { data: { stage: string } }) => r.data.stage)).toEqual(['exit', 'review', 'start']);
  });

  it('an exit profile after discharge', async () => {
    t.clock.set('2026-03-02T10:00:00Z');
    const { clinic, doctor, keyworker } = await setUp();
    const person = await personInInduction(t, clinic, doctor);
    const path = outcomesOf(clinic, person.serviceUserId);
    expect((await keyworker.client.post(path, form('start'))).status).toBe(201);
    await later('2026-05-01T10:00:00Z', keyworker, doctor);
    expect((await keyworker.client.post(person.ep('/discharge'), { reason: 'disengaged' })).status).toBe(200);
    await later('2026-05-04T10:00:00Z', keyworker, doctor);
    const exit = await keyworker.client.post(path, form('exit'));
    expect(exit.status, JSON.stringify(exit.body)).toBe(201);
    expect(exit.body.effectiveDate).toBe('2026-05-04');
    const review = await keyworker.client.post(path, form('review'));
    expect(review.status).toBe(422);
    expect(review.body.error.code).toBe('not_in_treatment');
  });

  it('the change since the start profile, measure by measure', async () => {
    t.clock.set('2026-03-02T10:00:00Z');
    const { clinic, doctor, keyworker } = await setUp();
    const person = await personInInduction(t, clinic, doctor);
    const path = outcomesOf(clinic, person.serviceUserId);

    const none = await doctor.client.get(`${path}/change`);
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ start: null, latest: null, measures: [] });

    const start = await keyworker.client.post(path, form('start'));
    await later('2026-09-02T10:00:00Z', keyworker, doctor);
    const review = await keyworker.client.post(path, form('review', { qualityOfLife: 14, opiates: { days: 2 }, acuteHousingProblem: null }));
    expect(review.status, JSON.stringify(review.body)).toBe(201);

    const change = await doctor.client.get(`${path}/change`);
    expect(change.status).toBe(200);
    expect(change.body.start).toEqual({ recordId: start.body.recordId, effectiveDate: '2026-03-02' });
    expect(change.body.latest).toEqual({ recordId: review.body.recordId, effectiveDate: '2026-09-02', stage: 'review' });
    const m = Object.fromEntries(change.body.measures.map((x: { measure: string }) => [x.measure, x]));
    expect(m['substanceUse.opiates.days']).toMatchObject({ start: 28, latest: 2, change: -26, direction: 'better' });
    expect(m['healthAndSocialFunctioning.qualityOfLife']).toMatchObject({ start: 5, latest: 14, change: 9, direction: 'better' });
    expect(m['healthAndSocialFunctioning.acuteHousingProblem']).toMatchObject({ start: true, latest: null, direction: 'unknown' });
    expect(m['substanceUse.cannabis.days']).toMatchObject({ start: null, latest: null, direction: 'unknown' });
    expect(m['crime.shoplifting.days']).toMatchObject({ start: 4, latest: 4, change: 0, direction: 'same' });
    const audit = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'outcome_change', limit: 10 });
    expect(audit).toHaveLength(2);
  });

  it('the due list: start profiles, the review at 6 months, and exits', async () => {
    t.clock.set('2026-03-02T10:00:00Z');
    const { clinic, doctor, keyworker } = await setUp();
    const reviewed = await personInInduction(t, clinic, doctor, { givenName: 'Ann', preferredName: null, familyName: 'Able' });
    const noStart = await personInInduction(t, clinic, doctor, { givenName: 'Bea', preferredName: null, familyName: 'Baker' });
    const leaving = await personInInduction(t, clinic, doctor, { givenName: 'Cal', preferredName: null, familyName: 'Cole' });
    for (const p of [reviewed, leaving]) expect((await keyworker.client.post(outcomesOf(clinic, p.serviceUserId), form('start'))).status).toBe(201);
    const due = async () => {
      const res = await keyworker.client.get(clinic.url('/outcomes/due'));
      expect(res.status).toBe(200);
      return res.body as { today: string; due: { serviceUserId: string; stage: string; dueOn: string; overdue: boolean; severity: string; text: string; since: string; lastProfile: unknown }[] };
    };

    const first = await due();
    expect(first.today).toBe('2026-03-02');
    expect(first.due).toEqual([
      expect.objectContaining({ serviceUserId: noStart.serviceUserId, displayName: 'Bea Baker', stage: 'start', dueOn: '2026-03-16', overdue: false, severity: 'info', since: '2026-03-02' }),
    ]);
    await later('2026-03-17T10:00:00Z', keyworker, doctor);
    expect((await due()).due).toEqual([expect.objectContaining({ serviceUserId: noStart.serviceUserId, stage: 'start', overdue: true, severity: 'warning' })]);

    await later('2026-05-01T10:00:00Z', keyworker, doctor);
    expect((await keyworker.client.post(leaving.ep('/discharge'), { reason: 'transfer' })).status).toBe(200);
    await later('2026-05-02T10:00:00Z', keyworker, doctor);
    expect((await due()).due.map((d) => [d.serviceUserId, d.stage, d.overdue])).toEqual([
      [noStart.serviceUserId, 'start', true],
      [leaving.serviceUserId, 'exit', true],
    ]);

    // Two weeks and a day before six months: not yet listed (the discharge is older than 28 days).
    await later('2026-08-18T10:00:00Z', keyworker, doctor);
    expect((await due()).due.map((d) => d.serviceUserId)).toEqual([noStart.serviceUserId]);
    await later('2026-09-02T10:00:00Z', keyworker, doctor);
    const atSixMonths = (await due()).due.find((d) => d.serviceUserId === reviewed.serviceUserId);
    expect(atSixMonths).toMatchObject({ stage: 'review', dueOn: '2026-09-02', overdue: false, severity: 'info', since: '2026-03-02', text: '6-month review TOP due 2026-09-02: last profile (treatment start) on 2026-03-02' });
    await later('2026-09-03T10:00:00Z', keyworker, doctor);
    expect((await due()).due.find((d) => d.serviceUserId === reviewed.serviceUserId)).toMatchObject({ overdue: true, severity: 'warning' });

    expect((await keyworker.client.post(outcomesOf(clinic, reviewed.serviceUserId), form('review'))).status).toBe(201);
    expect((await due()).due.map((d) => d.serviceUserId)).toEqual([noStart.serviceUserId]);
    await later('2027-02-17T10:00:00Z', keyworker, doctor);
    expect((await due()).due.find((d) => d.serviceUserId === reviewed.serviceUserId)).toMatchObject({ stage: 'review', dueOn: '2027-03-03', overdue: false });
    const audit = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'outcomes_due', limit: 50 });
    expect(audit.length).toBeGreaterThan(0);
  });

  it('the form and its rules are in the OpenAPI document', async () => {
    const res = await t.client().get('/api/openapi.json');
    expect(res.status).toBe(200);
    const paths = res.body.paths as Record<string, { post?: { requestBody?: unknown } }>;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining([
      '/api/v1/clinics/{clinicId}/service-users/{serviceUserId}/outcomes',
      '/api/v1/clinics/{clinicId}/service-users/{serviceUserId}/outcomes/change',
      '/api/v1/clinics/{clinicId}/outcomes/due',
    ]));
    expect(JSON.stringify(paths['/api/v1/clinics/{clinicId}/service-users/{serviceUserId}/outcomes']!.post!.requestBody)).toContain('sharedSpoonWaterOrFilter');
  });
});
