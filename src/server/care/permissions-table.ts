import { carePermissions } from './permissions/care';
import { harmReductionPermissions } from './permissions/harm-reduction';
import { methadonePermissions } from './permissions/methadone';
import { outcomesPermissions } from './permissions/outcomes';
import { toxicologyPermissions } from './permissions/toxicology';
import { workListsPermissions } from './permissions/work-lists';

/** Each area's permission rules, merged into the one permission table. */
export const careAreaPermissions = {
  ...toxicologyPermissions,
  ...methadonePermissions,
  ...harmReductionPermissions,
  ...carePermissions,
  ...outcomesPermissions,
  ...workListsPermissions,
};
