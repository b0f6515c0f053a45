import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import {
  applyEpisodeEvent,
  canBeDosed,
  eventAsRecorded,
  holdsPlace,
  isActive,
  replayEpisode,
} from './episode';
import {
  ABSENCE_KINDS,
  DISCHARGE_REASONS,
  EPISODE_EVENT_TYPES,
  EPISODE_STATES,
  type Episode,
  type EpisodeEvent,
  type EpisodeEventType,
  type EpisodeState,
} from './episode-event';

const BY = 'staff-nurse-1';
let clock = Temporal.Instant.from('2025-03-10T09:00:00Z');
/** A fresh, later time for each event, so the order rule never gets in the way by accident. */
const next = () => (clock = clock.add({ minutes: 10 })).toString();

const referral = (at = next()): EpisodeEvent => ({ type: 'referred', at, by: BY, source: 'community drug service' });
const MET = [
  { code: 'long_term_opioid_dependence', outcome: 'met' as const },
  { code: 'previous_treatment_without_benefit', outcome: 'met' as const },
  { code: 'adult', outcome: 'met' as const },
];
const NOT_MET = [{ code: 'long_term_opioid_dependence', outcome: 'not_met' as const }];

/** A valid example of each event type, at a fresh time. */
function sample(type: EpisodeEventType): EpisodeEvent {
  const at = next();
  switch (type) {
    case 'referred':
      return referral(at);
    case 'eligibility_decided':
      return { type, at, by: BY, criteria: MET, eligible: true };
    case 'discharged':
      return { type, at, by: BY, reason: 'planned' };
    case 'absence_started':
      return { type, at, by: BY, kind: 'hospital', liaison: 'Ward 12, James Cook University Hospital' };
    case 'review_recorded':
      return { type, at, by: BY, retitrationPlanned: true };
    default:
      return { type, at, by: BY };
  }
}

const UNLIMITED = { placesFree: Number.POSITIVE_INFINITY };
const ONE_FREE = { placesFree: 1 };
const NONE_FREE = { placesFree: 0 };

function apply(episode: Episode | null, event: EpisodeEvent, context = ONE_FREE): Episode {
  const decision = applyEpisodeEvent(episode, event, context);
  if (!decision.ok) throw new Error(JSON.stringify(decision.refusals));
  return decision.value;
}
const build = (...events: EpisodeEvent[]) => events.reduce<Episode | null>((e, event) => apply(e, event), null)!;
const refusalOf = (episode: Episode | null, event: EpisodeEvent, context = ONE_FREE) => {
  const decision = applyEpisodeEvent(episode, event, context);
  return decision.ok ? undefined : decision.refusals[0];
};

type Situation = EpisodeState | 'induction (absent)' | 'maintenance (absent)';

/** An episode in each state, reached the ordinary way. */
function episodeIn(situation: Situation): Episode {
  const e = (type: EpisodeEventType) => sample(type);
  const assessing = [referral(), e('assessment_started')];
  const accepted = [...assessing, e('eligibility_decided')];
  switch (situation) {
    case 'referred':
      return build(referral());
    case 'assessing':
      return build(...assessing);
    case 'not_eligible':
      return build(...assessing, { type: 'eligibility_decided', at: next(), by: BY, criteria: NOT_MET, eligible: false });
    case 'waiting_list':
      return build(...assessing, { type: 'eligibility_decided', at: next(), by: BY, criteria: MET, eligible: true, placeOffered: false });
    case 'accepted':
      return build(...accepted);
    case 'induction':
      return build(...accepted, e('induction_started'));
    case 'maintenance':
      return build(...accepted, e('induction_started'), e('maintenance_started'));
    case 'discharged':
      return build(referral(), e('discharged'));
    case 'induction (absent)':
      return build(...accepted, e('induction_started'), e('absence_started'));
    case 'maintenance (absent)':
      return build(...accepted, e('induction_started'), e('maintenance_started'), e('absence_started'));
  }
}

