import type { Role } from '../staff/roles';

/**
 * Work lists: what each role must do about monitoring and care, soonest first. Each area's pure
 * rules produce work items; the server gathers them for the clinic and each role sees its lists.
 */
export const WORK_LISTS = [
  'toxicology_due',
  'reviews_due',
  'methadone_non_collection',
  'ecg_due',
  'outcomes_due',
  'breath_test_today',
  'naloxone_expiring',
  'care_plan_review_due',
  'wound_care_open',
  'emergency_access',
] as const;
export type WorkListName = (typeof WORK_LISTS)[number];

export const WORK_LIST_LABELS: Record<WorkListName, string> = {
  toxicology_due: 'Toxicology due',
  reviews_due: 'Prescriber reviews due',
  methadone_non_collection: 'Methadone not collected',
  ecg_due: 'ECG due or QTc high',
  outcomes_due: 'Outcome profiles (TOP) due',
  breath_test_today: 'Breath test required today',
  naloxone_expiring: 'Naloxone to supply or re-supply',
  care_plan_review_due: 'Care plans to review',
  wound_care_open: 'Injection-site problems open',
  emergency_access: 'Emergency access to records here (last 7 days)',
};

/** Whose job each list is (a person with several roles sees every list any of them has). */
export const WORK_LIST_ROLES: Record<WorkListName, readonly Role[]> = {
  toxicology_due: ['nurse', 'hca', 'prescriber', 'admin'],
  reviews_due: ['prescriber', 'admin'],
  methadone_non_collection: ['prescriber', 'nurse', 'keyworker', 'admin'],
  ecg_due: ['prescriber', 'nurse', 'admin'],
  outcomes_due: ['keyworker', 'admin'],
  breath_test_today: ['nurse', 'hca', 'admin'],
  naloxone_expiring: ['nurse', 'keyworker', 'admin'],
  care_plan_review_due: ['keyworker', 'admin'],
  wound_care_open: ['nurse', 'prescriber', 'admin'],
  emergency_access: ['admin'],
};

export interface WorkItem {
  list: WorkListName;
  serviceUserId: string;
  /** Clinic date it is (or was) due. */
  dueOn: string;
  overdue: boolean;
  severity: 'info' | 'warning' | 'danger';
  /** What is due and why, with the figures, in the words staff use. */
  text: string;
  /** The record the item is about, if one (e.g. the ECG with a high QTc). */
  recordId?: string | null;
}

export function listsForRoles(roles: readonly Role[]): WorkListName[] {
  return WORK_LISTS.filter((l) => WORK_LIST_ROLES[l].some((r) => roles.includes(r)));
}

/** Overdue first, then by due date, danger before warning before info. */
export function byUrgency(a: WorkItem, b: WorkItem): number {
  const rank = { danger: 0, warning: 1, info: 2 } as const;
  return Number(b.overdue) - Number(a.overdue) || a.dueOn.localeCompare(b.dueOn) || rank[a.severity] - rank[b.severity];
}
