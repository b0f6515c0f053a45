import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ServiceUserRecordSchema } from '../service-user/record';
import type { CareRecord } from '../care/care-record';
import type { DoseEvent } from '../dosing/dose-record';
import { NHS_NUMBER_SYSTEM } from './codes';
import { toPatient, toPractitioner } from './patient';
import { parseMedicationRequestId, toMedicationRequests, type PrescriptionVersionForFhir } from './medication-request';
import { toMedicationAdministration, type DoseForFhir } from './medication-administration';
import { breathTestObservation, doseObservations, ecgObservation, parseObservationId, toxicologyObservations } from './observation';
import { auditAction, toAuditEvent } from './audit-event';
import { toBundle } from './bundle';
import { validateBundle, validateResource } from './validate';

const SU = '01900000-0000-7000-8000-000000000001';
const DOC = '01900000-0000-7000-8000-0000000000d1';
const NURSE = '01900000-0000-7000-8000-0000000000a1';
const DOSE = '01900000-0000-7000-8000-00000000d05e';
const REC = '01900000-0000-7000-8000-0000000000c1';

const record = ServiceUserRecordSchema.parse({
  familyName: 'Bloggs',
  givenName: 'Joanne',
  preferredName: 'Jo',
  dateOfBirth: '1980-05-17',
  nhsNumber: '9434765919',
  address: { lines: ['1 High Street', 'Middlesbrough'], postcode: 'TS1 1AA' },
});

const rx: PrescriptionVersionForFhir = {
  serviceUserId: SU,
  version: 2,
  reason: 'weekly review',
  signedBy: DOC,
  signedAt: '2026-03-02T09:00:00Z',
  effectiveFrom: '2026-03-02T09:00:00Z',
  content: {
    status: 'active',
    diamorphine: { sessions: ['AM', 'PM'], ivDoseMg: 100, imDoseMg: 80, titration: null, topUp: null, retitrationStartDoseMg: 30 },
    methadone: { drug: 'methadone oral solution 1 mg/mL', dailyDoseMg: 30, pharmacy: 'Boots', supervised: false },
    startDate: '2026-03-02',
    endDate: null,
    reviewDate: '2026-03-09',
  },
};

const assessed = (at: string, over: Partial<DoseEvent> = {}): DoseEvent =>
  ({
    type: 'assessed',
    at,
    by: NURSE,
    findings: { identityConfirmed: true, sedation: 1, respiratoryRate: 14, withdrawalScore: 6, signsOfIntoxication: false, recentSedativeUse: false, breathAlcoholMgPerL: null, breathTestRequired: false },
    decision: { outcome: 'give', fraction: 1, reasons: [] },
    chosen: 'give',
    notes: null,
    ...over,
  }) as DoseEvent;

const dose = (events: DoseEvent[]): DoseForFhir => ({ doseId: DOSE, serviceUserId: SU, clinicDate: '2026-03-02', sessionCode: 'AM', kind: 'dose', events });

const given: DoseEvent[] = [
  assessed('2026-03-02T09:00:00Z'),
  { type: 'prepared', at: '2026-03-02T09:05:00Z', by: NURSE, witnessId: DOC, route: 'iv', doseMg: 60, ampoules: [], reconstitutionMl: 1, concentrationMgPerMl: 60, drawMl: 1, wasteMg: 40 },
  { type: 'administered', at: '2026-03-02T09:10:00Z', by: NURSE, witnessId: DOC, route: 'iv', sites: ['left arm'], attempts: 1, givenMg: 60, switchedToIm: false, notGivenMg: 0 },
  { type: 'discharged', at: '2026-03-02T09:40:00Z', by: NURSE, sedation: 2, leftAgainstAdvice: false },
];
const refusal: DoseEvent = { type: 'refused', at: '2026-03-02T09:01:00Z', by: NURSE, reasons: [{ rule: 'breath_alcohol_too_high', message: 'breath alcohol 0.6 mg/L is above 0.3' }], offeredToStay: true, naloxoneChecked: true, adviceGiven: true, reassessAt: null };

