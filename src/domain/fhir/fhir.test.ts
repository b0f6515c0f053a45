import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ServiceUserRecordSchema } from '../service-user/record';
import type { CareRecord } from '../care/care-record';
import type { DoseEvent } from '../dosing/dose-record';
import { DIAMORPHINE_AMPOULE_VMP, DIAMORPHINE_VIAL_VMP, diamorphineProduct, NHS_NUMBER_SYSTEM, routeConcept, type CdProduct } from './codes';
import { toPatient, toPractitioner } from './patient';
import { parseMedicationRequestId, toMedicationRequests, type PrescriptionVersionForFhir } from './medication-request';
import { toMedicationAdministration, type DoseForFhir } from './medication-administration';
import { breathTestObservation, doseObservations, ecgObservation, parseObservationId, toxicologyObservations } from './observation';
import { auditAction, toAuditEvent } from './audit-event';
import { operationOutcome, toBundle } from './bundle';
import { r4Problems, referencesUnresolved } from '../../../test/support/fhir-r4';

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
  it('carries the name, date of birth, NHS number and address, and a gender only when sex was asked', () => {
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
    expect(toPatient(SU, { ...record, sex: 'female' }).gender).toBe('female');
    expect(toPatient(SU, { ...record, sex: 'indeterminate' }).gender).toBe('other');
    expect(toPatient(SU, { ...record, sex: 'not_stated' }).gender).toBe('unknown');
    expect(toPatient(SU, { ...record, sex: 'male' }).gender).toBe('male');
    for (const sex of ['male', 'female', 'indeterminate', 'not_stated', 'not_known'] as const) expect(r4Problems(toPatient(SU, { ...record, sex }))).toEqual([]);
    expect(r4Problems(p)).toEqual([]);
  });
  it('leaves out an NHS number and address that are not known', () => {
    const p = toPatient(SU, { ...record, nhsNumber: null, address: null, noFixedAbode: true, preferredName: null });
    expect(p).not.toHaveProperty('identifier');
    expect(p).not.toHaveProperty('address');
    expect(p.name).toHaveLength(1);
    expect(r4Problems(p)).toEqual([]);
  });
});

