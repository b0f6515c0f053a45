import { careRoutePermissions, clinicRoles } from '../route-permissions';

const clinical = clinicRoles('admin', 'prescriber', 'nurse', 'hca', 'keyworker', 'cd_accountable');
/** Whoever hands out naloxone and equipment, or sees a wound, records it. */
const harmReductionWorkers = clinicRoles('nurse', 'hca', 'keyworker', 'prescriber');

/** Take-home naloxone (supplies and uses), injecting equipment, injection-site problems. */
export const harmReductionPermissions = {
  ...careRoutePermissions('naloxone-supplies', harmReductionWorkers, clinical),
  ...careRoutePermissions('naloxone-uses', harmReductionWorkers, clinical),
  ...careRoutePermissions('equipment', harmReductionWorkers, clinical),
  ...careRoutePermissions('injection-site-problems', harmReductionWorkers, clinical),
};