const care = <D>(kind: CareRecord['kind'], data: D, over: Partial<CareRecord<D>> = {}): CareRecord<D> => ({
  recordId: REC,
  version: 1,
  serviceUserId: SU,
  kind,
  effectiveDate: '2026-03-02',
  occurredAt: '2026-03-02T08:50:00Z',
  data,
  enteredInError: false,
  reason: null,
  source: 'staff',
  importId: null,
  recordedAt: '2026-03-02T08:51:00Z',
  recordedBy: NURSE,
  ...over,
});

describe('Patient', () => {
  it('carries the name, date of birth, NHS number and address, and no gender', () => {
    const p = toPatient(SU, record);
    expect(p).toMatchObject({
      resourceType: 'Patient',
      id: SU,
      identifier: [{ system: NHS_NUMBER_SYSTEM, value: '9434765919' }],
      name: [{ use: 'official', family: 'Bloggs', given: ['Joanne'] }, { use: 'usual', given: ['Jo'] }],
      birthDate: '1980-05-17',
      address: [{ line: ['1 High Street', 'Middlesbrough'], postalCode: 'TS1 1AA' }],
    });
    expect(p).not.toHaveProperty('gender');
    expect(validateResource(p)).toEqual([]);
  });
  it('leaves out an NHS number and address that are not known', () => {
    const p = toPatient(SU, { ...record, nhsNumber: null, address: null, noFixedAbode: true, preferredName: null });
    expect(p).not.toHaveProperty('identifier');
    expect(p).not.toHaveProperty('address');
    expect(p.name).toHaveLength(1);
    expect(validateResource(p)).toEqual([]);
  });
});

describe('Practitioner', () => {
  it('has the registration when there is one, and nothing about passwords', () => {
    const p = toPractitioner({ staffId: DOC, displayName: 'Dr Who', active: true, professionalBody: 'GMC', registrationNumber: '7654321', ...({ passwordHash: 'secret' } as object) });
    expect(p.identifier).toEqual([{ system: 'urn:openhat:registration:gmc', value: '7654321', assigner: { display: 'GMC' } }]);
    expect(JSON.stringify(p)).not.toContain('secret');
    expect(toPractitioner({ staffId: NURSE, displayName: 'N', active: true, professionalBody: null, registrationNumber: null })).not.toHaveProperty('identifier');
  });
});

describe('MedicationRequest', () => {
  it('is an order with a dosage per session and route, and methadone as its own request', () => {
    const [dia, meth] = toMedicationRequests(rx);
    expect(dia).toMatchObject({ status: 'active', intent: 'order', subject: { reference: `Patient/${SU}` }, requester: { reference: `Practitioner/${DOC}` }, medicationCodeableConcept: { text: 'Diamorphine hydrochloride (injection)' } });
    expect(dia!.dosageInstruction!.map((d) => [d.timing?.code?.text, d.route?.text, d.doseAndRate?.[0]?.doseQuantity?.value])).toEqual([
      ['AM session', 'Intravenous', 100],
      ['AM session', 'Intramuscular', 80],
      ['PM session', 'Intravenous', 100],
      ['PM session', 'Intramuscular', 80],
    ]);
    expect(meth).toMatchObject({ id: `${SU}.v2.methadone`, medicationCodeableConcept: { text: 'methadone oral solution 1 mg/mL' }, dosageInstruction: [{ doseAndRate: [{ doseQuantity: { value: 30, code: 'mg' } }] }] });
    for (const r of [dia!, meth!]) expect(validateResource(r)).toEqual([]);
    expect(parseMedicationRequestId(meth!.id!)).toEqual({ serviceUserId: SU, version: 2, drug: 'methadone' });
    expect(parseMedicationRequestId(dia!.id!)).toEqual({ serviceUserId: SU, version: 2, drug: 'diamorphine' });
    expect(parseMedicationRequestId('nonsense')).toBeNull();
  });
  it('maps every prescription status to an R4 status', () => {
    for (const [status, expected] of [['active', 'active'], ['suspended', 'on-hold'], ['cancelled', 'cancelled'], ['ended', 'completed']] as const) {
      expect(toMedicationRequests({ ...rx, content: { ...rx.content, status, methadone: null } })).toMatchObject([{ status: expected }]);
    }
  });
  it('leaves out a route that is not prescribed', () => {
    const [dia] = toMedicationRequests({ ...rx, content: { ...rx.content, diamorphine: { ...rx.content.diamorphine, imDoseMg: null } } });
    expect(dia!.dosageInstruction!.map((d) => d.route?.text)).toEqual(['Intravenous', 'Intravenous']);
  });
});

