import { CLINICAL_ROLES } from '../../domain/staff/roles';
import { careRoutePermissions, clinicRoles } from '../care/route-permissions';

/** Everyone who works with service users reads; the prescriber assesses; a nurse supplies and takes back. */
const clinical = clinicRoles(...CLINICAL_ROLES);

/** Permission rules for this area's routes (every route needs one; every rule a route). */
export const takeHomePermissions = {
  ...careRoutePermissions('stability-assessments', clinicRoles('prescriber'), clinical),
  'GET /api/v1/clinics/:clinicId/service-users/:serviceUserId/take-home': clinical,
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/take-home/supplies': clinicRoles('nurse'),
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/take-home/returns': clinicRoles('nurse'),
};
