import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp } from '../../../test/support/test-app';
import { witnessOf } from '../../../test/support/cd';
import { dosingClinic, fine, openSession, prep } from '../../../test/support/dosing';
import { queryAudit } from '../../store/audit-log';

describe.skipIf(postgresSkipped())('travel burden report', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  it('sets attendance against the journey, per person and per band of journey length', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const { clinic, nurse, hca, item, persons } = await dosingClinic(t, 3);
    const [near, far, unknown] = persons.map((p) => p.serviceUserId) as [string, string, string];
    // The journey goes on the record (a new version of the whole record, with a reason).
    for (const [id, travel] of [
      [near, { minutesOneWay: 10, transport: ['walk'], changes: null, notes: null }],
      [far, { minutesOneWay: 75, transport: ['bus', 'train'], changes: 2, notes: 'two buses and a train' }],
    ] as const) {
      const current = (await nurse.client.get(clinic.url(`/service-users/${id}`))).body;
      const res = await nurse.client.put(clinic.url(`/service-users/${id}`), { expectedVersion: current.version, reason: 'journey recorded', record: { ...current.record, travel } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    // AM: near is dosed, unknown is refused (came, not given), far does not come.
    const sessionId = await openSession(clinic, nurse, hca);
    const a = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: near, findings: fine });
    await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/preparation`), prep(item, hca, 60));
    await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/administration`), { route: 'iv', sites: ['left arm'], attempts: 1, givenMg: 60, witness: witnessOf(hca) });
    await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), {
      serviceUserId: unknown,
      findings: { ...fine, signsOfIntoxication: true },
      afterRefusal: { offeredToStay: true, naloxoneChecked: true, adviceGiven: true, reassessAt: null },
    });
    t.clock.advance({ minutes: 20 });
    await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/discharge`), { sedation: 1 });
    const closed = await nurse.client.post(clinic.url(`/sessions/${sessionId}/close`));
    expect(closed.body.closed, JSON.stringify(closed.body)).toMatchObject({ missed: 1 });

    const res = await nurse.client.get(clinic.url('/reports/travel?from=2026-03-01&to=2026-03-02'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const row = (id: string) => res.body.people.find((p: any) => p.serviceUserId === id);
    expect(row(near)).toMatchObject({ minutesOneWay: 10, transport: ['walk'], band: 'under_15', expected: 1, attended: 1, given: 1, missed: 0, attendancePercent: 100 });
    expect(row(far)).toMatchObject({ minutesOneWay: 75, transport: ['bus', 'train'], changes: 2, band: '60_plus', expected: 1, attended: 0, given: 0, missed: 1, attendancePercent: 0 });
    expect(row(unknown)).toMatchObject({ minutesOneWay: null, transport: [], band: 'unknown', expected: 1, attended: 1, given: 0, attendancePercent: 100 });
    expect(res.body.bands.map((b: any) => [b.band, b.people, b.expected, b.attended, b.attendancePercent])).toEqual([
      ['under_15', 1, 1, 1, 100],
      ['15_to_29', 0, 0, 0, null],
      ['30_to_59', 0, 0, 0, null],
      ['60_plus', 1, 1, 0, 0],
      ['unknown', 1, 1, 1, 100],
    ]);
    const audit = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'travel_report', limit: 5 });
    expect(audit[0]).toMatchObject({ action: 'read', details: { from: '2026-03-01', to: '2026-03-02' } });

    // Another period: nobody.
    expect((await nurse.client.get(clinic.url('/reports/travel?from=2026-02-01&to=2026-02-28'))).body.people).toEqual([]);
  });

  it('names the field of a bad period', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const clinic = await t.newClinic();
    const get = (q: string) => clinic.admin.client.get(clinic.url(`/reports/travel${q}`));
    for (const [q, field] of [
      ['?to=2026-03-02', 'from'],
      ['?from=2026-03-02', 'to'],
      ['?from=2026-03-32&to=2026-04-01', 'from'],
      ['?from=2026-03-02&to=2026-03-01', 'to'],
      ['?from=2025-01-01&to=2026-03-01', 'to'],
    ] as const) {
      const res = await get(q);
      expect(res.status, q).toBe(400);
      expect(res.body.error.field, q).toBe(field);
    }
  });
});
