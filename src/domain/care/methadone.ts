import { z } from 'zod';
import { refuse, type Refusal } from '../refusal';
import type { PreDoseAlert } from '../service-user/record';
import { inDateOrder, type CareRecord } from './care-record';
import { recordsOf, type CareRuleInput, type CareRules } from './person-in-care';
import type { WorkItem } from './work-list';

/**
 * Methadone cover: the oral methadone a person on HAT takes for the night, collected from (or taken
 * under supervision at) a community pharmacy. Each collection, or its absence, is a care record
 * made at the clinic or imported from the pharmacy's log (see methadone-csv.ts).
 *
 * Missing methadone as well as diamorphine lowers opioid tolerance, so the usual dose can become an
 * overdose. After a run of uncollected doses (three by default, as in UK practice, where the
 * pharmacy then stops supplying and contacts the prescriber) the nurse at the hatch is warned before
 * every dose while the run lasts, and the prescriber has it on their work list until they record
 * what they did about it.
 */

export const COLLECTION_STATUSES = ['collected', 'not_collected', 'partial', 'supervised'] as const;
export type CollectionStatus = (typeof COLLECTION_STATUSES)[number];

/** Statuses that mean the person had (some of) the dose. */
const HAD_METHADONE: ReadonlySet<CollectionStatus> = new Set(['collected', 'partial', 'supervised']);

const optionalText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).nullable().default(null);
const mg = z
  .number('must be a number of mg')
  .positive('must be more than 0 mg')
  .max(500, 'must be at most 500 mg: check the figure');

const CollectionFields = z.object({
  status: z.enum(COLLECTION_STATUSES, 'must be collected, not_collected, partial or supervised'),
  doseMg: mg.nullable().default(null).describe('The dose that was due, mg (optional)'),
  collectedMg: mg.nullable().default(null).describe('How much was collected, mg: required for a partial collection, not allowed for not_collected'),
  pharmacy: optionalText(200),
  notes: optionalText(2000),
});

/** Problems between fields of a collection, each naming its field. */
export function collectionProblems(c: z.output<typeof CollectionFields>): Refusal[] {
  const out: Refusal[] = [];
  if (c.status === 'not_collected' && c.collectedMg !== null) {
    out.push(refuse('collected_amount_not_allowed', 'must be empty when the dose was not collected', 'collectedMg'));
  }
  if (c.status === 'partial') {
    if (c.collectedMg === null) out.push(refuse('collected_amount_required', 'give the amount collected (mg) for a partial collection', 'collectedMg'));
    else if (c.doseMg !== null && c.collectedMg >= c.doseMg) {
      out.push(refuse('partial_amount_not_less_than_dose', `must be less than the dose due (${c.doseMg} mg) for a partial collection; record it as collected if it was all taken`, 'collectedMg'));
    }
  }
  if ((c.status === 'collected' || c.status === 'supervised') && c.collectedMg !== null && c.doseMg !== null && c.collectedMg > c.doseMg) {
    out.push(refuse('collected_more_than_dose', `must not be more than the dose due (${c.doseMg} mg)`, 'collectedMg'));
  }
  return out;
}

/**
 * One scheduled collection. `status`: collected (taken away), not_collected, partial (some of the
 * dose), supervised (consumed under supervision at the pharmacy). An amount collected is required
 * for a partial collection (and less than the dose due), and not allowed for not_collected.
 */
export const MethadoneCollectionData = CollectionFields.superRefine((c, ctx) => {
  for (const p of collectionProblems(c)) ctx.addIssue({ code: 'custom', path: [p.field!], message: p.message });
});
export type MethadoneCollection = z.output<typeof MethadoneCollectionData>;

/**
 * The domain check for a new or corrected collection: it is the only record for the person that
 * day (a second one would hide which is right; correct the first instead).
 */
export function checkCollection(
  c: MethadoneCollection,
  effectiveDate: string,
  others: readonly CareRecord[],
): { ok: true; value: MethadoneCollection } | { ok: false; refusals: Refusal[] } {
  const refusals: Refusal[] = [];
  const same = others.find((o) => o.kind === 'methadone_collection' && !o.enteredInError && o.effectiveDate === effectiveDate);
  if (same) {
    const status = (same.data as Partial<MethadoneCollection>).status ?? 'recorded';
    refusals.push(
      refuse('collection_already_recorded', `A methadone collection for ${effectiveDate} is already recorded (${status.replace('_', ' ')}); correct that record instead of adding another`, 'effectiveDate'),
    );
  }
  return refusals.length ? { ok: false, refusals } : { ok: true, value: c };
}

