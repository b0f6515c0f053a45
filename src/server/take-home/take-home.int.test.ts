import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp, type TestStaff } from '../../../test/support/test-app';
import { witnessOf } from '../../../test/support/cd';
import { dosingClinic, fine, openSession, prep } from '../../../test/support/dosing';
import { queryAudit } from '../../store/audit-log';
import { catchUpMissedDoses } from '../dosing/missed-doses';

/**
 * Take-home doses through the API: the prescriber's assessment, the criteria with their figures,
 * a supply written with its register entries in one transaction, every refusal writing nothing,
 * returns to the patient-returns record (never into stock), attendance (a covered session is not
 * expected, not missed and not dosed at the clinic), automatic suspension, and who may do what.
 */
describe.skipIf(postgresSkipped())('take-home doses', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  const signInAgain = async (...staff: TestStaff[]) => {
    for (const s of staff) await s.client.signIn(s.email);
  };

  const criteria = { minWeeksInTreatment: 4, noIntoxicationRefusalWeeks: 1, streetHeroinNegativeWeeks: 1, noMissedDoseWeeks: 1, lockableBoxRequired: true, childrenConsideredRequired: true };
  const negative = { outcome: 'taken', sampleType: 'urine', method: 'point_of_care', results: [{ substance: 'papaverine', result: 'negative' }, { substance: 'acetylcodeine', result: 'negative' }] };
  const positive = { ...negative, results: [{ substance: 'papaverine', result: 'positive' }] };
  const assessment = (over: Record<string, unknown> = {}) => ({ lockableBox: true, childrenConsidered: true, childrenNote: 'no children at home or visiting', safeStorageAdviceGiven: true, authorised: true, maxDaysPerSupply: 3, ...over });
  const equipment = (n: number) => [
    { item: 'needles', quantity: n },
    { item: 'syringes', quantity: n },
    { item: 'water_ampoules', quantity: n },
    { item: 'sharps_bin', quantity: 1 },
  ];

  /**
   * A clinic with take-home doses on (short windows, so the test need not run months of doses), and
   * a person five weeks into treatment (IV 100 mg / IM 80 mg, AM and PM, titration finished) with a
   * negative sample today. It is Monday 6 April 2026, 07:00 in London (before the morning session).
   */
  async function setting(options: { enable?: boolean; assess?: boolean } = {}) {
    t.clock.set('2026-03-02T09:00:00Z');
    const base = await dosingClinic(t);
    const { clinic, nurse, hca, doctor, accountable } = base;
    if (options.enable !== false) {
      const current = await clinic.admin.client.get(clinic.url());
      const res = await clinic.admin.client.put(clinic.url('/settings'), {
        expectedVersion: current.body.settingsVersion,
        reason: 'take-home doses for stable service users',
        settings: { ...current.body.settings, takeHome: { enabled: true, maxDaysPerSupply: 7, criteria } },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    t.clock.set('2026-04-06T06:00:00Z');
    await signInAgain(clinic.admin, nurse, hca, doctor, accountable);
    const keyworker = await t.newStaff(clinic.clinicId, ['keyworker']);
    const nurse2 = await t.newStaff(clinic.clinicId, ['nurse']);
    const serviceUserId = base.persons[0]!.serviceUserId;
    const su = (path = '') => clinic.url(`/service-users/${serviceUserId}${path}`);
    expect((await nurse.client.post(su('/toxicology'), negative)).status).toBe(201);
    if (options.assess !== false) {
      const a = await doctor.client.post(su('/stability-assessments'), assessment());
      expect(a.status, JSON.stringify(a.body)).toBe(201);
    }
    return { ...base, keyworker, nurse2, serviceUserId, su };
  }

  const supply = (item: string, witness: TestStaff, over: Record<string, unknown> = {}) => ({
    fromDate: '2026-04-07',
    toDate: '2026-04-09',
    sessions: ['AM', 'PM'],
    route: 'iv',
    dosePerSessionMg: 100,
    ampoules: [{ itemId: item, count: 6 }],
    equipment: equipment(6),
    safeStorageConfirmed: true,
    collectedBy: 'service_user',
    idRequested: true,
    idShown: true,
    witness: witnessOf(witness),
    ...over,
  });

  /** What a refusal must leave untouched: register entries, take-home records, their audit. */
  async function written(s: Awaited<ReturnType<typeof setting>>) {
    const page = (await s.nurse.client.get(s.clinic.url(`/cd/items/${s.item}/register`))).body;
    const th = (await s.nurse.client.get(s.su('/take-home'))).body;
    const audit = await queryAudit(t.db.orm, { clinicId: s.clinic.clinicId, entityType: 'take_home_supply', limit: 50 });
    return { entries: page.entries.length, balance: page.item.balance, supplies: th.supplies.length, returns: th.returns.length, audit: audit.length };
  }

  it('shows each criterion with its figures; a prescriber authorises; a nurse supplies with a witness; the register and the record are written together', async () => {
    const s = await setting({ assess: false });
    const before = (await s.keyworker.client.get(s.su('/take-home'))).body;
    expect(before).toMatchObject({ today: '2026-04-06', enabledAtClinic: true, authorised: false, latestAssessment: null, maxDaysPerSupply: null, supplies: [], returns: [] });
    expect(before.criteria.map((c: any) => [c.code, c.met])).toEqual([
      ['weeks_in_treatment', true],
      ['intoxication_refusals', true],
      ['street_heroin', true],
      ['missed_doses', true],
      ['fixed_address', true],
      ['lockable_box', false],
      ['children_considered', false],
      ['safe_storage_advice', false],
    ]);
    expect(before.criteria[0].detail).toBe('5 weeks in treatment since 2026-03-02 (at least 4 needed)');
    expect(before.criteria[2].detail).toBe('1 sample negative for street heroin since 2026-03-30 (1 needed); none positive or refused since 2026-03-30');
    expect(before.suspendedBecause.map((r: any) => r.code)).toEqual(['no_assessment', 'lockable_box_criterion_not_met', 'children_considered_criterion_not_met', 'safe_storage_advice_criterion_not_met']);
    expect(before.prescription).toMatchObject({ status: 'active', sessions: ['AM', 'PM'], ivDoseMg: 100, imDoseMg: 80 });

    // Only a prescriber assesses; the assessment keeps within the clinic's maximum.
    expect((await s.nurse.client.post(s.su('/stability-assessments'), assessment())).status).toBe(403);
    const tooLong = await s.doctor.client.post(s.su('/stability-assessments'), assessment({ maxDaysPerSupply: 10 }));
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.error).toMatchObject({ code: 'max_days_above_clinic_limit', field: 'maxDaysPerSupply' });
    const noBox = await s.doctor.client.post(s.su('/stability-assessments'), assessment({ lockableBox: false }));
    expect(noBox.body.error.code).toBe('lockable_box_required');
    const noDays = await s.doctor.client.post(s.su('/stability-assessments'), assessment({ maxDaysPerSupply: null }));
    expect(noDays.status).toBe(400);
    expect(noDays.body.error.field).toBe('maxDaysPerSupply');
    const a = await s.doctor.client.post(s.su('/stability-assessments'), assessment());
    expect(a.status, JSON.stringify(a.body)).toBe(201);

    const now = (await s.hca.client.get(s.su('/take-home'))).body;
    expect(now).toMatchObject({ authorised: true, maxDaysPerSupply: 3, suspendedBecause: [], latestAssessment: { recordId: a.body.recordId } });

    const res = await s.nurse.client.post(s.su('/take-home/supplies'), supply(s.item, s.hca));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.registerEntries).toEqual([{ itemId: s.item, seq: 2, quantity: 6, balanceAfter: 194 }]);
    expect(res.body.supply).toMatchObject({
      status: 'upcoming',
      ampoulesSupplied: 6,
      ampoulesReturned: 0,
      covered: [
        { clinicDate: '2026-04-07', sessions: ['AM', 'PM'] },
        { clinicDate: '2026-04-08', sessions: ['AM', 'PM'] },
        { clinicDate: '2026-04-09', sessions: ['AM', 'PM'] },
      ],
      data: { days: 3, doses: 6, totalMg: 600, witnessId: s.hca.staffId, assessmentRecordId: a.body.recordId, prescriptionVersion: 1, ampoules: [{ itemId: s.item, strengthMg: 100, perDose: 1, count: 6, registerSeq: 2 }] },
    });
    const page = (await s.nurse.client.get(s.clinic.url(`/cd/items/${s.item}/register`))).body;
    expect(page.item.balance).toBe(194);
    expect(page.entries.at(-1)).toMatchObject({ kind: 'supply_take_home', quantityChange: -6, balanceAfter: 194, witnessId: s.hca.staffId });
    expect(page.entries.at(-1).details).toMatchObject({ kind: 'supply_take_home', collectedBy: 'P0 Person0 (the service user)', idRequested: true, idShown: true, prescriber: { staffId: s.doctor.staffId } });
    const audit = await queryAudit(t.db.orm, { clinicId: s.clinic.clinicId, limit: 100 });
    expect(audit.filter((x) => x.entityType === 'take_home_supply').map((x) => x.action)).toEqual(['create']);
    expect(audit.filter((x) => x.entityType === 'take_home' && x.action === 'read').length).toBeGreaterThanOrEqual(2);
    expect((await s.nurse.client.get(s.su('/take-home'))).body.supplies).toHaveLength(1);
  });

  it('refuses each unsafe supply by its rule and writes nothing', async () => {
    const s = await setting();
    const nothing = await written(s);
    const refusal = async (body: Record<string, unknown>, rule: string) => {
      const res = await s.nurse.client.post(s.su('/take-home/supplies'), body);
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.error.refusals.map((r: any) => r.rule)).toContain(rule);
      expect(await written(s)).toEqual(nothing);
      return res.body.error;
    };
    await refusal(supply(s.item, s.hca, { toDate: '2026-04-10', ampoules: [{ itemId: s.item, count: 8 }], equipment: equipment(8) }), 'more_days_than_assessment_allows');
    const above = await refusal(supply(s.item, s.hca, { dosePerSessionMg: 200, ampoules: [{ itemId: s.item, count: 12 }] }), 'dose_above_prescription');
    expect(above.refusals[0].message).toBe('200 mg a dose is more than the prescribed IV dose of 100 mg for 2026-04-07 AM, 2026-04-07 PM, 2026-04-08 AM and 3 more');
    await refusal(supply(s.item, s.hca, { ampoules: [{ itemId: s.item, count: 12 }] }), 'ampoules_do_not_match_dose');
    await refusal(supply(s.item, s.hca, { ampoules: [{ itemId: s.item, count: 7 }] }), 'ampoules_not_whole_doses');
    await refusal(supply(s.item, s.hca, { equipment: equipment(5) }), 'equipment_insufficient');
    await refusal(supply(s.item, s.hca, { idShown: false }), 'identity_not_confirmed');
    await refusal(supply(s.item, s.hca, { collectedBy: 'representative' }), 'collection_by_representative');
    await refusal(supply(s.item, s.hca, { safeStorageConfirmed: false }), 'safe_storage_not_confirmed');
    await refusal(supply(s.item, s.hca, { fromDate: '2026-04-08', toDate: '2026-04-10' }), 'supply_starts_too_late');
    await refusal(supply(s.item, s.hca, { route: 'im', dosePerSessionMg: 100 }), 'dose_above_prescription');

    // A lower dose from the day after tomorrow: the supply would outlast it.
    const lower = await s.doctor.client.post(s.su('/prescriptions'), {
      content: { status: 'active', diamorphine: { sessions: ['AM', 'PM'], ivDoseMg: 90, imDoseMg: 80, titration: null, topUp: null, retitrationStartDoseMg: 30 }, methadone: null, startDate: '2026-03-01', endDate: null, reviewDate: '2026-04-13' },
      effectiveFrom: '2026-04-08T23:00:00Z',
      reason: 'reduction agreed',
      signature: { password: 'correct horse battery staple' },
    });
    expect(lower.status, JSON.stringify(lower.body)).toBe(201);
    const later = await refusal(supply(s.item, s.hca), 'dose_above_prescription');
    expect(later.refusals[0].message).toContain('prescribed IV dose of 90 mg for 2026-04-09 AM, 2026-04-09 PM');

    // Bad input: 400 naming the field, nothing written.
    const bad = async (body: Record<string, unknown>, field: string) => {
      const res = await s.nurse.client.post(s.su('/take-home/supplies'), body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.field).toBe(field);
      expect(await written(s)).toEqual(nothing);
    };
    await bad(supply(s.item, s.hca, { toDate: '2026-04-06' }), 'toDate');
    await bad(supply(s.item, s.hca, { sessions: ['XX'] }), 'sessions[0]');
    await bad(supply(s.item, s.hca, { ampoules: [{ itemId: '00000000-0000-7000-8000-000000000000', count: 6 }] }), 'ampoules[0].itemId');
    await bad(supply(s.item, s.hca, { dosePerSessionMg: -5 }), 'dosePerSessionMg');
    await bad({ ...supply(s.item, s.hca), witness: undefined }, 'witness');
    await bad(supply(s.item, s.hca, { witness: { staffId: s.hca.staffId, password: 'wrong' } }), 'witness.password');
    const self = await s.nurse.client.post(s.su('/take-home/supplies'), supply(s.item, s.nurse));
    expect(self.body.error.code).toBe('witness_is_recorder');
    expect(await written(s)).toEqual(nothing);
  });

  it('refuses while switched off at the clinic, before an assessment, during an absence, and never overlaps', async () => {
    const off = await setting({ enable: false });
    const r1 = await off.nurse.client.post(off.su('/take-home/supplies'), supply(off.item, off.hca));
    expect(r1.body.error.refusals.map((r: any) => r.rule)).toContain('take_home_not_enabled');
    expect((await off.nurse.client.get(off.su('/take-home'))).body).toMatchObject({ enabledAtClinic: false, authorised: false });

    const s = await setting({ assess: false });
    const r2 = await s.nurse.client.post(s.su('/take-home/supplies'), supply(s.item, s.hca));
    expect(r2.body.error.refusals.map((r: any) => r.rule)).toContain('no_assessment');

    const t2 = await setting();
    expect((await t2.nurse.client.post(t2.su('/take-home/supplies'), supply(t2.item, t2.hca))).status).toBe(201);
    const overlap = await t2.nurse.client.post(t2.su('/take-home/supplies'), supply(t2.item, t2.hca, { fromDate: '2026-04-07', toDate: '2026-04-07', ampoules: [{ itemId: t2.item, count: 2 }], equipment: equipment(2) }));
    expect(overlap.body.error.refusals.map((r: any) => r.rule)).toEqual(['overlaps_earlier_supply']);
    await t2.doctor.client.post(t2.clinic.url(`/episodes/${t2.persons[0]!.episodeId}/absences`), { kind: 'hospital', liaison: 'Ward 9' });
    const away = (await t2.nurse.client.get(t2.su('/take-home'))).body;
    expect(away.authorised).toBe(false);
    expect(away.suspendedBecause.map((r: any) => r.code)).toEqual(expect.arrayContaining(['absent', 'absence_since_assessment', 'no_active_prescription']));
    const r3 = await t2.nurse.client.post(t2.su('/take-home/supplies'), supply(t2.item, t2.hca, { fromDate: '2026-04-06', toDate: '2026-04-06' }));
    expect(r3.body.error.refusals.map((r: any) => r.rule)).toEqual(expect.arrayContaining(['absent', 'absence_since_assessment']));
  });

  it('a covered session is not expected, not missed and not dosed at the clinic; the next one is', async () => {
    const s = await setting();
    expect((await s.nurse.client.post(s.su('/take-home/supplies'), supply(s.item, s.hca, { toDate: '2026-04-07' , ampoules: [{ itemId: s.item, count: 2 }], equipment: equipment(2) }))).status).toBe(201);
    t.clock.set('2026-04-07T08:00:00Z'); // 09:00 in London
    await signInAgain(s.nurse, s.hca, s.doctor);
    const list = (await s.nurse.client.get(s.clinic.url('/dose-list?session=AM'))).body.entries;
    expect(list.map((e: any) => e.serviceUserId)).not.toContain(s.serviceUserId);
    // If they come anyway, the assessment is recorded but no dose can be drawn up.
    const sessionId = await openSession(s.clinic, s.nurse, s.hca);
    const assessed = await s.nurse.client.post(s.clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: s.serviceUserId, findings: fine });
    expect(assessed.status).toBe(201);
    const drawn = await s.nurse.client.post(s.clinic.url(`/doses/${assessed.body.doseId}/preparation`), prep(s.item, s.hca, 100));
    expect(drawn.status).toBe(422);
    expect(drawn.body.error.code).toBe('take_home_supplied_for_session');
    expect((await s.nurse.client.get(s.clinic.url(`/cd/items/${s.item}/register`))).body.item.balance).toBe(198);

    // The day's sessions end: the job records no-shows (the days before the supply were not
    // attended in this test), but not the covered sessions; the morning after, they are expected again.
    t.clock.set('2026-04-08T06:00:00Z');
    await catchUpMissedDoses(t.ctx);
    await signInAgain(s.nurse, s.hca);
    const doses = (await s.nurse.client.get(s.su('/doses'))).body.doses;
    expect(doses.filter((d: any) => d.stage === 'missed' && d.clinicDate === '2026-04-06').map((d: any) => d.sessionCode).sort()).toEqual(['AM', 'PM']);
    expect(doses.filter((d: any) => d.clinicDate === '2026-04-07').map((d: any) => [d.sessionCode, d.stage])).toEqual([['AM', 'assessed']]);
    expect((await s.nurse.client.get(s.clinic.url('/dose-list?session=AM'))).body.entries.map((e: any) => e.serviceUserId)).toContain(s.serviceUserId);
  });

  it('returns: unused ampoules to patient returns (never into stock), sharps noted; ending early brings the person back', async () => {
    const s = await setting();
    const made = await s.nurse.client.post(s.su('/take-home/supplies'), supply(s.item, s.hca));
    const supplyRecordId = made.body.supply.recordId;
    t.clock.set('2026-04-08T10:00:00Z'); // 11:00 on the 8th: AM under way
    await signInAgain(s.nurse, s.hca, s.nurse2, s.keyworker, s.accountable);
    const tooMany = await s.nurse.client.post(s.su('/take-home/returns'), { supplyRecordId, unusedAmpoules: [{ strengthMg: 100, count: 7 }], witness: witnessOf(s.hca) });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error).toMatchObject({ code: 'more_returned_than_supplied', field: 'unusedAmpoules[0].count' });
    const noWitness = await s.nurse.client.post(s.su('/take-home/returns'), { supplyRecordId, unusedAmpoules: [{ strengthMg: 100, count: 3 }] });
    expect(noWitness.status).toBe(400);
    expect(noWitness.body.error.field).toBe('witness');
    expect((await s.keyworker.client.post(s.su('/take-home/returns'), { supplyRecordId, endsSupply: true })).status).toBe(403);
    expect((await s.nurse.client.get(s.clinic.url('/cd/patient-returns'))).body.returns).toEqual([]);

    const back = await s.nurse.client.post(s.su('/take-home/returns'), { supplyRecordId, unusedAmpoules: [{ strengthMg: 100, count: 3 }], sharpsReturned: { bins: 1, loose: 0 }, endsSupply: true, witness: witnessOf(s.nurse2) });
    expect(back.status, JSON.stringify(back.body)).toBe(201);
    expect(back.body.supply).toMatchObject({ status: 'ended_early', ampoulesSupplied: 6, ampoulesReturned: 3, covered: [{ clinicDate: '2026-04-07', sessions: ['AM', 'PM'] }, { clinicDate: '2026-04-08', sessions: ['AM'] }] });
    expect(back.body.return.data).toMatchObject({ supplyRecordId, endsSupply: true, sharpsReturned: { bins: 1, loose: 0 }, witnessId: s.nurse2.staffId });
    const patientReturns = (await s.nurse.client.get(s.clinic.url('/cd/patient-returns'))).body.returns;
    expect(patientReturns).toEqual([expect.objectContaining({ serviceUserId: s.serviceUserId, strengthMg: 100, quantity: 3, witnessId: s.nurse2.staffId, destruction: null })]);
    expect(back.body.patientReturns).toEqual([{ returnId: patientReturns[0].returnId, strengthMg: 100, quantity: 3 }]);
    // Not back into stock: the register's balance is what the supply left.
    expect((await s.nurse.client.get(s.clinic.url(`/cd/items/${s.item}/register`))).body.item.balance).toBe(194);
    // This afternoon's session is the clinic's again.
    expect((await s.nurse.client.get(s.clinic.url('/dose-list?session=PM'))).body.entries.map((e: any) => e.serviceUserId)).toContain(s.serviceUserId);
    expect((await s.nurse.client.get(s.clinic.url('/dose-list?session=AM'))).body.entries.map((e: any) => e.serviceUserId)).not.toContain(s.serviceUserId);
    const again = await s.nurse.client.post(s.su('/take-home/returns'), { supplyRecordId, endsSupply: true });
    expect(again.body.error.code).toBe('supply_already_ended');
    const listed = (await s.keyworker.client.get(s.su('/take-home'))).body;
    expect(listed.returns).toHaveLength(1);
    expect(listed.supplies[0].status).toBe('ended_early');
  });

  it('suspends automatically: a refusal for intoxication stops further supplies until a new assessment', async () => {
    const s = await setting();
    t.clock.set('2026-04-06T08:00:00Z'); // 09:00: the morning session
    await signInAgain(s.nurse, s.hca, s.doctor);
    const sessionId = await openSession(s.clinic, s.nurse, s.hca);
    const refusedAtHatch = await s.nurse.client.post(s.clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: s.serviceUserId, findings: { ...fine, signsOfIntoxication: true } });
    expect(refusedAtHatch.body.stage).toBe('refused');
    const now = (await s.nurse.client.get(s.su('/take-home'))).body;
    expect(now.authorised).toBe(false);
    expect(now.suspendedBecause).toEqual([{ code: 'intoxication_refusals_criterion_not_met', message: 'No dose refused for intoxication, sedation or alcohol: 1 dose refused in the last 1 week (since 2026-03-31): 2026-04-06 AM (signs of intoxication)' }]);
    const refused = await s.nurse.client.post(s.su('/take-home/supplies'), supply(s.item, s.hca));
    expect(refused.body.error.refusals.map((r: any) => r.rule)).toEqual(['intoxication_refusals_criterion_not_met']);

    // A fortnight later the one-week window has passed, but the refusal came after the authorising assessment.
    t.clock.set('2026-04-20T06:00:00Z');
    await signInAgain(s.nurse, s.hca, s.doctor);
    await s.nurse.client.post(s.su('/toxicology'), negative);
    const later = (await s.nurse.client.get(s.su('/take-home'))).body;
    expect(later.criteria.find((c: any) => c.code === 'intoxication_refusals')).toMatchObject({ met: false, detail: '1 dose refused since 2026-04-06 (the authorising assessment): 2026-04-06 AM (signs of intoxication)' });
    // The prescriber reviews and authorises again: supplies may start again.
    expect((await s.doctor.client.post(s.su('/stability-assessments'), assessment())).status).toBe(201);
    expect((await s.nurse.client.get(s.su('/take-home'))).body.authorised).toBe(true);
    expect((await s.nurse.client.post(s.su('/take-home/supplies'), supply(s.item, s.hca, { fromDate: '2026-04-21', toDate: '2026-04-21', ampoules: [{ itemId: s.item, count: 2 }], equipment: equipment(2) }))).status).toBe(201);
  });

  it('suspends on a street-heroin positive and on missed doses', async () => {
    const s = await setting();
    await s.nurse.client.post(s.su('/toxicology'), positive);
    const pos = (await s.nurse.client.get(s.su('/take-home'))).body;
    expect(pos.suspendedBecause.map((r: any) => r.code)).toEqual(['street_heroin_criterion_not_met']);
    expect(pos.criteria.find((c: any) => c.code === 'street_heroin').detail).toBe('Positive for street heroin on 2026-04-06 (papaverine)');

    const m = await setting();
    // The morning passes without them: the job records the dose as missed.
    t.clock.set('2026-04-06T11:00:00Z');
    await catchUpMissedDoses(t.ctx);
    await signInAgain(m.nurse);
    // (The days before were not attended either: three in a row also lock them to re-titration.)
    const missed = (await m.nurse.client.get(m.su('/take-home'))).body;
    expect(missed.suspendedBecause.map((r: any) => r.code)).toEqual(['missed_doses_criterion_not_met', 'retitration_locked']);
    expect(missed.criteria.find((c: any) => c.code === 'missed_doses').detail).toMatch(/^\d+ doses missed in the last 1 week \(since 2026-03-31\): 2026-04-06 AM; /);
    const r = await m.nurse.client.post(m.su('/take-home/supplies'), supply(m.item, m.hca));
    expect(r.body.error.refusals.map((x: any) => x.rule)).toEqual(['missed_doses_criterion_not_met', 'retitration_locked']);
  });

  it('who may: clinical roles read, a prescriber assesses, a nurse supplies and takes back', async () => {
    const s = await setting();
    const cd = s.accountable;
    for (const who of [s.hca, s.keyworker, cd, s.doctor, s.clinic.admin]) expect((await who.client.get(s.su('/take-home'))).status).toBe(200);
    for (const who of [s.hca, s.keyworker, cd, s.doctor, s.clinic.admin]) {
      expect((await who.client.post(s.su('/take-home/supplies'), supply(s.item, s.nurse))).status).toBe(403);
      expect((await who.client.post(s.su('/take-home/returns'), { supplyRecordId: '00000000-0000-7000-8000-000000000000', endsSupply: true })).status).toBe(403);
    }
    for (const who of [s.hca, s.keyworker, s.nurse, s.clinic.admin]) expect((await who.client.post(s.su('/stability-assessments'), assessment())).status).toBe(403);
    const commissioner = await t.newStaff(s.clinic.clinicId, ['commissioner']);
    expect((await commissioner.client.get(s.su('/take-home'))).status).toBe(403);
    // Another clinic's person through this clinic's URL is not found.
    const elsewhere = await t.newClinic();
    expect((await s.nurse.client.get(s.clinic.url(`/service-users/00000000-0000-7000-8000-000000000000/take-home`))).status).toBe(404);
    expect((await elsewhere.admin.client.get(s.su('/take-home'))).status).toBe(404);
  });
});
