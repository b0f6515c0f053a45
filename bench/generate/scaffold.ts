/* eslint-disable @typescript-eslint/no-explicit-any -- a benchmark harness: JSON answers and SQL rows read loosely */
import { Temporal } from 'temporal-polyfill';
import { defaultClinicSettings } from '../../src/domain/clinic/clinic-settings';
import type { Role } from '../../src/domain/staff/roles';
import type { Database } from '../../src/store/database';
import { createClinic } from '../../src/store/clinics';
import { createStaff, setRoles } from '../../src/store/staff';
import { inTransaction, SYSTEM_ACTOR } from '../../src/store/transaction';
import { argon2Hasher } from '../../src/server/auth/passwords';
import { loadConfig } from '../../src/server/config';

/**
 * The in-process app that makes the clinics: no second factor at sign-in (it only makes the data;
 * the benchmark's own server runs with the deployment's defaults) and no sign-in rate limit.
 */
const scaffoldConfig = () => ({ ...loadConfig({ OPENHAT_SECOND_FACTOR_ROLES: 'none' }), loginRateLimitPerMinute: 100_000 });
import { allCriteriaMet, starting } from '../../test/support/clinical';
import { TEST_PASSWORD, TestApp, testPasswords, type Client } from '../../test/support/test-app';
import { Rng, deriveSeed } from './rng';
import { HISTORY_ENDS, type Size } from './sizes';

/**
 * The parts of each clinic that the application must make itself, through its API (clinics,
 * staff, register pages, people referred, assessed, inducted and prescribed for): everything the
 * bulk history then refers to. Staff who witness doses have password hashes at the production
 * Argon2 cost, as a real deployment's would be, so witnessing costs in the benchmark what it costs
 * at the hatch; the others use the cheap test cost so that making the clinics stays quick.
 */

export const BENCH_PASSWORD = TEST_PASSWORD;

export interface StaffRef {
  staffId: string;
  name: string;
  email: string;
}

export interface PersonRef {
  serviceUserId: string;
  name: string;
  address: string;
}

export interface ClinicScaffold {
  index: number;
  clinicId: string;
  /** Clinic date of the first day of history (people start treatment that day). */
  opensOn: string;
  itemId: string;
  admin: StaffRef;
  prescriber: StaffRef;
  nurses: StaffRef[];
  hcas: StaffRef[];
  people: PersonRef[];
}

export interface Manifest {
  size: string;
  seed: number;
  historyEnds: string;
  commissioner: StaffRef;
  clinics: ClinicScaffold[];
}

const GIVEN = ['Alex', 'Sam', 'Jo', 'Chris', 'Pat', 'Lee', 'Kim', 'Robin', 'Jamie', 'Toni', 'Dee', 'Mel', 'Ash', 'Charlie', 'Frankie', 'Jess', 'Kerry', 'Les', 'Nicky', 'Ray'];
const FAMILY = ['Smith', 'Jones', 'Taylor', 'Brown', 'Wilson', 'Evans', 'Thomas', 'Roberts', 'Walker', 'Wright', 'Hughes', 'Green', 'Hall', 'Wood', 'Clarke', 'Harris', 'Lewis', 'Young', 'King', 'Scott'];
const STREETS = ['High Street', 'Station Road', 'Church Lane', 'Park Road', 'Victoria Street', 'Mill Lane', 'Albert Road', 'North Road'];

export function firstDay(size: Size): Temporal.PlainDate {
  return Temporal.PlainDate.from(HISTORY_ENDS).subtract({ years: size.years }).add({ days: 1 });
}

export function clinicOpensOn(size: Size, index: number): Temporal.PlainDate {
  const start = firstDay(size);
  const days = start.until(Temporal.PlainDate.from(HISTORY_ENDS)).days + 1;
  return start.add({ days: Math.floor((index / size.clinics) * size.staggered * (days - 30)) });
}

