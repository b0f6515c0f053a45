import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp, TEST_PASSWORD, type TestClinic, type TestStaff } from '../../../test/support/test-app';
import { licensedPrescriber, personInInduction, referredPerson, starting } from '../../../test/support/clinical';
import { queryAudit } from '../../store/audit-log';

describe.skipIf(postgresSkipped())('prescriptions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  async function setUp() {
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const person = await personInInduction(t, clinic, doctor);
    const rx = (path = '') => clinic.url(`/service-users/${person.serviceUserId}/prescriptions${path}`);
    return { clinic, doctor, person, rx };
  }

  async function writes(clinic: TestClinic) {
    return (await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'prescription_version', limit: 100 })).length;
  }

  /** Sign, expecting a refusal by `rule`, and check that nothing was written. */
  async function expectRefused(clinic: TestClinic, who: TestStaff, url: string, body: unknown, rule: string, status = 422) {
    const before = await writes(clinic);
    const res = await who.client.post(url, body);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.error.code).toBe(rule);
    expect(await writes(clinic)).toBe(before);
    return res.body.error;
  }

  it('a licensed prescriber signs a titrating prescription; it is in force and shows at the hatch', async () => {
    const { clinic, doctor, rx, person } = await setUp();
    const res = await doctor.client.post(rx(), starting());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ version: 1, status: 'active', signedBy: doctor.staffId, reason: 'induction' });
    const got = await doctor.client.get(rx());
    expect(got.body.inForce.version).toBe(1);
    const detail = (await doctor.client.get(clinic.url(`/service-users/${person.serviceUserId}`))).body;
    expect(detail.alerts.find((a: { kind: string }) => a.kind === 'methadone').text).toBe(
      'methadone oral solution 1 mg/mL: 30 mg a day from Boots, Linthorpe Road',
    );
  });

  it('refuses every ceiling and titration breach, naming the rule and the figures, and writes nothing', async () => {
    const { clinic, doctor, rx } = await setUp();
    const noPlan = starting();
    noPlan.content.diamorphine = { ...noPlan.content.diamorphine, titration: null } as never;
    const firstDose = await expectRefused(clinic, doctor, rx(), noPlan, 'first_dose_limit');
    expect(firstDose.message).toContain('at most 30 mg as a first dose');

    const steep = starting();
    steep.content.diamorphine.titration = { startDoseMg: 30, steps: [{ fromDate: '2026-03-03', doseMg: 90 }] };
    await expectRefused(clinic, doctor, rx(), steep, 'max_rise_per_dose');

    const huge = starting();
    huge.content.diamorphine.ivDoseMg = 450;
    const single = await expectRefused(clinic, doctor, rx(), huge, 'max_single_dose');
    expect(single.message).toBe("The IV dose of 450 mg is above the clinic's maximum single dose of 400 mg");
    expect(single.field).toBe('diamorphine.ivDoseMg');

    const unknownSession = starting();
    unknownSession.content.diamorphine.sessions = ['AM', 'EVE'];
    await expectRefused(clinic, doctor, rx(), unknownSession, 'unknown_session');

    const shortWait = starting();
    shortWait.content.diamorphine.topUp = { maxMg: 20, minWaitMinutes: 5 };
    await expectRefused(clinic, doctor, rx(), shortWait, 'top_up_wait_too_short');

    const methadone = starting();
    methadone.content.methadone = { drug: 'methadone', dailyDoseMg: 400, pharmacy: 'Boots', supervised: true };
    await expectRefused(clinic, doctor, rx(), methadone, 'max_methadone_dose');

    const backdated = { ...starting(), effectiveFrom: '2026-03-01T09:00:00Z' };
    await expectRefused(clinic, doctor, rx(), backdated, 'effective_in_past');
  });

  it('lists every rule a prescription breaks at once', async () => {
    const { clinic, doctor, rx } = await setUp();
    const bad = starting();
    bad.content.diamorphine.ivDoseMg = 450;
    bad.content.diamorphine.retitrationStartDoseMg = 60;
    const res = await doctor.client.post(rx(), bad);
    expect(res.body.error.refusals.map((r: { rule: string }) => r.rule).sort()).toEqual(['max_single_dose', 'retitration_start_dose']);
    expect(await writes(clinic)).toBe(0);
  });

  it('needs a Home Office licence valid today, and says when it expired', async () => {
    const { clinic, rx } = await setUp();
    const expired = await licensedPrescriber(t, clinic, '2026-03-01');
    const error = await expectRefused(clinic, expired, rx(), starting(), 'home_office_licence_expired');
    expect(error.message).toBe('Your Home Office licence HO/123 expired on 2026-03-01; a diamorphine prescription needs a valid licence');
    const unlicensed = await t.newStaff(clinic.clinicId, ['prescriber']);
    await expectRefused(clinic, unlicensed, rx(), starting(), 'home_office_licence_missing');
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    expect((await nurse.client.post(rx(), starting())).status).toBe(403);
  });

  it('is signed with the prescriber\'s own password; a wrong one signs nothing and counts towards the lockout', async () => {
    const { clinic, doctor, rx } = await setUp();
    const error = await expectRefused(clinic, doctor, rx(), { ...starting(), signature: { password: 'somebody else’s' } }, 'signature_invalid', 400);
    expect(error.field).toBe('signature.password');
    for (let i = 0; i < 4; i++) await doctor.client.post(rx(), { ...starting(), signature: { password: 'still wrong!' } });
    const locked = await doctor.client.post(rx(), starting());
    expect(locked.body.error.code).toBe('account_locked');
  });

  it('refuses to prescribe for someone not in treatment or away', async () => {
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const { serviceUserId } = await referredPerson(clinic);
    await expectRefused(clinic, doctor, clinic.url(`/service-users/${serviceUserId}/prescriptions`), starting(), 'not_in_treatment');
    const person = await personInInduction(t, clinic, doctor, { familyName: 'Away' });
    await doctor.client.post(person.ep('/absences'), { kind: 'custody', liaison: 'HMP Holme House healthcare' });
    await expectRefused(clinic, doctor, clinic.url(`/service-users/${person.serviceUserId}/prescriptions`), starting(), 'absent');
  });

  it('keeps versions: a new dose supersedes the old one from its start; rises are limited from the last dose', async () => {
    const { doctor, rx, clinic } = await setUp();
    await doctor.client.post(rx(), starting());
    t.clock.advance({ minutes: 10 });
    const maintenance = starting({ startDate: '2026-03-02' });
    maintenance.content.diamorphine = { ...maintenance.content.diamorphine, ivDoseMg: 120, titration: null } as never;
    maintenance.reason = 'stable on 90, up to 120';
    // 90 → 120 a dose is 30 mg (allowed) but 60 mg a day more over two sessions (the limit is 60): allowed.
    const up = await doctor.client.post(rx(), maintenance);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const tooMuch = structuredClone(maintenance);
    tooMuch.content.diamorphine.ivDoseMg = 160;
    await expectRefused(clinic, doctor, rx(), tooMuch, 'max_rise_per_dose');
    const future = { ...structuredClone(maintenance), effectiveFrom: '2026-03-03T08:00:00Z' };
    future.content.diamorphine.ivDoseMg = 100;
    expect((await doctor.client.post(rx(), future)).status).toBe(201);
    const now = (await doctor.client.get(rx())).body;
    expect(now.inForce.version).toBe(2);
    expect(now.versions.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    t.clock.set('2026-03-03T08:00:00Z');
    await doctor.client.signIn(doctor.email);
    expect((await doctor.client.get(rx())).body.inForce.version).toBe(3);
  });

  it('nurses may suspend; only prescribers end or cancel, with a signature; stopping twice is refused', async () => {
    const { clinic, doctor, rx } = await setUp();
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    await doctor.client.post(rx(), starting());
    const suspended = await nurse.client.post(rx('/suspension'), { reason: 'intoxicated at assessment; prescriber informed' });
    expect(suspended.status).toBe(201);
    expect(suspended.body).toMatchObject({ status: 'suspended', signedBy: nurse.staffId });
    await expectRefused(clinic, nurse, rx('/suspension'), { reason: 'again' }, 'already_suspended');
    expect((await nurse.client.post(rx('/stop'), { status: 'ended', reason: 'x', signature: { password: TEST_PASSWORD } })).status).toBe(403);
    const ended = await doctor.client.post(rx('/stop'), { status: 'ended', reason: 'planned end', signature: { password: TEST_PASSWORD } });
    expect(ended.body.status).toBe('ended');
    await expectRefused(clinic, doctor, rx('/stop'), { status: 'cancelled', reason: 'x', signature: { password: TEST_PASSWORD } }, 'already_stopped');
  });

  it('a restart after a suspension cannot skip the rise limits', async () => {
    const { clinic, doctor, rx } = await setUp();
    await doctor.client.post(rx(), starting());
    await doctor.client.post(rx('/suspension'), { reason: 'pause' });
    const restart = starting();
    restart.content.diamorphine = { ...restart.content.diamorphine, ivDoseMg: 200, titration: null } as never;
    const res = await doctor.client.post(rx(), restart);
    expect(res.status).toBe(422);
    expect(res.body.error.refusals.map((r: { rule: string }) => r.rule).sort()).toEqual(['max_rise_per_day', 'max_rise_per_dose']);
    expect(res.body.error.refusals.find((r: { rule: string }) => r.rule === 'max_rise_per_dose').message).toBe(
      "IV: the dose would rise from 90 mg to 200 mg, more than the clinic's limit of 30 mg at a time",
    );
    expect(await writes(clinic)).toBe(2);
  });

  it('a retried signature with the same Idempotency-Key signs once', async () => {
    const { doctor, rx } = await setUp();
    const key = crypto.randomUUID();
    const first = await doctor.client.post(rx(), starting(), { 'idempotency-key': key });
    const retry = await doctor.client.post(rx(), starting(), { 'idempotency-key': key });
    expect(retry.body).toEqual(first.body);
    expect((await doctor.client.get(rx())).body.versions).toHaveLength(1);
  });

  it('names the field of a malformed prescription', async () => {
    const { doctor, rx } = await setUp();
    const bad = starting();
    (bad.content.diamorphine as { ivDoseMg: unknown }).ivDoseMg = 'lots';
    const res = await doctor.client.post(rx(), bad);
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('content.diamorphine.ivDoseMg');
  });
});
