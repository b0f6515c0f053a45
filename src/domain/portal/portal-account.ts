import { z } from 'zod';
import { passwordProblems } from '../auth/password-policy';
import type { Refusal } from '../refusal';
import { refuse } from '../refusal';
import type { FieldProblem } from '../validation';

/**
 * A service user's own portal account (issue 8). Off unless the clinic switches the portal on, and
 * opt-in per person: staff open an account only for someone in treatment who has had the portal
 * explained and been warned about shared phones. The password policy is the staff one (length over
 * composition, nothing guessable), and the first password is temporary.
 */

/** 4–40 characters: lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit. */
export const PORTAL_USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{3,39}$/;

export const PortalConsent = z.object({
  explained: z.literal(true, 'confirm that the portal, and what it shows, was explained to the person'),
  sharedPhoneWarningGiven: z.literal(true, 'confirm that the person was warned about shared phones and coercion, and shown Quick exit'),
});
export type PortalConsent = z.infer<typeof PortalConsent>;

/** Usernames are compared without case and stored in lower case. */
export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

export interface PersonNames {
  givenName: string;
  familyName: string;
  preferredName: string | null;
}

/** Name parts long enough to identify someone (a two-letter "Jo" does not). */
function nameParts(names: PersonNames): string[] {
  return [names.givenName, names.familyName, names.preferredName ?? '']
    .flatMap((n) => n.toLowerCase().split(/[\s'-]+/))
    .filter((part) => part.length >= 3);
}

/**
 * Problems with a username, by field. A username must not contain the person's name: a phone
 * shared with others keeps usernames in its browser, and a name there tells whoever looks that
 * the person is in treatment.
 */
export function usernameProblems(username: string, names: PersonNames, field = 'username'): FieldProblem[] {
  const u = normaliseUsername(username);
  if (!PORTAL_USERNAME_PATTERN.test(u)) {
    return [{ field, message: 'must be 4–40 characters: letters, digits, dots, dashes or underscores, starting with a letter or digit' }];
  }
  const letters = u.replace(/[^a-z]/g, '');
  if (nameParts(names).some((part) => letters.includes(part.replace(/[^a-z]/g, '')))) {
    return [{ field, message: "must not contain the person's name (a shared phone keeps usernames where others can see them)" }];
  }
  return [];
}

/** The staff password policy, with the person's names and username as the personal words to avoid. */
export function portalPasswordProblems(password: string, about: PersonNames & { username: string }, field: string): FieldProblem[] {
  return passwordProblems(password, { name: [about.username, about.givenName, about.familyName, about.preferredName ?? ''].join(' ') }, field);
}

export interface PortalAccountFacts {
  /** The clinic's portal switch (settings.portal.enabled). */
  portalEnabled: boolean;
  /** The person's latest episode is in induction or maintenance. */
  inTreatment: boolean;
}

/** Whether an account may be opened (or switched back on) for this person now; the rules that refuse it. */
export function portalAccountRefusals(f: PortalAccountFacts): Refusal[] {
  const refusals: Refusal[] = [];
  if (!f.portalEnabled) {
    refusals.push(refuse('portal_disabled', 'The service-user portal is switched off at this clinic (settings.portal.enabled); an administrator can switch it on'));
  }
  if (!f.inTreatment) {
    refusals.push(refuse('not_in_treatment', 'Portal accounts are only for people in treatment (induction or maintenance)'));
  }
  return refusals;
}