describe('MedicationAdministration', () => {
  it('a dose given is completed with dose, route and site', () => {
    const a = toMedicationAdministration(dose(given))!;
    expect(a).toMatchObject({ status: 'completed', effectiveDateTime: '2026-03-02T09:10:00Z', dosage: { dose: { value: 60, unit: 'mg' }, route: { text: 'Intravenous' }, site: { text: 'left arm' } }, performer: [{ actor: { reference: `Practitioner/${NURSE}` } }] });
    expect(validateResource(a)).toEqual([]);
  });
  it('a refused dose is not-done with the rule as its reason', () => {
    const a = toMedicationAdministration(dose([assessed('2026-03-02T09:00:00Z'), refusal]))!;
    expect(a).toMatchObject({ status: 'not-done', statusReason: [{ text: 'Refused: breath_alcohol_too_high (breath alcohol 0.6 mg/L is above 0.3)' }] });
    expect(a).not.toHaveProperty('dosage');
    expect(validateResource(a)).toEqual([]);
  });
  it('a missed dose is not-done; a later assessment re-opens it; no events, no resource', () => {
    const missed: DoseEvent = { type: 'missed', at: '2026-03-02T11:00:00Z', by: null };
    expect(toMedicationAdministration(dose([missed]))).toMatchObject({ status: 'not-done', statusReason: [{ text: 'Missed: did not attend before the session ended' }] });
    expect(toMedicationAdministration(dose([missed, assessed('2026-03-02T11:30:00Z')]))).toMatchObject({ status: 'in-progress' });
    expect(toMedicationAdministration(dose([]))).toBeNull();
  });
  it('property: any sequence of events gives a valid resource whose status follows the last decisive event', () => {
    const ev = fc.constantFrom<DoseEvent>(assessed('2026-03-02T09:00:00Z'), refusal, given[1]!, given[2]!, given[3]!, { type: 'missed', at: '2026-03-02T11:00:00Z', by: null }, { type: 'not_given', at: '2026-03-02T09:20:00Z', by: NURSE, reason: 'vein lost' });
    fc.assert(
      fc.property(fc.array(ev, { minLength: 1, maxLength: 8 }), (events) => {
        const a = toMedicationAdministration(dose(events))!;
        expect(validateResource(a)).toEqual([]);
        // The last event that decides the outcome; an assessment re-opens a dose not done but leaves a dose given as given.
        const decisive = events.filter((e) => ['refused', 'administered', 'not_given', 'missed'].includes(e.type)).at(-1);
        const reopened = decisive !== undefined && events.lastIndexOf(decisive) < events.map((e) => e.type).lastIndexOf('assessed');
        const expected = !decisive ? 'in-progress' : decisive.type === 'administered' ? 'completed' : reopened ? 'in-progress' : 'not-done';
        expect(a.status).toBe(expected);
        expect(a.status === 'not-done').toBe(a.statusReason !== undefined);
      }),
    );
  });
});

