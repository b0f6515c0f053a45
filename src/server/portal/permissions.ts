import type { Rule } from '../permissions';

const portal = { access: 'portal' } as const;
const duringPasswordChange = { access: 'portal', duringPasswordChange: true } as const;
/** Staff who open, switch off and reset a service user's portal account. */
const accountKeepers = { access: 'clinic', roles: ['admin', 'keyworker', 'prescriber', 'nurse'] } as const;

/**
 * Permission rules for the service-user portal. Staff manage accounts on clinic routes; the portal's
 * own routes (under /api/v1/portal/) take only a portal session, never a staff one, and a portal
 * session reaches nothing else.
 */
export const portalPermissions = {
  'GET /api/v1/clinics/:clinicId/service-users/:serviceUserId/portal-account': accountKeepers,
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/portal-account': accountKeepers,
  'PATCH /api/v1/clinics/:clinicId/service-users/:serviceUserId/portal-account': accountKeepers,

  'POST /api/v1/portal/login': { access: 'public' },
  'POST /api/v1/portal/logout': duringPasswordChange,
  'GET /api/v1/portal/session': duringPasswordChange,
  'POST /api/v1/portal/password': duringPasswordChange,

  'GET /api/v1/portal/me': portal,
  'GET /api/v1/portal/today': portal,
  'GET /api/v1/portal/doses': portal,
  'GET /api/v1/portal/doses/:doseId': portal,
  'GET /api/v1/portal/appointments': portal,
  'GET /api/v1/portal/take-home': portal,
  'GET /api/v1/portal/continuity': portal,
  'GET /api/v1/portal/peer-support': portal,
} as const satisfies Record<string, Rule>;