// What each event does in each state, with a free place: the state it leads to, or the rule that
// refuses it. Every pair is listed; the test below checks the table covers them all.
const N = 'transition_not_allowed';
const TABLE: Record<Situation, Record<EpisodeEventType, EpisodeState | string>> = {
  referred: {
    referred: N, assessment_started: 'assessing', eligibility_decided: N, place_offered: N, induction_started: N,
    maintenance_started: N, discharged: 'discharged', absence_started: N, absence_ended: 'not_absent', review_recorded: N,
  },
  assessing: {
    referred: N, assessment_started: N, eligibility_decided: 'accepted', place_offered: N, induction_started: N,
    maintenance_started: N, discharged: 'discharged', absence_started: N, absence_ended: 'not_absent', review_recorded: N,
  },
  not_eligible: {
    referred: N, assessment_started: N, eligibility_decided: N, place_offered: N, induction_started: N,
    maintenance_started: N, discharged: N, absence_started: N, absence_ended: N, review_recorded: N,
  },
  waiting_list: {
    referred: N, assessment_started: N, eligibility_decided: N, place_offered: 'accepted', induction_started: N,
    maintenance_started: N, discharged: 'discharged', absence_started: N, absence_ended: 'not_absent', review_recorded: N,
  },
  accepted: {
    referred: N, assessment_started: N, eligibility_decided: N, place_offered: N, induction_started: 'induction',
    maintenance_started: N, discharged: 'discharged', absence_started: N, absence_ended: 'not_absent', review_recorded: N,
  },
  induction: {
    referred: N, assessment_started: N, eligibility_decided: N, place_offered: N, induction_started: N,
    maintenance_started: 'maintenance', discharged: 'discharged', absence_started: 'induction', absence_ended: 'not_absent',
    review_recorded: 'induction',
  },
  maintenance: {
    referred: N, assessment_started: N, eligibility_decided: N, place_offered: N, induction_started: N,
    maintenance_started: N, discharged: 'discharged', absence_started: 'maintenance', absence_ended: 'not_absent',
    review_recorded: 'maintenance',
  },
  discharged: {
    referred: N, assessment_started: N, eligibility_decided: N, place_offered: N, induction_started: N,
    maintenance_started: N, discharged: N, absence_started: N, absence_ended: N, review_recorded: N,
  },
  'induction (absent)': {
    referred: N, assessment_started: N, eligibility_decided: N, place_offered: N, induction_started: N,
    maintenance_started: 'absent', discharged: 'discharged', absence_started: 'already_absent', absence_ended: 'induction',
    review_recorded: 'induction',
  },
  'maintenance (absent)': {
    referred: N, assessment_started: N, eligibility_decided: N, place_offered: N, induction_started: N,
    maintenance_started: N, discharged: 'discharged', absence_started: 'already_absent', absence_ended: 'maintenance',
    review_recorded: 'maintenance',
  },
};

