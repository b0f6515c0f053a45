import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { postgresSkipped } from './support/test-database';
import { TestApp, TEST_PASSWORD } from './support/test-app';
import { allEntries, receive, witnessOf } from './support/cd';
import { dosingClinic, fine, openSession, prep } from './support/dosing';
import { starting } from './support/clinical';
import { clinicInstant } from '../src/domain/time/clinic-time';

/**
 * A fortnight at a clinic of 15 people, two sessions a day, across the spring clock change, through
 * the API only: refusals on breath alcohol, a failed-access switch to IM, a top-up, a hospital
 * admission and return with re-titration, three missed doses and the re-titration that follows.
 * At the end the register must reconcile exactly with the doses given, every day, every session.
 */
describe.skipIf(postgresSkipped())('a simulated fortnight', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  it('15 people, 28 sessions: every dose safe, and the register reconciles exactly', async () => {
    t.clock.set('2026-03-22T08:00:00Z');
    const { clinic, nurse, hca, doctor, accountable, item, persons } = await dosingClinic(t, 15);
    const at = (date: Temporal.PlainDate, time: string) => clinicInstant(date, time, 'Europe/London');
    const ABSENT = persons[3]!; // in hospital on days 4–6
    const MISSER = persons[7]!; // misses three sessions on days 9–10
    const start = Temporal.PlainDate.from('2026-03-23');
    const stats = { given: 0, refused: 0, missed: 0, im: 0, topUps: 0, sessions: 0 };
    const signIn = async () => {
      for (const s of [nurse, hca, doctor, accountable]) await s.client.signIn(s.email);
    };

    for (let day = 0; day < 14; day++) {
      const date = start.add({ days: day });
      for (const [code, opens] of [['AM', '08:30'], ['PM', '13:45']] as const) {
        t.clock.set(at(date, opens).toString());
        await signIn();
        if (code === 'AM') await receive(clinic, accountable, hca, item, 40); // the day's delivery
        if (day === 4 && code === 'AM') {
          await hca.client.post(clinic.url(`/episodes/${ABSENT.episodeId}/absences`), { kind: 'hospital', liaison: 'Ward 12, James Cook' });
        }
        if (day === 7 && code === 'AM') {
          await doctor.client.post(clinic.url(`/episodes/${ABSENT.episodeId}/absences/end`));
          const plan = starting({ startDate: date.toString(), reviewDate: date.add({ days: 7 }).toString() });
          plan.content.diamorphine = { ...plan.content.diamorphine, ivDoseMg: 100, imDoseMg: 80, titration: { startDoseMg: 30, steps: [{ fromDate: date.add({ days: 1 }).toString(), doseMg: 60 }, { fromDate: date.add({ days: 2 }).toString(), doseMg: 90 }] }, topUp: { maxMg: 20, minWaitMinutes: 20 } } as never;
          const review = await doctor.client.post(clinic.url(`/service-users/${ABSENT.serviceUserId}/reviews`), { notes: 'back from hospital', retitrationPlanned: true, prescription: { content: plan.content, reason: 're-titration after admission' }, signature: { password: TEST_PASSWORD } });
          expect(review.status, JSON.stringify(review.body)).toBe(201);
        }
        if (day === 10 && code === 'PM') {
          // After three missed doses: locked to the re-titration dose until the prescriber's plan.
          const plan = starting({ startDate: date.toString(), reviewDate: date.add({ days: 7 }).toString() });
          plan.content.diamorphine = { ...plan.content.diamorphine, ivDoseMg: 100, imDoseMg: 80, titration: { startDoseMg: 30, steps: [{ fromDate: date.add({ days: 1 }).toString(), doseMg: 60 }] }, topUp: null } as never;
          const review = await doctor.client.post(clinic.url(`/service-users/${MISSER.serviceUserId}/reviews`), { notes: 'missed three doses', retitrationPlanned: true, prescription: { content: plan.content, reason: 're-titration after missed doses' }, signature: { password: TEST_PASSWORD } });
          expect(review.status, JSON.stringify(review.body)).toBe(201);
        }
        const sessionId = await openSession(clinic, nurse, hca, code);
        stats.sessions++;
        for (const [i, person] of persons.entries()) {
          if ((day === 9 && person === MISSER) || (day === 10 && code === 'AM' && person === MISSER)) continue; // three missed
          if (day >= 4 && day < 7 && person === ABSENT) continue; // in hospital
          const breathy = (day * 7 + i) % 23 === 0;
          const a = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), {
            serviceUserId: person.serviceUserId,
            findings: fine,
            ...(breathy ? { breathAlcohol: { value: 0.7, unit: 'mg_per_l_breath' } } : {}),
          });
          expect(a.status, JSON.stringify(a.body)).toBe(201);
          if (a.body.stage === 'refused') {
            stats.refused++;
            continue;
          }
          expect(a.body.allowance, `${date} ${code} ${i}: ${JSON.stringify(a.body.refusals)}`).not.toBeNull();
          const mg = a.body.allowance.maxMg as number;
          if (person === MISSER && day === 10) expect(mg).toBe(30);
          const ampoules = Math.ceil(mg / 100);
          const prepared = await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/preparation`), prep(item, hca, mg, ampoules, ampoules));
          expect(prepared.status, JSON.stringify(prepared.body)).toBe(201);
          const switchToIm = day === 2 && code === 'AM' && i === 5;
          const given = await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/administration`), {
            route: 'iv',
            sites: [switchToIm ? 'left buttock (IM)' : 'left arm'],
            attempts: switchToIm ? 4 : 1,
            givenMg: switchToIm ? Math.min(mg, 80) : mg,
            switchedToIm: switchToIm,
            witness: witnessOf(hca),
          });
          expect(given.status, JSON.stringify(given.body)).toBe(201);
          stats.given++;
          if (switchToIm) stats.im++;
          t.clock.advance({ minutes: 2 });
        }
        // Observation over; a top-up for one person on day 1's PM session, then discharge everyone.
        t.clock.advance({ minutes: 31 });
        await signIn();
        const toDischarge: string[] = [];
        if (day === 1 && code === 'PM') {
          const person = persons[1]!;
          const top = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: person.serviceUserId, kind: 'top_up', findings: fine });
          expect(top.body.allowance, JSON.stringify(top.body.refusals)).toEqual({ maxMg: 20, basis: 'prescribed top-up of up to 20 mg' });
          expect((await nurse.client.post(clinic.url(`/doses/${top.body.doseId}/preparation`), prep(item, hca, 20, 1, 1))).status).toBe(201);
          expect((await nurse.client.post(clinic.url(`/doses/${top.body.doseId}/administration`), { route: 'iv', sites: ['right arm'], attempts: 1, givenMg: 20, witness: witnessOf(hca) })).status).toBe(201);
          toDischarge.push(top.body.doseId);
          stats.topUps++;
          t.clock.advance({ minutes: 21 });
          await signIn();
        }
        const list = (await nurse.client.get(clinic.url(`/dose-list?session=${code}`))).body.entries;
        toDischarge.push(...list.filter((e: any) => e.status === 'in_observation').map((e: any) => e.doseId));
        for (const doseId of toDischarge) {
          const d = await nurse.client.post(clinic.url(`/doses/${doseId}/discharge`), { sedation: 1 });
          expect(d.status, JSON.stringify(d.body)).toBe(201);
        }
        const closed = await nurse.client.post(clinic.url(`/sessions/${sessionId}/close`));
        expect(closed.status, JSON.stringify(closed.body)).toBe(200);
        stats.missed += closed.body.closed.missed;
      }
    }

    // Everything the register says was drawn was given or wasted, every session of every day.
    for (let day = 0; day < 14; day++) {
      const rec = (await accountable.client.get(clinic.url(`/cd/reconciliation?date=${start.add({ days: day })}`))).body;
      for (const s of rec.doses) expect(s.unaccountedMg, `${start.add({ days: day })} ${s.session}`).toBe(0);
    }
    const verify = (await accountable.client.get(clinic.url('/cd/verify'))).body;
    expect(verify.ok).toBe(true);
    // More entries than one screenful (the default page is the latest 200): read every page.
    const reg = await allEntries(clinic, accountable, item);
    expect(reg.entries.map((e: any) => e.seq)).toEqual(Array.from({ length: reg.item.entries }, (_, i) => i + 1));
    const supplied = reg.entries.filter((e: any) => e.kind === 'supply_administration').reduce((n: number, e: any) => n + e.quantity, 0);
    expect(reg.item.balance).toBe(200 + 14 * 40 - supplied);
    process.stdout.write(`fortnight: ${JSON.stringify({ ...stats, ampoulesSupplied: supplied, balance: reg.item.balance })}\n`);
    expect(stats.refused).toBeGreaterThan(0);
    expect(stats.im).toBe(1);
    expect(stats.topUps).toBe(1);
    expect(stats.missed).toBeGreaterThanOrEqual(3);
    expect(stats.given).toBeGreaterThan(300);
  }, 600_000);
});
