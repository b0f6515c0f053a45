import type { TestApp, TestClinic, TestStaff } from './test-app';
import { TEST_PASSWORD } from './test-app';

/** Test data in the clinic's words: a licensed prescriber, a person, and their way into treatment. */

export const record = (overrides: Record<string, unknown> = {}) => ({
  familyName: 'Bloggs',
  givenName: 'Joanne',
  preferredName: 'Jo',
  dateOfBirth: '1980-05-17',
  address: { lines: ['1 High Street', 'Middlesbrough'], postcode: 'TS1 1AA' },
  ...overrides,
});

export async function licensedPrescriber(t: TestApp, clinic: TestClinic, expiry = '2027-12-31'): Promise<TestStaff> {
  const doctor = await t.newStaff(clinic.clinicId, ['prescriber']);
  const res = await clinic.admin.client.patch(clinic.url(`/staff/${doctor.staffId}`), {
    professionalBody: 'GMC',
    registrationNumber: '7654321',
    homeOfficeLicenceNumber: 'HO/123',
    homeOfficeLicenceExpiry: expiry,
  });
  if (res.status !== 200) throw new Error(`licence: ${JSON.stringify(res.body)}`);
  return doctor;
}

export async function referredPerson(clinic: TestClinic, overrides: Record<string, unknown> = {}) {
  const res = await clinic.admin.client.post(clinic.url('/service-users'), { record: record(overrides), referral: { source: 'GP' } });
  if (res.status !== 201) throw new Error(`create: ${JSON.stringify(res.body)}`);
  return { serviceUserId: res.body.serviceUserId as string, episodeId: res.body.episode.episodeId as string };
}

export const allCriteriaMet = [
  { code: 'long_term_opioid_dependence', outcome: 'met' },
  { code: 'previous_treatment_without_benefit', outcome: 'met' },
];

/** Referred, assessed, eligible with a place, induction started. */
export async function personInInduction(t: TestApp, clinic: TestClinic, doctor: TestStaff, overrides: Record<string, unknown> = {}) {
  const person = await referredPerson(clinic, overrides);
  const ep = (path: string) => clinic.url(`/episodes/${person.episodeId}${path}`);
  for (const [path, body] of [
    ['/assessment', {}],
    ['/eligibility', { outcomes: allCriteriaMet }],
    ['/induction', {}],
  ] as const) {
    const res = await doctor.client.post(ep(path), body);
    if (res.status !== 200) throw new Error(`${path}: ${JSON.stringify(res.body)}`);
  }
  return { ...person, ep };
}

export const starting = (overrides: Record<string, unknown> = {}) => ({
  content: {
    diamorphine: {
      sessions: ['AM', 'PM'],
      ivDoseMg: 90,
      imDoseMg: 60,
      titration: { startDoseMg: 30, steps: [{ fromDate: '2026-03-03', doseMg: 60 }, { fromDate: '2026-03-04', doseMg: 90 }] },
      topUp: { maxMg: 20, minWaitMinutes: 20 },
      retitrationStartDoseMg: 30,
    },
    methadone: { drug: 'methadone oral solution 1 mg/mL', dailyDoseMg: 30, pharmacy: 'Boots, Linthorpe Road', supervised: false },
    startDate: '2026-03-02',
    endDate: null,
    reviewDate: '2026-03-09',
    ...overrides,
  },
  reason: 'induction',
  signature: { password: TEST_PASSWORD },
});
