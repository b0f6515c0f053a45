import { TEST_PASSWORD } from '../support/test-app';
import { record, starting } from '../support/clinical';
import { checklist } from '../support/dosing';
import { consent, TEMPORARY } from '../support/portal';
import { defaultClinicSettings } from '../../src/domain/clinic/clinic-settings';
import { deriveValue } from './derive';
import type { WriteRoute } from './routes';
import type { FuzzWorld } from './world';

/**
 * One valid example per write route: the fuzzer mutates it one thing at a time, so that a mutation
 * gets past the first field. Most are derived from the route's JSON schema (derive); the rest are
 * written out. A write route missing here fails write-routes.int.test.ts.
 */
export interface Example {
  body: (world: FuzzWorld, route: WriteRoute) => unknown;
  /** Which id each path parameter takes (default: the id of the same name). */
  params?: Record<string, string>;
  client?: 'staff' | 'portal' | 'spare' | 'anonymous';
  /** The route ends its client's session on success. */
  signsOut?: true;
  /** Tables a deliberate, audited refusal writes to (failed sign-ins are counted and audited). */
  refusalSideEffects?: string[];
  /** The route checks who is asking (e.g. a password) before it looks at the body. */
  authBeforeBody?: true;
  /** Routes that end something (discharge, stop, close) go last. */
  order?: number;
  /** Remember ids from an accepted write. */
  after?: (world: FuzzWorld, body: any, sent: unknown) => void;
}

/** Passwords in a body (a witness's, a signature's) are the test password; a witness is the HCA. */
function credentials(value: unknown, world: FuzzWorld, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => credentials(v, world));
  if (value === null || typeof value !== 'object') return key === 'password' ? TEST_PASSWORD : value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = credentials(v, world, k);
  // A second person confirming with their password (witness, second checker...): the HCA.
  if ('staffId' in out && 'password' in out) out.staffId = world.ids.witnessId;
  return out;
}

const derive = (world: FuzzWorld, route: WriteRoute) => (route.bodySchema ? credentials(deriveValue(route.bodySchema, '(body)', world.ids), world) : undefined);
const d: Example = { body: derive };
/** Derived, then adjusted. */
const tweak = (fix: (body: any, world: FuzzWorld) => void, extra: Omit<Example, 'body'> = {}): Example => ({
  ...extra,
  body: (world, route) => {
    const body = derive(world, route) as any;
    fix(body, world);
    return body;
  },
});
const onWaiting: Example = { body: derive, params: { episodeId: 'waitingEpisodeId' } };
/** Correction routes run after the route that creates their record, which remembers its id. */
const correction: Example = { body: derive, order: 1 };
const rememberRecord: Example = { body: derive, after: (world, body) => void (body?.recordId && (world.ids.recordId = body.recordId)) };
/** Outcome answers of "no use in any of the four weeks", wherever the body asks for weeks. */
function noUse(value: any): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value.weeks)) Object.assign(value, { weeks: [0, 0, 0, 0], days: 0 }, 'averagePerUsingDay' in value ? { averagePerUsingDay: null } : {});
  for (const v of Object.values(value)) noUse(v);
}
const last = (example: Example, order = 10): Example => ({ ...example, order });

