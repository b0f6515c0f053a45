import type { CriterionOutcome } from './eligibility';

/**
 * The words of a treatment episode: where a person is on the way from referral to treatment and
 * out again, and the events that move them. Events are what the store keeps; the episode's state
 * is always worked out from them (see episode.ts), so the record says who did what and when.
 */

export const EPISODE_STATES = [
  'referred',
  'assessing',
  'not_eligible',
  'waiting_list',
  'accepted',
  'induction',
  'maintenance',
  'discharged',
] as const;
export type EpisodeState = (typeof EPISODE_STATES)[number];

/** An episode in one of these has ended; a new referral starts a new episode. */
export const TERMINAL_STATES: ReadonlySet<EpisodeState> = new Set(['not_eligible', 'discharged']);

/** States in which the person holds one of the clinic's places (counted against its capacity). */
export const PLACE_HOLDING_STATES: ReadonlySet<EpisodeState> = new Set(['accepted', 'induction', 'maintenance']);

/** States in which the person is being prescribed and may be dosed (or be absent). */
export const TREATMENT_STATES: ReadonlySet<EpisodeState> = new Set(['induction', 'maintenance']);

export const DISCHARGE_REASONS = ['planned', 'transfer', 'disengaged', 'custody', 'deceased', 'other'] as const;
export type DischargeReason = (typeof DISCHARGE_REASONS)[number];

export const ABSENCE_KINDS = ['hospital', 'custody', 'holiday', 'other'] as const;
export type AbsenceKind = (typeof ABSENCE_KINDS)[number];

interface Recorded {
  /** When it happened clinically, as an ISO instant with an offset (e.g. 2025-03-10T09:30:00Z). */
  at: string;
  /** The member of staff who recorded it. */
  by: string;
}

export type EpisodeEvent = Recorded &
  (
    | { type: 'referred'; source: string; reason?: string }
    | { type: 'assessment_started' }
    | {
        type: 'eligibility_decided';
        /** The outcomes from decideEligibility, one per criterion in force. */
        criteria: CriterionOutcome[];
        /** decideEligibility's verdict: every criterion met or waived. */
        eligible: boolean;
        note?: string;
        /**
         * Whether the eligible person was offered a place at once (true) or joined the waiting list
         * (false). Left out when recording, it follows the free places; the stored event must carry
         * it (see eventAsRecorded) because a replay cannot know how many places were free then.
         */
        placeOffered?: boolean;
      }
    | { type: 'place_offered' }
    | { type: 'induction_started' }
    | { type: 'maintenance_started' }
    | { type: 'discharged'; reason: DischargeReason; note?: string }
    | {
        type: 'absence_started';
        kind: AbsenceKind;
        /** The ward or custody healthcare contact who can confirm what was given while away. */
        liaison: string;
        /** YYYY-MM-DD */
        expectedReturn?: string;
      }
    | { type: 'absence_ended' }
    | {
        type: 'review_recorded';
        /** The prescriber has planned re-titration (needed after an absence). */
        retitrationPlanned: boolean;
      }
  );

export type EpisodeEventType = EpisodeEvent['type'];

export const EPISODE_EVENT_TYPES = [
  'referred',
  'assessment_started',
  'eligibility_decided',
  'place_offered',
  'induction_started',
  'maintenance_started',
  'discharged',
  'absence_started',
  'absence_ended',
  'review_recorded',
] as const satisfies readonly EpisodeEventType[];
// Fails to compile if an event type is added to EpisodeEvent but not to the list above.
const _everyEventTypeListed: [Exclude<EpisodeEventType, (typeof EPISODE_EVENT_TYPES)[number]>] extends [never]
  ? true
  : never = true;

export interface Absence {
  kind: AbsenceKind;
  liaison: string;
  /** The `at` of the absence_started event. */
  since: string;
  expectedReturn?: string;
}

export interface Episode {
  state: EpisodeState;
  referredAt: string;
  placeHeld: boolean;
  absence: Absence | null;
  /** Set on return from an absence: tolerance may have fallen, so doses must be built up again. */
  retitrationRequired: boolean;
  /** Set on return from an absence: no dose until a prescriber has reviewed the person. */
  reviewRequired: boolean;
  dischargeReason?: DischargeReason;
  history: { type: EpisodeEventType; at: string; by: string }[];
}
