import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp, type Client } from '../../../test/support/test-app';
import { PORTAL_COOKIE, portalClinic, portalUser, type PortalClient } from '../../../test/support/portal';
import { insertCareRecord } from '../../store/care-records';
import { inTransaction, SYSTEM_ACTOR } from '../../store/transaction';
import { queryAudit } from '../../store/audit-log';
import { permissions, type Rule } from '../permissions';

/**
 * A portal session reaches only its own person's data, and nothing but the portal; a staff session
 * cannot use the portal. Two people at one clinic, each with a dose, records and an account.
 */
describe.skipIf(postgresSkipped())('portal isolation', () => {
  let t: TestApp;
  let setup: Awaited<ReturnType<typeof portalClinic>>;
  let a: PortalClient;
  let b: PortalClient;
  let idA: string;
  let idB: string;

  const record = (serviceUserId: string, kind: 'take_home_supply' | 'take_home_return' | 'continuity_plan' | 'arrival_plan', effectiveDate: string, data: unknown) =>
    inTransaction(t.db, t.clock, SYSTEM_ACTOR, (w) => insertCareRecord(w, setup.clinic.clinicId, { serviceUserId, kind, effectiveDate, data }));

  beforeAll(async () => {
    t = await TestApp.open();
    t.clock.set('2026-03-02T09:00:00Z');
    setup = await portalClinic(t);
    [idA, idB] = setup.persons.map((p) => p.serviceUserId) as [string, string];
    const { clinic, nurse } = setup;

    // Records of the kinds the portal shows, for both people, as the take-home, continuity and
    // arrival areas keep them (with what only staff should see); a draft plan is never shown.
    const supply = (doseMg: number, witnessId: string) => ({
      fromDate: '2026-03-03', toDate: '2026-03-04', sessions: ['AM', 'PM'], days: 2, doses: 4, route: 'iv', dosePerSessionMg: doseMg, totalMg: doseMg * 4,
      ampoules: [{ itemId: setup.item, strengthMg: 100, perDose: 1, count: 4, registerSeq: 3 }], equipment: [], safeStorageConfirmed: true,
      collectedBy: 'service_user', idRequested: true, idShown: true, witnessId, assessmentRecordId: '00000000-0000-7000-8000-0000000000aa', prescriptionVersion: 1, notes: 'staff only',
    });
    const suppliedA = await record(idA, 'take_home_supply', '2026-03-02', supply(60, setup.hca.staffId));
    await record(idA, 'take_home_return', '2026-03-02', { supplyRecordId: suppliedA.recordId, unusedAmpoules: [], sharpsReturned: { bins: 0, loose: 0 }, endsSupply: true, endedAt: '2026-03-02T09:00:00Z', witnessId: null, notes: 'staff only' });
    await record(idB, 'take_home_supply', '2026-03-02', supply(87.5, setup.hca.staffId));
    const approval = { approvedBy: setup.doctor.staffId, approvedByName: 'Dr Secret', approvedOn: '2026-03-01' };
    await record(idA, 'continuity_plan', '2026-03-01', {
      status: 'approved', fundedUntil: '2026-12-31', option: 'planned_reduction',
      reduction: { route: 'iv', fromDoseMg: 60, toDoseMg: 0, steps: [{ fromDate: '2026-09-01', doseMg: 40 }, { fromDate: '2026-09-08', doseMg: 0 }] },
      transfer: null, notes: 'staff only', approval,
    });
    await record(idA, 'continuity_plan', '2026-03-02', { status: 'draft', fundedUntil: '2026-12-31', option: 'transfer', transfer: { kind: 'service', to: 'DRAFT service', startDate: '2026-11-01' } });
    await record(idB, 'continuity_plan', '2026-03-02', { status: 'approved', fundedUntil: '2026-12-31', option: 'transfer', transfer: { kind: 'medication', to: 'B-only medicine', startDate: '2026-12-01' }, approval });
    await record(idA, 'arrival_plan', '2026-03-02', { preferredSlots: { PM: '13:15' }, preferredArea: 'quiet_room', separateBecause: 'stopping_street_drugs', notes: 'staff only' });
    const kw = await nurse.client.post(clinic.url(`/service-users/${idA}/keywork-sessions`), { attendance: 'did_not_attend', nextSessionOn: '2026-03-05' });
    if (kw.status !== 201) {
      const keyworker = await t.newStaff(clinic.clinicId, ['keyworker']);
      const again = await keyworker.client.post(clinic.url(`/service-users/${idA}/keywork-sessions`), { attendance: 'did_not_attend', nextSessionOn: '2026-03-05' });
      if (again.status !== 201) throw new Error(JSON.stringify(again.body));
    }
    const current = (await clinic.admin.client.get(clinic.url())).body;
    await clinic.admin.client.put(clinic.url('/settings'), {
      settings: {
        ...current.settings,
        peerSupport: [{ name: 'Sam', role: 'peer champion', contact: '07700 900123', availability: 'Tuesdays' }],
        arrival: { slotsEnabled: true, slotMinutes: 15, peoplePerSlot: 3, waitingAreas: [{ code: 'quiet_room', name: 'Quiet room', capacity: 5, purpose: 'people stopping street drugs' }] },
      },
      reason: 'peer support',
      expectedVersion: current.settingsVersion,
    });

    a = await portalUser(t, setup.usernames[0]!);
    b = await portalUser(t, setup.usernames[1]!);
  }, 120_000);
  afterAll(async () => t?.close());

  const portalGets = Object.entries(permissions as Record<string, Rule>)
    .filter(([key, rule]) => rule.access === 'portal' && key.startsWith('GET '))
    .map(([key]) => key.slice(4));

  it("every portal route answers with the caller's own data only, and no staff names or ids", async () => {
    const staffIds = [setup.nurse, setup.hca, setup.doctor, setup.accountable, setup.clinic.admin].map((s) => s.staffId);
    for (const [phone, own, other, otherName, otherDose, ownDose] of [
      [a, idA, idB, 'P1', setup.doseIds[1]!, setup.doseIds[0]!],
      [b, idB, idA, 'P0', setup.doseIds[0]!, setup.doseIds[1]!],
    ] as const) {
      for (const path of portalGets) {
        const res = await phone.get(path.replace(':doseId', ownDose));
        expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
        const text = JSON.stringify(res.body);
        for (const leak of [other, otherDose, otherName, ...staffIds, '@clinic.test', 'Test nurse', 'staff only', 'Dr Secret', 'DRAFT', ...(own === idA ? ['B-only medicine', '87.5'] : ['planned_reduction'])]) {
          expect(text, `${path} must not contain ${leak}`).not.toContain(leak);
        }
      }
    }
  });

  it('shows the right things: next dose times, own doses, appointments, take-home, only an approved plan, peer support', async () => {
    const today = (await a.get('/api/v1/portal/today')).body;
    expect(today.next).toEqual({ date: '2026-03-02', sessionCode: 'PM', label: 'Afternoon', opens: '13:00', closes: '17:30', status: 'later' });
    expect(today.days[0].sessions.map((s: any) => `${s.sessionCode}:${s.status}`)).toEqual(['AM:given', 'PM:later']);
    expect(today.days[1]).toMatchObject({ date: '2026-03-03', noDoses: null });
    expect(today.arrival).toEqual({ date: '2026-03-02', sessionCode: 'PM', label: 'Afternoon', slotStart: '13:15', slotEnd: '13:30', areaName: 'Quiet room' });

    const doses = (await a.get('/api/v1/portal/doses?days=28')).body;
    expect(doses).toEqual({
      from: '2026-02-03',
      to: '2026-03-02',
      doses: [{ doseId: setup.doseIds[0], date: '2026-03-02', sessionCode: 'AM', sessionLabel: 'Morning', kind: 'dose', outcome: 'given', givenMg: 60, route: 'iv', givenAt: '2026-03-02T09:00:00Z' }],
    });
    expect((await a.get(`/api/v1/portal/doses/${setup.doseIds[0]}`)).body).toEqual(doses.doses[0]);
    expect((await a.get('/api/v1/portal/doses?days=91')).body.error.field).toBe('days');

    expect((await a.get('/api/v1/portal/appointments')).body).toEqual({
      today: '2026-03-02',
      appointments: [
        { kind: 'drug_test', on: '2026-03-02', dueNow: true },
        { kind: 'keywork', on: '2026-03-05', dueNow: false },
        { kind: 'prescriber_review', on: '2026-03-09', dueNow: false },
      ],
    });
    expect((await b.get('/api/v1/portal/appointments')).body.appointments.map((x: any) => x.kind)).toEqual(['drug_test', 'prescriber_review']);

    expect((await a.get('/api/v1/portal/take-home')).body.supplies).toEqual([
      { supplyId: expect.any(String), suppliedOn: '2026-03-02', from: '2026-03-03', to: '2026-03-04', sessions: ['AM', 'PM'], days: 2, doses: 4, doseMg: 60, route: 'iv', ended: true },
    ]);
    expect((await b.get('/api/v1/portal/take-home')).body.supplies).toEqual([expect.objectContaining({ doseMg: 87.5, ended: false })]);
    expect((await a.get('/api/v1/portal/continuity')).body.plan).toEqual({
      planId: expect.any(String),
      planDate: '2026-03-01',
      option: 'planned_reduction',
      fundedUntil: '2026-12-31',
      reduction: { route: 'iv', fromDoseMg: 60, steps: [{ fromDate: '2026-09-01', doseMg: 40 }, { fromDate: '2026-09-08', doseMg: 0 }] },
      transfer: null,
      approvedOn: '2026-03-01',
    });
    expect((await b.get('/api/v1/portal/continuity')).body.plan).toMatchObject({ option: 'transfer', transfer: { kind: 'medication', to: 'B-only medicine', startDate: '2026-12-01' } });
    expect((await a.get('/api/v1/portal/peer-support')).body.contacts).toEqual([{ name: 'Sam', role: 'peer champion', contact: '07700 900123', availability: 'Tuesdays' }]);
  });

  it("answers 404 for another person's dose, exactly as for a dose that does not exist; the URL cannot choose the person", async () => {
    const theirs = await a.get(`/api/v1/portal/doses/${setup.doseIds[1]}`);
    const none = await a.get('/api/v1/portal/doses/00000000-0000-7000-8000-000000000000');
    expect(theirs.status).toBe(404);
    expect(theirs.body).toEqual(none.body);
    expect((await a.get('/api/v1/portal/doses/not-a-uuid')).status).toBe(404);
    const sneaky = await a.get(`/api/v1/portal/doses?serviceUserId=${idB}&clinicId=${setup.clinic.clinicId}`);
    expect(sneaky.body.doses.map((d: any) => d.doseId)).toEqual([setup.doseIds[0]]);
  });

  it('audits every read, naming the service user, with no member of staff', async () => {
    await a.get('/api/v1/portal/today');
    const reads = await queryAudit(t.db.orm, { clinicId: setup.clinic.clinicId, action: 'read', entityType: 'portal_today', limit: 10 });
    expect(reads[0]).toMatchObject({ staffId: null, entityId: idA, details: { portalServiceUserId: idA } });
  });

  it('a staff session cannot use any portal route (403), and nobody gets 401', async () => {
    const staff: Client = setup.nurse.client;
    for (const [key, rule] of Object.entries(permissions as Record<string, Rule>)) {
      if (rule.access !== 'portal') continue;
      const [method, path] = key.split(' ') as ['GET' | 'POST', string];
      const url = path.replace(':doseId', setup.doseIds[0]!);
      const res = await staff.request(method, url, method === 'GET' ? undefined : {});
      expect(res.status, key).toBe(403);
      expect(res.body.error.code, key).toBe('forbidden');
      // Not even a staff token presented as a portal cookie.
      const forged = await t.app.inject({ method, url, headers: { cookie: `${PORTAL_COOKIE}=${staff.cookie!.split('=')[1]}` } });
      expect(forged.statusCode, key).toBe(401);
    }
  });

  it('a portal session cannot use any staff route (401), even with its token in the staff cookie', async () => {
    const token = a.cookie!;
    const paths: Record<string, string> = { clinicId: setup.clinic.clinicId, serviceUserId: idA, staffId: setup.nurse.staffId, doseId: setup.doseIds[0]!, sessionId: setup.sessionId, episodeId: setup.persons[0]!.episodeId, itemId: setup.item };
    let checked = 0;
    for (const [key, rule] of Object.entries(permissions as Record<string, Rule>)) {
      if (rule.access === 'public' || rule.access === 'portal') continue;
      const [method, path] = key.split(' ') as ['GET' | 'POST' | 'PUT' | 'PATCH', string];
      const url = path.replace(/:(\w+)/g, (_, name: string) => paths[name] ?? '00000000-0000-7000-8000-000000000000') + (path.endsWith('/events') ? '?once=1' : '');
      for (const cookie of [`${PORTAL_COOKIE}=${token}`, `openhat_session=${token}`]) {
        const res = await t.app.inject({ method, url, headers: { cookie, 'x-csrf-token': a.csrfToken! }, ...(method === 'GET' ? {} : { payload: {} }) });
        expect(res.statusCode, `${key} with ${cookie.split('=')[0]}`).toBe(401);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('switching the account off, or discharge from treatment, ends the session at once', async () => {
    expect((await b.get('/api/v1/portal/me')).status).toBe(200);
    const discharged = await setup.doctor.client.post(setup.clinic.url(`/episodes/${setup.persons[1]!.episodeId}/discharge`), { reason: 'planned' });
    expect(discharged.status, JSON.stringify(discharged.body)).toBe(200);
    expect((await b.get('/api/v1/portal/me')).status).toBe(401);

    expect((await a.get('/api/v1/portal/me')).status).toBe(200);
    const off = await setup.nurse.client.patch(setup.clinic.url(`/service-users/${idA}/portal-account`), { enabled: false, reason: 'shared phone' });
    expect(off.status).toBe(200);
    const ended = await a.get('/api/v1/portal/me');
    expect(ended.status).toBe(401);
    expect(ended.body.error.code).toBe('session_expired');
  });
});