describe('Observation', () => {
  it('sedation (Pasero) at the assessment and discharge, and a typed-in breath reading', () => {
    const obs = doseObservations(dose([assessed('2026-03-02T09:00:00Z', { findings: { ...(assessed('x') as { findings: object }).findings, breathAlcoholMgPerL: 0.1 } } as never), ...given.slice(1)]));
    expect(obs.map((o) => [o.id, o.code.text, o.valueCodeableConcept?.text ?? o.valueQuantity?.value])).toEqual([
      [`${DOSE}.sed.0`, 'Sedation score (Pasero Opioid-induced Sedation Scale)', '1: awake and alert'],
      [`${DOSE}.bac.0`, 'Breath alcohol concentration', 0.1],
      [`${DOSE}.sed.3`, 'Sedation score (Pasero Opioid-induced Sedation Scale)', '2: slightly drowsy, easily aroused'],
    ]);
    expect(obs[1]!.valueQuantity).toEqual({ value: 0.1, unit: 'mg/L', system: 'http://unitsofmeasure.org', code: 'mg/L' });
    for (const o of obs) expect(validateResource(o)).toEqual([]);
    expect(parseObservationId(`${DOSE}.sed.3`)).toEqual({ source: 'dose', key: DOSE });
  });
  it('a breath reading that came from a breath-test record is not repeated', () => {
    const e = assessed('2026-03-02T09:00:00Z', { findings: { ...(assessed('x') as { findings: object }).findings, breathAlcoholMgPerL: 0.1 }, breathTest: { recordId: REC, at: '2026-03-02T08:50:00Z', mgPerL: 0.1 } } as never);
    expect(doseObservations(dose([e])).map((o) => o.code.text)).toEqual(['Sedation score (Pasero Opioid-induced Sedation Scale)']);
  });
  it('a breath test in mg/L, toxicology per substance, the ECG QTc in ms', () => {
    const b = breathTestObservation(care('breath_test', { reading: { value: 35, unit: 'ug_per_100ml_breath' as never }, mgPerL: 0.35, reason: 'daily_required', notes: null }));
    expect(b).toMatchObject({ id: `${REC}.bac`, effectiveDateTime: '2026-03-02T08:50:00Z', valueQuantity: { value: 0.35, code: 'mg/L' } });
    const tox = toxicologyObservations(care('toxicology', { outcome: 'taken', reasonNotTaken: null, sampleType: 'urine', method: 'point_of_care', notes: null, results: [{ substance: 'acetylcodeine', result: 'positive', level: null, unit: null }, { substance: 'morphine', result: 'level', level: 300, unit: 'ng/mL' }] }));
    expect(tox.map((o) => [o.id, o.code.text, o.valueCodeableConcept?.text ?? o.valueQuantity])).toEqual([
      [`${REC}.tox.0`, 'acetylcodeine [urine, point of care]', 'Positive'],
      [`${REC}.tox.1`, 'morphine [urine, point of care]', { value: 300, unit: 'ng/mL' }],
    ]);
    expect(toxicologyObservations(care('toxicology', { outcome: 'refused', reasonNotTaken: 'declined', sampleType: null, method: null, results: [], notes: null }))).toEqual([]);
    const ecg = ecgObservation(care('ecg', { qtcMs: 470, correction: 'fridericia', heartRateBpm: 70, rhythm: null, interpretedBy: null, actionTaken: null, notes: null }));
    expect(ecg).toMatchObject({ code: { text: 'QTc interval (ECG), fridericia correction' }, valueQuantity: { value: 470, unit: 'ms', code: 'ms' }, component: [{ valueQuantity: { value: 70 } }] });
    for (const o of [b, ...tox, ecg]) expect(validateResource(o)).toEqual([]);
    expect(parseObservationId(ecg.id!)).toEqual({ source: 'ecg', key: REC });
    expect(parseObservationId(tox[1]!.id!)).toEqual({ source: 'toxicology', key: REC });
    expect(parseObservationId(b.id!)).toEqual({ source: 'breath_test', key: REC });
    expect(parseObservationId(`${REC}.xyz`)).toBeNull();
  });
});

