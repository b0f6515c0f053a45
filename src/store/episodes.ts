import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { replayEpisode } from '../domain/episode/episode';
import type { Episode, EpisodeEvent } from '../domain/episode/episode-event';
import type { Orm } from './database';
import { episodeEvents, episodes } from './schema';
import type { WriteContext } from './transaction';

export interface StoredEpisode {
  episodeId: string;
  serviceUserId: string;
  openedAt: Date;
  events: EpisodeEvent[];
  episode: Episode;
}

function group(
  heads: (typeof episodes.$inferSelect)[],
  rows: (typeof episodeEvents.$inferSelect)[],
): StoredEpisode[] {
  const byEpisode = new Map<string, EpisodeEvent[]>();
  for (const row of rows) {
    const list = byEpisode.get(row.episodeId) ?? [];
    list.push(row.event as EpisodeEvent);
    byEpisode.set(row.episodeId, list);
  }
  return heads.map((h) => {
    const events = byEpisode.get(h.episodeId) ?? [];
    return { episodeId: h.episodeId, serviceUserId: h.serviceUserId, openedAt: h.openedAt, events, episode: replayEpisode(events) };
  });
}

/** A person's latest episode (the only one that can be open), or null if never referred. */
export async function latestEpisode(orm: Orm, clinicId: string, serviceUserId: string): Promise<StoredEpisode | null> {
  const heads = await orm
    .select()
    .from(episodes)
    .where(and(eq(episodes.clinicId, clinicId), eq(episodes.serviceUserId, serviceUserId)))
    .orderBy(desc(episodes.openedAt), desc(episodes.episodeId))
    .limit(1);
  if (heads.length === 0) return null;
  return (await withEvents(orm, clinicId, heads))[0]!;
}

export async function getEpisode(orm: Orm, clinicId: string, episodeId: string): Promise<StoredEpisode | null> {
  const heads = await orm.select().from(episodes).where(and(eq(episodes.clinicId, clinicId), eq(episodes.episodeId, episodeId)));
  if (heads.length === 0) return null;
  return (await withEvents(orm, clinicId, heads))[0]!;
}

export async function personEpisodes(orm: Orm, clinicId: string, serviceUserId: string): Promise<StoredEpisode[]> {
  const heads = await orm
    .select()
    .from(episodes)
    .where(and(eq(episodes.clinicId, clinicId), eq(episodes.serviceUserId, serviceUserId)))
    .orderBy(desc(episodes.openedAt));
  return withEvents(orm, clinicId, heads);
}

/** latestEpisode for several people in one query (and one for the events); people never referred are left out. */
export async function latestEpisodes(orm: Orm, clinicId: string, serviceUserIds: readonly string[]): Promise<Map<string, StoredEpisode>> {
  if (serviceUserIds.length === 0) return new Map();
  const heads = await orm
    .selectDistinctOn([episodes.serviceUserId])
    .from(episodes)
    .where(and(eq(episodes.clinicId, clinicId), inArray(episodes.serviceUserId, [...serviceUserIds])))
    .orderBy(episodes.serviceUserId, desc(episodes.openedAt), desc(episodes.episodeId));
  return new Map((await withEvents(orm, clinicId, heads)).map((e) => [e.serviceUserId, e]));
}

/** Every person's latest episode at the clinic. */
export async function clinicEpisodes(orm: Orm, clinicId: string): Promise<StoredEpisode[]> {
  const heads = await orm
    .selectDistinctOn([episodes.serviceUserId])
    .from(episodes)
    .where(eq(episodes.clinicId, clinicId))
    .orderBy(episodes.serviceUserId, desc(episodes.openedAt), desc(episodes.episodeId));
  return withEvents(orm, clinicId, heads);
}

async function withEvents(orm: Orm, clinicId: string, heads: (typeof episodes.$inferSelect)[]): Promise<StoredEpisode[]> {
  if (heads.length === 0) return [];
  const rows = await orm
    .select()
    .from(episodeEvents)
    .where(and(eq(episodeEvents.clinicId, clinicId), inArray(episodeEvents.episodeId, heads.map((h) => h.episodeId))))
    .orderBy(asc(episodeEvents.episodeId), asc(episodeEvents.seq));
  return group(heads, rows);
}

export async function openEpisode(w: WriteContext, clinicId: string, serviceUserId: string, referral: EpisodeEvent): Promise<string> {
  const episodeId = uuidv7();
  await w.tx.insert(episodes).values({ clinicId, episodeId, serviceUserId, openedAt: w.now, openedBy: w.actor.staffId });
  await appendEpisodeEvent(w, clinicId, episodeId, 1, referral);
  return episodeId;
}

export async function appendEpisodeEvent(
  w: WriteContext,
  clinicId: string,
  episodeId: string,
  seq: number,
  event: EpisodeEvent,
): Promise<void> {
  await w.tx.insert(episodeEvents).values({
    clinicId,
    episodeId,
    seq,
    eventType: event.type,
    occurredAt: new Date(event.at),
    event,
    recordedAt: w.now,
    recordedBy: w.actor.staffId,
  });
  await w.audit({ clinicId, action: 'create', entityType: 'episode_event', entityId: `${episodeId}/${seq}`, details: { type: event.type, at: event.at } });
}
