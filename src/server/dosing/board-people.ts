import type { Temporal } from 'temporal-polyfill';
import type { ClinicSettings } from '../../domain/clinic/clinic-settings';
import { CARE_RECORD_KINDS } from '../../domain/care/care-record';
import { clinicDate } from '../../domain/time/clinic-time';
import type { Orm } from '../../store/database';
import { exceptionsOf, peopleDoses, type ExceptionRow } from '../../store/dosing';
import { latestEpisodes, type StoredEpisode } from '../../store/episodes';
import { peoplePrescriptions, type StoredPrescriptionVersion } from '../../store/prescriptions';
import type { ClinicWide } from './expected';
import { peopleReviews } from '../../store/reviews';
import { peopleCareRecords } from '../../store/care-records';
import { currentVersions } from '../../store/service-users';
import type { Alert } from '../clinical/output';
import { PERSON_DOSE_DAYS, personState, type PersonState } from '../clinical/person';
import { careAlertsFor } from '../care/care-alerts';
import { assessmentBreathTests, BREATH_LOOKBACK_DAYS, holdsTakeHome, personInCare, type PersonInCareWithName } from '../care/people-in-care';
import { takeHomeCareFactsFrom, takeHomeCoverFrom, takeHomeDosesFrom } from '../take-home/state';

/** What the Today board needs about one person. */
export interface BoardPerson {
  /** As readPerson reads it. */
  state: PersonState;
  /** As exceptionsFor reads them at `now`. */
  exceptions: ExceptionRow[];
  /** As careAlerts makes them. */
  careAlerts: Alert[];
}

/** latestEpisodes, from the clinic's latest episodes (the same rows: both take the latest by opened_at, then episode_id). */
function episodesOf(clinicWide: ClinicWide, ids: readonly string[]): Map<string, StoredEpisode> {
  const wanted = new Set(ids);
  return new Map(clinicWide.episodes.filter((e) => wanted.has(e.serviceUserId)).map((e) => [e.serviceUserId, e]));
}

/** peoplePrescriptions, from every version at the clinic (both oldest first for each person). */
function prescriptionsOf(clinicWide: ClinicWide, ids: readonly string[]): Map<string, StoredPrescriptionVersion[]> {
  const out = new Map<string, StoredPrescriptionVersion[]>(ids.map((id) => [id, []]));
  for (const p of clinicWide.prescriptions) out.get(p.serviceUserId)?.push(p);
  return out;
}

/**
 * Everyone on a board, read together: one query per kind of data for all of them (each scoped by
 * clinic_id), grouped here, so that the board costs the same number of statements for 5 people or
 * 50. Each person's result is what readPerson, exceptionsFor and careAlerts give for them one at a
 * time (the same reads, filtered to the same dates, in the same order); people unknown at the
 * clinic are left out.
 */
export async function readBoardPeople(
  orm: Orm,
  clinicId: string,
  settings: ClinicSettings,
  serviceUserIds: readonly string[],
  now: Temporal.Instant,
  /** The clinic's latest episodes and prescriptions, if already read (the board reads them to know who is expected): not read again. */
  clinicWide?: ClinicWide,
): Promise<Map<string, BoardPerson>> {
  const out = new Map<string, BoardPerson>();
  const ids = [...new Set(serviceUserIds)];
  if (ids.length === 0) return out;
  const todayDate = clinicDate(now, settings.timeZone);
  const today = todayDate.toString();
  const dosesFrom = todayDate.subtract({ days: PERSON_DOSE_DAYS }).toString();
  const breathFrom = todayDate.subtract({ days: BREATH_LOOKBACK_DAYS }).toString();
  // Every care record kind: the care rules read them all, take-home cover and facts read subsets of them.
  const [versions, episodes, prescriptions, doses, reviews, records, exceptions] = await Promise.all([
    currentVersions(orm, clinicId, ids),
    clinicWide ? episodesOf(clinicWide, ids) : latestEpisodes(orm, clinicId, ids),
    clinicWide ? prescriptionsOf(clinicWide, ids) : peoplePrescriptions(orm, clinicId, ids),
    peopleDoses(orm, clinicId, ids, dosesFrom),
    peopleReviews(orm, clinicId, ids),
    peopleCareRecords(orm, clinicId, ids, CARE_RECORD_KINDS),
    exceptionsOf(orm, clinicId, ids, new Date(now.epochMilliseconds)),
  ]);

  const inCare = new Map<string, PersonInCareWithName>();
  const states = new Map<string, PersonState>();
  for (const id of ids) {
    const version = versions.get(id);
    if (!version) continue;
    const episode = episodes.get(id) ?? null;
    const mine = records.get(id)!;
    const personDoses = doses.get(id)!;
    states.set(
      id,
      personState(clinicId, id, settings, today, {
        record: version,
        episode,
        prescriptions: prescriptions.get(id)!,
        doses: personDoses,
        reviews: reviews.get(id)!,
        takeHomeCovered: takeHomeCoverFrom(mine, settings),
      }),
    );
    const breath = personDoses.filter((d) => d.dose.clinicDate >= breathFrom && d.dose.clinicDate <= today).flatMap((d) => assessmentBreathTests(d.events));
    inCare.set(id, personInCare(version, episode, prescriptions.get(id)!, mine, breath, settings.timeZone, now));
  }

  // The take-home rules' dose facts, for the few holding take-home doses: from each one's own date
  // (further back than PersonState's doses only when their latest authorised assessment is older).
  const holders = [...inCare.values()].filter((p) => holdsTakeHome(p, today));
  if (holders.length > 0) {
    const fromOf = new Map(holders.map((p) => [p.serviceUserId, takeHomeDosesFrom(records.get(p.serviceUserId)!, settings, today)]));
    const earliest = [...fromOf.values()].reduce((a, b) => (b < a ? b : a));
    const longer = earliest < dosesFrom ? await peopleDoses(orm, clinicId, [...fromOf.keys()], earliest) : doses;
    for (const p of holders) {
      const from = fromOf.get(p.serviceUserId)!;
      const theirs = longer.get(p.serviceUserId)!.filter((d) => d.dose.clinicDate >= from);
      p.takeHomeFacts = takeHomeCareFactsFrom(theirs, from, episodes.get(p.serviceUserId) ?? null, settings, states.get(p.serviceUserId)!.missed.retitrationLocked);
    }
  }

  for (const id of ids) {
    const state = states.get(id);
    if (!state) continue;
    out.set(id, { state, exceptions: exceptions.get(id)!, careAlerts: careAlertsFor({ person: inCare.get(id)!, settings, today, now }) });
  }
  return out;
}
