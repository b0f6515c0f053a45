import { careRoutePermissions, clinicRoles } from '../route-permissions';

const clinical = clinicRoles('admin', 'prescriber', 'nurse', 'hca', 'keyworker', 'cd_accountable');

/** Treatment Outcomes Profiles: keyworkers, prescribers and nurses record them; the clinical team reads them. */
export const outcomesPermissions = {
  ...careRoutePermissions('outcomes', clinicRoles('keyworker', 'prescriber', 'nurse'), clinical),
  'GET /api/v1/clinics/:clinicId/service-users/:serviceUserId/outcomes/change': clinical,
  'GET /api/v1/clinics/:clinicId/outcomes/due': clinicRoles('admin', 'prescriber', 'nurse', 'keyworker'),
};
