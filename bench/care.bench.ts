import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { openPglite } from '../src/store/database';
import { migrate } from '../src/store/migrate';
import { licensedPrescriber, personInInduction, starting } from '../test/support/clinical';
import { TestApp } from '../test/support/test-app';

/**
 * Monitoring and care at one clinic on embedded PostgreSQL (PGlite, in memory): a pharmacy's
 * methadone CSV of 10,000 rows imported in one transaction, and the clinic's work lists and a
 * dose list with every person's care alerts, over 15 people with a year of records.
 * Run: npm run bench. Results: bench/results/care-pglite.json.
 */
const PEOPLE = 15;
const DAYS = 666;

async function time<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await work();
  return { ms: Math.round(performance.now() - start), result };
}

const db = await openPglite({});
await migrate(db);
const t = await TestApp.on(db);
t.clock.set('2025-01-02T09:00:00Z');
const clinic = await t.newClinic('Bench clinic');
const doctor = await licensedPrescriber(t, clinic);
const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
const people: { serviceUserId: string; nhs: string }[] = [];
for (let i = 0; i < PEOPLE; i++) {
  const p = await personInInduction(t, clinic, doctor, { givenName: `Person${i}`, familyName: `Bench${i}` });
  const rx = starting({ startDate: '2025-01-02', reviewDate: '2025-01-09' });
  (rx.content.diamorphine as { titration: unknown }).titration = { startDoseMg: 30, steps: [{ fromDate: '2025-01-03', doseMg: 60 }, { fromDate: '2025-01-04', doseMg: 90 }] };
  const res = await doctor.client.post(clinic.url(`/service-users/${p.serviceUserId}/prescriptions`), rx);
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  people.push({ serviceUserId: p.serviceUserId, nhs: '' });
}
t.clock.set('2026-11-01T10:00:00Z');
for (const who of [clinic.admin, doctor, nurse]) await who.client.signIn(who.email);

// 15 people × 666 days of pharmacy collections: 9,990 rows in one file.
const lines = ['service_user_id,date,status,dose_mg,collected_mg,pharmacy'];
for (const p of people) {
  for (let d = 0; d < DAYS; d++) {
    const date = new Date(Date.UTC(2025, 0, 2 + d)).toISOString().slice(0, 10);
    lines.push(`${p.serviceUserId},${date},${d % 11 === 0 ? 'not_collected' : 'collected'},30,${d % 11 === 0 ? '' : 30},Boots Linthorpe Road`);
  }
}
const csv = lines.join('\n');
const rows = lines.length - 1;
const check = await time(() => nurse.client.post(clinic.url('/methadone-collections/imports'), { fileName: 'year.csv', csv, mode: 'all_or_nothing', dryRun: true }));
if (check.result.status !== 200) throw new Error(JSON.stringify(check.result.body).slice(0, 500));
const imported = await time(() => nurse.client.post(clinic.url('/methadone-collections/imports'), { fileName: 'year.csv', csv, mode: 'all_or_nothing' }));
if (imported.result.status !== 201) throw new Error(JSON.stringify(imported.result.body).slice(0, 500));

// A year of weekly toxicology for everyone, then the screens that read it all.
for (const p of people) {
  for (let w = 0; w < 52; w += 1) {
    const date = new Date(Date.UTC(2025, 0, 6 + 7 * w)).toISOString().slice(0, 10);
    const res = await nurse.client.post(clinic.url(`/service-users/${p.serviceUserId}/toxicology`), { effectiveDate: date, outcome: 'taken', sampleType: 'urine', method: 'point_of_care', results: [{ substance: 'acetylcodeine', result: w % 5 === 0 ? 'positive' : 'negative' }] });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  }
}
const samples = (n: number, work: () => Promise<unknown>) =>
  (async () => {
    const ms: number[] = [];
    for (let i = 0; i < n; i++) ms.push((await time(work)).ms);
    ms.sort((a, b) => a - b);
    return { runs: n, medianMs: ms[Math.floor(n / 2)]!, maxMs: ms.at(-1)! };
  })();
const workLists = await samples(10, () => clinic.admin.client.get(clinic.url('/work-lists')));
const doseList = await samples(10, () => nurse.client.get(clinic.url('/dose-list?session=AM')));
const record = await samples(10, () => nurse.client.get(clinic.url(`/service-users/${people[0]!.serviceUserId}`)));

const result = {
  benchmark: 'care-pglite',
  measuredAt: new Date().toISOString(),
  machine: `${process.platform} ${process.arch}, Node ${process.version}`,
  people: PEOPLE,
  pharmacyImport: { rows, bytes: Buffer.byteLength(csv), dryRunMs: check.ms, importMs: imported.ms, rowsPerSecond: Math.round((rows / imported.ms) * 1000) },
  careRecordsAtClinic: rows + PEOPLE * 52,
  workListsGet: workLists,
  doseListWithCareAlertsGet: doseList,
  serviceUserWithAlertsGet: record,
};
console.log(JSON.stringify(result, null, 2));
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/care-pglite.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
await t.close();
