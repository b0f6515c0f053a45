import { Temporal } from 'temporal-polyfill';
import type { Decision, Refusal } from '../refusal';
import { refuse } from '../refusal';
import { parseCalendarDate } from './eligibility';
import type { Episode, EpisodeEvent, EpisodeEventType, EpisodeState } from './episode-event';
import { PLACE_HOLDING_STATES, TERMINAL_STATES, TREATMENT_STATES } from './episode-event';

/**
 * The lifecycle of a treatment episode: referral, assessment, eligibility, a place (or the waiting
 * list), induction, maintenance, discharge, and absences (hospital, custody, holiday) during
 * treatment. Every change is an event checked here against the episode as it stands; the episode
 * itself is only ever the fold of its accepted events.
 */

export interface EpisodeContext {
  /** Places at the clinic not held by anyone, counted by the caller from the other episodes. */
  placesFree: number;
}

/** What staff were trying to do, for messages: "cannot start induction from waiting_list". */
const DOING: Record<EpisodeEventType, string> = {
  referred: 'record a referral',
  assessment_started: 'start an assessment',
  eligibility_decided: 'decide eligibility',
  place_offered: 'offer a place',
  induction_started: 'start induction',
  maintenance_started: 'start maintenance',
  discharged: 'discharge',
  absence_started: 'start an absence',
  absence_ended: 'end an absence',
  review_recorded: 'record a review',
};

/** The way through an episode, in order, and what to do next at each step. Waiting list comes
 * before accepted: a place offered from the list is the step after it. */
const PATHWAY: readonly { state: EpisodeState; next: string }[] = [
  { state: 'referred', next: 'start the assessment first' },
  { state: 'assessing', next: 'record the eligibility decision first' },
  { state: 'waiting_list', next: 'offer a place first' },
  { state: 'accepted', next: 'start induction first' },
  { state: 'induction', next: 'start maintenance first' },
  { state: 'maintenance', next: 'that step is already done' },
];

export function holdsPlace(state: EpisodeState): boolean {
  return PLACE_HOLDING_STATES.has(state);
}

/** Not yet ended: anything but not_eligible or discharged. */
export function isActive(episode: Episode): boolean {
  return !TERMINAL_STATES.has(episode.state);
}

/**
 * Checks one event against the episode as it stands (null before the referral) and returns the
 * episode after it, or the first rule that refuses it.
 */
export function applyEpisodeEvent(
  episode: Episode | null,
  event: EpisodeEvent,
  context: EpisodeContext,
): Decision<Episode> {
  const result = step(episode, event, context);
  return 'rule' in result ? { ok: false, refusals: [result] } : { ok: true, value: result };
}

/**
 * The episode from its stored events. The events were checked when they were recorded (against the
 * free places of the time, which the stored eligibility decision carries), so places are taken as
 * unlimited here; a refusal means the stored history is corrupt, and that is thrown, not hidden.
 */
export function replayEpisode(events: readonly EpisodeEvent[]): Episode {
  let episode: Episode | null = null;
  for (const [index, event] of events.entries()) {
    const decision = applyEpisodeEvent(episode, event, { placesFree: Number.POSITIVE_INFINITY });
    if (!decision.ok) {
      const why = decision.refusals.map((r) => `${r.rule}: ${r.message}`).join('; ');
      throw new Error(`episode history is corrupt: event ${index} (${event.type} at ${event.at}) is refused (${why})`);
    }
    episode = decision.value;
  }
  if (episode === null) throw new Error('episode history is corrupt: it has no events, not even a referral');
  return episode;
}

/**
 * The event as it must be stored once accepted: an eligible decision records whether a place was
 * offered at once, so that replaying it gives the same episode whatever places are free later.
 */
export function eventAsRecorded(event: EpisodeEvent, after: Episode): EpisodeEvent {
  if (event.type === 'eligibility_decided' && event.eligible) {
    return { ...event, placeOffered: after.state === 'accepted' };
  }
  return event;
}

