import { Temporal } from 'temporal-polyfill';
import { applyEpisodeEvent, eventAsRecorded, holdsPlace } from '../../domain/episode/episode';
import type { EpisodeEvent } from '../../domain/episode/episode-event';
import { refuse } from '../../domain/refusal';
import { versionInForce } from '../../domain/prescription/versions';
import { appendEpisodeEvent, clinicEpisodes, openEpisode, type StoredEpisode } from '../../store/episodes';
import type { StaffRow } from '../../store/staff';
import type { WriteContext } from '../../store/transaction';
import { refused } from '../errors';
import type { PersonState } from './person';
import { stopPrescription } from './prescription-workflow';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type NewEpisodeEvent = DistributiveOmit<EpisodeEvent, 'at' | 'by'>;

async function placesFree(w: WriteContext, person: PersonState): Promise<number> {
  const all = await clinicEpisodes(w.tx, person.clinicId);
  return person.settings.places - all.filter((e) => holdsPlace(e.episode.state)).length;
}

/**
 * Record one step of a person's episode, checked by the domain's lifecycle rules against the
 * episode as it stands and the clinic's free places. Starting an absence also suspends the
 * prescription in force, in the same transaction: treatment stops safely from that moment.
 */
export async function recordEpisodeEvent(
  w: WriteContext,
  person: PersonState,
  actor: StaffRow,
  event: NewEpisodeEvent,
  at: Temporal.Instant,
): Promise<StoredEpisode> {
  const full = { ...event, at: at.toString(), by: actor.staffId } as EpisodeEvent;
  const current = person.episode;
  const starting = event.type === 'referred';
  if (starting && current && current.episode.state !== 'discharged' && current.episode.state !== 'not_eligible') {
    throw refused([refuse('episode_already_open', `They already have an open episode (${current.episode.state.replace('_', ' ')}); discharge it before a new referral`)]);
  }
  const decision = applyEpisodeEvent(starting ? null : (current?.episode ?? null), full, { placesFree: await placesFree(w, person) });
  if (!decision.ok) throw refused(decision.refusals);
  const recorded = eventAsRecorded(full, decision.value);

  let episodeId: string;
  let events: EpisodeEvent[];
  if (starting) {
    episodeId = await openEpisode(w, person.clinicId, person.serviceUserId, recorded);
    events = [recorded];
  } else {
    episodeId = current!.episodeId;
    await appendEpisodeEvent(w, person.clinicId, episodeId, current!.events.length + 1, recorded);
    events = [...current!.events, recorded];
  }
  person.episode = { episodeId, serviceUserId: person.serviceUserId, openedAt: current && !starting ? current.openedAt : w.now, events, episode: decision.value };

  if (event.type === 'absence_started') {
    const now = Temporal.Instant.fromEpochMilliseconds(w.now.getTime());
    if (versionInForce(person.prescriptions, now)?.content.status === 'active') {
      await stopPrescription(w, person, actor, 'suspended', `away from ${at.toString().slice(0, 10)} (${event.kind}); liaison: ${event.liaison}`);
    }
  }
  return person.episode;
}
