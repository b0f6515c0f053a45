import { Temporal } from 'temporal-polyfill';
import { toHistoryItem, type DoseEvent } from '../dosing/dose-record';
import { TREATMENT_STATES, type Episode, type EpisodeEvent } from '../episode/episode-event';
import { clinicDate } from '../time/clinic-time';
import type { TakeHomeDoseFacts, TakeHomeEpisodeFacts } from './eligibility';

/** The take-home criteria's view of a person's doses and episode, from what the store keeps. */

export interface DoseWithEvents {
  clinicDate: string;
  sessionCode: string;
  kind: string;
  events: readonly DoseEvent[];
}

/**
 * Every refusal at the hatch (a dose may be refused, re-assessed and refused again: each counts),
 * and every scheduled dose that stands as missed (a late entry showing they came is not missed).
 */
export function doseFactsFrom(doses: readonly DoseWithEvents[], from: string): TakeHomeDoseFacts {
  const refusals: { clinicDate: string; session: string; rules: string[] }[] = [];
  const missed: { clinicDate: string; session: string }[] = [];
  for (const d of doses) {
    if (d.clinicDate < from) continue;
    for (const e of d.events) if (e.type === 'refused') refusals.push({ clinicDate: d.clinicDate, session: d.sessionCode, rules: e.reasons.map((r) => r.rule) });
    if (d.kind !== 'dose') continue;
    const h = toHistoryItem({ session: d.sessionCode, clinicDate: d.clinicDate, kind: 'dose' }, d.events);
    if (h?.status === 'missed') missed.push({ clinicDate: d.clinicDate, session: d.sessionCode });
  }
  return { from, refusals, missed };
}

/** The episode as the criteria need it: treatment, its start, absences (now and since), the flags set on return. */
export function episodeFactsFrom(episode: { episode: Episode; events: readonly EpisodeEvent[] } | null, timeZone: string): TakeHomeEpisodeFacts {
  if (!episode) return { inTreatment: false, treatmentStartedOn: null, absent: false, retitrationRequired: false, reviewRequired: false, absenceStartedOn: [] };
  const dateOf = (at: string) => clinicDate(Temporal.Instant.from(at), timeZone).toString();
  const started = episode.events.find((e) => e.type === 'induction_started');
  const e = episode.episode;
  return {
    inTreatment: TREATMENT_STATES.has(e.state),
    treatmentStartedOn: started ? dateOf(started.at) : null,
    absent: e.absence !== null,
    retitrationRequired: e.retitrationRequired,
    reviewRequired: e.reviewRequired,
    absenceStartedOn: episode.events.filter((x) => x.type === 'absence_started').map((x) => dateOf(x.at)),
  };
}