/**
 * Whether the person may be given a dose at all as far as the episode is concerned (the dose
 * itself, the interval and the prescription are checked elsewhere). After an absence tolerance may
 * have fallen quickly, so the usual dose could be an overdose: no dose until a prescriber has
 * reviewed them. (retitrationRequired stays set until a re-titration is planned; the prescription
 * rules use it to hold the dose below the usual one.)
 */
export function canBeDosed(episode: Episode): Decision<true> {
  if (!TREATMENT_STATES.has(episode.state)) {
    return refused(
      'not_in_treatment',
      `cannot be dosed: the episode is ${episode.state}; only someone in induction or maintenance is dosed`,
    );
  }
  if (episode.absence) {
    return refused(
      'absent',
      `cannot be dosed: recorded as absent (${episode.absence.kind}) since ${episode.absence.since}; record the return first`,
    );
  }
  if (episode.reviewRequired) {
    return refused(
      'review_required_after_absence',
      "needs a prescriber's review and re-titration plan after the absence before any dose",
    );
  }
  return { ok: true, value: true };
}

function refused(rule: string, message: string, field?: string): { ok: false; refusals: Refusal[] } {
  return { ok: false, refusals: [refuse(rule, message, field)] };
}

/** When and by whom, which every event needs. */
function recordingProblem(event: EpisodeEvent): Refusal | null {
  try {
    Temporal.Instant.from(event.at);
  } catch {
    return refuse('invalid_time', `"${event.at}" is not a date and time with an offset, e.g. 2025-03-10T09:30:00Z`, 'at');
  }
  if (!event.by.trim()) return refuse('staff_required', 'say which member of staff recorded this', 'by');
  return null;
}

