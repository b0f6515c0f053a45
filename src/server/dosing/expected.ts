import type { Temporal } from 'temporal-polyfill';
import type { ClinicSettings } from '../../domain/clinic/clinic-settings';
import { TREATMENT_STATES } from '../../domain/episode/episode-event';
import { mayBeDosedUnder, versionInForce } from '../../domain/prescription/versions';
import { clinicEpisodes } from '../../store/episodes';
import { clinicPrescriptions } from '../../store/prescriptions';
import type { Orm } from '../../store/database';
import { takeHomeCoveredAt } from '../take-home/state';

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
): Promise<string[]> {
  const episodes = await clinicEpisodes(orm, clinicId);
  const prescriptions = await clinicPrescriptions(orm, clinicId);
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
