import type { Temporal } from 'temporal-polyfill';
import { readStoredClinicSettings, type ClinicSettings } from '../../domain/clinic/clinic-settings';
import { clinicDate } from '../../domain/time/clinic-time';
import { currentSettings } from '../../store/clinics';
import type { Orm } from '../../store/database';
import { latestEpisode, type StoredEpisode } from '../../store/episodes';
import { prescriptionHistory, type StoredPrescriptionVersion } from '../../store/prescriptions';
import { currentVersion, lockServiceUser, type ServiceUserVersion } from '../../store/service-users';
import { notFound } from '../errors';

/** Everything the clinical rules need to know about one person, read inside the write's transaction. */
export interface PersonState {
  clinicId: string;
  serviceUserId: string;
  settings: ClinicSettings;
  today: string;
  record: ServiceUserVersion;
  episode: StoredEpisode | null;
  prescriptions: StoredPrescriptionVersion[];
}

/** Today's date at the clinic. */
export async function clinicToday(tx: Orm, clinicId: string, now: Temporal.Instant): Promise<string> {
  const settings = readStoredClinicSettings((await currentSettings(tx, clinicId))!.settings);
  return clinicDate(now, settings.timeZone).toString();
}

/** Locks the person for the transaction (their writes happen one at a time) and reads their state. */
export async function lockPerson(tx: Orm, clinicId: string, serviceUserId: string, now: Temporal.Instant): Promise<PersonState> {
  if (!(await lockServiceUser(tx, clinicId, serviceUserId))) throw notFound('Service user');
  const settings = readStoredClinicSettings((await currentSettings(tx, clinicId))!.settings);
  return {
    clinicId,
    serviceUserId,
    settings,
    today: clinicDate(now, settings.timeZone).toString(),
    record: (await currentVersion(tx, clinicId, serviceUserId))!,
    episode: await latestEpisode(tx, clinicId, serviceUserId),
    prescriptions: await prescriptionHistory(tx, clinicId, serviceUserId),
  };
}