export const examples: Record<string, Example> = {
  'POST /api/v1/auth/login': { body: (w) => ({ email: w.loginTarget.email, password: TEST_PASSWORD }), client: 'anonymous' },
  'POST /api/v1/auth/logout': { body: () => ({}), client: 'spare', signsOut: true },
  'POST /api/v1/auth/password': { body: (w) => ({ currentPassword: w.sparePassword, newPassword: w.sparePassword }), client: 'spare', signsOut: true, after: (w, _b, sent: any) => void (w.sparePassword = sent.newPassword) },
  'POST /api/v1/clinics': { body: () => ({ settings: defaultClinicSettings('Fuzz clinic') }) },
  'PUT /api/v1/clinics/:clinicId/settings': last({ body: (w) => ({ settings: w.settings, reason: 'fuzz: the same settings again', expectedVersion: w.settingsVersion }) }, 20),
  'POST /api/v1/clinics/:clinicId/staff': tweak((b) => Object.assign(b, { temporaryPassword: 'a perfectly fine one', email: 'new.starter@clinic.test', displayName: 'New Starter' })),
  'PATCH /api/v1/clinics/:clinicId/staff/:staffId': d,
  'PUT /api/v1/clinics/:clinicId/staff/:staffId/roles': d,
  'POST /api/v1/clinics/:clinicId/staff/:staffId/unlock': d,
  'POST /api/v1/clinics/:clinicId/staff/:staffId/reset-password': d,
  'POST /api/v1/clinics/:clinicId/service-users': { body: () => ({ record: record({ familyName: 'Fuzzcreated' }), referral: { source: 'GP' } }) },
  'PUT /api/v1/clinics/:clinicId/service-users/:serviceUserId': { body: () => ({ record: record({ familyName: 'Person0', givenName: 'P0', preferredName: null }), reason: 'fuzz: same again', expectedVersion: 1 }) },
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/photo': { body: () => ({ contentType: 'image/png', dataBase64: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==' }) },
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/episodes': d,
  'POST /api/v1/clinics/:clinicId/episodes/:episodeId/assessment': onWaiting,
  'POST /api/v1/clinics/:clinicId/episodes/:episodeId/place-offer': onWaiting,
  'POST /api/v1/clinics/:clinicId/episodes/:episodeId/induction': onWaiting,
  'POST /api/v1/clinics/:clinicId/episodes/:episodeId/maintenance': d,
  'POST /api/v1/clinics/:clinicId/episodes/:episodeId/absences/end': last({ body: derive, params: { episodeId: 'secondEpisodeId' } }, 6),
  'POST /api/v1/clinics/:clinicId/episodes/:episodeId/eligibility': onWaiting,
  'POST /api/v1/clinics/:clinicId/episodes/:episodeId/discharge': last({ body: derive, params: { episodeId: 'secondEpisodeId' } }),
  'POST /api/v1/clinics/:clinicId/episodes/:episodeId/absences': last({ body: derive, params: { episodeId: 'secondEpisodeId' } }, 5),
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/prescriptions': { body: () => starting({ startDate: '2026-03-02', reviewDate: '2026-03-09' }) },
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/prescriptions/suspension': last({ body: derive, params: { serviceUserId: 'secondServiceUserId' } }, 7),
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/prescriptions/stop': last({ body: derive, params: { serviceUserId: 'secondServiceUserId' } }, 8),
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/reviews': tweak((b) => Object.assign(b, { nextReviewDue: '2026-04-01' })),
  'POST /api/v1/clinics/:clinicId/cd/items': d,
  'POST /api/v1/clinics/:clinicId/cd/items/:itemId/receipts': d,
  'POST /api/v1/clinics/:clinicId/cd/items/:itemId/supplies': d,
  'POST /api/v1/clinics/:clinicId/cd/items/:itemId/waste': d,
  'POST /api/v1/clinics/:clinicId/cd/items/:itemId/returns-to-supplier': d,
  'POST /api/v1/clinics/:clinicId/cd/items/:itemId/destructions': d,
  'POST /api/v1/clinics/:clinicId/cd/items/:itemId/corrections': d,
  'POST /api/v1/clinics/:clinicId/cd/items/:itemId/transfers': d,
  'POST /api/v1/clinics/:clinicId/cd/stock-checks': d,
  'POST /api/v1/clinics/:clinicId/cd/discrepancies/:discrepancyId/resolution': d,
  'POST /api/v1/clinics/:clinicId/cd/patient-returns': d,
  'POST /api/v1/clinics/:clinicId/cd/patient-returns/:returnId/destruction': d,
  'POST /api/v1/clinics/:clinicId/sessions': tweak((b, w) => Object.assign(b, { sessionCode: 'PM', staffOnDuty: [w.actor.staffId, w.ids.witnessId], cdKeyHolderId: w.actor.staffId, checklist })),
  'POST /api/v1/clinics/:clinicId/sessions/:sessionId/handover': d,
  'POST /api/v1/clinics/:clinicId/sessions/:sessionId/close': last(d, 15),
  'POST /api/v1/clinics/:clinicId/sessions/:sessionId/assessments': d,
  'POST /api/v1/clinics/:clinicId/doses/:doseId/preparation': d,
  'POST /api/v1/clinics/:clinicId/doses/:doseId/administration': d,
  'POST /api/v1/clinics/:clinicId/doses/:doseId/not-given': d,
  'POST /api/v1/clinics/:clinicId/doses/:doseId/observations': d,
  'POST /api/v1/clinics/:clinicId/doses/:doseId/discharge': d,
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/dosing-exceptions': d,
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/mdt-reviews': rememberRecord,
  'POST /api/v1/clinics/:clinicId/mdt-reviews/:recordId/corrections': correction,
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/toxicology': tweak((b) => { delete b.reasonNotTaken; for (const r of b.results ?? []) { delete r.level; delete r.unit; } }, { after: rememberRecord.after }),
  'POST /api/v1/clinics/:clinicId/toxicology/:recordId/corrections': correction,
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/breath-tests': rememberRecord,
  'POST /api/v1/clinics/:clinicId/breath-tests/:recordId/corrections': correction,
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/naloxone-supplies': tweak((b) => delete b.productName, { after: rememberRecord.after }),
  'POST /api/v1/clinics/:clinicId/naloxone-supplies/:recordId/corrections': correction,
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/naloxone-uses': rememberRecord,
  'POST /api/v1/clinics/:clinicId/naloxone-uses/:recordId/corrections': correction,
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/equipment': rememberRecord,
  'POST /api/v1/clinics/:clinicId/equipment/:recordId/corrections': correction,
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/injection-site-problems': tweak((b) => delete b.resolvedOn, { after: rememberRecord.after }),
  'POST /api/v1/clinics/:clinicId/injection-site-problems/:recordId/corrections': correction,
  'PUT /api/v1/clinics/:clinicId/service-users/:serviceUserId/keyworker': d,
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/care-plans': rememberRecord,
  'POST /api/v1/clinics/:clinicId/care-plans/:recordId/corrections': correction,
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/keywork-sessions': rememberRecord,
  'POST /api/v1/clinics/:clinicId/keywork-sessions/:recordId/corrections': correction,
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/referrals': tweak((b) => delete b.madeOn, { after: rememberRecord.after }),
  'POST /api/v1/clinics/:clinicId/referrals/:recordId/corrections': correction,
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/outcomes': tweak((b) => noUse(b), { after: rememberRecord.after }),
  'POST /api/v1/clinics/:clinicId/outcomes/:recordId/corrections': correction,
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/methadone-collections': rememberRecord,
  'POST /api/v1/clinics/:clinicId/methadone-collections/:recordId/corrections': correction,
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/methadone-alert-actions': rememberRecord,
  'POST /api/v1/clinics/:clinicId/methadone-alert-actions/:recordId/corrections': correction,
  'POST /api/v1/clinics/:clinicId/methadone-collections/imports': d,
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/ecgs': rememberRecord,
  'POST /api/v1/clinics/:clinicId/ecgs/:recordId/corrections': correction,
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/stability-assessments': tweak((b) => delete b.maxDaysPerSupply, { after: rememberRecord.after }),
  'POST /api/v1/clinics/:clinicId/stability-assessments/:recordId/corrections': correction,
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/take-home/supplies': d,
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/take-home/returns': d,
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/arrival-plans': rememberRecord,
  'POST /api/v1/clinics/:clinicId/arrival-plans/:recordId/corrections': correction,
  'POST /api/v1/clinics/:clinicId/arrival-slots/moves': d,
  'POST /api/v1/clinics/:clinicId/continuity/drafts': d,
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/continuity-plans': rememberRecord,
  'POST /api/v1/clinics/:clinicId/continuity-plans/:recordId/corrections': correction,
  'POST /api/v1/clinics/:clinicId/continuity-plans/:recordId/approval': correction,
  'POST /api/v1/clinics/:clinicId/service-users/:serviceUserId/portal-account': { body: () => ({ username: 'wren-fuzz', temporaryPassword: TEMPORARY, consent }), params: { serviceUserId: 'waitingServiceUserId' } },
  'PATCH /api/v1/clinics/:clinicId/service-users/:serviceUserId/portal-account': { body: derive, params: { serviceUserId: 'waitingServiceUserId' } },
  'POST /api/v1/portal/login': { body: (w) => ({ username: w.portalLoginTarget, password: TEMPORARY }), client: 'anonymous' },
  'POST /api/v1/portal/logout': { body: () => ({}), client: 'portal', signsOut: true, order: 30 },
  'POST /api/v1/portal/password': { body: (w) => ({ currentPassword: w.portalPassword, newPassword: w.portalPassword }), client: 'portal', signsOut: true, after: (w, _b, sent: any) => void (w.portalPassword = sent.newPassword) },
  'POST /api/v1/clinics/:clinicId/imports/service-users': d,
  'POST /api/v1/clinics/:clinicId/imports/prescriptions': d,
  'POST /api/v1/auth/second-factor/enrolment': { body: () => ({}), client: 'spare' },
  'POST /api/v1/auth/second-factor/enrolment/confirm': { body: () => ({ code: '123456' }), client: 'spare' },
  'POST /api/v1/auth/second-factor/verify': { body: () => ({ code: '123456' }), client: 'spare' },
  'POST /api/v1/clinics/:clinicId/staff/:staffId/reset-second-factor': d,
  'POST /api/v1/clinics/:clinicId/emergency-access': {
    body: (w) => ({ recordClinicId: w.foreign.clinicId, serviceUserId: w.foreign.serviceUserId, reason: 'Collapsed in our waiting room; need the prescription' }),
  },
};
