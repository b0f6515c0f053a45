/** Commissioners and administrators see the dashboard of their clinic. */
const reporters = { access: 'clinic', roles: ['commissioner', 'admin'] } as const;
/** Across clinics: any signed-in member of staff; the route itself keeps to the clinics where they are a commissioner or administrator (all for a deployment administrator). */
const signedIn = { access: 'signed_in' } as const;

/** Permission rules for this area's routes (every route needs one; every rule a route). */
export const reportsPermissions = {
  'GET /api/v1/clinics/:clinicId/reports': reporters,
  'GET /api/v1/clinics/:clinicId/reports.csv': reporters,
  'GET /api/v1/clinics/:clinicId/reports.pdf': reporters,
  'GET /api/v1/clinics/:clinicId/reports/print': reporters,
  'GET /api/v1/reports': signedIn,
  'GET /api/v1/reports.csv': signedIn,
  'GET /api/v1/reports.pdf': signedIn,
  'GET /api/v1/reports/print': signedIn,
};
