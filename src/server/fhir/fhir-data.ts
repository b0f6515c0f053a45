import { eq } from 'drizzle-orm';
import type { AuditEvent, MedicationAdministration, Observation, Patient, Practitioner, Resource } from '@medplum/fhirtypes';
import { currentRecords, type CareRecord } from '../../domain/care/care-record';
import type { BreathTestRecordData } from '../../domain/care/breath-tests';
import type { ToxicologyRecordData } from '../../domain/care/toxicology';
import type { Ecg } from '../../domain/care/heart-safety';
import type { DoseEvent } from '../../domain/dosing/dose-record';
import { CLINICAL_ROLES, type Role } from '../../domain/staff/roles';
import { toAuditEvent } from '../../domain/fhir/audit-event';
import { parseMedicationRequestId, toMedicationRequests } from '../../domain/fhir/medication-request';
import { toMedicationAdministration, type DoseForFhir } from '../../domain/fhir/medication-administration';
import { breathTestObservation, doseObservations, ecgObservation, parseObservationId, toxicologyObservations } from '../../domain/fhir/observation';
import { toPatient, toPractitioner, type StaffForFhir } from '../../domain/fhir/patient';
import { referencesIn } from '../../domain/fhir/bundle';
import { queryAudit, type AuditRecord } from '../../store/audit-log';
import { careRecordVersions, personCareRecords } from '../../store/care-records';
import type { Orm } from '../../store/database';
import { eventsOfDoses, getDose, personDoses, type DoseRow } from '../../store/dosing';
import { prescriptionHistory } from '../../store/prescriptions';
import { cdItems } from '../../store/schema';
import type { CdProduct } from '../../domain/fhir/codes';
import { currentVersion, listServiceUsers } from '../../store/service-users';
import { clinicStaff, getStaff, rolesByClinic, type StaffProfile } from '../../store/staff';

/**
 * Reading openhat's records as FHIR, always within clinics: the clinics where the caller holds a
 * clinical role (a commissioner's role gives none), and for AuditEvent only those where they may
 * read the audit log (admin, cd_accountable), as the API's own audit route allows.
 */

export const FHIR_TYPES = ['Patient', 'Practitioner', 'MedicationRequest', 'MedicationAdministration', 'Observation', 'AuditEvent'] as const;
export type FhirType = (typeof FHIR_TYPES)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isUuid = (s: string) => UUID.test(s);
const AUDIT_ROLES: readonly Role[] = ['admin', 'cd_accountable'];
const CARE_KINDS = ['breath_test', 'toxicology', 'ecg'] as const;

/** The clinics whose records this member of staff may read as FHIR, for this resource type. */
export async function fhirClinics(orm: Orm, staffId: string, type: FhirType): Promise<string[]> {
  const roles = await rolesByClinic(orm, staffId);
  const allowed: readonly Role[] = type === 'AuditEvent' ? AUDIT_ROLES : CLINICAL_ROLES;
  return [...roles.entries()].filter(([, rs]) => rs.some((r) => allowed.includes(r))).map(([c]) => c).sort();
}

const staffForFhir = (s: StaffProfile): StaffForFhir => ({
  staffId: s.staffId,
  displayName: s.displayName,
  active: s.active,
  professionalBody: s.registration.professionalBody,
  registrationNumber: s.registration.registrationNumber,
});

const doseForFhir = (row: DoseRow, events: DoseEvent[]): DoseForFhir => ({
  doseId: row.doseId,
  serviceUserId: row.serviceUserId,
  clinicDate: row.clinicDate,
  sessionCode: row.sessionCode,
  kind: row.kind as 'dose' | 'top_up',
  events,
});

export function careObservations(r: CareRecord): Observation[] {
  if (r.kind === 'breath_test') return [breathTestObservation(r as CareRecord<BreathTestRecordData>)];
  if (r.kind === 'toxicology') return toxicologyObservations(r as CareRecord<ToxicologyRecordData>);
  if (r.kind === 'ecg') return [ecgObservation(r as CareRecord<Ecg>)];
  return [];
}

export async function patientAt(orm: Orm, clinicId: string, id: string): Promise<Patient | null> {
  if (!isUuid(id)) return null;
  const v = await currentVersion(orm, clinicId, id);
  return v ? toPatient(id, v.record, { version: v.version, recordedAt: v.recordedAt.toISOString() }) : null;
}

function auditOut(a: AuditRecord): AuditEvent {
  return toAuditEvent({ ...a, occurredAt: a.occurredAt.toISOString() });
}

/** The clinic's CD register pages by item id: what a dose was drawn up from, for its dm+d code. */
async function cdProducts(orm: Orm, clinicId: string): Promise<Map<string, CdProduct>> {
  const rows = await orm.select({ itemId: cdItems.itemId, drug: cdItems.drug, form: cdItems.form, strengthMg: cdItems.strengthMg }).from(cdItems).where(eq(cdItems.clinicId, clinicId));
  return new Map(rows.map((r) => [r.itemId, { drug: r.drug, form: r.form, strengthMg: r.strengthMg }]));
}

