import { CLINICAL_ROLES } from '../../../domain/staff/roles';
import { careRoutePermissions, clinicRoles } from '../route-permissions';

const clinical = clinicRoles(...CLINICAL_ROLES);
const importers = clinicRoles('admin', 'nurse', 'prescriber');

/** Methadone cover (collections, the pharmacy CSV import, the prescriber's action on non-collection) and heart safety (ECGs). */
export const methadonePermissions = {
  ...careRoutePermissions('methadone-collections', clinicRoles('nurse', 'hca', 'prescriber', 'keyworker', 'admin'), clinical),
  'POST /api/v1/clinics/:clinicId/methadone-collections/imports': importers,
  'GET /api/v1/clinics/:clinicId/methadone-collections/imports': importers,
  ...careRoutePermissions('methadone-alert-actions', clinicRoles('prescriber'), clinical),
  ...careRoutePermissions('ecgs', clinicRoles('prescriber', 'nurse'), clinical),
  'GET /api/v1/clinics/:clinicId/ecgs/due': clinicRoles('admin', 'prescriber', 'nurse'),
};