describe('Practitioner', () => {
  it('has the registration when there is one, and nothing about passwords', () => {
    const p = toPractitioner({ staffId: DOC, displayName: 'Dr Who', active: true, professionalBody: 'GMC', registrationNumber: '7654321', ...({ passwordHash: 'secret' } as object) });
    expect(p.identifier).toEqual([{ system: 'urn:openhat:registration:gmc', value: '7654321', assigner: { display: 'GMC' } }]);
    expect(JSON.stringify(p)).not.toContain('secret');
    expect(r4Problems(p)).toEqual([]);
    const nurse = toPractitioner({ staffId: NURSE, displayName: 'N', active: false, professionalBody: null, registrationNumber: null });
    expect(nurse).not.toHaveProperty('identifier');
    expect(r4Problems(nurse)).toEqual([]);
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
    for (const r of [dia!, meth!]) expect(r4Problems(r)).toEqual([]);
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
    expect(r4Problems(a)).toEqual([]);
  });
  it('a refused dose is not-done with the rule as its reason', () => {
    const a = toMedicationAdministration(dose([assessed('2026-03-02T09:00:00Z'), refusal]))!;
    expect(a).toMatchObject({ status: 'not-done', statusReason: [{ text: 'Refused: breath_alcohol_too_high (breath alcohol 0.6 mg/L is above 0.3)' }] });
    expect(a).not.toHaveProperty('dosage');
    expect(r4Problems(a)).toEqual([]);
  });
  it('a missed dose is not-done; a later assessment re-opens it; no events, no resource', () => {
    const missed: DoseEvent = { type: 'missed', at: '2026-03-02T11:00:00Z', by: null };
    expect(toMedicationAdministration(dose([missed]))).toMatchObject({ status: 'not-done', statusReason: [{ text: 'Missed: did not attend before the session ended' }] });
    expect(toMedicationAdministration(dose([missed, assessed('2026-03-02T11:30:00Z')]))).toMatchObject({ status: 'in-progress' });
    expect(r4Problems(toMedicationAdministration(dose([missed]))!)).toEqual([]);
    expect(r4Problems(toMedicationAdministration(dose([missed, assessed('2026-03-02T11:30:00Z')]))!)).toEqual([]);
    expect(toMedicationAdministration(dose([]))).toBeNull();
  });
  it('property: any sequence of events gives a valid resource whose status follows the last decisive event', () => {
    const ev = fc.constantFrom<DoseEvent>(assessed('2026-03-02T09:00:00Z'), refusal, given[1]!, given[2]!, given[3]!, { type: 'missed', at: '2026-03-02T11:00:00Z', by: null }, { type: 'not_given', at: '2026-03-02T09:20:00Z', by: NURSE, reason: 'vein lost' });
    fc.assert(
      fc.property(fc.array(ev, { minLength: 1, maxLength: 8 }), (events) => {
        const a = toMedicationAdministration(dose(events))!;
        expect(r4Problems(a)).toEqual([]);
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
    for (const o of obs) expect(r4Problems(o)).toEqual([]);
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
    for (const o of [b, ...tox, ecg]) expect(r4Problems(o)).toEqual([]);
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
    expect(r4Problems(a)).toEqual([]);
    expect(['create', 'read', 'update', 'delete', 'sign_in'].map(auditAction)).toEqual(['C', 'R', 'U', 'D', 'E']);
    const system = toAuditEvent({ auditId: REC, occurredAt: '2026-03-02T09:00:00.000Z', staffId: null, staffName: null, action: 'close', entityType: 'dosing_session', entityId: null, requestId: null });
    expect(system.agent).toEqual([{ who: { display: 'openhat (system)' }, requestor: false }]);
    expect(system).not.toHaveProperty('entity');
    expect(r4Problems(system)).toEqual([]);
  });
});

describe('Standard codes', () => {
  const ITEM100 = '01900000-0000-7000-8000-0000000001a0';
  const ITEM30 = '01900000-0000-7000-8000-0000000001a3';
  const VIAL100 = '01900000-0000-7000-8000-0000000001b0';
  const products = new Map<string, CdProduct>([
    [ITEM100, { drug: 'Diamorphine hydrochloride', form: 'ampoule (powder for solution for injection)', strengthMg: 100 }],
    [ITEM30, { drug: 'Diamorphine hydrochloride', form: 'ampoule (powder for solution for injection)', strengthMg: 30 }],
    [VIAL100, { drug: 'Diamorphine', form: 'vial', strengthMg: 100 }],
  ]);
  const preparedFrom = (ampoules: { itemId: string; strengthMg: number; count: number }[]): DoseEvent[] => [given[0]!, { ...(given[1] as Extract<DoseEvent, { type: 'prepared' }>), ampoules }, given[2]!];

  it('routes are SNOMED CT route codes, with the text kept', () => {
    const [dia, meth] = toMedicationRequests(rx);
    expect(dia!.dosageInstruction!.map((d) => d.route)).toEqual([
      { coding: [{ system: 'http://snomed.info/sct', code: '47625008', display: 'Intravenous route' }], text: 'Intravenous' },
      { coding: [{ system: 'http://snomed.info/sct', code: '78421000', display: 'Intramuscular route' }], text: 'Intramuscular' },
      { coding: [{ system: 'http://snomed.info/sct', code: '47625008', display: 'Intravenous route' }], text: 'Intravenous' },
      { coding: [{ system: 'http://snomed.info/sct', code: '78421000', display: 'Intramuscular route' }], text: 'Intramuscular' },
    ]);
    expect(meth!.dosageInstruction![0]!.route).toEqual({ coding: [{ system: 'http://snomed.info/sct', code: '26643006', display: 'Oral route' }], text: 'Oral' });
    expect(toMedicationAdministration(dose(given))!.dosage!.route).toEqual(routeConcept('iv'));
    // The prescription is for mg of diamorphine, not a product: text only.
    expect(dia!.medicationCodeableConcept).toEqual({ text: 'Diamorphine hydrochloride (injection)' });
    expect(meth!.medicationCodeableConcept).toEqual({ text: 'methadone oral solution 1 mg/mL' });
  });

  it('a dose drawn up from one dm+d product carries its VMP code; mixed or unknown products stay text', () => {
    const one = toMedicationAdministration(dose(preparedFrom([{ itemId: ITEM100, strengthMg: 100, count: 1 }])), products)!;
    expect(one.medicationCodeableConcept).toEqual({
      coding: [{ system: 'https://dmd.nhs.uk', code: '42011211000001100', display: 'Diamorphine 100mg powder for solution for injection ampoules' }],
      text: 'Diamorphine hydrochloride (injection)',
    });
    expect(r4Problems(one)).toEqual([]);
    expect(toMedicationAdministration(dose(preparedFrom([{ itemId: VIAL100, strengthMg: 100, count: 2 }])), products)!.medicationCodeableConcept!.coding).toEqual([
      { system: 'https://dmd.nhs.uk', code: '16073411000001109', display: 'Diamorphine 100mg powder for solution for injection vials' },
    ]);
    const text = { text: 'Diamorphine hydrochloride (injection)' };
    // two products in one dose, an item not in the register, no register given, nothing drawn up yet
    expect(toMedicationAdministration(dose(preparedFrom([{ itemId: ITEM100, strengthMg: 100, count: 1 }, { itemId: ITEM30, strengthMg: 30, count: 1 }])), products)!.medicationCodeableConcept).toEqual(text);
    expect(toMedicationAdministration(dose(preparedFrom([{ itemId: REC, strengthMg: 100, count: 1 }])), products)!.medicationCodeableConcept).toEqual(text);
    expect(toMedicationAdministration(dose(preparedFrom([{ itemId: ITEM100, strengthMg: 100, count: 1 }])))!.medicationCodeableConcept).toEqual(text);
    expect(toMedicationAdministration(dose([assessed('2026-03-02T09:00:00Z'), refusal]), products)!.medicationCodeableConcept).toEqual(text);
  });

  it('only a diamorphine ampoule or vial of a strength with a verified VMP is coded', () => {
    for (const [mg, code] of Object.entries(DIAMORPHINE_AMPOULE_VMP)) expect(diamorphineProduct({ drug: 'Diamorphine hydrochloride', form: 'ampoule', strengthMg: Number(mg) })?.code).toBe(code);
    for (const [mg, code] of Object.entries(DIAMORPHINE_VIAL_VMP)) expect(diamorphineProduct({ drug: 'diamorphine', form: 'vials', strengthMg: Number(mg) })?.code).toBe(code);
    expect(diamorphineProduct({ drug: 'Diamorphine hydrochloride', form: 'ampoule', strengthMg: 250 })).toBeNull();
    expect(diamorphineProduct({ drug: 'Morphine sulfate', form: 'ampoule', strengthMg: 10 })).toBeNull();
    expect(diamorphineProduct({ drug: 'Diamorphine', form: 'ampoule or vial', strengthMg: 100 })).toBeNull();
    expect(diamorphineProduct({ drug: 'Diamorphine', form: 'tablet', strengthMg: 10 })).toBeNull();
  });

  it('the ECG QTc is coded by its correction, the heart rate as LOINC 8867-4', () => {
    const ecg = (correction: 'bazett' | 'fridericia' | 'machine' | 'unknown') =>
      ecgObservation(care('ecg', { qtcMs: 470, correction, heartRateBpm: 70, rhythm: null, interpretedBy: null, actionTaken: null, notes: null }));
    expect(ecg('bazett').code.coding).toEqual([{ system: 'http://loinc.org', code: '76635-2', display: 'Q-T interval corrected based on Bazett formula' }]);
    expect(ecg('fridericia').code.coding).toEqual([{ system: 'http://loinc.org', code: '76634-5', display: 'Q-T interval corrected based on Fridericia formula' }]);
    expect(ecg('machine').code.coding).toEqual([{ system: 'http://loinc.org', code: '8636-3', display: 'Q-T interval corrected' }]);
    expect(ecg('unknown').code).toMatchObject({ coding: [{ code: '8636-3' }], text: 'QTc interval (ECG), correction not known' });
    expect(ecg('bazett').component![0]!.code).toEqual({ coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }], text: 'Heart rate' });
    for (const c of ['bazett', 'fridericia', 'machine', 'unknown'] as const) expect(r4Problems(ecg(c))).toEqual([]);
  });
});

describe('Bundle and the R4 structure check', () => {
  const resources = () => [toPatient(SU, record), toPractitioner({ staffId: DOC, displayName: 'Dr', active: true, professionalBody: 'GMC', registrationNumber: '1' }), toPractitioner({ staffId: NURSE, displayName: 'N', active: true, professionalBody: null, registrationNumber: null }), ...toMedicationRequests(rx), toMedicationAdministration(dose(given))!, ...doseObservations(dose(given))];
  it('a whole record is a valid collection whose references all resolve', () => {
    const b = toBundle('collection', resources(), { baseUrl: 'http://x/fhir/R4', timestamp: '2026-03-02T10:00:00Z' });
    expect(b.entry![0]!.fullUrl).toBe(`http://x/fhir/R4/Patient/${SU}`);
    expect(r4Problems(b)).toEqual([]);
    expect(referencesUnresolved(b)).toEqual([]);
    const search = toBundle('searchset', resources(), { baseUrl: 'http://x/fhir/R4', timestamp: '2026-03-02T10:00:00Z', total: 40 });
    expect(r4Problems(search)).toEqual([]);
    expect(r4Problems(toBundle('searchset', [], { baseUrl: 'http://x/fhir/R4', timestamp: '2026-03-02T10:00:00Z' }))).toEqual([]);
  });
  it('an OperationOutcome for each error code is valid R4', () => {
    for (const code of ['not-found', 'invalid', 'not-supported', 'forbidden'] as const) {
      expect(r4Problems(operationOutcome(code, 'why', code === 'invalid' ? 'patient' : undefined))).toEqual([]);
    }
  });
  // The validator must be able to fail: each fault below is one openhat could make.
  it('the R4 validator finds a missing required element, a bad code, a bad date, an unknown or empty element, a bad id and an unresolved reference', () => {
    const rs = resources().filter((r) => r.resourceType !== 'Patient');
    const broken = toBundle('searchset', rs, { baseUrl: 'http://x', timestamp: '2026-03-02T10:00:00Z' });
    expect(broken.total).toBe(rs.length);
    expect(referencesUnresolved(broken)).toContain(`MedicationRequest/${SU}.v2: reference Patient/${SU} does not resolve within the bundle`);
    const given_ = toMedicationAdministration(dose(given))!;
    const { status: _s, ...noStatus } = given_;
    expect(r4Problems(noStatus as never)).toEqual(['MedicationAdministration: Missing required property at MedicationAdministration.status']);
    const notDone = toMedicationAdministration(dose([assessed('2026-03-02T09:00:00Z'), refusal]))!;
    const { subject: _subject, ...noSubject } = notDone;
    expect(r4Problems(noSubject as never)).toEqual(['MedicationAdministration: Missing required property at MedicationAdministration.subject']);
    const [req] = toMedicationRequests(rx);
    const { intent: _i, ...noIntent } = req!;
    expect(r4Problems(noIntent as never)).toEqual(['MedicationRequest: Missing required property at MedicationRequest.intent']);
    expect(r4Problems({ ...req!, status: 'finished' as never })).toEqual([
      "MedicationRequest.status: 'finished' is not in the required value set http://hl7.org/fhir/ValueSet/medicationrequest-status|4.0.1",
    ]);
    expect(r4Problems({ ...given_, status: 'given' as never })[0]).toContain("MedicationAdministration.status: 'given' is not in the required value set");
    expect(r4Problems({ ...given_, effectiveDateTime: '2026-03-02 09:10' })).toEqual(['MedicationAdministration: Invalid dateTime format at MedicationAdministration.effective[x]']);
    expect(r4Problems({ ...req!, note: [] })).toEqual(['MedicationRequest.note: empty element (ele-1)']);
    expect(r4Problems({ ...req!, whatever: 1 } as never)).toEqual(['MedicationRequest: Invalid additional property "whatever" at MedicationRequest.whatever']);
    expect(r4Problems({ ...given_, id: 'dose_1' })).toEqual(["MedicationAdministration.id: 'dose_1' is not an R4 id"]);
    const ecg = ecgObservation(care('ecg', { qtcMs: 470, correction: 'fridericia', heartRateBpm: 70, rhythm: null, interpretedBy: null, actionTaken: null, notes: null }));
    expect(r4Problems({ ...ecg, code: {} })).toEqual(['Observation: Missing required property at Observation.code']);
    expect(r4Problems({ ...ecg, valueQuantity: { ...ecg.valueQuantity, comparator: '~' as never } })).toEqual([
      "Observation.valueQuantity.comparator: '~' is not in the required value set http://hl7.org/fhir/ValueSet/quantity-comparator|4.0.1",
    ]);
    // inside a Bundle, down to a nested element of an entry's resource
    const b = toBundle('collection', [{ ...given_, dosage: { ...given_.dosage!, dose: { ...given_.dosage!.dose!, comparator: '~' as never } } }], { baseUrl: 'http://x', timestamp: '2026-03-02T10:00:00Z' });
    expect(r4Problems(b)).toEqual(["Bundle.entry[0].resource.dosage.dose.comparator: '~' is not in the required value set http://hl7.org/fhir/ValueSet/quantity-comparator|4.0.1"]);
    expect(r4Problems({ ...b, type: 'pile' as never })).toContain("Bundle.type: 'pile' is not in the required value set http://hl7.org/fhir/ValueSet/bundle-type|4.0.1");
    const noStatusInBundle = toBundle('collection', [noStatus as never], { baseUrl: 'http://x', timestamp: '2026-03-02T10:00:00Z' });
    expect(r4Problems(noStatusInBundle)).toEqual(['Bundle: Missing required property at Bundle.entry[0].resource.status']);
  });
});