export async function scaffold(db: Database, size: Size, seed: number, onClinic: (done: number) => void): Promise<Manifest> {
  const rng = new Rng(deriveSeed(seed, 'scaffold'));
  const t = await TestApp.on(db, scaffoldConfig());
  const production = loadConfig({}).argon2;
  const witnessHash = await argon2Hasher(production).hash(BENCH_PASSWORD);
  const cheapHash = await testPasswords.hash(BENCH_PASSWORD);
  const ok = async (what: string, p: Promise<{ status: number; body: any }>) => {
    const res = await p;
    if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const newStaff = async (clinicId: string | null, email: string, name: string, roles: Role[], hash: string, extra: { deploymentAdmin?: boolean } = {}) => {
    const staffId = await inTransaction(db, t.clock, SYSTEM_ACTOR, async (w) => {
      const row = await createStaff(w, { email, displayName: name, passwordHash: hash, mustChangePassword: false, ...extra }, clinicId);
      if (clinicId && roles.length) await setRoles(w, clinicId, row.staffId, roles);
      return row.staffId;
    });
    return { staffId, name, email };
  };
  const signedIn = async (who: StaffRef): Promise<Client> => {
    const client = t.client();
    await ok(`sign in ${who.email}`, client.signIn(who.email, BENCH_PASSWORD));
    return client;
  };

  t.clock.set(`${firstDay(size).toString()}T06:00:00Z`);
  const commissioner = await newStaff(null, 'commissioner@bench.test', 'Regional commissioner', [], cheapHash);
  const clinics: ClinicScaffold[] = [];
  try {
    for (let k = 0; k < size.clinics; k++) {
      const opensOn = clinicOpensOn(size, k);
      t.clock.set(`${opensOn.toString()}T06:00:00Z`);
      const name = `Clinic ${String(k + 1).padStart(3, '0')}`;
      const people = rng.int(size.people[0], size.people[1]);
      const clinicId = await inTransaction(db, t.clock, SYSTEM_ACTOR, (w) => createClinic(w, { ...defaultClinicSettings(name), places: Math.max(people, 15) }));
      const tag = `c${k + 1}`;
      const admin = await newStaff(clinicId, `${tag}.admin@bench.test`, `Admin ${tag}`, ['admin', 'cd_accountable'], cheapHash);
      const prescriber = await newStaff(clinicId, `${tag}.prescriber@bench.test`, `Dr Prescriber ${tag}`, ['prescriber'], cheapHash);
      const nurses = [await newStaff(clinicId, `${tag}.nurse1@bench.test`, `Nurse One ${tag}`, ['nurse'], witnessHash), await newStaff(clinicId, `${tag}.nurse2@bench.test`, `Nurse Two ${tag}`, ['nurse'], witnessHash)];
      const hcas = [await newStaff(clinicId, `${tag}.hca1@bench.test`, `HCA One ${tag}`, ['hca'], witnessHash), await newStaff(clinicId, `${tag}.hca2@bench.test`, `HCA Two ${tag}`, ['hca'], witnessHash)];
      await inTransaction(db, t.clock, SYSTEM_ACTOR, (w) => setRoles(w, clinicId, commissioner.staffId, ['commissioner']));
      const adminClient = await signedIn(admin);
      await ok('licence', adminClient.patch(`/api/v1/clinics/${clinicId}/staff/${prescriber.staffId}`, { professionalBody: 'GMC', registrationNumber: `7${String(k).padStart(6, '0')}`, homeOfficeLicenceNumber: `HO/${k}`, homeOfficeLicenceExpiry: '2030-12-31' }));
      const doctor = await signedIn(prescriber);
      const item = await ok('register page', adminClient.post(`/api/v1/clinics/${clinicId}/cd/items`, { strengthMg: 100, location: 'CD cupboard, dosing room' }));
      const scaffoldPeople: PersonRef[] = [];
      for (let i = 0; i < people; i++) {
        const givenName = rng.pick(GIVEN);
        const familyName = rng.pick(FAMILY);
        const address = { lines: [`${rng.int(1, 200)} ${rng.pick(STREETS)}`, 'Middlesbrough'], postcode: `TS${rng.int(1, 9)} ${rng.int(1, 9)}AA` };
        const dob = `19${rng.int(60, 89)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
        const created = await ok('referral', adminClient.post(`/api/v1/clinics/${clinicId}/service-users`, { record: { familyName, givenName, preferredName: null, dateOfBirth: dob, address }, referral: { source: 'GP' } }));
        const ep = (path: string) => `/api/v1/clinics/${clinicId}/episodes/${created.episode.episodeId}${path}`;
        await ok('assessment', doctor.post(ep('/assessment'), {}));
        await ok('eligibility', doctor.post(ep('/eligibility'), { outcomes: allCriteriaMet }));
        await ok('induction', doctor.post(ep('/induction'), {}));
        await ok('prescription', doctor.post(`/api/v1/clinics/${clinicId}/service-users/${created.serviceUserId}/prescriptions`, prescription(opensOn, opensOn.add({ days: 7 }))));
        scaffoldPeople.push({ serviceUserId: created.serviceUserId, name: `${givenName} ${familyName}`, address: [...address.lines, address.postcode].join(', ') });
      }
      clinics.push({ index: k, clinicId, opensOn: opensOn.toString(), itemId: item.itemId, admin, prescriber, nurses, hcas, people: scaffoldPeople });
      onClinic(k + 1);
    }
  } finally {
    await t.app.close();
  }
  return { size: size.name, seed, historyEnds: HISTORY_ENDS, commissioner, clinics };
}

/** IV 100 mg / IM 80 mg twice a day after two days of titration. */
export function prescription(startDate: Temporal.PlainDate, reviewDate: Temporal.PlainDate) {
  const rx = starting({ startDate: startDate.toString(), reviewDate: reviewDate.toString() });
  rx.content.diamorphine = {
    ...rx.content.diamorphine,
    ivDoseMg: 100,
    imDoseMg: 80,
    titration: { startDoseMg: 30, steps: [{ fromDate: startDate.add({ days: 1 }).toString(), doseMg: 60 }, { fromDate: startDate.add({ days: 2 }).toString(), doseMg: 90 }, { fromDate: startDate.add({ days: 3 }).toString(), doseMg: 100 }] },
  } as never;
  return rx;
}

/**
 * After the history is loaded: each person's prescription is renewed the day before the
 * benchmark's own dosing days (a new version, as a prescriber's review would make), so that the
 * doses recorded through the API are prescribed and in date.
 */
export async function renewPrescriptions(db: Database, manifest: Manifest, at: string): Promise<void> {
  const t = await TestApp.on(db, scaffoldConfig());
  t.clock.set(at);
  const today = Temporal.Instant.from(at).toZonedDateTimeISO('UTC').toPlainDate();
  try {
    for (const c of manifest.clinics) {
      const doctor = t.client();
      const res = await doctor.signIn(c.prescriber.email, BENCH_PASSWORD);
      if (res.status !== 200) throw new Error(`sign in: ${JSON.stringify(res.body)}`);
      for (const p of c.people) {
        const rx = prescription(Temporal.PlainDate.from(c.opensOn), today.add({ days: 28 }));
        rx.reason = 'review';
        const r = await doctor.post(`/api/v1/clinics/${c.clinicId}/service-users/${p.serviceUserId}/prescriptions`, rx);
        if (r.status !== 201) throw new Error(`renew: ${JSON.stringify(r.body)}`);
      }
    }
  } finally {
    await t.app.close();
  }
}