/** One resource by id at one clinic, or null (missing, or not this clinic's). */
export async function readAt(orm: Orm, clinicId: string, type: FhirType, id: string): Promise<Resource | null> {
  switch (type) {
    case 'Patient':
      return patientAt(orm, clinicId, id);
    case 'Practitioner': {
      if (!isUuid(id)) return null;
      const [member] = await clinicStaff(orm, clinicId, id);
      return member ? toPractitioner(staffForFhir(member)) : null;
    }
    case 'MedicationRequest': {
      const parsed = parseMedicationRequestId(id);
      if (!parsed || !isUuid(parsed.serviceUserId)) return null;
      const v = (await prescriptionHistory(orm, clinicId, parsed.serviceUserId)).find((p) => p.version === parsed.version);
      if (!v) return null;
      return toMedicationRequests({ ...v, signedAt: v.signedAt.toString(), effectiveFrom: v.effectiveFrom.toString() }).find((r) => r.id === id) ?? null;
    }
    case 'MedicationAdministration': {
      if (!isUuid(id)) return null;
      const row = await getDose(orm, clinicId, id);
      if (!row) return null;
      const events = (await eventsOfDoses(orm, clinicId, [id])).get(id)!;
      return toMedicationAdministration(doseForFhir(row, events), await cdProducts(orm, clinicId));
    }
    case 'Observation': {
      const parsed = parseObservationId(id);
      if (!parsed || !isUuid(parsed.key)) return null;
      if (parsed.source === 'dose') {
        const row = await getDose(orm, clinicId, parsed.key);
        if (!row) return null;
        const events = (await eventsOfDoses(orm, clinicId, [parsed.key])).get(parsed.key)!;
        return doseObservations(doseForFhir(row, events)).find((o) => o.id === id) ?? null;
      }
      const [record] = currentRecords(await careRecordVersions(orm, clinicId, parsed.key));
      if (!record || record.kind !== parsed.source) return null;
      return careObservations(record).find((o) => o.id === id) ?? null;
    }
    case 'AuditEvent': {
      if (!isUuid(id)) return null;
      const [row] = await queryAudit(orm, { clinicId, auditId: id, limit: 1 });
      return row ? auditOut(row) : null;
    }
  }
}

/** Everything openhat sends as FHIR about one person at a clinic (not the audit log), with the Practitioners it refers to. */
export async function personRecord(orm: Orm, clinicId: string, serviceUserId: string) {
  const patient = await patientAt(orm, clinicId, serviceUserId);
  if (!patient) return null;
  const requests = (await prescriptionHistory(orm, clinicId, serviceUserId)).flatMap((v) =>
    toMedicationRequests({ ...v, signedAt: v.signedAt.toString(), effectiveFrom: v.effectiveFrom.toString() }),
  );
  const doses = await personDoses(orm, clinicId, serviceUserId, '0001-01-01');
  const administrations: MedicationAdministration[] = [];
  const observations: Observation[] = [];
  const products = await cdProducts(orm, clinicId);
  for (const d of doses) {
    const dose = doseForFhir(d.dose, d.events);
    const a = toMedicationAdministration(dose, products);
    if (a) administrations.push(a);
    observations.push(...doseObservations(dose));
  }
  for (const r of await personCareRecords(orm, clinicId, serviceUserId, CARE_KINDS)) observations.push(...careObservations(r));
  const clinical: Resource[] = [...requests, ...administrations, ...observations];
  const staffIds = [...new Set(referencesIn(clinical).filter((r) => r.startsWith('Practitioner/')).map((r) => r.slice('Practitioner/'.length)))].sort();
  const practitioners: Practitioner[] = [];
  for (const id of staffIds) {
    const row = await getStaff(orm, id);
    if (row) practitioners.push(toPractitioner({ staffId: row.staffId, displayName: row.displayName, active: row.active, professionalBody: row.professionalBody, registrationNumber: row.registrationNumber }));
  }
  return { patient, requests, administrations, observations, practitioners };
}

/** The clinic (of those given) where this person is, if any. */
export async function clinicOfPerson(orm: Orm, clinicIds: readonly string[], serviceUserId: string): Promise<string | null> {
  if (!isUuid(serviceUserId)) return null;
  for (const c of clinicIds) if (await currentVersion(orm, c, serviceUserId)) return c;
  return null;
}

export async function allPatients(orm: Orm, clinicId: string): Promise<Patient[]> {
  return (await listServiceUsers(orm, clinicId)).map((v) => toPatient(v.serviceUserId, v.record, { version: v.version, recordedAt: v.recordedAt.toISOString() }));
}

export async function allPractitioners(orm: Orm, clinicId: string): Promise<Practitioner[]> {
  return (await clinicStaff(orm, clinicId)).map((m) => toPractitioner(staffForFhir(m)));
}

export async function auditEventsAt(orm: Orm, clinicId: string, limit: number, entityId?: string): Promise<AuditEvent[]> {
  return (await queryAudit(orm, { clinicId, limit, ...(entityId ? { entityId } : {}) })).map(auditOut);
}

