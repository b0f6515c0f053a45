import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { TestApp } from '../../../test/support/test-app';
import { dosingClinic, fine, openSession, prep } from '../../../test/support/dosing';
import { witnessOf } from '../../../test/support/cd';
import { readStoredClinicSettings } from '../../domain/clinic/clinic-settings';
import { currentSettings } from '../../store/clinics';
import { exceptionsFor } from '../../store/dosing';
import { careAlerts } from '../care/care-alerts';
import { readPerson } from '../clinical/person';
import { readBoardPeople } from '../dosing/board-people';
import { readClinicWide } from '../dosing/expected';
import { captureStatements } from '../../../test/support/capture-statements';

/**
 * The Today board reads everyone on it together (issue 10): the number of SQL statements for one
 * board does not depend on how many people are on it, and what it reads for each person is exactly
 * what the one-person reads give.
 */
describe('the Today board reads its people together', () => {
  let t: TestApp;
  let statements: string[] = [];

  beforeAll(async () => {
    t = await TestApp.open();
    statements = captureStatements(t.db);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A clinic with `people` in treatment, one of them dosed, one refused, at today's AM session. */
  async function busyClinic(people: number) {
    t.clock.set('2026-03-02T09:00:00Z');
    const c = await dosingClinic(t, people);
    t.clock.set('2026-03-05T09:00:00Z');
    for (const who of [c.nurse, c.hca]) await who.client.signIn(who.email);
    const sessionId = await openSession(c.clinic, c.nurse, c.hca);
    const a = await c.nurse.client.post(c.clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: c.persons[0]!.serviceUserId, findings: fine });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect((await c.nurse.client.post(c.clinic.url(`/doses/${a.body.doseId}/preparation`), prep(c.item, c.hca, 100, 1, 1))).status).toBeLessThan(300);
    const given = await c.nurse.client.post(c.clinic.url(`/doses/${a.body.doseId}/administration`), { route: 'iv', sites: ['left arm'], attempts: 1, givenMg: 100, witness: witnessOf(c.hca) });
    expect(given.status, JSON.stringify(given.body)).toBeLessThan(300);
    const refused = await c.nurse.client.post(c.clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: c.persons[1]!.serviceUserId, findings: { ...fine, signsOfIntoxication: true } });
    expect(refused.status).toBeLessThan(500);
    return c;
  }

  async function boardStatements(c: Awaited<ReturnType<typeof busyClinic>>) {
    const start = statements.length;
    const res = await c.nurse.client.get(c.clinic.url('/dose-list?session=AM'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { count: statements.length - start, body: res.body as { entries: { serviceUserId: string; status: string }[] } };
  }

  it('sends the same number of statements for a board of 3 people as for a board of 8', async () => {
    const small = await boardStatements(await busyClinic(3));
    const large = await boardStatements(await busyClinic(8));
    expect(small.body.entries).toHaveLength(3);
    expect(large.body.entries).toHaveLength(8);
    expect(new Set(large.body.entries.map((e) => e.status))).toEqual(new Set(['due', 'in_observation', 'refused']));
    expect(large.count).toBe(small.count);
  });

  it('reads for each person exactly what readPerson, exceptionsFor and careAlerts read for them one at a time', async () => {
    const c = await busyClinic(4);
    const now = t.clock.now();
    const orm = t.db.orm;
    const settings = readStoredClinicSettings((await currentSettings(orm, c.clinic.clinicId))!.settings);
    const ids = c.persons.map((p) => p.serviceUserId);
    const board = await readBoardPeople(orm, c.clinic.clinicId, settings, [...ids, '00000000-0000-7000-8000-000000000000'], now);
    expect([...board.keys()].sort()).toEqual([...ids].sort());
    // Given the clinic-wide episodes and prescriptions the board reads anyway, the same.
    expect(await readBoardPeople(orm, c.clinic.clinicId, settings, [...ids, '00000000-0000-7000-8000-000000000000'], now, await readClinicWide(orm, c.clinic.clinicId))).toEqual(board);
    for (const id of ids) {
      const one = {
        state: await readPerson(orm, c.clinic.clinicId, id, now),
        exceptions: await exceptionsFor(orm, c.clinic.clinicId, id, new Date(now.epochMilliseconds)),
        careAlerts: await careAlerts(orm, c.clinic.clinicId, id, now),
      };
      expect(board.get(id)).toEqual(one);
    }
    // Later the same day and the next morning (doses fall in and out of the windows the reads use).
    for (const later of [now.add({ hours: 6 }), Temporal.Instant.from('2026-03-06T08:00:00Z')]) {
      const again = await readBoardPeople(orm, c.clinic.clinicId, settings, ids, later);
      for (const id of ids) expect(again.get(id)!.state).toEqual(await readPerson(orm, c.clinic.clinicId, id, later));
    }
  });

  it('the same for someone holding take-home doses, and someone with a dosing exception', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const c = await dosingClinic(t, 3);
    const current = await c.clinic.admin.client.get(c.clinic.url());
    const criteria = { minWeeksInTreatment: 4, noIntoxicationRefusalWeeks: 1, streetHeroinNegativeWeeks: 1, noMissedDoseWeeks: 1, lockableBoxRequired: true, childrenConsideredRequired: true };
    const put = await c.clinic.admin.client.put(c.clinic.url('/settings'), {
      expectedVersion: current.body.settingsVersion,
      reason: 'take-home doses for stable service users',
      settings: { ...current.body.settings, takeHome: { enabled: true, maxDaysPerSupply: 7, criteria } },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    t.clock.set('2026-04-06T06:00:00Z');
    for (const who of [c.nurse, c.hca, c.doctor]) await who.client.signIn(who.email);
    const [holder, other] = c.persons.map((p) => p.serviceUserId);
    const su = (id: string, path: string) => c.clinic.url(`/service-users/${id}${path}`);
    const negative = { outcome: 'taken', sampleType: 'urine', method: 'point_of_care', results: [{ substance: 'papaverine', result: 'negative' }, { substance: 'acetylcodeine', result: 'negative' }] };
    expect((await c.nurse.client.post(su(holder!, '/toxicology'), negative)).status).toBe(201);
    const assessed = await c.doctor.client.post(su(holder!, '/stability-assessments'), { lockableBox: true, childrenConsidered: true, childrenNote: 'none at home', safeStorageAdviceGiven: true, authorised: true, maxDaysPerSupply: 3 });
    expect(assessed.status, JSON.stringify(assessed.body)).toBe(201);
    const supplied = await c.nurse.client.post(su(holder!, '/take-home/supplies'), {
      fromDate: '2026-04-07',
      toDate: '2026-04-08',
      sessions: ['AM', 'PM'],
      route: 'iv',
      dosePerSessionMg: 100,
      ampoules: [{ itemId: c.item, count: 4 }],
      equipment: [
        { item: 'needles', quantity: 4 },
        { item: 'syringes', quantity: 4 },
        { item: 'water_ampoules', quantity: 4 },
        { item: 'sharps_bin', quantity: 1 },
      ],
      safeStorageConfirmed: true,
      collectedBy: 'service_user',
      idRequested: true,
      idShown: true,
      witness: witnessOf(c.hca),
    });
    expect(supplied.status, JSON.stringify(supplied.body)).toBe(201);
    const exception = await c.doctor.client.post(su(other!, '/dosing-exceptions'), { kind: 'outside_window', sessionCode: 'PM', validUntil: '2026-04-09T00:00:00Z', reason: 'hospital appointment' });
    expect(exception.status, JSON.stringify(exception.body)).toBe(201);
    const orm = t.db.orm;
    const settings = readStoredClinicSettings((await currentSettings(orm, c.clinic.clinicId))!.settings);
    const ids = c.persons.map((p) => p.serviceUserId);
    for (const at of ['2026-04-06T07:00:00Z', '2026-04-07T09:00:00Z', '2026-04-08T16:00:00Z']) {
      const now = Temporal.Instant.from(at);
      const board = await readBoardPeople(orm, c.clinic.clinicId, settings, ids, now);
      expect(await readBoardPeople(orm, c.clinic.clinicId, settings, ids, now, await readClinicWide(orm, c.clinic.clinicId))).toEqual(board);
      for (const id of ids) {
        expect(board.get(id)).toEqual({
          state: await readPerson(orm, c.clinic.clinicId, id, now),
          exceptions: await exceptionsFor(orm, c.clinic.clinicId, id, new Date(now.epochMilliseconds)),
          careAlerts: await careAlerts(orm, c.clinic.clinicId, id, now),
        });
      }
      if (at === '2026-04-07T09:00:00Z') {
        expect(board.get(holder!)!.state.takeHomeCovered.length).toBeGreaterThan(0);
        expect(board.get(other!)!.exceptions).toHaveLength(1);
      }
    }
  });
});
