import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp, type TestClinic, type TestStaff } from '../../../test/support/test-app';
import { licensedPrescriber, personInInduction, starting } from '../../../test/support/clinical';
import { heartSafetyRules } from '../../domain/care/heart-safety';
import { queryAudit } from '../../store/audit-log';
import { onePersonInCare } from './people-in-care';

describe.skipIf(postgresSkipped())('ECGs and heart safety', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  const signInAgain = async (...staff: TestStaff[]) => {
    for (const s of staff) await s.client.signIn(s.email);
  };
  const ecg = (qtcMs: number, extra: object = {}) => ({ qtcMs, correction: 'fridericia', heartRateBpm: 72, rhythm: 'sinus rhythm', interpretedBy: 'Dr A', ...extra });

  async function person(t: TestApp, clinic: TestClinic, doctor: TestStaff, name: string, methadoneMg: number | null, overrides: Record<string, unknown> = {}) {
    const p = await personInInduction(t, clinic, doctor, { givenName: name, preferredName: null, ...overrides });
    const rx = starting({ reviewDate: '2026-03-20' });
    (rx.content as Record<string, unknown>).methadone = methadoneMg === null ? null : { drug: 'methadone oral solution 1 mg/mL', dailyDoseMg: methadoneMg, pharmacy: 'Boots', supervised: true };
    const res = await doctor.client.post(clinic.url(`/service-users/${p.serviceUserId}/prescriptions`), rx);
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    return p.serviceUserId;
  }

  async function setting() {
    t.clock.set('2026-03-02T09:00:00Z');
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    const hca = await t.newStaff(clinic.clinicId, ['hca']);
    const keyworker = await t.newStaff(clinic.clinicId, ['keyworker']);
    const alerts = async (serviceUserId: string) => {
      const found = (await onePersonInCare(t.db.orm, clinic.clinicId, serviceUserId, t.clock.now()))!;
      return heartSafetyRules.alerts({ person: found.person, settings: found.settings, today: found.today, now: t.clock.now() });
    };
    return { clinic, doctor, nurse, hca, keyworker, alerts };
  }

  it('records an ECG and corrects it; refuses bad input naming the field; who may record and read', async () => {
    const { clinic, doctor, nurse, hca, keyworker } = await setting();
    const id = await person(t, clinic, doctor, 'Alex', 120);
    const path = clinic.url(`/service-users/${id}/ecgs`);
    const made = await nurse.client.post(path, ecg(430));
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ kind: 'ecg', effectiveDate: '2026-03-02', data: { qtcMs: 430, correction: 'fridericia', heartRateBpm: 72, rhythm: 'sinus rhythm', actionTaken: null, notes: null } });
    const fixed = await doctor.client.post(clinic.url(`/ecgs/${made.body.recordId}/corrections`), { reason: 'misread: 460', data: ecg(460) });
    expect(fixed.status).toBe(201);
    expect(fixed.body).toMatchObject({ version: 2, data: { qtcMs: 460 } });

    for (const [body, field] of [
      [ecg(800), 'qtcMs'],
      [ecg(200), 'qtcMs'],
      [ecg(455.5), 'qtcMs'],
      [ecg(450, { correction: 'hodges' }), 'correction'],
      [ecg(450, { heartRateBpm: 400 }), 'heartRateBpm'],
      [{ correction: 'machine' }, 'qtcMs'],
    ] as const) {
      const res = await nurse.client.post(path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
    const badCorrection = await doctor.client.post(clinic.url(`/ecgs/${made.body.recordId}/corrections`), { reason: 'typo', data: ecg(900) });
    expect(badCorrection.status).toBe(400);
    expect(badCorrection.body.error.field).toBe('data.qtcMs');
    expect((await nurse.client.get(path)).body.records.map((r: { version: number; data: { qtcMs: number } }) => [r.version, r.data.qtcMs])).toEqual([[2, 460]]);

    expect((await hca.client.post(path, ecg(430))).status).toBe(403);
    expect((await keyworker.client.post(path, ecg(430))).status).toBe(403);
    expect((await hca.client.get(path)).status).toBe(200);
    expect((await keyworker.client.get(path)).status).toBe(200);
    expect((await clinic.admin.client.post(path, ecg(430))).status).toBe(403);
  });

  it('lists who needs an ECG: methadone over 100 mg a day, a heart risk, or cocaine on toxicology in the last 90 days', async () => {
    const { clinic, doctor, nurse, hca, keyworker } = await setting();
    const low = await person(t, clinic, doctor, 'Low', 30);
    const atThreshold = await person(t, clinic, doctor, 'Hundred', 100);
    const high = await person(t, clinic, doctor, 'High', 120);
    const heart = await person(t, clinic, doctor, 'Heart', null, { heartRisks: ['heart_disease'] });
    const cocaine = await person(t, clinic, doctor, 'Coke', 30);
    const tox = await nurse.client.post(clinic.url(`/service-users/${cocaine}/toxicology`), {
      outcome: 'taken',
      sampleType: 'urine',
      method: 'point_of_care',
      results: [{ substance: 'benzoylecgonine', result: 'positive' }],
    });
    expect(tox.status, JSON.stringify(tox.body)).toBe(201);

    const due = await nurse.client.get(clinic.url('/ecgs/due'));
    expect(due.status).toBe(200);
    expect(due.body.today).toBe('2026-03-02');
    const byId = new Map(due.body.due.map((d: { serviceUserId: string }) => [d.serviceUserId, d]));
    expect(byId.has(low)).toBe(false);
    expect(byId.has(atThreshold)).toBe(false);
    expect(byId.get(high)).toMatchObject({
      displayName: 'High Bloggs',
      dueOn: '2026-03-02',
      overdue: false,
      severity: 'warning',
      text: "ECG due: no ECG on record; needed for methadone 120 mg a day (over the clinic's 100 mg)",
      methadoneMgPerDay: 120,
      latestEcg: null,
    });
    expect(byId.get(heart)).toMatchObject({ reasons: ['heart disease'], methadoneMgPerDay: null });
    expect(byId.get(cocaine)).toMatchObject({ reasons: ['positive benzoylecgonine on toxicology 2026-03-02'] });
    expect(due.body.due).toHaveLength(3);

    // An ECG answers it for a year (365 days by default).
    expect((await doctor.client.post(clinic.url(`/service-users/${high}/ecgs`), ecg(430))).status).toBe(201);
    expect((await nurse.client.get(clinic.url('/ecgs/due'))).body.due.map((d: { serviceUserId: string }) => d.serviceUserId)).not.toContain(high);

    // 91 days after the toxicology sample it no longer counts.
    t.clock.set('2026-06-01T09:00:00Z');
    await signInAgain(nurse, doctor, hca, keyworker, clinic.admin);
    const later = (await nurse.client.get(clinic.url('/ecgs/due'))).body.due.map((d: { serviceUserId: string }) => d.serviceUserId);
    expect(later).toContain(heart);
    expect(later).not.toContain(cocaine);

    // Looking ahead, for booking: High's repeat falls due on 2027-03-02.
    t.clock.set('2027-01-15T09:00:00Z');
    await signInAgain(nurse, doctor, hca, keyworker, clinic.admin);
    const ahead = (await nurse.client.get(clinic.url('/ecgs/due?withinDays=60'))).body.due.find((d: { serviceUserId: string }) => d.serviceUserId === high);
    expect(ahead).toMatchObject({ dueOn: '2027-03-02', overdue: false, latestEcg: { on: '2026-03-02', qtcMs: 430 } });
    expect((await nurse.client.get(clinic.url('/ecgs/due'))).body.due.some((d: { serviceUserId: string }) => d.serviceUserId === high)).toBe(false);
    t.clock.set('2027-03-03T09:00:00Z');
    await signInAgain(nurse, doctor, hca, keyworker, clinic.admin);
    expect((await nurse.client.get(clinic.url('/ecgs/due'))).body.due.find((d: { serviceUserId: string }) => d.serviceUserId === high)).toMatchObject({ dueOn: '2027-03-02', overdue: true });

    // Who may see the list.
    expect((await doctor.client.get(clinic.url('/ecgs/due'))).status).toBe(200);
    expect((await clinic.admin.client.get(clinic.url('/ecgs/due'))).status).toBe(200);
    expect((await hca.client.get(clinic.url('/ecgs/due'))).status).toBe(403);
    expect((await keyworker.client.get(clinic.url('/ecgs/due'))).status).toBe(403);
    expect((await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'ecgs_due', limit: 1 }))[0]).toMatchObject({ action: 'read' });
  });

  it('QTc over the limit: a danger item for the prescriber and a danger alert at the hatch; over the warning level: a warning', async () => {
    const { clinic, doctor, nurse, alerts } = await setting();
    const id = await person(t, clinic, doctor, 'Alex', 120);
    const made = await nurse.client.post(clinic.url(`/service-users/${id}/ecgs`), ecg(520));
    expect(made.status).toBe(201);
    const item = (await doctor.client.get(clinic.url('/ecgs/due'))).body.due;
    expect(item).toEqual([
      expect.objectContaining({
        serviceUserId: id,
        severity: 'danger',
        dueOn: '2026-03-02',
        recordId: made.body.recordId,
        text: "QTc 520 ms on 2026-03-02 exceeds the clinic's limit of 500 ms: prescriber to review methadone",
      }),
    ]);
    expect(await alerts(id)).toEqual([{ kind: 'qtc', severity: 'danger', text: "QTc 520 ms on 2026-03-02 exceeds the clinic's limit of 500 ms: prescriber to review methadone" }]);

    // Exactly at the limit is not over it.
    const at = await doctor.client.post(clinic.url(`/ecgs/${made.body.recordId}/corrections`), { reason: 'recalculated', data: ecg(500) });
    expect(at.status).toBe(201);
    expect(await alerts(id)).toEqual([expect.objectContaining({ severity: 'warning', text: expect.stringContaining("QTc 500 ms on 2026-03-02 is above the clinic's warning level of 450 ms") })]);
    expect((await doctor.client.get(clinic.url('/ecgs/due'))).body.due).toEqual([]);
    await doctor.client.post(clinic.url(`/ecgs/${made.body.recordId}/corrections`), { reason: 'recalculated again', data: ecg(450) });
    expect(await alerts(id)).toEqual([]);

    // The clinic's own limits.
    const current = (await clinic.admin.client.get(clinic.url())).body;
    const settings = { ...current.settings, monitoring: { ...current.settings.monitoring, qtcWarningMs: 430, qtcLimitMs: 440 } };
    expect((await clinic.admin.client.put(clinic.url('/settings'), { expectedVersion: current.settingsVersion, settings, reason: 'cardiology advice' })).status).toBe(200);
    expect(await alerts(id)).toEqual([expect.objectContaining({ severity: 'danger', text: expect.stringContaining("exceeds the clinic's limit of 440 ms") })]);
  });
});
