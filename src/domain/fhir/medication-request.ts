import type { Dosage, MedicationRequest } from '@medplum/fhirtypes';
import type { PrescriptionContent, PrescriptionStatus } from '../prescription/prescription';
import { DIAMORPHINE, methadoneConcept, ROUTE_TEXT, routeConcept, UCUM } from './codes';

/** A prescription version as openhat keeps it (the store's shape, without the store). */
export interface PrescriptionVersionForFhir {
  serviceUserId: string;
  version: number;
  content: PrescriptionContent;
  reason: string;
  signedBy: string;
  signedAt: string;
  effectiveFrom: string;
}

/** R4 MedicationRequest.status (required binding) for each openhat prescription status. */
export const REQUEST_STATUS: Record<PrescriptionStatus, MedicationRequest['status']> = {
  active: 'active',
  suspended: 'on-hold',
  cancelled: 'cancelled',
  ended: 'completed',
};

/** The id of one version: the person and the version number (a FHIR id allows letters, digits, '-' and '.'). */
export const medicationRequestId = (serviceUserId: string, version: number, drug: 'diamorphine' | 'methadone' = 'diamorphine') =>
  `${serviceUserId}.v${version}${drug === 'methadone' ? '.methadone' : ''}`;

export function parseMedicationRequestId(id: string): { serviceUserId: string; version: number; drug: 'diamorphine' | 'methadone' } | null {
  const m = /^([0-9a-f-]{36})\.v(\d{1,6})(\.methadone)?$/.exec(id);
  return m ? { serviceUserId: m[1]!, version: Number(m[2]), drug: m[3] ? 'methadone' : 'diamorphine' } : null;
}

const mg = (value: number) => ({ value, unit: 'mg', system: UCUM, code: 'mg' });

/**
 * Each prescription version as MedicationRequests: one for diamorphine (a dosage instruction for
 * each session and each prescribed route, with the dose), and one for the methadone cover if any.
 * A superseded version keeps the status it was written with: the versions are history, and the
 * latest one (highest version) is the prescription in force.
 */
export function toMedicationRequests(p: PrescriptionVersionForFhir, practitionerExists = true): MedicationRequest[] {
  const c = p.content;
  const common = {
    status: REQUEST_STATUS[c.status],
    intent: 'order' as const,
    subject: { reference: `Patient/${p.serviceUserId}` },
    authoredOn: p.signedAt,
    requester: practitionerExists ? { reference: `Practitioner/${p.signedBy}` } : { display: 'openhat staff member' },
    note: [{ text: `Version ${p.version}: ${p.reason}` }],
  };
  const validity = { start: c.startDate, ...(c.endDate ? { end: c.endDate } : {}) };
  const dosage: Dosage[] = [];
  for (const session of c.diamorphine.sessions) {
    for (const [route, dose] of [['iv', c.diamorphine.ivDoseMg], ['im', c.diamorphine.imDoseMg]] as const) {
      if (dose === null) continue;
      dosage.push({
        sequence: dosage.length + 1,
        text: `${dose} mg ${ROUTE_TEXT[route].toLowerCase()} at the ${session} session${c.diamorphine.titration ? ', titrating from ' + c.diamorphine.titration.startDoseMg + ' mg' : ''}`,
        timing: { code: { text: `${session} session` }, repeat: { frequency: 1, period: 1, periodUnit: 'd' } },
        route: routeConcept(route),
        doseAndRate: [{ doseQuantity: mg(dose) }],
      });
    }
  }
  const out: MedicationRequest[] = [
    {
      resourceType: 'MedicationRequest',
      id: medicationRequestId(p.serviceUserId, p.version),
      ...common,
      medicationCodeableConcept: { ...DIAMORPHINE },
      dosageInstruction: dosage,
      dispenseRequest: { validityPeriod: validity },
    },
  ];
  if (c.methadone) {
    out.push({
      resourceType: 'MedicationRequest',
      id: medicationRequestId(p.serviceUserId, p.version, 'methadone'),
      ...common,
      medicationCodeableConcept: methadoneConcept(c.methadone.drug),
      dosageInstruction: [
        {
          sequence: 1,
          text: `${c.methadone.dailyDoseMg} mg a day by mouth${c.methadone.supervised ? ', supervised' : ''}, from ${c.methadone.pharmacy}`,
          route: routeConcept('oral'),
          timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } },
          doseAndRate: [{ doseQuantity: mg(c.methadone.dailyDoseMg) }],
        },
      ],
      dispenseRequest: { validityPeriod: validity, performer: { display: c.methadone.pharmacy } },
    });
  }
  return out;
}
