import { CLINICAL_ROLES, type Role } from '../domain/staff/roles';
import { careAreaPermissions } from './care/permissions-table';
import { takeHomePermissions } from './take-home/permissions';
import { arrivalPermissions } from './arrival/permissions';
import { continuityPermissions } from './continuity/permissions';
import { portalPermissions } from './portal/permissions';
import { reportsPermissions } from './reports/permissions';
import { fhirPermissions } from './fhir/permissions';
import { exportsPermissions } from './exports/permissions';
import { importsPermissions } from './imports/permissions';
import { breakGlassPermissions } from './break-glass/permissions';

/**
 * Who may call what: the one table the server enforces and the tests are generated from.
 * The server refuses to start if a route has no rule here, or a rule names no route.
 *
 * - public: anyone, signed in or not;
 * - signed_in: any signed-in member of staff;
 * - deployment_admin: administrators of the whole deployment (they create clinics);
 * - clinic: the listed roles *at the clinic in the URL*. Someone with no role at that clinic is
 *   told it does not exist (404), so a clinic's existence is never revealed to outsiders.
 *
 * - portal: a service user signed in to the portal (its own cookie and sessions). Only portal
 *   routes take a portal session, and a portal route takes nothing else: staff get 403.
 *
 * `duringPasswordChange` marks the few routes usable while a temporary password must be changed;
 * `duringSecondFactor` those usable by a session that has passed the password but not yet the
 * TOTP second factor (no other route is: 403 second_factor_required).
 */
export type Rule =
  | { access: 'public' }
  | { access: 'signed_in'; duringPasswordChange?: true; duringSecondFactor?: true }
  | { access: 'deployment_admin' }
  | { access: 'clinic'; roles: readonly Role[] }
  | { access: 'portal'; duringPasswordChange?: true };

const anyone = { access: 'public' } as const;
const clinic = (...roles: Role[]) => ({ access: 'clinic', roles }) as const;
const everyClinicRole = clinic(...CLINICAL_ROLES, 'commissioner');
const admin = clinic('admin');
const clinical = clinic(...CLINICAL_ROLES);
const prescriber = clinic('prescriber');
const cdAccountable = clinic('cd_accountable');
/** Those who keep a person's record and episode up to date. */
const recordKeepers = clinic('admin', 'prescriber', 'nurse', 'keyworker');

