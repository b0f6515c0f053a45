/**
 * Permission rules for this area's routes (every route needs one; every rule a route).
 * Both exports hold person-level data: the NDTMS return carries client identifiers under its legal
 * basis, and the research extract, though pseudonymised, is still personal data. Administrators only.
 */
export const exportsPermissions = {
  'GET /api/v1/clinics/:clinicId/exports/ndtms': { access: 'clinic', roles: ['admin'] },
  'GET /api/v1/clinics/:clinicId/exports/research': { access: 'clinic', roles: ['admin'] },
} as const;
