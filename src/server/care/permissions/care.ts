import { careRoutePermissions, clinicRoles } from '../route-permissions';

const clinical = clinicRoles('admin', 'prescriber', 'nurse', 'hca', 'keyworker', 'cd_accountable');

/** Keywork, care plans, referrals and multidisciplinary reviews. */
export const carePermissions = {
  ...careRoutePermissions('mdt-reviews', clinicRoles('prescriber', 'nurse', 'keyworker'), clinical),
};