function step(episode: Episode | null, event: EpisodeEvent, { placesFree }: EpisodeContext): Episode | Refusal {
  const doing = DOING[event.type];
  if (episode === null) {
    if (event.type !== 'referred') {
      return refuse('first_event_must_be_referral', `cannot ${doing}: an episode starts with a referral, and none is recorded`);
    }
    const problem = recordingProblem(event);
    if (problem) return problem;
    if (!event.source.trim()) return refuse('referral_source_required', 'say who made the referral', 'source');
    return {
      state: 'referred',
      referredAt: event.at,
      placeHeld: false,
      absence: null,
      retitrationRequired: false,
      reviewRequired: false,
      history: [{ type: event.type, at: event.at, by: event.by }],
    };
  }

  const problem = recordingProblem(event);
  if (problem) return problem;
  const last = episode.history[episode.history.length - 1]!;
  // Equal times are allowed: two things can be recorded for the same minute.
  if (Temporal.Instant.compare(Temporal.Instant.from(event.at), Temporal.Instant.from(last.at)) < 0) {
    return refuse(
      'event_out_of_order',
      `cannot ${doing} at ${event.at}: that is before the last recorded event (${last.type} at ${last.at}); events are recorded in the order they happened`,
      'at',
    );
  }

  const { state } = episode;
  const notAllowed = (why: string) => refuse('transition_not_allowed', `cannot ${doing} from ${state}: ${why}`);
  if (TERMINAL_STATES.has(state)) return notAllowed('the episode has ended; a new referral starts a new episode');

  // Where the person goes (with everything else unchanged), or a refusal.
  const moveTo = (to: EpisodeState, changes: Partial<Episode> = {}): Episode => ({
    ...episode,
    ...changes,
    state: to,
    placeHeld: holdsPlace(to),
    history: [...episode.history, { type: event.type, at: event.at, by: event.by }],
  });
  const onPathway = (from: EpisodeState, to: EpisodeState): Episode | Refusal =>
    state === from ? moveTo(to) : notAllowed(pathwayHint(state, from));

  switch (event.type) {
    case 'referred':
      return notAllowed('this episode already has its referral; a new referral starts a new episode');

    case 'assessment_started':
      return onPathway('referred', 'assessing');

    case 'eligibility_decided': {
      if (state !== 'assessing') return notAllowed(pathwayHint(state, 'assessing'));
      const allMetOrWaived = event.criteria.every((c) => c.outcome === 'met' || c.outcome === 'waived');
      if (event.eligible !== allMetOrWaived) {
        return refuse(
          'eligibility_inconsistent',
          event.eligible
            ? 'recorded as eligible, but a criterion is not met; waive it with a reason or record not eligible'
            : 'recorded as not eligible, but no criterion is recorded as not met',
          'eligible',
        );
      }
      if (!event.eligible) {
        if (event.placeOffered) {
          return refuse('eligibility_inconsistent', 'a place cannot be offered to someone not eligible', 'placeOffered');
        }
        return moveTo('not_eligible');
      }
      const offer = event.placeOffered ?? placesFree >= 1;
      if (offer && placesFree < 1) return noFreePlace();
      return moveTo(offer ? 'accepted' : 'waiting_list');
    }

    case 'place_offered':
      if (state !== 'waiting_list') return notAllowed(pathwayHint(state, 'waiting_list'));
      return placesFree >= 1 ? moveTo('accepted') : noFreePlace();

    case 'induction_started':
      return onPathway('accepted', 'induction');

    case 'maintenance_started':
      if (state !== 'induction') return notAllowed(pathwayHint(state, 'induction'));
      // Maintenance follows doses seen to be tolerated; someone away is not being seen.
      if (episode.absence) return refuse('absent', `cannot start maintenance while absent (${episode.absence.kind}); record the return first`);
      return moveTo('maintenance');

    case 'discharged':
      // Allowed from any open state, absent or not: a long custody sentence or a death ends the
      // absence with the episode. The place is freed.
      return moveTo('discharged', { absence: null, dischargeReason: event.reason });

    case 'absence_started': {
      if (!TREATMENT_STATES.has(state)) return notAllowed('only someone in induction or maintenance can be absent');
      if (episode.absence) {
        return refuse(
          'already_absent',
          `already absent (${episode.absence.kind}) since ${episode.absence.since}; end that absence first`,
        );
      }
      const liaison = event.liaison.trim();
      if (!liaison) {
        return refuse(
          'liaison_required',
          'name the ward or custody healthcare contact, so what is given while away can be confirmed',
          'liaison',
        );
      }
      if (event.expectedReturn !== undefined && parseCalendarDate(event.expectedReturn) === null) {
        return refuse('invalid_date', `expected return "${event.expectedReturn}" is not a date written YYYY-MM-DD`, 'expectedReturn');
      }
      return moveTo(state, {
        absence: {
          kind: event.kind,
          liaison,
          since: event.at,
          ...(event.expectedReturn !== undefined ? { expectedReturn: event.expectedReturn } : {}),
        },
      });
    }

    case 'absence_ended':
      if (!episode.absence) return refuse('not_absent', `cannot ${doing}: no absence is recorded (the episode is ${state})`);
      // Tolerance falls quickly while away (and doses given in hospital or custody may differ), so
      // the return always needs a review and a re-titration before dosing as before.
      return moveTo(state, { absence: null, retitrationRequired: true, reviewRequired: true });

    case 'review_recorded': {
      if (!TREATMENT_STATES.has(state)) return notAllowed('reviews are recorded for someone in induction or maintenance');
      // A plan made while the person is still away cannot yet be based on how they are on return.
      const retitrationSettled = event.retitrationPlanned && !episode.absence;
      return moveTo(state, {
        reviewRequired: false,
        retitrationRequired: retitrationSettled ? false : episode.retitrationRequired,
      });
    }
  }
}

function noFreePlace(): Refusal {
  return refuse('no_free_place', 'no place is free at the clinic; the person stays on the waiting list until one is');
}

/** Why an event that belongs at `needed` cannot happen at `current`: the next step, or that it is done. */
function pathwayHint(current: EpisodeState, needed: EpisodeState): string {
  const here = PATHWAY.findIndex((p) => p.state === current);
  const there = PATHWAY.findIndex((p) => p.state === needed);
  return here < there ? PATHWAY[here]!.next : 'that step is already done';
}
