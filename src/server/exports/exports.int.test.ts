import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp, type TestStaff } from '../../../test/support/test-app';
import { allCriteriaMet, licensedPrescriber, starting } from '../../../test/support/clinical';
import { cdTeam, page, receive, witnessOf } from '../../../test/support/cd';
import { fine, openSession, prep } from '../../../test/support/dosing';
import { queryAudit } from '../../store/audit-log';

/** People with identifiers distinctive enough that any leak into an extract is found by a plain search. */
const PEOPLE = [
  {
    givenName: 'Zebedee',
    familyName: 'Quarrington-Vask',
    preferredName: 'Zeb',
    dateOfBirth: '1979-11-23',
    sex: 'male',
    nhsNumber: '943 476 5919',
    address: { lines: ['17 Marigold Crescent', 'Thornaby-on-Tees'], postcode: 'TS17 6PQ' },
    phone: '07700 900461',
    contacts: [{ name: 'Philippa Quarrington', relationship: 'sister', phone: '07700 900462', notes: 'Zebedee stays with Philippa at weekends' }],
    gp: { practice: 'Larchfield Surgery', address: '2 Larchfield Way', phone: '01642 111222' },
    alerts: [{ text: 'Zebedee Quarrington-Vask keeps a dog called Biscuit', severity: 'info' }],
    safeguardingAlerts: [{ text: 'Zebedee discloses a debt to a dealer', raisedOn: '2026-02-01' }],
  },
  {
    givenName: 'Ottoline',
    familyName: 'Brackenbury',
    preferredName: null,
    dateOfBirth: '1991-04-02',
    nhsNumber: '9434765870',
    address: { lines: ['Flat 3, 88 Wexcombe Road', 'Stockton-on-Tees'], postcode: 'TS18 3JL' },
    phone: '01642 496031',
    risks: ['Ottoline Brackenbury overdosed in 2024 at Wexcombe Road'],
  },
  {
    givenName: 'Ignatius',
    familyName: 'Fenwright',
    preferredName: 'Iggy',
    dateOfBirth: '1966-08-30',
    nhsNumber: '401 023 2137',
    address: null,
    noFixedAbode: true,
    phone: '+44 7700 900999',
  },
];

/** Every identifier string in the source data (and the spellings an export might use). */
function identifiers(ids: string[]): string[] {
  const out = new Set<string>(ids);
  for (const p of PEOPLE) {
    const anyP = p as Record<string, any>;
    for (const s of [p.givenName, p.familyName, p.preferredName, p.dateOfBirth, p.phone, p.nhsNumber, p.nhsNumber.replace(/\s/g, '')]) if (s) out.add(s);
    for (const l of anyP.address?.lines ?? []) out.add(l);
    if (anyP.address?.postcode) out.add(anyP.address.postcode);
    for (const c of anyP.contacts ?? []) [c.name, c.phone, c.notes].forEach((s: string) => out.add(s));
    if (anyP.gp) [anyP.gp.practice, anyP.gp.address, anyP.gp.phone].forEach((s: string) => out.add(s));
    for (const a of anyP.alerts ?? []) out.add(a.text);
    for (const a of anyP.safeguardingAlerts ?? []) out.add(a.text);
    for (const r of anyP.risks ?? []) out.add(r);
  }
  out.add('Quarrington');
  out.add('Biscuit');
  out.add('Wexcombe');
  out.add('Leeds');
  out.add('Sunday');
  return [...out];
}

const topForm = (stage: 'start' | 'review' | 'exit') => ({
  stage,
  substanceUse: {
    alcohol: { weeks: [2, 3, 1, 0], averagePerUsingDay: 12 },
    opiates: { weeks: [7, 7, 7, 7], averagePerUsingDay: 0.5 },
    crack: { days: 10, averagePerUsingDay: 1 },
    cocaine: { days: 0 },
    amphetamines: { days: 0 },
    cannabis: null,
    other: { name: 'Quarrington home brew', days: 2, averagePerUsingDay: 1 },
    tobacco: { days: 28 },
  },
  injectingRisk: { injected: { weeks: [5, 6, 7, 7] }, sharedNeedleOrSyringe: false, sharedSpoonWaterOrFilter: true },
  crime: { shoplifting: { days: 4 }, drugSelling: { days: 0 }, theftFromOrOfVehicle: false, otherPropertyTheftOrBurglary: true, fraudForgeryOrHandlingStolenGoods: false, assaultOrViolence: false },
  healthAndSocialFunctioning: { psychologicalHealth: 6, paidWork: { days: 0 }, collegeOrSchool: { days: 0 }, physicalHealth: 9, acuteHousingProblem: true, atRiskOfEviction: false, qualityOfLife: 5 },
});

