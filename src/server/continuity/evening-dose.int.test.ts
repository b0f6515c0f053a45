import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp, TEST_PASSWORD, type TestStaff } from '../../../test/support/test-app';
import { witnessOf } from '../../../test/support/cd';
import { dosingClinic, fine, openSession, prep } from '../../../test/support/dosing';
import { WEEKDAYS } from '../../domain/clinic/clinic-settings';

/**
 * The optional third (evening) dose through the API: a clinic adds an evening session to its
 * settings; a prescription may then name it, within every limit (the daily maximum counts three
 * doses and their top-ups); and at the hatch the minimum interval still holds between the afternoon
 * and the evening.
 */
describe.skipIf(postgresSkipped())('an evening (third) dose', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  const timetable = {
    openingHours: Object.fromEntries(WEEKDAYS.map((d) => [d, { opens: '08:00', closes: '21:00' }])),
    sessions: [
      { code: 'AM', label: 'Morning', start: '08:00', end: '11:00' },
      { code: 'PM', label: 'Afternoon', start: '12:30', end: '15:30' },
      { code: 'EVE', label: 'Evening', start: '17:00', end: '20:00' },
    ],
    minimumDoseIntervalMinutes: 240,
  };

  const threeTimes = (over: Record<string, unknown> = {}) => ({
    content: {
      status: 'active',
      diamorphine: { sessions: ['AM', 'PM', 'EVE'], ivDoseMg: 80, imDoseMg: 60, titration: null, topUp: null, retitrationStartDoseMg: 30, ...over },
      methadone: null,
      startDate: '2026-03-02',
      endDate: null,
      reviewDate: '2026-03-09',
    },
    reason: 'evening dose agreed at review: fewer hours without cover at night',
    signature: { password: TEST_PASSWORD },
  });

  const signInAgain = async (...staff: TestStaff[]) => {
    for (const s of staff) await s.client.signIn(s.email);
  };

  it('the clinic adds an evening session; three doses a day are prescribed within the daily maximum; the interval holds from PM to EVE, and the rolling 24-hour ceiling across days', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const { clinic, nurse, hca, doctor, item, persons } = await dosingClinic(t);
    const serviceUserId = persons[0]!.serviceUserId;
    const rxPath = clinic.url(`/service-users/${serviceUserId}/prescriptions`);
    const versions = async () => (await doctor.client.get(rxPath)).body.versions.length;

    // Before the clinic has an evening session, no prescription may name one.
    const early = await doctor.client.post(rxPath, threeTimes());
    expect(early.status).toBe(422);
    expect(early.body.error).toMatchObject({ code: 'unknown_session', field: 'diamorphine.sessions' });

    // An evening session too close to the afternoon is refused, naming the field; nothing changes.
    const current = await clinic.admin.client.get(clinic.url());
    const dosingLimits = { ...current.body.settings.dosingLimits, maxSingleDoseMg: 200, maxDailyDoseMg: 250 };
    const tooClose = await clinic.admin.client.put(clinic.url('/settings'), {
      expectedVersion: current.body.settingsVersion,
      reason: 'evening session',
      settings: { ...current.body.settings, ...timetable, sessions: [timetable.sessions[0], timetable.sessions[1], { ...timetable.sessions[2], start: '16:00' }], dosingLimits },
    });
    expect(tooClose.status).toBe(400);
    expect(tooClose.body.error.field).toBe('settings.sessions[2].start');
    expect((await clinic.admin.client.get(clinic.url())).body.settingsVersion).toBe(current.body.settingsVersion);

    const added = await clinic.admin.client.put(clinic.url('/settings'), { expectedVersion: current.body.settingsVersion, reason: 'evening session', settings: { ...current.body.settings, ...timetable, dosingLimits } });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body.settings.sessions.map((s: { code: string }) => s.code)).toEqual(['AM', 'PM', 'EVE']);

    // Three doses of up to 80 + 20 mg could reach 300 mg a day, above the clinic's 250 mg: refused, nothing written.
    const before = await versions();
    const tooMuch = await doctor.client.post(rxPath, threeTimes({ topUp: { maxMg: 20, minWaitMinutes: 20 } }));
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error.refusals).toEqual([
      { rule: 'max_daily_dose', field: 'diamorphine.sessions', message: "3 sessions of up to 100 mg (with top-up) could reach 300 mg in 24 hours, above the clinic's maximum of 250 mg" },
    ]);
    // Adding a third dose at the same dose is a rise in the daily total, which the rise limit still catches.
    const sameDose = await doctor.client.post(rxPath, threeTimes({ ivDoseMg: 100, imDoseMg: 80 }));
    expect(sameDose.body.error.refusals.map((r: { rule: string }) => r.rule)).toEqual(expect.arrayContaining(['max_daily_dose', 'max_rise_per_day']));
    expect(await versions()).toBe(before);

    // 3 × 80 mg = 240 mg, within 250 mg, and 40 mg more a day than 2 × 100 mg: accepted.
    const ok = await doctor.client.post(rxPath, threeTimes());
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.content.diamorphine.sessions).toEqual(['AM', 'PM', 'EVE']);

    // The clinic cannot now drop the evening session: her doses would silently stop. Nothing written.
    const latest = await clinic.admin.client.get(clinic.url());
    const dropped = await clinic.admin.client.put(clinic.url('/settings'), {
      expectedVersion: latest.body.settingsVersion,
      reason: 'no more evening session',
      settings: { ...latest.body.settings, sessions: latest.body.settings.sessions.slice(0, 2) },
    });
    expect(dropped.status).toBe(422);
    expect(dropped.body.error).toMatchObject({ code: 'session_in_use', field: 'settings.sessions' });
    expect(dropped.body.error.message).toContain('1 person');
    expect((await clinic.admin.client.get(clinic.url())).body.settingsVersion).toBe(latest.body.settingsVersion);

    // The afternoon dose at 15:10 (the end of PM)...
    t.clock.set('2026-03-02T15:10:00Z');
    await signInAgain(nurse, hca);
    const pm = await openSession(clinic, nurse, hca, 'PM');
    const a = await nurse.client.post(clinic.url(`/sessions/${pm}/assessments`), { serviceUserId, findings: fine });
    expect(a.body).toMatchObject({ stage: 'assessed', allowance: { maxMg: 80 } });
    expect((await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/preparation`), prep(item, hca, 80))).status).toBe(201);
    const given = await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/administration`), { route: 'iv', sites: ['left arm'], attempts: 1, givenMg: 80, witness: witnessOf(hca) });
    expect(given.status, JSON.stringify(given.body)).toBe(201);
    t.clock.set('2026-03-02T15:35:00Z');
    await signInAgain(nurse, hca);
    expect((await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/discharge`), { sedation: 1 })).status).toBe(201);

    // ...so when the evening opens at 17:00 the person is expected, but may not be dosed until 19:10.
    t.clock.set('2026-03-02T17:05:00Z');
    await signInAgain(nurse, hca);
    const eve = await openSession(clinic, nurse, hca, 'EVE');
    const list = (await nurse.client.get(clinic.url('/dose-list?session=EVE'))).body.entries;
    expect(list).toEqual([expect.objectContaining({ serviceUserId, nextPossibleAt: '2026-03-02T19:10:00Z' })]);
    const b = await nurse.client.post(clinic.url(`/sessions/${eve}/assessments`), { serviceUserId, findings: fine });
    expect(b.body.refusals).toEqual([{ rule: 'minimum_interval', message: 'Minimum interval 4 h: last dose 15:10, next possible 19:10' }]);
    const tooSoon = await nurse.client.post(clinic.url(`/doses/${b.body.doseId}/preparation`), prep(item, hca, 80));
    expect(tooSoon.status).toBe(422);
    expect(tooSoon.body.error.code).toBe('minimum_interval');

    // At 19:15, within the evening window, the third dose of the day is given.
    t.clock.set('2026-03-02T19:15:00Z');
    await signInAgain(nurse, hca);
    const c = await nurse.client.post(clinic.url(`/sessions/${eve}/assessments`), { serviceUserId, findings: fine });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    expect(c.body).toMatchObject({ stage: 'assessed', allowance: { maxMg: 80 } });
    expect((await nurse.client.post(clinic.url(`/doses/${c.body.doseId}/preparation`), prep(item, hca, 80))).status).toBe(201);
    const third = await nurse.client.post(clinic.url(`/doses/${c.body.doseId}/administration`), { route: 'iv', sites: ['right arm'], attempts: 1, givenMg: 80, witness: witnessOf(hca) });
    expect(third.status, JSON.stringify(third.body)).toBe(201);
    t.clock.set('2026-03-02T19:40:00Z');
    await signInAgain(nurse, hca);
    expect((await nurse.client.post(clinic.url(`/doses/${c.body.doseId}/discharge`), { sedation: 1 })).status).toBe(201);

    // The clinic's ceiling over any rolling 24 hours still holds across days: the next morning's dose fits
    // (160 mg since 08:00 yesterday), but at 12:35 the last 24 hours hold PM, EVE and AM (240 mg), so
    // only 10 mg of the 250 mg ceiling is left, though the prescription's own day allows 240 mg.
    t.clock.set('2026-03-03T08:05:00Z');
    await signInAgain(nurse, hca);
    const am = await openSession(clinic, nurse, hca, 'AM');
    const d = await nurse.client.post(clinic.url(`/sessions/${am}/assessments`), { serviceUserId, findings: fine });
    expect(d.body).toMatchObject({ stage: 'assessed', allowance: { maxMg: 80 } });
    await nurse.client.post(clinic.url(`/doses/${d.body.doseId}/preparation`), prep(item, hca, 80));
    expect((await nurse.client.post(clinic.url(`/doses/${d.body.doseId}/administration`), { route: 'iv', sites: ['left arm'], attempts: 1, givenMg: 80, witness: witnessOf(hca) })).status).toBe(201);
    t.clock.set('2026-03-03T08:30:00Z');
    await signInAgain(nurse, hca);
    await nurse.client.post(clinic.url(`/doses/${d.body.doseId}/discharge`), { sedation: 1 });

    t.clock.set('2026-03-03T12:35:00Z');
    await signInAgain(nurse, hca);
    const pm2 = await openSession(clinic, nurse, hca, 'PM');
    const e = await nurse.client.post(clinic.url(`/sessions/${pm2}/assessments`), { serviceUserId, findings: fine });
    expect(e.body.allowance).toMatchObject({ maxMg: 10 });
    const over = await nurse.client.post(clinic.url(`/doses/${e.body.doseId}/preparation`), prep(item, hca, 80));
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({ code: 'max_rolling_24h', message: "240 mg given in the last 24 hours; 80 mg more would exceed the clinic's maximum of 250 mg in any 24 hours (at most 10 mg now)" });
  });
});
