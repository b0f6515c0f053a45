import type { Temporal } from 'temporal-polyfill';
import type { ClinicSettings } from '../clinic/clinic-settings';
import type { EpisodeState } from '../episode/episode-event';
import type { PrescriptionContent } from '../prescription/prescription';
import type { PreDoseAlert, ServiceUserRecord } from '../service-user/record';
import type { CareRecord } from './care-record';
import type { WorkItem } from './work-list';
import type { TakeHomeCareFacts } from '../take-home/rules';

/**
 * What the monitoring and care rules know about one person: plain data, gathered by the server,
 * so that every rule below is a pure function of it and of today's clinic date.
 */
export interface PersonInCare {
  serviceUserId: string;
  record: ServiceUserRecord;
  /** The state of their latest episode, or null if they have none. */
  episodeState: EpisodeState | null;
  /** Induction or maintenance: being prescribed (even if away). */
  inTreatment: boolean;
  /** Away (hospital, custody, holiday): no monitoring falls due at the clinic while away. */
  absent: boolean;
  /** Clinic date treatment (induction) started in the latest episode; null if not yet. */
  treatmentStartedOn: string | null;
  /** Clinic date of discharge from the latest episode; null if not discharged. */
  dischargedOn: string | null;
  /** The prescription in force now (its methadone cover gives the daily methadone dose). */
  prescription: PrescriptionContent | null;
  /** Their monitoring and care records, latest version of each, entered-in-error left out. */
  records: CareRecord[];
  /** Breath alcohol readings taken in pre-dose assessments (they count as breath tests). */
  assessmentBreathTests: { at: string; mgPerL: number }[];
  /** For people holding take-home doses: the dose history the take-home rules need (see take-home/rules.ts). */
  takeHomeFacts?: TakeHomeCareFacts;
}

export interface CareRuleInput {
  person: PersonInCare;
  settings: ClinicSettings;
  /** Today at the clinic, YYYY-MM-DD. */
  today: string;
  now: Temporal.Instant;
}

/** What each area of monitoring and care contributes: items for the work lists, alerts for the hatch. */
export interface CareRules {
  workItems(input: CareRuleInput): WorkItem[];
  alerts(input: CareRuleInput): PreDoseAlert[];
}

/** The person's records of one kind. */
export function recordsOf<D>(person: PersonInCare, kind: CareRecord['kind']): CareRecord<D>[] {
  return person.records.filter((r) => r.kind === kind) as CareRecord<D>[];
}
