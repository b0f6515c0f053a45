import { careRoutePermissions, clinicRoles } from '../route-permissions';

const clinical = clinicRoles('admin', 'prescriber', 'nurse', 'hca', 'keyworker', 'cd_accountable');
const careWorkers = clinicRoles('prescriber', 'nurse', 'keyworker');

/** Keywork, care plans, referrals and multidisciplinary reviews. */
export const carePermissions = {
  ...careRoutePermissions('mdt-reviews', careWorkers, clinical),
  ...careRoutePermissions('care-plans', careWorkers, clinical),
  ...careRoutePermissions('keywork-sessions', careWorkers, clinical),
  ...careRoutePermissions('referrals', careWorkers, clinical),
  'GET /api/v1/clinics/:clinicId/referrals': clinical,
  'PUT /api/v1/clinics/:clinicId/service-users/:serviceUserId/keyworker': clinicRoles('admin', 'prescriber', 'keyworker'),
  'GET /api/v1/clinics/:clinicId/keyworkers/caseloads': clinicRoles('admin', 'prescriber', 'nurse', 'keyworker'),
};
