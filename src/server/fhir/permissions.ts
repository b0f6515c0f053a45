/**
 * Permission rules for this area's routes (every route needs one; every rule a route).
 * Signed in only: inside, every query is limited to the clinics where the caller holds a clinical
 * role (admin, prescriber, nurse, hca, keyworker, cd_accountable), and AuditEvent to those where
 * they are admin or cd_accountable. A commissioner's role gives no FHIR person data.
 */
export const fhirPermissions = {
  'GET /fhir/R4/:type': { access: 'signed_in' },
  'GET /fhir/R4/:type/:id': { access: 'signed_in' },
  'GET /fhir/R4/Patient/:id/$everything': { access: 'signed_in' },
} as const;
