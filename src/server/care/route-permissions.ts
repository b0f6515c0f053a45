import type { Role } from '../../domain/staff/roles';
import type { Rule } from '../permissions';

/** The permission rules for a care-record kind's four routes (see care-routes.ts): who may record and correct, who may read. */
export function careRoutePermissions<P extends string>(path: P, write: Rule, read: Rule) {
  return {
    [`POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/${path}`]: write,
    [`GET /api/v1/clinics/:clinicId/service-users/:serviceUserId/${path}`]: read,
    [`GET /api/v1/clinics/:clinicId/${path}/:recordId`]: read,
    [`POST /api/v1/clinics/:clinicId/${path}/:recordId/corrections`]: write,
  } as Record<
    | `POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/${P}`
    | `GET /api/v1/clinics/:clinicId/service-users/:serviceUserId/${P}`
    | `GET /api/v1/clinics/:clinicId/${P}/:recordId`
    | `POST /api/v1/clinics/:clinicId/${P}/:recordId/corrections`,
    Rule
  >;
}

/** Role groups the care areas share (mirroring permissions.ts). */
export const clinicRoles = (...roles: Role[]): Rule => ({ access: 'clinic', roles });
