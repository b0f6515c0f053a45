import { Temporal } from 'temporal-polyfill';
import { readStoredClinicSettings, type ClinicSettings } from '../../domain/clinic/clinic-settings';
import { CARE_RECORD_KINDS, type CareRecord } from '../../domain/care/care-record';
import type { PersonInCare } from '../../domain/care/person-in-care';
import { readPerson } from '../clinical/person';
import { takeHomeCareFacts } from '../take-home/state';
import type { DoseEvent } from '../../domain/dosing/dose-record';
import { TREATMENT_STATES } from '../../domain/episode/episode-event';
import { versionInForce } from '../../domain/prescription/versions';
import { displayName } from '../../domain/service-user/record';
import { clinicDate } from '../../domain/time/clinic-time';
import { clinicCareRecords, personCareRecords } from '../../store/care-records';
import { currentSettings } from '../../store/clinics';
import type { Orm } from '../../store/database';
import { clinicDoses, personDoses } from '../../store/dosing';
import { clinicEpisodes, latestEpisode, type StoredEpisode } from '../../store/episodes';
import { clinicPrescriptions, prescriptionHistory, type StoredPrescriptionVersion } from '../../store/prescriptions';
import { currentVersion, listServiceUsers, type ServiceUserVersion } from '../../store/service-users';

export type PersonInCareWithName = PersonInCare & { displayName: string };

export interface ClinicCare {
  clinicId: string;
  settings: ClinicSettings;
  today: string;
  now: Temporal.Instant;
  people: PersonInCareWithName[];
}

/** How many days of dose assessments to read for breath tests: only today's count. */
export const BREATH_LOOKBACK_DAYS = 1;

export function assessmentBreathTests(events: readonly DoseEvent[]): { at: string; mgPerL: number }[] {
  const out: { at: string; mgPerL: number }[] = [];
  for (const e of events) {
    // A reading taken from a breath-test record is that record, already counted with its own time.
    if (e.type === 'assessed' && e.findings.breathAlcoholMgPerL !== null && !e.breathTest) out.push({ at: e.at, mgPerL: e.findings.breathAlcoholMgPerL });
  }
  return out;
}

export function personInCare(
  version: ServiceUserVersion,
  stored: StoredEpisode | null,
  prescriptions: StoredPrescriptionVersion[],
  records: CareRecord[],
  breath: { at: string; mgPerL: number }[],
  timeZone: string,
  now: Temporal.Instant,
): PersonInCareWithName {
  const e = stored?.episode ?? null;
  const dateOf = (at: string) => clinicDate(Temporal.Instant.from(at), timeZone).toString();
  const started = stored?.events.find((ev) => ev.type === 'induction_started');
  const discharged = stored?.events.find((ev) => ev.type === 'discharged');
  return {
    serviceUserId: version.serviceUserId,
    displayName: displayName(version.record),
    record: version.record,
    episodeState: e?.state ?? null,
    inTreatment: e !== null && TREATMENT_STATES.has(e.state),
    absent: e?.absence != null,
    treatmentStartedOn: started ? dateOf(started.at) : null,
    dischargedOn: discharged ? dateOf(discharged.at) : null,
    prescription: versionInForce(prescriptions, now)?.content ?? null,
    records,
    assessmentBreathTests: breath,
  };
}

/** Someone holding take-home doses that are not over yet. */
export const holdsTakeHome = (p: PersonInCare, today: string) => p.records.some((r) => r.kind === 'take_home_supply' && String((r.data as { toDate?: string }).toDate ?? '') >= today);

/**
 * The take-home rules must see refusals, missed doses, the lock and absences since the person was
 * authorised, which PersonInCare does not carry: read them for the few people holding take-home doses.
 */
async function attachTakeHomeFacts(orm: Orm, clinicId: string, person: PersonInCareWithName, stored: StoredEpisode | null, settings: ClinicSettings, today: string, now: Temporal.Instant) {
  if (!holdsTakeHome(person, today)) return;
  const state = await readPerson(orm, clinicId, person.serviceUserId, now);
  person.takeHomeFacts = await takeHomeCareFacts(orm, clinicId, person.serviceUserId, stored, settings, today, state.missed.retitrationLocked);
}

/** Everyone at the clinic (with an episode or care records), as the monitoring and care rules see them. */
export async function clinicCare(orm: Orm, clinicId: string, now: Temporal.Instant): Promise<ClinicCare> {
  const settings = readStoredClinicSettings((await currentSettings(orm, clinicId))!.settings);
  const today = clinicDate(now, settings.timeZone);
  const [people, episodes, prescriptions, records, doses] = await Promise.all([
    listServiceUsers(orm, clinicId),
    clinicEpisodes(orm, clinicId),
    clinicPrescriptions(orm, clinicId),
    clinicCareRecords(orm, clinicId, CARE_RECORD_KINDS),
    clinicDoses(orm, clinicId, today.subtract({ days: BREATH_LOOKBACK_DAYS }).toString(), today.toString()),
  ]);
  const episodeOf = new Map(episodes.map((e) => [e.serviceUserId, e]));
  const group = <T extends { serviceUserId: string }>(rows: readonly T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) m.set(r.serviceUserId, [...(m.get(r.serviceUserId) ?? []), r]);
    return m;
  };
  const rxOf = group(prescriptions);
  const recordsOf = group(records);
  const breathOf = new Map<string, { at: string; mgPerL: number }[]>();
  for (const d of doses) {
    breathOf.set(d.dose.serviceUserId, [...(breathOf.get(d.dose.serviceUserId) ?? []), ...assessmentBreathTests(d.events)]);
  }
  const inCare = people.map((v) =>
    personInCare(v, episodeOf.get(v.serviceUserId) ?? null, rxOf.get(v.serviceUserId) ?? [], recordsOf.get(v.serviceUserId) ?? [], breathOf.get(v.serviceUserId) ?? [], settings.timeZone, now),
  );
  for (const p of inCare) await attachTakeHomeFacts(orm, clinicId, p, episodeOf.get(p.serviceUserId) ?? null, settings, today.toString(), now);
  return { clinicId, settings, today: today.toString(), now, people: inCare };
}

/** One person, as the monitoring and care rules see them (inside a transaction, pass its handle). */
export async function onePersonInCare(orm: Orm, clinicId: string, serviceUserId: string, now: Temporal.Instant): Promise<{ settings: ClinicSettings; today: string; person: PersonInCareWithName } | null> {
  const version = await currentVersion(orm, clinicId, serviceUserId);
  if (!version) return null;
  const settings = readStoredClinicSettings((await currentSettings(orm, clinicId))!.settings);
  const today = clinicDate(now, settings.timeZone).toString();
  // This person's doses only (not the clinic's, filtered here): it runs once per person on the Today board.
  const doses = (await personDoses(orm, clinicId, serviceUserId, Temporal.PlainDate.from(today).subtract({ days: BREATH_LOOKBACK_DAYS }).toString())).filter((d) => d.dose.clinicDate <= today);
  const stored = await latestEpisode(orm, clinicId, serviceUserId);
  const person = personInCare(
    version,
    stored,
    await prescriptionHistory(orm, clinicId, serviceUserId),
    await personCareRecords(orm, clinicId, serviceUserId, CARE_RECORD_KINDS),
    doses.flatMap((d) => assessmentBreathTests(d.events)),
    settings.timeZone,
    now,
  );
  await attachTakeHomeFacts(orm, clinicId, person, stored, settings, today, now);
  return { settings, today, person };
}
