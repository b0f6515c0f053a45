import type { Patient, Practitioner } from '@medplum/fhirtypes';
import type { ServiceUserRecord } from '../service-user/record';
import { NHS_NUMBER_SYSTEM, registrationSystem } from './codes';

/** openhat's recorded sex → FHIR R4 AdministrativeGender (a required binding: male, female, other, unknown). */
const ADMINISTRATIVE_GENDER: Record<ServiceUserRecord['sex'], Patient['gender'] | null> = {
  male: 'male',
  female: 'female',
  indeterminate: 'other',
  not_stated: 'unknown',
  not_known: null,
};

/**
 * A service user as a FHIR R4 Patient: name (with the preferred name as a second, usual name),
 * date of birth, administrative gender (from the sex the person states; left out when never asked),
 * NHS number and address. Nothing else of the record goes out here: alerts,
 * safeguarding and the rest stay in openhat.
 */
export function toPatient(serviceUserId: string, record: ServiceUserRecord, meta?: { version: number; recordedAt: string }): Patient {
  const patient: Patient = {
    resourceType: 'Patient',
    id: serviceUserId,
    ...(meta ? { meta: { versionId: String(meta.version), lastUpdated: meta.recordedAt } } : {}),
    identifier: record.nhsNumber ? [{ system: NHS_NUMBER_SYSTEM, value: record.nhsNumber }] : [],
    name: [
      { use: 'official', family: record.familyName, given: [record.givenName] },
      ...(record.preferredName ? [{ use: 'usual' as const, given: [record.preferredName] }] : []),
    ],
    birthDate: record.dateOfBirth,
  };
  const gender = ADMINISTRATIVE_GENDER[record.sex ?? 'not_known'];
  if (gender) patient.gender = gender;
  if (patient.identifier!.length === 0) delete patient.identifier;
  if (record.address) {
    patient.address = [{ use: 'home', line: [...record.address.lines], ...(record.address.postcode ? { postalCode: record.address.postcode } : {}) }];
  }
  return patient;
}

/** What openhat knows of a member of staff that may go out: never the email's password, hash or lock-out. */
export interface StaffForFhir {
  staffId: string;
  displayName: string;
  active: boolean;
  professionalBody: string | null;
  registrationNumber: string | null;
}

/** A member of staff as a Practitioner: the name, and the professional registration (GMC, NMC...) when there is one. */
export function toPractitioner(s: StaffForFhir): Practitioner {
  return {
    resourceType: 'Practitioner',
    id: s.staffId,
    active: s.active,
    name: [{ text: s.displayName }],
    ...(s.professionalBody && s.registrationNumber
      ? { identifier: [{ system: registrationSystem(s.professionalBody), value: s.registrationNumber, assigner: { display: s.professionalBody.toUpperCase() } }] }
      : {}),
  };
}
