import { Temporal } from 'temporal-polyfill';
import { refuse, type Decision } from '../refusal';
import type { Role } from './roles';
import type { WorkItem } from '../care/work-list';

/**
 * Break-glass ("emergency access"): a clinician may open one person's record at a clinic of the
 * same deployment where they hold no role — someone in treatment elsewhere who turns up in an
 * emergency — with a written reason, read-only, for a few hours. The grant is audited and listed
 * to the administrators of the record's clinic.
 */

/** Who may break the glass: the clinicians who treat people face to face. */
export const BREAK_GLASS_ROLES = ['prescriber', 'nurse', 'keyworker'] as const satisfies readonly Role[];

/** How long a grant lasts. */
export const BREAK_GLASS_HOURS = 4;

/** The shortest reason accepted (the migration's CHECK says the same). */
export const BREAK_GLASS_REASON_MIN = 20;
export const BREAK_GLASS_REASON_MAX = 2000;

export interface BreakGlassRequest {
  /** The requester's roles at the clinic they ask from. */
  rolesHere: readonly Role[];
  /** The requester's roles at the record's clinic (usually none). */
  rolesThere: readonly Role[];
  reason: string;
}

/** Whether a grant may be made, and until when. */
export function decideBreakGlass(request: BreakGlassRequest, now: Temporal.Instant): Decision<{ expiresAt: Temporal.Instant }> {
  const refusals = [];
  if (!request.rolesHere.some((r) => (BREAK_GLASS_ROLES as readonly Role[]).includes(r))) {
    refusals.push(refuse('break_glass_role', `Only a ${BREAK_GLASS_ROLES.join(', ')} may open a record in an emergency`));
  }
  if (request.rolesThere.some((r) => r !== 'commissioner')) {
    refusals.push(refuse('break_glass_not_needed', 'You already hold a role at that clinic: open the record there, or ask its administrator for access', 'recordClinicId'));
  }
  const reason = request.reason.trim();
  if (reason.length < BREAK_GLASS_REASON_MIN) {
    refusals.push(refuse('break_glass_reason', `Give a reason of at least ${BREAK_GLASS_REASON_MIN} characters (what is happening and why you need the record)`, 'reason'));
  }
  if (refusals.length > 0) return { ok: false, refusals };
  return { ok: true, value: { expiresAt: now.add({ hours: BREAK_GLASS_HOURS }) } };
}

/** A grant counts from when it was made until (not including) its expiry. */
export function grantActive(grant: { grantedAt: Temporal.Instant; expiresAt: Temporal.Instant }, now: Temporal.Instant): boolean {
  return Temporal.Instant.compare(grant.grantedAt, now) <= 0 && Temporal.Instant.compare(now, grant.expiresAt) < 0;
}

/**
 * The reads a grant opens: GET routes about one person (under .../service-users/:serviceUserId)
 * that the clinicians who dose and prescribe may call. Nothing else at that clinic, and no write.
 */
export function breakGlassCovers(method: string, routeUrl: string, ruleRoles: readonly Role[]): boolean {
  return (
    method === 'GET' &&
    routeUrl.startsWith('/api/v1/clinics/:clinicId/service-users/:serviceUserId') &&
    !routeUrl.endsWith('/portal-account') && // the person's portal sign-in is not part of their clinical record
    (ruleRoles.includes('nurse') || ruleRoles.includes('prescriber'))
  );
}

/** How long a grant stays on the record clinic's administrators' work list. */
export const BREAK_GLASS_REVIEW_DAYS = 7;

export interface GrantToReview {
  grantId: string;
  serviceUserId: string;
  grantedAt: Temporal.Instant;
  expiresAt: Temporal.Instant;
  reason: string;
  /** Who asked, and from which clinic, as the administrators will read it. */
  requester: string;
  fromClinic: string;
}

/**
 * Each grant into this clinic's records in the last BREAK_GLASS_REVIEW_DAYS days is an item on the
 * administrators' list, so that someone checks it was needed: open while it lasts (a warning),
 * then to review (info).
 */
export function breakGlassWorkItems(grants: readonly GrantToReview[], now: Temporal.Instant, timeZone: string): WorkItem[] {
  const today = now.toZonedDateTimeISO(timeZone).toPlainDate();
  const since = today.subtract({ days: BREAK_GLASS_REVIEW_DAYS - 1 });
  return grants
    .filter((g) => Temporal.PlainDate.compare(g.grantedAt.toZonedDateTimeISO(timeZone).toPlainDate(), since) >= 0 && Temporal.Instant.compare(g.grantedAt, now) <= 0)
    .map((g) => {
      const at = g.grantedAt.toZonedDateTimeISO(timeZone);
      const until = g.expiresAt.toZonedDateTimeISO(timeZone);
      const open = grantActive(g, now);
      const hhmm = (z: Temporal.ZonedDateTime) => z.toPlainTime().toString({ smallestUnit: 'minute' });
      return {
        list: 'emergency_access' as const,
        serviceUserId: g.serviceUserId,
        dueOn: at.toPlainDate().toString(),
        overdue: false,
        severity: open ? ('warning' as const) : ('info' as const),
        text: `${g.requester} (${g.fromClinic}) opened this record in an emergency at ${hhmm(at)} on ${at.toPlainDate().toString()}${open ? `, open until ${hhmm(until)}` : ''}: "${g.reason}". Check it was needed.`,
        recordId: g.grantId,
      };
    });
}
