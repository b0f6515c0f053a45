import { careRoutePermissions, clinicRoles } from '../care/route-permissions';

/** Everyone who works with service users directly. */
const clinical = clinicRoles('admin', 'prescriber', 'nurse', 'hca', 'keyworker', 'cd_accountable');
/** Those who arrange arrivals: the staff at the door and the hatch, keyworkers and prescribers. */
const arrangers = clinicRoles('admin', 'nurse', 'hca', 'keyworker', 'prescriber');
/** Those who look at attendance against the journey (a service-planning report). */
const reporters = clinicRoles('admin', 'prescriber', 'nurse', 'keyworker');

/** Arrival slots, waiting areas and travel burden (issue 8). */
export const arrivalPermissions = {
  ...careRoutePermissions('arrival-plans', arrangers, clinical),
  'GET /api/v1/clinics/:clinicId/arrival-slots': clinical,
  'POST /api/v1/clinics/:clinicId/arrival-slots/moves': arrangers,
  'GET /api/v1/clinics/:clinicId/waiting-areas': clinical,
  'GET /api/v1/clinics/:clinicId/reports/travel': reporters,
};