const daysBetween = (a: string, b: string) => Temporal.PlainDate.from(a).until(Temporal.PlainDate.from(b)).days;

describe.skipIf(postgresSkipped())('exports: the NDTMS return and the research extract', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  async function later(iso: string, ...staff: TestStaff[]) {
    t.clock.set(iso);
    for (const s of staff) await s.client.signIn(s.email);
  }

  /**
   * Referred 16 Feb, assessed 18 Feb, started 2 Mar. At the 2 Mar AM session Zebedee is dosed,
   * Ottoline refused, Ignatius does not come (missed); Zebedee has a toxicology test (street heroin
   * positive) and a start TOP; Ignatius is discharged on 10 Mar for "other" reasons.
   */
  async function clinicWithPeople() {
    t.clock.set('2026-02-16T10:00:00Z');
    const clinic = await t.newClinic();
    const { accountable, nurse, hca } = await cdTeam(t, clinic);
    const doctor = await licensedPrescriber(t, clinic);
    const keyworker = await t.newStaff(clinic.clinicId, ['keyworker']);
    const commissioner = await t.newStaff(clinic.clinicId, ['commissioner']);
    const item = await page(clinic, accountable, 100);
    await receive(clinic, accountable, hca, item, 200);
    const people: { serviceUserId: string; episodeId: string }[] = [];
    for (const record of PEOPLE) {
      const res = await clinic.admin.client.post(clinic.url('/service-users'), { record, referral: { source: 'GP', reason: `${record.givenName} ${record.familyName} asked for HAT` } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      people.push({ serviceUserId: res.body.serviceUserId, episodeId: res.body.episode.episodeId });
    }
    const ep = (i: number, path: string) => clinic.url(`/episodes/${people[i]!.episodeId}${path}`);
    await later('2026-02-18T10:00:00Z', doctor, clinic.admin);
    for (let i = 0; i < 3; i++) expect((await doctor.client.post(ep(i, '/assessment'), {})).status).toBe(200);
    await later('2026-03-02T08:00:00Z', doctor, nurse, hca, keyworker, clinic.admin, accountable);
    for (let i = 0; i < 3; i++) {
      expect((await doctor.client.post(ep(i, '/eligibility'), { outcomes: allCriteriaMet })).status).toBe(200);
      expect((await doctor.client.post(ep(i, '/induction'), {})).status).toBe(200);
      const rx = starting();
      rx.content.diamorphine = { ...rx.content.diamorphine, ivDoseMg: 100, imDoseMg: 80, titration: { startDoseMg: 30, steps: [{ fromDate: '2026-03-02', doseMg: 60 }, { fromDate: '2026-03-03', doseMg: 90 }, { fromDate: '2026-03-04', doseMg: 100 }] } } as never;
      rx.content.startDate = '2026-03-01';
      const res = await doctor.client.post(clinic.url(`/service-users/${people[i]!.serviceUserId}/prescriptions`), rx);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    await later('2026-03-02T09:00:00Z', nurse, hca, keyworker, clinic.admin);
    const [zeb, otto, iggy] = people.map((p) => p.serviceUserId) as [string, string, string];
    const sessionId = await openSession(clinic, nurse, hca);
    const a = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: zeb, findings: fine });
    expect((await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/preparation`), prep(item, hca, 60))).status).toBe(201);
    expect((await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/administration`), { route: 'iv', sites: ['left arm'], attempts: 1, givenMg: 60, witness: witnessOf(hca) })).status).toBe(201);
    await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), {
      serviceUserId: otto,
      findings: { ...fine, signsOfIntoxication: true },
      afterRefusal: { offeredToStay: true, naloxoneChecked: true, adviceGiven: true, reassessAt: null },
    });
    t.clock.advance({ minutes: 20 });
    await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/discharge`), { sedation: 1 });
    const closed = await nurse.client.post(clinic.url(`/sessions/${sessionId}/close`));
    expect(closed.body.closed, JSON.stringify(closed.body)).toMatchObject({ missed: 1 });
    const tox = await nurse.client.post(clinic.url(`/service-users/${zeb}/toxicology`), {
      outcome: 'taken',
      sampleType: 'urine',
      method: 'point_of_care',
      results: [{ substance: 'acetylcodeine', result: 'positive' }],
      notes: 'Zebedee said he used on Sunday',
    });
    expect(tox.status, JSON.stringify(tox.body)).toBe(201);
    const top = await keyworker.client.post(clinic.url(`/service-users/${zeb}/outcomes`), topForm('start'));
    expect(top.status, JSON.stringify(top.body)).toBe(201);
    await later('2026-03-10T10:00:00Z', keyworker, clinic.admin, nurse, commissioner);
    expect((await keyworker.client.post(ep(2, '/discharge'), { reason: 'other', note: 'Ignatius Fenwright moved to Leeds' })).status).toBe(200);
    return { clinic, nurse, doctor, commissioner, zeb, otto, iggy, people };
  }

  it('NDTMS: admins get the month as rows with problems, and as CSV; the read is audited; others may not', async () => {
    const { clinic, nurse, commissioner, zeb, otto, iggy } = await clinicWithPeople();
    const url = clinic.url('/exports/ndtms?month=2026-03');
    expect((await commissioner.client.get(url)).status).toBe(403);
    expect((await nurse.client.get(url)).status).toBe(403);

    const res = await clinic.admin.client.get(url);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.rows).toHaveLength(3);
    const row = (id: string) => res.body.rows.find((r: { CLIENTID: string }) => r.CLIENTID === id);
    expect(row(zeb)).toMatchObject({ FINITIAL: 'Z', SINITIAL: 'Q', DOB: '1979-11-23', PC: 'TS17', REFLD: '2026-02-16', TRIAGED: '2026-02-18', MODAL: 'specialist_prescribing', MODSUB: 'injectable_opioid_treatment', MODST: '2026-03-02', DISD: null, TOPDATE: '2026-03-02', TRSTAGE: 'S', TOPOPID: 28 });
    expect(row(iggy)).toMatchObject({ PC: 'ZZ99', MODEND: '2026-03-10', DISD: '2026-03-10', DISRSN: null });
    // Zebedee's sex is recorded (M); the others' records say it was never asked, and "other" has no
    // NDTMS discharge reason: each is named, by row and field.
    expect(row(zeb).SEX).toBe('M');
    expect(res.body.problems.filter((p: { field: string }) => p.field === 'SEX').map((p: { clientId: string }) => p.clientId).sort()).toEqual([otto, iggy].sort());
    expect(res.body.problems.filter((p: { field: string }) => p.field !== 'SEX')).toEqual([{ row: res.body.rows.indexOf(row(iggy)) + 1, clientId: iggy, field: 'DISRSN', message: expect.stringContaining('choose one') }]);

    const csv = await clinic.admin.client.get(`${url}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = (csv.body as string).trim().split('\r\n');
    expect(lines[0]!.startsWith('CLIENTID,EPISODEID,FINITIAL,SINITIAL,DOB,SEX,PC,REFLD,TRIAGED,MODAL,MODSUB,MODST,MODEND,DISD,DISRSN,TOPDATE,TRSTAGE')).toBe(true);
    expect(lines).toHaveLength(4);

    const audit = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'ndtms_return', limit: 10 });
    expect(audit.map((a) => [a.action, a.details])).toEqual(
      expect.arrayContaining([
        ['read', { month: '2026-03', format: 'json', rows: 3, problems: 3 }],
        ['read', { month: '2026-03', format: 'csv', rows: 3, problems: 3 }],
      ]),
    );
    expect(audit).toHaveLength(2);

    // A month before anyone was referred: empty. A bad month: 400 naming the field, nothing audited.
    expect((await clinic.admin.client.get(clinic.url('/exports/ndtms?month=2026-01'))).body).toMatchObject({ rows: [], problems: [] });
    const bad = await clinic.admin.client.get(clinic.url('/exports/ndtms?month=2026-13'));
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toContain('month');
    expect(await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'ndtms_return', limit: 10 })).toHaveLength(3);
  });

  it('research: pseudonymised, with no identifier from the source data in JSON or CSV', async () => {
    const { clinic, nurse, commissioner, people } = await clinicWithPeople();
    const url = clinic.url('/exports/research?from=2026-02-01&to=2026-03-31');
    expect((await commissioner.client.get(url)).status).toBe(403);
    expect((await nurse.client.get(url)).status).toBe(403);

    const first = await clinic.admin.client.get(url);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const csv = await clinic.admin.client.get(`${url}&format=csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    const everything = [JSON.stringify(first.body), csv.body as string].join('\n');
    const staffIds = [clinic.admin.staffId, nurse.staffId];
    const sourceIds = [...people.flatMap((p) => [p.serviceUserId, p.episodeId]), ...staffIds];
    for (const s of identifiers(sourceIds)) expect(everything.toLowerCase(), `leaked "${s}"`).not.toContain(s.toLowerCase());

    const ps = first.body.people as any[];
    expect(ps).toHaveLength(3);
    expect(new Set(ps.map((p) => p.pseudonym)).size).toBe(3);
    // Stable within an extract: every line of one CSV about a person carries the same pseudonym.
    const lines = (csv.body as string).trim().split('\r\n').slice(1).map((l) => l.split(','));
    const csvPeople = lines.filter((l) => l[0] === 'person').map((l) => l[1]);
    expect(csvPeople).toHaveLength(3);
    for (const l of lines) expect(csvPeople).toContain(l[1]);
    expect(lines.filter((l) => l[0] === 'top')).toHaveLength(1);

    for (const p of ps) {
      expect(p).toMatchObject({ ageBandAtReferral: expect.stringMatching(/^\d+-\d+$/), daysToTriage: 2, daysToTreatment: 14 });
      // Intervals between the shifted dates are the true ones.
      expect(daysBetween(p.referredOn, p.triagedOn)).toBe(2);
      expect(daysBetween(p.referredOn, p.treatmentStartedOn)).toBe(14);
      for (const w of p.weeks) expect(daysBetween(p.referredOn, w.weekStarting)).toBe(w.weekStartDay);
      expect(Math.abs(daysBetween('2026-02-16', p.referredOn))).toBeGreaterThanOrEqual(1);
      expect(Math.abs(daysBetween('2026-02-16', p.referredOn))).toBeLessThanOrEqual(14);
    }
    const dosed = ps.find((p) => p.weeks[0]?.dosesGiven === 1);
    expect(dosed.weeks[0]).toMatchObject({ weekStartDay: 14, dosesGiven: 1, dosesRefused: 0, dosesMissed: 0, toxicologySamples: 1, streetHeroin: 'positive' });
    expect(dosed.outcomeProfiles).toEqual([expect.objectContaining({ stage: 'start', day: 14, opiatesDays: 28, qualityOfLife: 5 })]);
    expect(daysBetween(dosed.referredOn, dosed.outcomeProfiles[0].date)).toBe(14);
    expect(ps.filter((p) => p.weeks[0]?.dosesRefused === 1)).toHaveLength(1);
    const gone = ps.find((p) => p.dischargedOn !== null);
    expect(gone).toMatchObject({ dischargeReason: 'other', daysInTreatment: 8 });
    expect(gone.weeks.map((w: any) => w.dosesMissed)).toEqual([1, 0]);
    expect(ps.map((p) => ['45-49', '30-34', '55-59'].includes(p.ageBandAtReferral))).toEqual([true, true, true]);

    // A second extract: the same people under different pseudonyms, the same intervals.
    const second = (await clinic.admin.client.get(url)).body.people as any[];
    const firstNames = new Set(ps.map((p) => p.pseudonym));
    for (const p of second) expect(firstNames.has(p.pseudonym)).toBe(false);
    expect(second.map((p) => p.daysToTreatment)).toEqual([14, 14, 14]);

    const audit = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'research_extract', limit: 10 });
    expect(audit).toHaveLength(3);
    expect(audit.map((a) => a.details)).toContainEqual({ from: '2026-02-01', to: '2026-03-31', format: 'json', people: 3 });
    // The per-extract key is never stored: nothing in the audit looks like one.
    expect(JSON.stringify(audit)).not.toMatch(/key/i);
  });

  it('research: bad dates are refused naming the field', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const clinic = await t.newClinic();
    const backwards = await clinic.admin.client.get(clinic.url('/exports/research?from=2026-03-31&to=2026-03-01'));
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.field).toBe('to');
    const notADate = await clinic.admin.client.get(clinic.url('/exports/research?from=2026-02-30&to=2026-03-01'));
    expect(notADate.status).toBe(400);
    expect(notADate.body.error.field).toContain('from');
    expect(await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'research_extract', limit: 10 })).toHaveLength(0);
  });
});