export interface NonCollectionRun {
  /** Consecutive scheduled collections not collected, counting back from the latest. */
  count: number;
  /** Their dates, oldest first. */
  dates: string[];
  /** The last of them (null when count is 0). */
  lastOn: string | null;
  lastRecordId: string | null;
  /** The last day methadone was collected, partly collected or taken under supervision, if any. */
  lastCollectedOn: string | null;
}

/**
 * The trailing run of 'not_collected' records, with the records in date order. It counts scheduled
 * collections, not calendar days: a pharmacy may give Sunday's dose on Saturday, so a day with no
 * record neither breaks the run nor adds to it.
 */
export function nonCollectionRun(records: readonly CareRecord[]): NonCollectionRun {
  const ordered = inDateOrder(records.filter((r) => r.kind === 'methadone_collection' && !r.enteredInError)) as CareRecord<MethadoneCollection>[];
  let count = 0;
  let i = ordered.length - 1;
  while (i >= 0 && ordered[i]!.data.status === 'not_collected') {
    count++;
    i--;
  }
  const last = count > 0 ? ordered.at(-1)! : null;
  const lastCollected = ordered.slice(0, i + 1).findLast((r) => HAD_METHADONE.has(r.data.status));
  return {
    count,
    dates: ordered.slice(i + 1).map((r) => r.effectiveDate),
    lastOn: last?.effectiveDate ?? null,
    lastRecordId: last?.recordId ?? null,
    lastCollectedOn: lastCollected?.effectiveDate ?? null,
  };
}

export function consecutiveNonCollections(records: readonly CareRecord[]): number {
  return nonCollectionRun(records).count;
}

export const ALERT_ACTIONS = ['contacted_pharmacy', 'contacted_service_user', 'prescription_reviewed', 'other'] as const;

/** What the prescriber did about a run of uncollected methadone ('other' needs notes saying what). */
export const MethadoneAlertActionData = z
  .object({
    action: z.enum(ALERT_ACTIONS, 'must be contacted_pharmacy, contacted_service_user, prescription_reviewed or other'),
    notes: optionalText(2000),
  })
  .superRefine((a, ctx) => {
    if (a.action === 'other' && !a.notes) ctx.addIssue({ code: 'custom', path: ['notes'], message: "say what was done when the action is 'other'" });
  });
export type MethadoneAlertAction = z.output<typeof MethadoneAlertActionData>;

/** Whether an alert is live: methadone is prescribed and the run has reached the clinic's threshold. */
function liveRun(input: CareRuleInput): NonCollectionRun | null {
  const { person, settings } = input;
  if (!person.prescription?.methadone) return null;
  const run = nonCollectionRun(recordsOf(person, 'methadone_collection'));
  return run.count >= settings.monitoring.methadoneNonCollectionAlertAfter ? run : null;
}

const lastCollectedWords = (run: NonCollectionRun) => (run.lastCollectedOn ? `last collected ${run.lastCollectedOn}` : 'no collection on record');

/**
 * Work list: the prescriber (and the team) must act on a run that reached the threshold, until a
 * prescriber records an action dated on or after the last uncollected dose. Hatch: the nurse is
 * warned before every dose while the run lasts, whatever has been done about it, because the
 * person's tolerance may still be lower.
 */
export const methadoneRules: CareRules = {
  workItems(input): WorkItem[] {
    const { person, settings, today } = input;
    if (!person.inTreatment || person.absent) return [];
    const run = liveRun(input);
    if (!run) return [];
    const actedOn = recordsOf<MethadoneAlertAction>(person, 'methadone_alert_action').some((a) => a.effectiveDate >= run.lastOn!);
    if (actedOn) return [];
    // Due on the day the run reached the threshold.
    const reachedOn = run.dates[settings.monitoring.methadoneNonCollectionAlertAfter - 1]!;
    return [
      {
        list: 'methadone_non_collection',
        serviceUserId: person.serviceUserId,
        dueOn: reachedOn,
        overdue: reachedOn < today,
        severity: 'danger',
        text: `Methadone not collected ${run.count} times running (${run.dates.length <= 4 ? run.dates.join(', ') : `${run.dates[0]} to ${run.lastOn}`}; ${lastCollectedWords(run)}): contact the pharmacy and the service user, review the methadone prescription, and record the action`,
        recordId: run.lastRecordId,
      },
    ];
  },
  alerts(input): PreDoseAlert[] {
    const run = liveRun(input);
    if (!run) return [];
    return [
      {
        kind: 'methadone_non_collection',
        severity: 'danger',
        text: `Methadone not collected ${run.count} times running (last on ${run.lastOn}; ${lastCollectedWords(run)}): tolerance may be lower — assess before dosing and tell the prescriber`,
      },
    ];
  },
};
