import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp, TEST_PASSWORD, type TestClinic } from '../../../test/support/test-app';
import { witnessOf } from '../../../test/support/cd';
import { dosingClinic, fine, openSession, prep } from '../../../test/support/dosing';
import { catchUpMissedDoses } from '../dosing/missed-doses';

describe.skipIf(postgresSkipped())('the dosing room', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  async function register(clinic: TestClinic, who: { client: { get: (u: string) => Promise<{ body: any }> } }, item: string) {
    return (await who.client.get(clinic.url(`/cd/items/${item}/register`))).body;
  }

  it('a whole dose: assessment, preparation with the register supply, self-injection, observation, discharge', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const { clinic, nurse, hca, accountable, item, persons } = await dosingClinic(t);
    const [p] = persons;
    const sessionId = await openSession(clinic, nurse, hca);
    const assessed = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: p!.serviceUserId, findings: fine });
    expect(assessed.status, JSON.stringify(assessed.body)).toBe(201);
    expect(assessed.body).toMatchObject({ stage: 'assessed', decision: { outcome: 'give' }, allowance: { maxMg: 60, basis: 'prescribed IV dose 60 mg' } });
    const doseId = assessed.body.doseId;

    const prepared = await nurse.client.post(clinic.url(`/doses/${doseId}/preparation`), prep(item, hca, 60, 1, 1));
    expect(prepared.status, JSON.stringify(prepared.body)).toBe(201);
    const prepEvent = prepared.body.events.at(-1);
    expect(prepEvent).toMatchObject({ type: 'prepared', doseMg: 60, concentrationMgPerMl: 100, drawMl: 0.6, wasteMg: 40, witnessId: hca.staffId });
    const reg = await register(clinic, accountable, item);
    expect(reg.entries.slice(-2).map((e: any) => [e.kind, e.quantityChange, e.balanceAfter])).toEqual([
      ['supply_administration', -1, 199],
      ['part_ampoule_waste', 0, 199],
    ]);
    expect(reg.entries.at(-2).details).toMatchObject({ doseId, session: 'AM', administeredBy: { staffId: nurse.staffId } });

    const given = await nurse.client.post(clinic.url(`/doses/${doseId}/administration`), { route: 'iv', sites: ['left arm'], attempts: 1, givenMg: 60, witness: witnessOf(hca) });
    expect(given.body).toMatchObject({ stage: 'in_observation', givenMg: 60, observeUntil: '2026-03-02T09:20:00Z' });
    const early = await nurse.client.post(clinic.url(`/doses/${doseId}/discharge`), { sedation: 1 });
    expect(early.body.error.code).toBe('observation_not_complete');
    await hca.client.post(clinic.url(`/doses/${doseId}/observations`), { sedation: 2, respiratoryRate: 12, spo2: 97 });
    t.clock.advance({ minutes: 20 });
    const out = await nurse.client.post(clinic.url(`/doses/${doseId}/discharge`), { sedation: 1 });
    expect(out.status, JSON.stringify(out.body)).toBe(201);
    expect(out.body.stage).toBe('discharged');
    const list = (await nurse.client.get(clinic.url('/dose-list?session=AM'))).body.entries;
    expect(list).toEqual([expect.objectContaining({ serviceUserId: p!.serviceUserId, status: 'discharged', nextPossibleAt: '2026-03-02T13:00:00Z' })]);
  });

  it('refuses on breath alcohol, never lets a nurse loosen it, and needs a new assessment after a refusal', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const { clinic, nurse, hca, item, persons } = await dosingClinic(t);
    const sessionId = await openSession(clinic, nurse, hca);
    const serviceUserId = persons[0]!.serviceUserId;
    const loosen = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId, findings: fine, breathAlcohol: { value: 60, unit: 'ug_per_100ml_breath' }, chosenOutcome: 'give' });
    expect(loosen.status).toBe(422);
    expect(loosen.body.error.code).toBe('loosening_not_allowed');
    const refused = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), {
      serviceUserId,
      findings: fine,
      breathAlcohol: { value: 60, unit: 'ug_per_100ml_breath' },
      afterRefusal: { offeredToStay: true, naloxoneChecked: true, adviceGiven: true, reassessAt: '2026-03-02T10:30:00Z' },
    });
    expect(refused.body.stage).toBe('refused');
    expect(refused.body.events.at(-1)).toMatchObject({ type: 'refused', offeredToStay: true, reasons: [{ rule: 'breath_alcohol_too_high' }] });
    expect(refused.body.events.at(-2).findings.breathAlcoholMgPerL).toBe(0.6);
    const doseId = refused.body.doseId;
    const sneak = await nurse.client.post(clinic.url(`/doses/${doseId}/preparation`), prep(item, hca, 60));
    expect(sneak.body.error.code).toBe('wrong_step');
    t.clock.advance({ minutes: 60 });
    await nurse.client.signIn(nurse.email);
    const again = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId, findings: fine, breathAlcohol: { value: 0.1, unit: 'mg_per_l_breath' } });
    expect(again.body).toMatchObject({ stage: 'assessed', allowance: { maxMg: 60 } });
  });

  it('sedation 4 at assessment starts the emergency pathway, and naloxone and the ambulance are recorded', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const { clinic, nurse, hca, persons } = await dosingClinic(t);
    const sessionId = await openSession(clinic, nurse, hca);
    const a = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: persons[0]!.serviceUserId, findings: { ...fine, sedation: 4, respiratoryRate: 6 } });
    expect(a.body).toMatchObject({ stage: 'refused', emergency: true, decision: { outcome: 'emergency' } });
    expect(a.body.decision.reasons.map((r: any) => r.rule)).toEqual(['sedation_unresponsive', 'respiratory_depression']);
    const obs = await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/observations`), { sedation: 2, respiratoryRate: 12, adverseEvents: ['overdose', 'ambulance_called'], naloxoneMg: 0.4, notes: 'responded to naloxone' });
    expect(obs.status, JSON.stringify(obs.body)).toBe(201);
    expect(obs.body.events.at(-1)).toMatchObject({ type: 'observed', naloxoneMg: 0.4, adverseEvents: ['overdose', 'ambulance_called', 'naloxone_given'] });
  });

  it('reduces the dose when the assessment says so, and refuses more at preparation, writing nothing', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const { clinic, nurse, hca, accountable, item, persons } = await dosingClinic(t);
    const sessionId = await openSession(clinic, nurse, hca);
    const a = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: persons[0]!.serviceUserId, findings: { ...fine, recentSedativeUse: true } });
    expect(a.body.allowance).toEqual({ maxMg: 30, basis: 'prescribed IV dose 60 mg, reduced to 50 % by the assessment: 30 mg' });
    const before = (await register(clinic, accountable, item)).entries.length;
    const tooMuch = await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/preparation`), prep(item, hca, 60));
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error.code).toBe('above_reduced_dose');
    const wrongWitness = await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/preparation`), { ...prep(item, hca, 30), witness: { ...prep(item, hca, 30).witness, reconstitutionMl: 2 } });
    expect(wrongWitness.body.error.code).toBe('witness_disagrees_volume');
    expect((await register(clinic, accountable, item)).entries.length).toBe(before);
    expect((await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/preparation`), prep(item, hca, 30))).status).toBe(201);
  });

  it('keeps the minimum interval between sessions, naming the times', async () => {
    t.clock.set('2026-03-02T11:00:00Z');
    const { clinic, nurse, hca, item, persons } = await dosingClinic(t);
    const serviceUserId = persons[0]!.serviceUserId;
    const am = await openSession(clinic, nurse, hca, 'AM');
    const a = await nurse.client.post(clinic.url(`/sessions/${am}/assessments`), { serviceUserId, findings: fine });
    await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/preparation`), prep(item, hca, 60));
    await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/administration`), { route: 'iv', sites: ['right arm'], attempts: 2, givenMg: 60, witness: witnessOf(hca) });
    t.clock.set('2026-03-02T13:05:00Z');
    await nurse.client.signIn(nurse.email);
    const pm = await openSession(clinic, nurse, hca, 'PM');
    const b = await nurse.client.post(clinic.url(`/sessions/${pm}/assessments`), { serviceUserId, findings: fine });
    expect(b.body.refusals).toEqual([{ rule: 'minimum_interval', message: 'Minimum interval 4 h: last dose 11:00, next possible 15:00' }]);
    const res = await nurse.client.post(clinic.url(`/doses/${b.body.doseId}/preparation`), prep(item, hca, 60));
    expect(res.body.error).toMatchObject({ code: 'minimum_interval', message: 'Minimum interval 4 h: last dose 11:00, next possible 15:00' });
  });

  it('records a partial dose, an IM switch within the IM dose, and waste for what was not given', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const { clinic, nurse, hca, accountable, item, persons } = await dosingClinic(t, 2);
    const sessionId = await openSession(clinic, nurse, hca);
    const one = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: persons[0]!.serviceUserId, findings: fine });
    await nurse.client.post(clinic.url(`/doses/${one.body.doseId}/preparation`), prep(item, hca, 60));
    const partial = await nurse.client.post(clinic.url(`/doses/${one.body.doseId}/administration`), { route: 'iv', sites: ['left hand'], attempts: 3, givenMg: 45, witness: witnessOf(hca) });
    expect(partial.body.givenMg).toBe(45);
    const wastes = (await register(clinic, accountable, item)).entries.filter((e: any) => e.kind === 'part_ampoule_waste');
    expect(wastes.map((e: any) => e.details.wastedMg)).toEqual([40, 15]);

    const two = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: persons[1]!.serviceUserId, findings: fine });
    await nurse.client.post(clinic.url(`/doses/${two.body.doseId}/preparation`), prep(item, hca, 60));
    const tooMuchIm = await nurse.client.post(clinic.url(`/doses/${two.body.doseId}/administration`), { route: 'iv', sites: ['left thigh (IM)'], attempts: 4, givenMg: 70, switchedToIm: true, witness: witnessOf(hca) });
    expect(tooMuchIm.body.error.refusals.map((r: any) => r.rule)).toEqual(['above_prepared_dose', 'above_im_dose']);
    const ivTooMuch = await nurse.client.post(clinic.url(`/doses/${two.body.doseId}/administration`), { route: 'iv', sites: ['left thigh (IM)'], attempts: 4, givenMg: 20, givenIvMg: 30, switchedToIm: true, witness: witnessOf(hca) });
    expect(ivTooMuch.body.error.code).toBe('given_iv_above_total');
    // 10 mg went into a vein before access failed; the IM part may be the IM dose (60 mg today) less those 10.
    const im = await nurse.client.post(clinic.url(`/doses/${two.body.doseId}/administration`), { route: 'iv', sites: ['left thigh (IM)', 'right thigh (IM)'], attempts: 4, givenMg: 60, givenIvMg: 10, switchedToIm: true, witness: witnessOf(hca) });
    expect(im.body).toMatchObject({ route: 'im', observeUntil: '2026-03-02T09:30:00Z' });
    const rec = (await accountable.client.get(clinic.url('/cd/reconciliation'))).body;
    expect(rec.doses).toEqual([{ session: 'AM', mgDrawn: 200, dosesGiven: 2, mgGiven: 105, mgWasted: 95, unaccountedMg: 0 }]);
  });

  it('blocks neck and groin unless a prescriber has recorded an exception', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const { clinic, nurse, hca, doctor, item, persons } = await dosingClinic(t);
    const serviceUserId = persons[0]!.serviceUserId;
    const sessionId = await openSession(clinic, nurse, hca);
    const a = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId, findings: fine });
    await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/preparation`), prep(item, hca, 60));
    const groin = await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/administration`), { route: 'iv', sites: ['groin'], attempts: 1, givenMg: 60, witness: witnessOf(hca) });
    expect(groin.body.error.code).toBe('site_blocked');
    const exception = await doctor.client.post(clinic.url(`/service-users/${serviceUserId}/dosing-exceptions`), { kind: 'injection_site', site: 'groin', validUntil: '2026-03-09T09:00:00Z', reason: 'no other veins; reviewed with tissue viability nurse' });
    expect(exception.status).toBe(201);
    expect((await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/administration`), { route: 'iv', sites: ['groin'], attempts: 1, givenMg: 60, witness: witnessOf(hca) })).status).toBe(201);
  });

  it('a top-up after the wait, with a new sedation score, within the plan', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const { clinic, nurse, hca, item, persons } = await dosingClinic(t);
    const serviceUserId = persons[0]!.serviceUserId;
    const sessionId = await openSession(clinic, nurse, hca);
    const a = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId, findings: fine });
    await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/preparation`), prep(item, hca, 60));
    await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/administration`), { route: 'iv', sites: ['left arm'], attempts: 1, givenMg: 60, witness: witnessOf(hca) });
    t.clock.advance({ minutes: 10 });
    const early = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId, kind: 'top_up', findings: fine });
    expect(early.body.refusals[0].rule).toBe('top_up_too_soon');
    t.clock.advance({ minutes: 11 });
    const ok = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId, kind: 'top_up', findings: fine });
    expect(ok.body.allowance).toEqual({ maxMg: 20, basis: 'prescribed top-up of up to 20 mg' });
    const topUp = await nurse.client.post(clinic.url(`/doses/${ok.body.doseId}/preparation`), { ...prep(item, hca, 20), reconstitutionMl: 1 });
    expect(topUp.status, JSON.stringify(topUp.body)).toBe(201);
  });

  it('closing waits for observation; then a no-show is missed; three missed lock to the re-titration dose', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const { clinic, nurse, hca, item, persons } = await dosingClinic(t, 2);
    const [came, absent] = persons;
    let sessionId = await openSession(clinic, nurse, hca);
    const a = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: came!.serviceUserId, findings: fine });
    await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/preparation`), prep(item, hca, 60));
    await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/administration`), { route: 'iv', sites: ['left arm'], attempts: 1, givenMg: 60, witness: witnessOf(hca) });
    const blocked = await nurse.client.post(clinic.url(`/sessions/${sessionId}/close`));
    expect(blocked.body.error.code).toBe('observation_in_progress');
    t.clock.advance({ minutes: 20 });
    await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/discharge`), { sedation: 1 });
    const closed = await nurse.client.post(clinic.url(`/sessions/${sessionId}/close`));
    expect(closed.body.closed).toMatchObject({ automatic: false, missed: 1 });
    // Two more sessions missed by the same person (the job records them once their windows end).
    t.clock.set('2026-03-03T13:05:00Z');
    expect(await catchUpMissedDoses(t.ctx)).toBeGreaterThanOrEqual(2); // PM on the 2nd (every clinic in this database)
    expect(await catchUpMissedDoses(t.ctx)).toBe(0); // idempotent
    await nurse.client.signIn(nurse.email);
    const day = (await nurse.client.get(clinic.url('/sessions?date=2026-03-02'))).body.sessions;
    expect(day.map((x: any) => [x.sessionCode, x.closed.automatic, x.closed.missed])).toEqual([
      ['AM', false, 1],
      ['PM', true, 2],
    ]);
    sessionId = await openSession(clinic, nurse, await t.newStaff(clinic.clinicId, ['hca']), 'PM');
    const list = (await nurse.client.get(clinic.url('/dose-list?session=PM'))).body.entries;
    const theirs = list.find((e: any) => e.serviceUserId === absent!.serviceUserId);
    expect(theirs.alerts[0].kind).toBe('missed_dose_lock');
    const locked = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: absent!.serviceUserId, findings: fine });
    expect(locked.body.allowance.maxMg).toBe(30);
    expect(locked.body.allowance.basis).toContain('re-titration dose 30 mg');
    const cameList = list.find((e: any) => e.serviceUserId === came!.serviceUserId);
    expect(cameList.alerts.some((x: any) => x.kind === 'missed_dose_lock')).toBe(false);
  });

  it("the board says when a prescriber review is due, and a review clears it", async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const { clinic, nurse, doctor, persons } = await dosingClinic(t);
    const serviceUserId = persons[0]!.serviceUserId;
    const reviewAlert = async () =>
      (await nurse.client.get(clinic.url('/dose-list?session=AM'))).body.entries.find((e: any) => e.serviceUserId === serviceUserId).alerts.find((a: any) => a.kind === 'review_due');
    expect(await reviewAlert()).toBeUndefined();
    t.clock.set('2026-03-09T08:30:00Z'); // a week after induction: the first review and the prescription's review date
    await nurse.client.signIn(nurse.email);
    expect(await reviewAlert()).toMatchObject({ severity: 'warning', text: 'Prescriber review due today (first review since induction)' });
    t.clock.set('2026-03-10T08:30:00Z');
    await nurse.client.signIn(nurse.email);
    expect((await reviewAlert()).text).toBe('Prescriber review overdue since 2026-03-09 (first review since induction)');
    await doctor.client.signIn(doctor.email);
    const reviewed = await doctor.client.post(clinic.url(`/service-users/${serviceUserId}/reviews`), { notes: 'Settled; no change.', signature: { password: TEST_PASSWORD } });
    expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(201);
    expect(await reviewAlert()).toBeUndefined();
  });

  it('a double-tapped preparation draws once: the retry replays, a second person gets a refusal', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const { clinic, nurse, hca, accountable, item, persons } = await dosingClinic(t);
    const sessionId = await openSession(clinic, nurse, hca);
    const a = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: persons[0]!.serviceUserId, findings: fine });
    const key = crypto.randomUUID();
    const [one, two] = await Promise.all([
      nurse.client.post(clinic.url(`/doses/${a.body.doseId}/preparation`), prep(item, hca, 60), { 'idempotency-key': key }),
      nurse.client.post(clinic.url(`/doses/${a.body.doseId}/preparation`), prep(item, hca, 60), { 'idempotency-key': key }),
    ]);
    expect([one.status, two.status]).toEqual([201, 201]);
    expect(two.body).toEqual(one.body);
    const other = await t.newStaff(clinic.clinicId, ['nurse']);
    const third = await other.client.post(clinic.url(`/doses/${a.body.doseId}/preparation`), prep(item, hca, 60));
    expect(third.body.error.code).toBe('wrong_step');
    const supplies = (await register(clinic, accountable, item)).entries.filter((e: any) => e.kind === 'supply_administration');
    expect(supplies).toHaveLength(1);
  });

  it('opening needs a nurse, a second person, a key holder and the kit in date', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const { clinic, nurse, hca } = await dosingClinic(t, 0);
    const res = await nurse.client.post(clinic.url('/sessions'), { sessionCode: 'AM', staffOnDuty: [nurse.staffId], cdKeyHolderId: hca.staffId, checklist: [] });
    expect(res.status).toBe(422);
    expect(res.body.error.refusals.map((r: any) => r.rule)).toEqual(expect.arrayContaining(['second_staff_required', 'cd_key_holder_required', 'emergency_item_missing', 'naloxone_expiry_required']));
    await openSession(clinic, nurse, hca);
    const twice = await nurse.client.post(clinic.url('/sessions'), { sessionCode: 'AM', staffOnDuty: [nurse.staffId, hca.staffId], cdKeyHolderId: nurse.staffId, checklist: (await import('../../../test/support/dosing')).checklist });
    expect(twice.status).toBe(409);
  });

  it('after an IT failure, doses given from the downtime pack are entered late, with the times they happened, replacing the automatic missed', async () => {
    t.clock.set('2026-03-02T08:30:00Z');
    const { clinic, nurse, hca, accountable, item, persons } = await dosingClinic(t);
    const serviceUserId = persons[0]!.serviceUserId;
    // The system is down all morning; the window ends; the job records everyone as missed.
    t.clock.set('2026-03-02T12:00:00Z');
    await catchUpMissedDoses(t.ctx);
    for (const who of [nurse, accountable]) await who.client.signIn(who.email);
    const dayRes = await nurse.client.get(clinic.url('/sessions?date=2026-03-02'));
    expect(dayRes.status, JSON.stringify(dayRes.body)).toBe(200);
    const day = dayRes.body.sessions;
    const am = day.find((x: any) => x.sessionCode === 'AM');
    expect(am.closed).toMatchObject({ automatic: true, missed: 1 });
    // Back up: the paper record says the dose was given at 09:10.
    const outside = await nurse.client.post(clinic.url(`/sessions/${am.sessionId}/assessments`), { serviceUserId, findings: fine, occurredAt: '2026-03-02T11:45:00Z' });
    expect(outside.body.error.code).toBe('session_closed');
    const a = await nurse.client.post(clinic.url(`/sessions/${am.sessionId}/assessments`), { serviceUserId, findings: fine, occurredAt: '2026-03-02T09:05:00Z' });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(a.body.events.at(-1)).toMatchObject({ type: 'assessed', at: '2026-03-02T09:05:00Z', late: true });
    await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/preparation`), { ...prep(item, hca, 60), occurredAt: '2026-03-02T09:08:00Z' });
    await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/administration`), { route: 'iv', sites: ['left arm'], attempts: 1, givenMg: 60, witness: witnessOf(hca), occurredAt: '2026-03-02T09:10:00Z' });
    const out = await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/discharge`), { sedation: 1, occurredAt: '2026-03-02T09:31:00Z' });
    expect(out.status, JSON.stringify(out.body)).toBe(201);
    const reg = (await accountable.client.get(clinic.url(`/cd/items/${item}/register`))).body.entries;
    const supply = reg.find((e: any) => e.kind === 'supply_administration');
    expect(supply).toMatchObject({ occurredAt: '2026-03-02T09:08:00.000Z' });
    const list = (await nurse.client.get(clinic.url('/dose-list?session=AM'))).body.entries;
    expect(list[0]).toMatchObject({ status: 'discharged', nextPossibleAt: '2026-03-02T13:10:00Z' });
  });
});
