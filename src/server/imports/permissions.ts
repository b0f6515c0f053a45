import { clinicRoles } from '../care/route-permissions';

/**
 * Imports: an administrator brings in people (as the create route allows them); a prescriber
 * brings in prescriptions, each signed by them with their password. Both see the list of imports.
 */
export const importsPermissions = {
  'POST /api/v1/clinics/:clinicId/imports/service-users': clinicRoles('admin'),
  'POST /api/v1/clinics/:clinicId/imports/prescriptions': clinicRoles('prescriber'),
  'GET /api/v1/clinics/:clinicId/imports': clinicRoles('admin', 'prescriber'),
};
