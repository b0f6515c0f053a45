import { clinicRoles } from '../route-permissions';

/** Work lists: everyone who works with service users (each sees the lists of their roles). */
export const workListsPermissions = {
  'GET /api/v1/clinics/:clinicId/work-lists': clinicRoles('admin', 'prescriber', 'nurse', 'hca', 'keyworker', 'cd_accountable'),
};
