/**
 * The code systems and codes openhat puts in FHIR resources, each with where it came from
 * (docs/fhir.md). A clinical code is used only where it was verified against a published source;
 * otherwise the concept is sent as text only, never with a guessed code.
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
 * Medicines: no dm+d or SNOMED CT code for diamorphine or methadone could be verified against an
 * authoritative source while this was written (the sources found disagreed on the same concept id),
 * so medicines are sent as CodeableConcept.text only. See docs/fhir.md.
 */
export const DIAMORPHINE = { text: 'Diamorphine hydrochloride (injection)' } as const;
export const methadoneConcept = (drug: string) => ({ text: drug.trim() === '' ? 'Methadone' : drug });

/** Routes, as text: the SNOMED CT route codes were not verified (docs/fhir.md). */
export const ROUTE_TEXT = { iv: 'Intravenous', im: 'Intramuscular' } as const;