describe('AuditEvent', () => {
  it('the agent is the member of staff, the entity the record', () => {
    const a = toAuditEvent({ auditId: REC, occurredAt: '2026-03-02T09:00:00.000Z', staffId: NURSE, staffName: 'Nurse N', action: 'read', entityType: 'service_user', entityId: SU, requestId: null });
    expect(a).toMatchObject({ action: 'R', agent: [{ who: { reference: `Practitioner/${NURSE}` }, requestor: true }], entity: [{ what: { reference: `Patient/${SU}` } }] });
    expect(toAuditEvent({ auditId: REC, occurredAt: '2026-03-02T09:00:00.000Z', staffId: NURSE, staffName: null, action: 'create', entityType: 'dose_event', entityId: `${DOSE}/1`, requestId: null }).entity).toEqual([{ what: { identifier: { system: 'urn:openhat:audit-entity-type:dose_event', value: `${DOSE}/1` } }, type: { system: 'urn:openhat:audit-entity-type', code: 'dose_event' } }]);
    expect(validateResource(a)).toEqual([]);
    expect(['create', 'read', 'update', 'delete', 'sign_in'].map(auditAction)).toEqual(['C', 'R', 'U', 'D', 'E']);
    const system = toAuditEvent({ auditId: REC, occurredAt: '2026-03-02T09:00:00.000Z', staffId: null, staffName: null, action: 'close', entityType: 'dosing_session', entityId: null, requestId: null });
    expect(system.agent).toEqual([{ who: { display: 'openhat (system)' }, requestor: false }]);
    expect(system).not.toHaveProperty('entity');
    expect(validateResource(system)).toEqual([]);
  });
});

describe('Bundle and the R4 structure check', () => {
  const resources = () => [toPatient(SU, record), toPractitioner({ staffId: DOC, displayName: 'Dr', active: true, professionalBody: 'GMC', registrationNumber: '1' }), toPractitioner({ staffId: NURSE, displayName: 'N', active: true, professionalBody: null, registrationNumber: null }), ...toMedicationRequests(rx), toMedicationAdministration(dose(given))!, ...doseObservations(dose(given))];
  it('a whole record is a valid collection whose references all resolve', () => {
    const b = toBundle('collection', resources(), { baseUrl: 'http://x/fhir/R4', timestamp: '2026-03-02T10:00:00Z' });
    expect(b.entry![0]!.fullUrl).toBe(`http://x/fhir/R4/Patient/${SU}`);
    expect(validateBundle(b)).toEqual([]);
  });
  it('finds a reference that does not resolve, a missing required element, an empty element and a bad status', () => {
    const rs = resources().filter((r) => r.resourceType !== 'Patient');
    const broken = toBundle('searchset', rs, { baseUrl: 'http://x', timestamp: '2026-03-02T10:00:00Z' });
    expect(broken.total).toBe(rs.length);
    expect(validateBundle(broken).some((p) => p.includes(`reference Patient/${SU} does not resolve`))).toBe(true);
    const [req] = toMedicationRequests(rx);
    const { intent: _i, ...noIntent } = req!;
    expect(validateResource(noIntent as never)).toContain(`MedicationRequest/${req!.id}: intent is required`);
    expect(validateResource({ ...req!, note: [] })).toContain(`MedicationRequest/${req!.id}: note is empty (ele-1)`);
    expect(validateResource({ ...req!, status: 'finished' as never })).toContain(`MedicationRequest/${req!.id}: status finished is not in the R4 value set`);
    const notDone = { ...toMedicationAdministration(dose(given))!, status: 'not-done' as const };
    expect(validateResource(notDone)).toContain(`MedicationAdministration/${DOSE}: a not-done administration needs a statusReason`);
    expect(validateResource({ resourceType: 'Encounter', id: 'x' } as never)).toEqual(['resourceType Encounter is not one openhat emits']);
  });
});
