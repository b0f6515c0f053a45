/**
 * The jobs people do in a HAT clinic. A person may hold several roles and work at several
 * clinics; roles are always held *at a clinic*.
 */
export const ROLES = [
  'admin', // clinic manager: settings, staff accounts, audit
  'prescriber', // doctor or non-medical prescriber with a Home Office licence for diamorphine
  'nurse', // supervises doses at the hatch
  'hca', // health-care assistant: second person at each dose
  'keyworker', // care plans, outcomes, referrals
  'cd_accountable', // controlled-drug accountable officer
  'commissioner', // anonymous aggregates only
] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Clinic administrator',
  prescriber: 'Prescriber',
  nurse: 'Nurse',
  hca: 'Health-care assistant',
  keyworker: 'Keyworker',
  cd_accountable: 'Controlled-drug accountable officer',
  commissioner: 'Commissioner',
};

/** Everyone who works with service users directly (everyone but the commissioner). */
export const CLINICAL_ROLES = ['admin', 'prescriber', 'nurse', 'hca', 'keyworker', 'cd_accountable'] as const satisfies readonly Role[];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
