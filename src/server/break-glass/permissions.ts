import { BREAK_GLASS_ROLES } from '../../domain/staff/break-glass';
import type { Rule } from '../permissions';

/**
 * Break-glass. A clinician asks on a route of the clinic where they work (:clinicId is theirs);
 * the grant it makes is checked in src/server/authorize.ts, which lets that one member of staff
 * read that one person's record at the other clinic until the grant expires. The administrators
 * of the record's clinic list the grants into their clinic.
 */
export const breakGlassPermissions = {
  'POST /api/v1/clinics/:clinicId/emergency-access': { access: 'clinic', roles: BREAK_GLASS_ROLES },
  'GET /api/v1/clinics/:clinicId/emergency-access': { access: 'clinic', roles: BREAK_GLASS_ROLES },
  'GET /api/v1/clinics/:clinicId/break-glass': { access: 'clinic', roles: ['admin'] },
} as const satisfies Record<string, Rule>;