const VERB: Record<EpisodeEventType, string> = {
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

describe('episode transitions: every state and every event', () => {
  it('the table lists every state and every event type', () => {
    expect(Object.keys(TABLE).filter((s) => !s.includes('absent')).sort()).toEqual([...EPISODE_STATES].sort());
    for (const row of Object.values(TABLE)) expect(Object.keys(row).sort()).toEqual([...EPISODE_EVENT_TYPES].sort());
  });

  const pairs = (Object.keys(TABLE) as Situation[]).flatMap((situation) =>
    EPISODE_EVENT_TYPES.map((type) => [situation, type, TABLE[situation][type]] as const),
  );

  it.each(pairs)('%s + %s → %s', (situation, type, expected) => {
    const before = episodeIn(situation);
    const event = sample(type);
    const decision = applyEpisodeEvent(before, event, ONE_FREE);
    if ((EPISODE_STATES as readonly string[]).includes(expected)) {
      expect(decision.ok).toBe(true);
      if (!decision.ok) return;
      expect(decision.value.state).toBe(expected);
      expect(decision.value.placeHeld).toBe(holdsPlace(expected as EpisodeState));
      expect(decision.value.history).toEqual([...before.history, { type, at: event.at, by: BY }]);
      expect(decision.value.referredAt).toBe(before.referredAt);
    } else {
      expect(decision.ok).toBe(false);
      if (decision.ok) return;
      expect(decision.refusals.map((r) => r.rule)).toEqual([expected]);
      if (expected === N) {
        const state = situation.split(' ')[0];
        expect(decision.refusals[0]!.message).toMatch(new RegExp(`^cannot ${VERB[type]} from ${state}: .+`));
      }
    }
  });

  it.each(EPISODE_EVENT_TYPES.filter((t) => t !== 'referred'))('before a referral, %s is refused', (type) => {
    expect(refusalOf(null, sample(type))).toMatchObject({ rule: 'first_event_must_be_referral' });
  });

  it('a referral starts an episode', () => {
    const event = referral();
    expect(apply(null, event)).toEqual({
      state: 'referred',
      referredAt: event.at,
      placeHeld: false,
      absence: null,
      retitrationRequired: false,
      reviewRequired: false,
      history: [{ type: 'referred', at: event.at, by: BY }],
    });
  });

  it('says what to do next when a step is skipped', () => {
    expect(refusalOf(episodeIn('waiting_list'), sample('induction_started'))?.message).toBe(
      'cannot start induction from waiting_list: offer a place first',
    );
    expect(refusalOf(episodeIn('referred'), sample('eligibility_decided'))?.message).toBe(
      'cannot decide eligibility from referred: start the assessment first',
    );
    expect(refusalOf(episodeIn('assessing'), sample('induction_started'))?.message).toBe(
      'cannot start induction from assessing: record the eligibility decision first',
    );
    expect(refusalOf(episodeIn('accepted'), sample('maintenance_started'))?.message).toBe(
      'cannot start maintenance from accepted: start induction first',
    );
    expect(refusalOf(episodeIn('maintenance'), sample('induction_started'))?.message).toBe(
      'cannot start induction from maintenance: that step is already done',
    );
    expect(refusalOf(episodeIn('discharged'), sample('assessment_started'))?.message).toBe(
      'cannot start an assessment from discharged: the episode has ended; a new referral starts a new episode',
    );
  });
});

describe('places', () => {
  const assessing = () => episodeIn('assessing');
  const eligible = (placeOffered?: boolean): EpisodeEvent => ({
    type: 'eligibility_decided', at: next(), by: BY, criteria: MET, eligible: true,
    ...(placeOffered === undefined ? {} : { placeOffered }),
  });

  it('an eligible person takes a free place at once, or joins the waiting list when none is free', () => {
    const accepted = apply(assessing(), eligible(), ONE_FREE);
    expect([accepted.state, accepted.placeHeld]).toEqual(['accepted', true]);
    const waiting = apply(assessing(), eligible(), NONE_FREE);
    expect([waiting.state, waiting.placeHeld]).toEqual(['waiting_list', false]);
  });

  it('a place can be offered from the waiting list only when one is free', () => {
    const waiting = episodeIn('waiting_list');
    expect(refusalOf(waiting, sample('place_offered'), NONE_FREE)).toEqual({
      rule: 'no_free_place',
      message: 'no place is free at the clinic; the person stays on the waiting list until one is',
    });
    expect(refusalOf(waiting, sample('place_offered'), { placesFree: 0.5 })?.rule).toBe('no_free_place');
    expect(refusalOf(waiting, sample('place_offered'), { placesFree: -1 })?.rule).toBe('no_free_place');
    expect(apply(waiting, sample('place_offered'), ONE_FREE).placeHeld).toBe(true);
  });

  it('a decision that says a place was offered needs a free one; one that says waiting list is kept even with places free', () => {
    expect(refusalOf(assessing(), eligible(true), NONE_FREE)?.rule).toBe('no_free_place');
    expect(apply(assessing(), eligible(true), ONE_FREE).state).toBe('accepted');
    // e.g. the free place is kept for someone who has waited longer
    expect(apply(assessing(), eligible(false), ONE_FREE).state).toBe('waiting_list');
  });

  it('the stored decision carries the waiting-list outcome, so a replay with unlimited places gives the same episode', () => {
    const events = [referral(), sample('assessment_started'), eligible()];
    let episode: Episode | null = null;
    const recorded: EpisodeEvent[] = [];
    for (const event of events) {
      episode = apply(episode, event, NONE_FREE);
      recorded.push(eventAsRecorded(event, episode));
    }
    expect(recorded[2]).toMatchObject({ placeOffered: false });
    expect(replayEpisode(recorded)).toEqual(episode);
    // Without it the replay would wrongly find a place:
    expect(replayEpisode(events).state).toBe('accepted');
  });

  it('eventAsRecorded changes only eligible decisions', () => {
    const episode = episodeIn('induction');
    const event = sample('induction_started');
    expect(eventAsRecorded(event, episode)).toBe(event);
    const notEligible: EpisodeEvent = { type: 'eligibility_decided', at: next(), by: BY, criteria: NOT_MET, eligible: false };
    expect(eventAsRecorded(notEligible, episodeIn('not_eligible'))).toBe(notEligible);
  });

  it('places are held in accepted, induction and maintenance only, and discharge frees them', () => {
    expect(EPISODE_STATES.filter(holdsPlace)).toEqual(['accepted', 'induction', 'maintenance']);
    const discharged = apply(episodeIn('maintenance'), sample('discharged'));
    expect(discharged.placeHeld).toBe(false);
  });
});

describe('eligibility decisions', () => {
  const decide = (criteria: typeof MET | typeof NOT_MET | [], eligible: boolean, placeOffered?: boolean) =>
    refusalOf(episodeIn('assessing'), {
      type: 'eligibility_decided', at: next(), by: BY, criteria, eligible,
      ...(placeOffered === undefined ? {} : { placeOffered }),
    });

  it('refuses a verdict that contradicts the outcomes recorded with it', () => {
    expect(decide(NOT_MET, true)).toMatchObject({ rule: 'eligibility_inconsistent', field: 'eligible' });
    expect(decide(MET, false)).toMatchObject({ rule: 'eligibility_inconsistent', field: 'eligible' });
    expect(decide([], false)?.rule).toBe('eligibility_inconsistent');
    expect(decide(NOT_MET, false, true)).toMatchObject({ rule: 'eligibility_inconsistent', field: 'placeOffered' });
  });

  it('a waived criterion counts as met', () => {
    const criteria = [{ code: 'adult', outcome: 'waived' as const, reason: 'agreed by the medical director' }];
    const episode = apply(episodeIn('assessing'), { type: 'eligibility_decided', at: next(), by: BY, criteria, eligible: true });
    expect(episode.state).toBe('accepted');
  });

  it('not eligible ends the episode without a place', () => {
    const episode = episodeIn('not_eligible');
    expect([episode.state, episode.placeHeld, isActive(episode)]).toEqual(['not_eligible', false, false]);
  });
});

describe('absences', () => {
  const absence = (liaison: string, extra: Partial<{ expectedReturn: string; kind: (typeof ABSENCE_KINDS)[number] }> = {}): EpisodeEvent => ({
    type: 'absence_started', at: next(), by: BY, kind: 'custody', liaison, ...extra,
  });

  it('records who to contact and when the person is expected back', () => {
    const before = episodeIn('maintenance');
    const event = absence('  HMP Durham healthcare  ', { expectedReturn: '2025-04-01' });
    const episode = apply(before, event);
    expect(episode.absence).toEqual({ kind: 'custody', liaison: 'HMP Durham healthcare', since: event.at, expectedReturn: '2025-04-01' });
    expect(episode.placeHeld).toBe(true);
  });

  it.each(['', '   '])('refuses an absence without a liaison contact (%j)', (liaison) => {
    expect(refusalOf(episodeIn('maintenance'), absence(liaison))).toMatchObject({ rule: 'liaison_required', field: 'liaison' });
  });

  it('refuses an expected return that is not a date', () => {
    expect(refusalOf(episodeIn('induction'), absence('Ward 12', { expectedReturn: '1 April' }))).toMatchObject({
      rule: 'invalid_date',
      field: 'expectedReturn',
    });
  });

  it('refuses a second absence while one is open', () => {
    expect(refusalOf(episodeIn('maintenance (absent)'), absence('Ward 3'))?.rule).toBe('already_absent');
  });

  it('refuses to end an absence that was never started', () => {
    expect(refusalOf(episodeIn('maintenance'), sample('absence_ended'))?.rule).toBe('not_absent');
  });

  it('on return requires a review and re-titration, and no dose until the review', () => {
    const back = apply(episodeIn('maintenance (absent)'), sample('absence_ended'));
    expect(back).toMatchObject({ state: 'maintenance', absence: null, retitrationRequired: true, reviewRequired: true });
    expect(canBeDosed(back)).toEqual({
      ok: false,
      refusals: [
        {
          rule: 'review_required_after_absence',
          message: "needs a prescriber's review and re-titration plan after the absence before any dose",
        },
      ],
    });
    const reviewed = apply(back, { type: 'review_recorded', at: next(), by: BY, retitrationPlanned: true });
    expect(reviewed).toMatchObject({ retitrationRequired: false, reviewRequired: false });
    expect(canBeDosed(reviewed)).toEqual({ ok: true, value: true });
  });

  it('a review without a re-titration plan allows dosing but leaves re-titration required', () => {
    const back = apply(episodeIn('induction (absent)'), sample('absence_ended'));
    const reviewed = apply(back, { type: 'review_recorded', at: next(), by: BY, retitrationPlanned: false });
    expect(reviewed).toMatchObject({ retitrationRequired: true, reviewRequired: false });
    expect(canBeDosed(reviewed).ok).toBe(true);
  });

  it('a review while still away does not settle re-titration, and the return asks for a review again', () => {
    const back = apply(episodeIn('maintenance (absent)'), sample('absence_ended'));
    const awayAgain = apply(back, absence('Ward 7'));
    const reviewedAway = apply(awayAgain, { type: 'review_recorded', at: next(), by: BY, retitrationPlanned: true });
    expect(reviewedAway).toMatchObject({ retitrationRequired: true, reviewRequired: false });
    expect(canBeDosed(reviewedAway).ok).toBe(false);
    const returned = apply(reviewedAway, sample('absence_ended'));
    expect(returned).toMatchObject({ retitrationRequired: true, reviewRequired: true });
  });

  it('a review with no absence behind it changes nothing that matters for dosing', () => {
    const episode = apply(episodeIn('maintenance'), sample('review_recorded'));
    expect(episode).toMatchObject({ retitrationRequired: false, reviewRequired: false });
    expect(canBeDosed(episode).ok).toBe(true);
  });

  it('maintenance cannot start while the person is away', () => {
    expect(refusalOf(episodeIn('induction (absent)'), sample('maintenance_started'))).toMatchObject({ rule: 'absent' });
  });

  it('discharge during an absence closes it and frees the place', () => {
    const before = episodeIn('maintenance (absent)');
    const event: EpisodeEvent = { type: 'discharged', at: next(), by: BY, reason: 'custody', note: 'sentenced' };
    const episode = apply(before, event);
    expect(episode).toMatchObject({ state: 'discharged', absence: null, placeHeld: false, dischargeReason: 'custody' });
  });
});

describe('who may be dosed', () => {
  it.each(EPISODE_STATES.filter((s) => s !== 'induction' && s !== 'maintenance'))('nobody %s', (state) => {
    const decision = canBeDosed(episodeIn(state));
    expect(!decision.ok && decision.refusals.map((r) => r.rule)).toEqual(['not_in_treatment']);
  });

  it.each(['induction', 'maintenance'] as const)('someone in %s, unless absent', (state) => {
    expect(canBeDosed(episodeIn(state))).toEqual({ ok: true, value: true });
    const away = canBeDosed(episodeIn(`${state} (absent)`));
    expect(!away.ok && away.refusals[0]!.rule).toBe('absent');
    expect(!away.ok && away.refusals[0]!.message).toMatch(/^cannot be dosed: recorded as absent \(hospital\) since /);
  });
});

describe('discharge', () => {
  it.each(DISCHARGE_REASONS)('records the reason (%s)', (reason) => {
    const episode = apply(episodeIn('induction'), { type: 'discharged', at: next(), by: BY, reason });
    expect(episode.dischargeReason).toBe(reason);
    expect(isActive(episode)).toBe(false);
  });

  it('is possible from every open state', () => {
    for (const state of EPISODE_STATES.filter((s) => s !== 'not_eligible' && s !== 'discharged')) {
      expect(isActive(episodeIn(state))).toBe(true);
      expect(apply(episodeIn(state), sample('discharged')).state).toBe('discharged');
    }
  });
});

describe('when and by whom', () => {
  it('refuses an event dated before the previous one, naming both', () => {
    const episode = episodeIn('referred');
    const last = episode.history[0]!;
    const earlier = Temporal.Instant.from(last.at).subtract({ seconds: 1 }).toString();
    const refusal = refusalOf(episode, { type: 'assessment_started', at: earlier, by: BY });
    expect(refusal).toMatchObject({ rule: 'event_out_of_order', field: 'at' });
    expect(refusal?.message).toContain(`before the last recorded event (referred at ${last.at})`);
  });

  it('allows two events at the same instant, and compares instants, not text', () => {
    const episode = build(referral('2025-05-01T09:00:00Z'));
    expect(apply(episode, { type: 'assessment_started', at: '2025-05-01T09:00:00Z', by: BY }).state).toBe('assessing');
    expect(apply(episode, { type: 'assessment_started', at: '2025-05-01T10:00:00+01:00', by: BY }).state).toBe('assessing');
    expect(refusalOf(episode, { type: 'assessment_started', at: '2025-05-01T09:30:00+01:00', by: BY })?.rule).toBe(
      'event_out_of_order',
    );
  });

  it.each(['2025-05-01', '2025-05-01T09:00', 'yesterday', ''])('refuses a time without an offset or not a time (%j)', (at) => {
    expect(refusalOf(null, referral(at))).toMatchObject({ rule: 'invalid_time', field: 'at' });
    expect(refusalOf(episodeIn('referred'), { type: 'assessment_started', at, by: BY })?.rule).toBe('invalid_time');
  });

  it('refuses an event without a member of staff, and a referral without a source', () => {
    expect(refusalOf(episodeIn('referred'), { type: 'assessment_started', at: next(), by: ' ' })?.rule).toBe('staff_required');
    expect(refusalOf(null, { type: 'referred', at: next(), by: BY, source: '' })).toMatchObject({
      rule: 'referral_source_required',
      field: 'source',
    });
  });
});

describe('replaying stored events', () => {
  it('gives the episode built event by event', () => {
    const events = [referral(), ...(['assessment_started', 'eligibility_decided', 'induction_started', 'absence_started', 'absence_ended'] as const).map(sample)];
    expect(replayEpisode(events)).toEqual(build(...events));
  });

  it('throws when the history is corrupt or empty', () => {
    expect(() => replayEpisode([referral(), sample('induction_started')])).toThrow(
      /episode history is corrupt: event 1 \(induction_started at .*\) is refused \(transition_not_allowed: cannot start induction from referred/,
    );
    expect(() => replayEpisode([sample('assessment_started')])).toThrow(/first_event_must_be_referral/);
    expect(() => replayEpisode([])).toThrow(/no events/);
  });
});

/** An event without its time and author (Omit on each member of the union, so fields are kept). */
type EventBody = EpisodeEvent extends infer E ? (E extends EpisodeEvent ? Omit<E, 'at' | 'by'> : never) : never;

describe('random histories (property)', () => {
  const criteria = fc.array(
    fc.record({ code: fc.constantFrom('a', 'b', 'adult'), outcome: fc.constantFrom('met' as const, 'not_met' as const, 'waived' as const), reason: fc.constant('r') }),
    { maxLength: 3 },
  );
  // Event bodies without a time; the ordinary next steps are weighted so that histories get far.
  const body: fc.Arbitrary<EventBody> = fc.oneof(
    { weight: 1, arbitrary: fc.record({ type: fc.constant('referred' as const), source: fc.constantFrom('GP', '', 'self') }) },
    { weight: 4, arbitrary: fc.constant({ type: 'assessment_started' as const }) },
    {
      weight: 4,
      arbitrary: fc
        .record({ criteria, honest: fc.nat(9), placeOffered: fc.option(fc.boolean(), { nil: undefined }) })
        .map(({ criteria, honest, placeOffered }) => ({
          type: 'eligibility_decided' as const,
          criteria,
          // Mostly the verdict decideEligibility would give; sometimes a contradicting one.
          eligible: criteria.every((c) => c.outcome !== 'not_met') !== (honest === 0),
          ...(placeOffered === undefined ? {} : { placeOffered }),
        })),
    },
    { weight: 4, arbitrary: fc.constant({ type: 'place_offered' as const }) },
    { weight: 4, arbitrary: fc.constant({ type: 'induction_started' as const }) },
    { weight: 3, arbitrary: fc.constant({ type: 'maintenance_started' as const }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('discharged' as const), reason: fc.constantFrom(...DISCHARGE_REASONS) }) },
    {
      weight: 3,
      arbitrary: fc.record(
        {
          type: fc.constant('absence_started' as const),
          kind: fc.constantFrom(...ABSENCE_KINDS),
          liaison: fc.constantFrom('Ward 12', '', ' '),
          expectedReturn: fc.constantFrom('2025-06-01', 'soon'),
        },
        { requiredKeys: ['type', 'kind', 'liaison'] },
      ),
    },
    { weight: 3, arbitrary: fc.constant({ type: 'absence_ended' as const }) },
    { weight: 3, arbitrary: fc.record({ type: fc.constant('review_recorded' as const), retitrationPlanned: fc.boolean() }) },
  );
  const command = fc.record({
    who: fc.nat(3),
    // Half the time the ordinary next step for that person, so that histories get into treatment;
    // otherwise any event at all.
    ordinary: fc.boolean(),
    pick: fc.nat(5),
    body,
    // Mostly forwards in time, sometimes backwards to exercise the order rule.
    minutes: fc.integer({ min: -20, max: 600 }),
  });

  /** The usual next event for an episode (null or ended: a new referral for the same person). */
  function ordinaryNext(episode: Episode | null, pick: number): EventBody {
    if (!episode || !isActive(episode)) return { type: 'referred', source: 'GP' };
    if (episode.absence) return pick < 3 ? { type: 'absence_ended' } : { type: 'review_recorded', retitrationPlanned: pick === 4 };
    switch (episode.state) {
      case 'referred':
        return { type: 'assessment_started' };
      case 'assessing':
        return pick === 0
          ? { type: 'eligibility_decided', criteria: NOT_MET, eligible: false }
          : { type: 'eligibility_decided', criteria: MET, eligible: true };
      case 'waiting_list':
        return { type: 'place_offered' };
      case 'accepted':
        return { type: 'induction_started' };
      default:
        if (episode.reviewRequired) return { type: 'review_recorded', retitrationPlanned: pick % 2 === 0 };
        if (pick === 0) return { type: 'discharged', reason: 'disengaged' };
        if (pick < 3) return { type: 'absence_started', kind: 'hospital', liaison: 'Ward 12' };
        return episode.state === 'induction' ? { type: 'maintenance_started' } : { type: 'review_recorded', retitrationPlanned: true };
    }
  }

  it('never leaves an ended episode, never over-fills the clinic, and replays to the same episodes', () => {
    const reached = new Set<EpisodeState>();
    let absences = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.array(command, { minLength: 40, maxLength: 120 }), (places, commands) => {
        const episodes: (Episode | null)[] = [null, null, null, null];
        const recorded: EpisodeEvent[][] = [[], [], [], []];
        const finished: { episode: Episode; events: EpisodeEvent[] }[] = [];
        let time = Temporal.Instant.from('2025-01-01T00:00:00Z');
        for (const { who, ordinary, pick, body, minutes } of commands) {
          time = time.add({ minutes });
          const current = episodes[who]!;
          const event = { ...(ordinary ? ordinaryNext(current, pick) : body), at: time.toString(), by: BY } as EpisodeEvent;
          // A new referral for someone whose episode has ended starts their next episode.
          const restart = ordinary && current !== null && !isActive(current);
          const before = restart ? null : current;
          const held = episodes.filter((e) => e?.placeHeld).length;
          const decision = applyEpisodeEvent(before, event, { placesFree: places - held });

          if (before && !isActive(before)) {
            expect(decision.ok).toBe(false);
            expect(!decision.ok && decision.refusals[0]!.rule).toMatch(/^(transition_not_allowed|event_out_of_order|invalid_time)$/);
          }
          if (!decision.ok) continue;
          const after = decision.value;
          if (restart) {
            finished.push({ episode: current, events: recorded[who]! });
            recorded[who] = [];
          }
          episodes[who] = after;
          recorded[who]!.push(eventAsRecorded(event, after));
          reached.add(after.state);
          if (after.absence) absences++;

          expect(episodes.filter((e) => e?.placeHeld).length).toBeLessThanOrEqual(places);
          expect(after.placeHeld).toBe(holdsPlace(after.state));
          if (after.absence) expect(['induction', 'maintenance']).toContain(after.state);
          if (canBeDosed(after).ok) expect(after.absence === null && !after.reviewRequired).toBe(true);
          expect(after.history.length).toBe(recorded[who]!.length);
        }
        episodes.forEach((episode, who) => {
          if (episode) finished.push({ episode, events: recorded[who]! });
        });
        for (const { episode, events } of finished) expect(replayEpisode(events)).toEqual(episode);
      }),
      { numRuns: 500 },
    );
    // The generator is only useful if histories reach every state and include absences.
    expect([...reached].sort()).toEqual([...EPISODE_STATES].sort());
    expect(absences).toBeGreaterThan(100);
  });

  it('refuses every event once an episode has ended (property)', () => {
    const ended = fc.constantFrom('not_eligible' as const, 'discharged' as const);
    fc.assert(
      fc.property(ended, body, fc.integer({ min: 0, max: 10_000 }), (state, b, places) => {
        const episode = episodeIn(state);
        const event = { ...b, at: next(), by: BY } as EpisodeEvent;
        const decision = applyEpisodeEvent(episode, event, { placesFree: places });
        expect(decision.ok).toBe(false);
        expect(!decision.ok && decision.refusals[0]!.rule).toBe('transition_not_allowed');
      }),
    );
  });
});

describe('helpers', () => {
  it('isActive is false only for ended episodes', () => {
    expect(EPISODE_STATES.filter((s) => !isActive(episodeIn(s)))).toEqual(['not_eligible', 'discharged']);
  });

  it('unlimited places is what a replay assumes', () => {
    expect(apply(episodeIn('waiting_list'), sample('place_offered'), UNLIMITED).state).toBe('accepted');
  });
});
