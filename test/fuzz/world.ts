import { CLINICAL_ROLES } from '../../src/domain/staff/roles';
import type { TestApp, TestClinic, TestStaff } from '../support/test-app';
import { TEST_PASSWORD } from '../support/test-app';
import { referredPerson } from '../support/clinical';
import { OWN_PASSWORD, portalClinic, portalUser, type PortalClient } from '../support/portal';

/**
 * The clinic the fuzzer writes to: people in treatment with a prescription, an open session with
 * doses given, a register page with stock, portal accounts; and a member of staff who holds every
 * role there (and is a deployment administrator), so that a refusal is about the input, never
 * about permission. Another clinic supplies ids that must not be reachable from this one.
 */
export interface FuzzWorld {
  t: TestApp;
  clinic: TestClinic;
  actor: TestStaff;
  witness: TestStaff;
  /** Ids by parameter or field name. */
  ids: Record<string, string>;
  /** Ids of the other clinic's things, by the same names. */
  foreign: Record<string, string>;
  portal: PortalClient;
  portalUsername: string;
  portalPassword: string;
  /** A member of staff who exists only to be signed in, out and reset. */
  spare: TestStaff;
  sparePassword: string;
  /** Signed in (and refused) by the sign-in route's fuzzing, so failed attempts lock no one else out. */
  loginTarget: TestStaff;
  portalLoginTarget: string;
  /** The clinic's settings as seeded, and their version. */
  settings: unknown;
  settingsVersion: number;
}

export async function seedWorld(t: TestApp): Promise<FuzzWorld> {
  const pc = await portalClinic(t);
  const { clinic, hca, item, persons, sessionId, doseIds, usernames } = pc;
  const actor = await t.newStaff(clinic.clinicId, [...CLINICAL_ROLES], { deploymentAdmin: true });
  const licence = await actor.client.patch(clinic.url(`/staff/${actor.staffId}`), {
    professionalBody: 'GMC',
    registrationNumber: '1234567',
    homeOfficeLicenceNumber: 'HO/999',
    homeOfficeLicenceExpiry: '2027-12-31',
  });
  if (licence.status !== 200) throw new Error(`licence: ${JSON.stringify(licence.body)}`);
  const spare = await t.newStaff(clinic.clinicId, ['hca'], { signIn: false });
  const loginTarget = await t.newStaff(clinic.clinicId, ['hca'], { signIn: false });
  const colleague = await t.newStaff(clinic.clinicId, ['keyworker'], { signIn: false });
  const waiting = await referredPerson(clinic, { familyName: 'Fuzzwaiting', givenName: 'Wyn', preferredName: null });

  // A patient return, so that its destruction route has a real id.
  const back = await actor.client.post(clinic.url('/cd/patient-returns'), {
    serviceUserId: persons[0]!.serviceUserId,
    description: 'Unused ampoule handed back',
    quantity: 1,
    strengthMg: 100,
    witness: { staffId: hca.staffId, password: TEST_PASSWORD },
  });

  const elsewhere = await t.newClinic();
  const foreignPerson = await referredPerson(elsewhere, { familyName: 'Foreign', givenName: 'Fay', preferredName: null });

  const portal = await portalUser(t, usernames[0]!);
  const current = (await actor.client.get(clinic.url())).body as { settings: unknown; settingsVersion: number };
  const ids: Record<string, string> = {
    clinicId: clinic.clinicId,
    staffId: colleague.staffId,
    serviceUserId: persons[0]!.serviceUserId,
    episodeId: persons[0]!.episodeId,
    itemId: item,
    sessionId,
    doseId: doseIds[0]!,
    returnId: back.status === 201 ? (back.body.returnId as string) : '00000000-0000-7000-8000-00000000aaaa',
    discrepancyId: '00000000-0000-7000-8000-00000000bbbb',
    recordId: '00000000-0000-7000-8000-00000000cccc',
    keyworkerId: actor.staffId,
    witnessId: hca.staffId,
    waitingServiceUserId: waiting.serviceUserId,
    waitingEpisodeId: waiting.episodeId,
    secondServiceUserId: persons[1]!.serviceUserId,
    secondEpisodeId: persons[1]!.episodeId,
    recordClinicId: elsewhere.clinicId,
  };
  const foreign = { clinicId: elsewhere.clinicId, serviceUserId: foreignPerson.serviceUserId, episodeId: foreignPerson.episodeId };
  return { t, clinic, actor, witness: hca, ids, foreign, portal, portalUsername: usernames[0]!, portalPassword: OWN_PASSWORD, spare, sparePassword: TEST_PASSWORD, loginTarget, portalLoginTarget: usernames[1]!, settings: current.settings, settingsVersion: current.settingsVersion };
}
