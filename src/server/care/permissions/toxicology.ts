import { careRoutePermissions, clinicRoles } from '../route-permissions';

const clinical = clinicRoles('admin', 'prescriber', 'nurse', 'hca', 'keyworker', 'cd_accountable');

/** Toxicology and breath tests. */
export const toxicologyPermissions = {
  ...careRoutePermissions('toxicology', clinicRoles('nurse', 'hca', 'prescriber'), clinical),
  'GET /api/v1/clinics/:clinicId/service-users/:serviceUserId/toxicology/trends': clinical,
  'GET /api/v1/clinics/:clinicId/toxicology/due': clinicRoles('admin', 'prescriber', 'nurse', 'hca', 'keyworker'),
  ...careRoutePermissions('breath-tests', clinicRoles('nurse', 'hca'), clinical),
};