export const permissions = {
  'GET /': anyone,
  'GET /assets/*': anyone,
  'GET /health': anyone,
  'GET /ready': anyone,
  'GET /api/openapi.json': anyone,

  'POST /api/v1/auth/login': anyone,
  'POST /api/v1/auth/logout': { access: 'signed_in', duringPasswordChange: true, duringSecondFactor: true },
  'GET /api/v1/auth/session': { access: 'signed_in', duringPasswordChange: true, duringSecondFactor: true },
  'POST /api/v1/auth/second-factor/enrolment': { access: 'signed_in', duringSecondFactor: true },
  'POST /api/v1/auth/second-factor/enrolment/confirm': { access: 'signed_in', duringSecondFactor: true },
  'POST /api/v1/auth/second-factor/verify': { access: 'signed_in', duringSecondFactor: true },
  'POST /api/v1/auth/password': { access: 'signed_in', duringPasswordChange: true },

  'GET /api/v1/clinics': { access: 'signed_in' },
  'POST /api/v1/clinics': { access: 'deployment_admin' },
  'GET /api/v1/audit': { access: 'deployment_admin' },
  'GET /api/v1/backup': { access: 'deployment_admin' },

  'GET /api/v1/clinics/:clinicId': everyClinicRole,
  'PUT /api/v1/clinics/:clinicId/settings': admin,
  'GET /api/v1/clinics/:clinicId/settings/history': admin,

  'GET /api/v1/clinics/:clinicId/staff': clinic(...CLINICAL_ROLES),
  'POST /api/v1/clinics/:clinicId/staff': admin,
  'GET /api/v1/clinics/:clinicId/staff/:staffId': clinic(...CLINICAL_ROLES),
  'PATCH /api/v1/clinics/:clinicId/staff/:staffId': admin,
  'PUT /api/v1/clinics/:clinicId/staff/:staffId/roles': admin,
  'POST /api/v1/clinics/:clinicId/staff/:staffId/unlock': admin,
  'POST /api/v1/clinics/:clinicId/staff/:staffId/reset-password': admin,
  'POST /api/v1/clinics/:clinicId/staff/:staffId/reset-second-factor': admin,

  'GET /api/v1/clinics/:clinicId/audit': clinic('admin', 'cd_accountable'),

  'GET /api/v1/clinics/:clinicId/service-users': clinical,
  'POST /api/v1/clinics/:clinicId/service-users': recordKeepers,
  'GET /api/v1/clinics/:clinicId/service-users/:serviceUserId': clinical,
  'PUT /api/v1/clinics/:clinicId/service-users/:serviceUserId': recordKeepers,
  'GET /api/v1/clinics/:clinicId/service-users/:serviceUserId/history': clinical,
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/photo': clinic('admin', 'prescriber', 'nurse', 'hca', 'keyworker'),
  'GET /api/v1/clinics/:clinicId/service-users/:serviceUserId/photo': clinical,

  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/episodes': recordKeepers,
  'GET /api/v1/clinics/:clinicId/episodes/:episodeId': clinical,
  'POST /api/v1/clinics/:clinicId/episodes/:episodeId/assessment': clinic('prescriber', 'nurse', 'keyworker'),
  'POST /api/v1/clinics/:clinicId/episodes/:episodeId/eligibility': prescriber,
  'POST /api/v1/clinics/:clinicId/episodes/:episodeId/place-offer': clinic('admin', 'prescriber'),
  'POST /api/v1/clinics/:clinicId/episodes/:episodeId/induction': prescriber,
  'POST /api/v1/clinics/:clinicId/episodes/:episodeId/maintenance': prescriber,
  'POST /api/v1/clinics/:clinicId/episodes/:episodeId/discharge': recordKeepers,
  // Recording that someone is away stops treatment safely, so anyone at the hatch may.
  'POST /api/v1/clinics/:clinicId/episodes/:episodeId/absences': clinic('admin', 'prescriber', 'nurse', 'hca', 'keyworker'),
  'POST /api/v1/clinics/:clinicId/episodes/:episodeId/absences/end': recordKeepers,

  'GET /api/v1/clinics/:clinicId/service-users/:serviceUserId/prescriptions': clinical,
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/prescriptions': prescriber,
  // Suspending is always the safer way, so nurses may too.
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/prescriptions/suspension': clinic('prescriber', 'nurse'),
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/prescriptions/stop': prescriber,

  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/reviews': prescriber,
  'GET /api/v1/clinics/:clinicId/service-users/:serviceUserId/reviews': clinical,
  'GET /api/v1/clinics/:clinicId/reviews/due': clinic('admin', 'prescriber', 'nurse', 'keyworker'),

  'GET /api/v1/clinics/:clinicId/cd/items': clinical,
  'POST /api/v1/clinics/:clinicId/cd/items': cdAccountable,
  'GET /api/v1/clinics/:clinicId/cd/items/:itemId/register': clinic('admin', 'prescriber', 'nurse', 'cd_accountable'),
  'POST /api/v1/clinics/:clinicId/cd/items/:itemId/receipts': cdAccountable,
  'POST /api/v1/clinics/:clinicId/cd/items/:itemId/supplies': clinic('nurse'),
  'POST /api/v1/clinics/:clinicId/cd/items/:itemId/waste': clinic('nurse'),
  'POST /api/v1/clinics/:clinicId/cd/items/:itemId/returns-to-supplier': cdAccountable,
  'POST /api/v1/clinics/:clinicId/cd/items/:itemId/destructions': cdAccountable,
  'POST /api/v1/clinics/:clinicId/cd/items/:itemId/corrections': cdAccountable,
  'POST /api/v1/clinics/:clinicId/cd/items/:itemId/transfers': cdAccountable,
  'POST /api/v1/clinics/:clinicId/cd/stock-checks': cdAccountable,
  'GET /api/v1/clinics/:clinicId/cd/discrepancies': clinic('admin', 'cd_accountable'),
  'POST /api/v1/clinics/:clinicId/cd/discrepancies/:discrepancyId/resolution': cdAccountable,
  'GET /api/v1/clinics/:clinicId/cd/verify': clinic('admin', 'cd_accountable'),
  'GET /api/v1/clinics/:clinicId/cd/reconciliation': clinic('admin', 'nurse', 'cd_accountable'),
  'GET /api/v1/clinics/:clinicId/cd/patient-returns': clinic('admin', 'nurse', 'cd_accountable'),
  'POST /api/v1/clinics/:clinicId/cd/patient-returns': clinic('nurse', 'cd_accountable'),
  'POST /api/v1/clinics/:clinicId/cd/patient-returns/:returnId/destruction': cdAccountable,

  'POST /api/v1/clinics/:clinicId/sessions': clinic('admin', 'nurse'),
  'GET /api/v1/clinics/:clinicId/sessions': clinical,
  'GET /api/v1/clinics/:clinicId/sessions/:sessionId': clinical,
  'POST /api/v1/clinics/:clinicId/sessions/:sessionId/handover': clinic('admin', 'prescriber', 'nurse', 'hca', 'keyworker'),
  'POST /api/v1/clinics/:clinicId/sessions/:sessionId/close': clinic('admin', 'nurse'),
  'GET /api/v1/clinics/:clinicId/sessions/:sessionId/downtime-pack': clinic('admin', 'prescriber', 'nurse', 'hca'),
  'POST /api/v1/clinics/:clinicId/sessions/:sessionId/assessments': clinic('nurse'),
  'GET /api/v1/clinics/:clinicId/dose-list': clinical,
  'GET /api/v1/clinics/:clinicId/doses/:doseId': clinical,
  'POST /api/v1/clinics/:clinicId/doses/:doseId/preparation': clinic('nurse'),
  'POST /api/v1/clinics/:clinicId/doses/:doseId/administration': clinic('nurse'),
  'POST /api/v1/clinics/:clinicId/doses/:doseId/not-given': clinic('nurse'),
  // The health-care assistant watches too, and may record what they see.
  'POST /api/v1/clinics/:clinicId/doses/:doseId/observations': clinic('nurse', 'hca'),
  'POST /api/v1/clinics/:clinicId/doses/:doseId/discharge': clinic('nurse'),
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/dosing-exceptions': prescriber,
  'GET /api/v1/clinics/:clinicId/service-users/:serviceUserId/dosing-exceptions': clinical,
  'GET /api/v1/clinics/:clinicId/events': everyClinicRole,
  'GET /api/v1/clinics/:clinicId/service-users/:serviceUserId/doses': clinical,

  // Monitoring and care (toxicology, breath tests, methadone, ECGs, harm reduction, care, outcomes,
  // work lists): each area keeps its rules beside its routes, in src/server/care/permissions/.
  ...careAreaPermissions,

  // Beyond the study (issue 8): each area's rules beside its routes.
  ...takeHomePermissions,
  ...arrivalPermissions,
  ...continuityPermissions,
  ...portalPermissions,

  // Reporting and interoperability (issue 9).
  ...reportsPermissions,
  ...fhirPermissions,
  ...exportsPermissions,
  ...importsPermissions,

  // Break-glass (issue 11): emergency access to a record at another clinic.
  ...breakGlassPermissions,
} as const satisfies Record<string, Rule>;

export type RouteKey = keyof typeof permissions;

export function ruleFor(method: string, url: string): Rule | undefined {
  return (permissions as Record<string, Rule>)[`${method} ${url}`];
}
