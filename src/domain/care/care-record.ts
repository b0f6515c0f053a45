/**
 * Monitoring and care records (toxicology, breath tests, methadone collections, ECGs, naloxone,
 * equipment, wounds, care plans, key work, referrals, reviews, outcome profiles) share one shape:
 * a record kept as versions. Version 1 is what was first recorded; a correction, or marking it
 * "entered in error", is a new version with a reason. Nothing is overwritten, and every screen
 * shows the latest version of each record (and can show all of them).
 */

export const CARE_RECORD_KINDS = [
  'toxicology',
  'breath_test',
  'methadone_collection',
  'methadone_alert_action',
  'ecg',
  'naloxone_supply',
  'naloxone_use',
  'equipment_exchange',
  'injection_site_problem',
  'care_plan',
  'keywork_session',
  'referral',
  'mdt_review',
  'outcome_profile',
  'stability_assessment',
  'take_home_supply',
  'take_home_return',
  'arrival_plan',
  'arrival_change',
  'continuity_plan',
] as const;
export type CareRecordKind = (typeof CARE_RECORD_KINDS)[number];

export interface CareRecord<D = unknown> {
  recordId: string;
  version: number;
  serviceUserId: string;
  kind: CareRecordKind;
  /** The clinic date (YYYY-MM-DD, the clinic's time zone) the record is about. */
  effectiveDate: string;
  /** When it happened, if a time is known (UTC). */
  occurredAt: string | null;
  data: D;
  enteredInError: boolean;
  /** Why this version replaced the previous one; null for version 1. */
  reason: string | null;
  source: 'staff' | 'import';
  importId: string | null;
  recordedAt: string;
  recordedBy: string | null;
}

/** The latest version of each record, leaving out those entered in error. */
export function currentRecords<D>(versions: readonly CareRecord<D>[]): CareRecord<D>[] {
  const latest = new Map<string, CareRecord<D>>();
  for (const v of versions) {
    const seen = latest.get(v.recordId);
    if (!seen || v.version > seen.version) latest.set(v.recordId, v);
  }
  return [...latest.values()].filter((r) => !r.enteredInError);
}

/** Records in date order (then time, then when recorded), oldest first. */
export function inDateOrder<D>(records: readonly CareRecord<D>[]): CareRecord<D>[] {
  return [...records].sort(
    (a, b) =>
      a.effectiveDate.localeCompare(b.effectiveDate) ||
      (a.occurredAt ?? '').localeCompare(b.occurredAt ?? '') ||
      a.recordedAt.localeCompare(b.recordedAt) ||
      a.recordId.localeCompare(b.recordId),
  );
}

/** The newest current record of a kind, by date. */
export function latestOf<D>(records: readonly CareRecord<D>[]): CareRecord<D> | null {
  return inDateOrder(records).at(-1) ?? null;
}
