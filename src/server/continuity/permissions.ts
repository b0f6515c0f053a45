import { CLINICAL_ROLES } from '../../domain/staff/roles';
import { careRoutePermissions, clinicRoles } from '../care/route-permissions';

const clinical = clinicRoles(...CLINICAL_ROLES);
const prescriber = clinicRoles('prescriber');

/** Permission rules for this area's routes (every route needs one; every rule a route). */
export const continuityPermissions = {
  // The banner: dates only, no one's records, so every member of staff at the clinic sees it.
  'GET /api/v1/clinics/:clinicId/continuity/status': clinicRoles(...CLINICAL_ROLES, 'commissioner'),
  'GET /api/v1/clinics/:clinicId/continuity': clinical,
  'POST /api/v1/clinics/:clinicId/continuity/drafts': clinicRoles('admin', 'prescriber'),
  // Plans are prescribers' to draft, correct and approve; everyone who works with people reads them.
  ...careRoutePermissions('continuity-plans', prescriber, clinical),
  'POST /api/v1/clinics/:clinicId/continuity-plans/:recordId/approval': prescriber,
  'GET /api/v1/clinics/:clinicId/continuity-plans/:recordId/letter': clinical,
  'GET /api/v1/clinics/:clinicId/peer-support': clinical,
};
