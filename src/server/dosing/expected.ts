import type { Temporal } from 'temporal-polyfill';
import type { ClinicSettings } from '../../domain/clinic/clinic-settings';
import { TREATMENT_STATES } from '../../domain/episode/episode-event';
import { mayBeDosedUnder, versionInForce } from '../../domain/prescription/versions';
import { clinicEpisodes, type StoredEpisode } from '../../store/episodes';
import { clinicPrescriptions, type StoredPrescriptionVersion } from '../../store/prescriptions';
import type { Orm } from '../../store/database';
import { takeHomeCoveredAt } from '../take-home/state';

/** Every person's latest episode at the clinic, and every prescription version (oldest first). */
export interface ClinicWide {
  episodes: StoredEpisode[];
  prescriptions: StoredPrescriptionVersion[];
}

/** Reads ClinicWide. */
export async function readClinicWide(orm: Orm, clinicId: string): Promise<ClinicWide> {
  return { episodes: await clinicEpisodes(orm, clinicId), prescriptions: await clinicPrescriptions(orm, clinicId) };
}

/**
 * Who is expected at a session: in treatment, not away, with an active prescription in force at
 * the session that includes it and covers the day, and no take-home supply covering the session
 * (their dose for it is at home: they are neither expected nor, if they stay away, missed).
 */
export async function expectedAt(
  orm: Orm,
  clinicId: string,
  settings: ClinicSettings,
  clinicDate: string,
  sessionCode: string,
  at: Temporal.Instant,
  /** The clinic's latest episodes and prescriptions (clinicEpisodes, clinicPrescriptions), if the caller has read them already. */
  read?: ClinicWide,
): Promise<string[]> {
  const episodes = read?.episodes ?? (await clinicEpisodes(orm, clinicId));
  const prescriptions = read?.prescriptions ?? (await clinicPrescriptions(orm, clinicId));
  const takeHome = await takeHomeCoveredAt(orm, clinicId, settings, clinicDate, sessionCode);
  const expected: string[] = [];
  for (const e of episodes) {
    if (!TREATMENT_STATES.has(e.episode.state) || e.episode.absence) continue;
    const inForce = versionInForce(prescriptions.filter((p) => p.serviceUserId === e.serviceUserId), at);
    if (!inForce || !mayBeDosedUnder(inForce.content, clinicDate).ok) continue;
    if (!inForce.content.diamorphine.sessions.includes(sessionCode)) continue;
    if (takeHome.has(e.serviceUserId)) continue;
    expected.push(e.serviceUserId);
  }
  return expected;
}

export function sessionDef(settings: ClinicSettings, code: string) {
  return settings.sessions.find((s) => s.code === code) ?? null;
}
