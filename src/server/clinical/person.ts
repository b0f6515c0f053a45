import type { Temporal } from 'temporal-polyfill';
import { readStoredClinicSettings, type ClinicSettings } from '../../domain/clinic/clinic-settings';
import { clinicDate } from '../../domain/time/clinic-time';
import { currentSettings } from '../../store/clinics';
import type { Orm } from '../../store/database';
import { latestEpisode, type StoredEpisode } from '../../store/episodes';
import { prescriptionHistory, type StoredPrescriptionVersion } from '../../store/prescriptions';
import { currentVersion, lockServiceUser, type ServiceUserVersion } from '../../store/service-users';
import { personDoses } from '../../store/dosing';
import { personReviews, type ReviewRow } from '../../store/reviews';
import { missedDoses } from '../../domain/dosing/dose-history';
import { toHistoryItem, type DoseEvent } from '../../domain/dosing/dose-record';
import type { DoseHistoryItem } from '../../domain/dosing/dose-history';
import type { DoseRow } from '../../store/dosing';
import { Temporal as T } from 'temporal-polyfill';
import { notFound } from '../errors';
import type { CoveredSession } from '../../domain/take-home/cover';
import { personTakeHomeCover } from '../take-home/state';

/** Everything the clinical rules need to know about one person, read inside the write's transaction. */
export interface PersonState {
  clinicId: string;
  serviceUserId: string;
  settings: ClinicSettings;
  today: string;
  record: ServiceUserVersion;
  episode: StoredEpisode | null;
  prescriptions: StoredPrescriptionVersion[];
  /** Doses of the last five weeks, with their events, and as the safety rules see them. */
  doses: { dose: DoseRow; events: DoseEvent[] }[];
  history: DoseHistoryItem[];
  /** When a prescriber last recorded a re-titration plan (which lifts a missed-dose lock). */
  lastRetitrationPlanAt: T.Instant | null;
  /** The latest review: when, and the "next review due" date it set (null before the first review). */
  lastReview: { reviewedAt: T.Instant; nextReviewDue: string } | null;
  missed: { consecutiveMissed: number; retitrationLocked: boolean };
  /** Sessions covered by take-home supplies: the dose for them is at home, so none at the clinic. */
  takeHomeCovered: CoveredSession[];
}

/** Today's date at the clinic. */
export async function clinicToday(tx: Orm, clinicId: string, now: Temporal.Instant): Promise<string> {
  const settings = readStoredClinicSettings((await currentSettings(tx, clinicId))!.settings);
  return clinicDate(now, settings.timeZone).toString();
}

/** Locks the person for the transaction (their writes happen one at a time) and reads their state. */
export async function lockPerson(tx: Orm, clinicId: string, serviceUserId: string, now: Temporal.Instant): Promise<PersonState> {
  if (!(await lockServiceUser(tx, clinicId, serviceUserId))) throw notFound('Service user');
  return readPerson(tx, clinicId, serviceUserId, now);
}

/** How many days of doses PersonState carries (its `doses` and `history`). */
export const PERSON_DOSE_DAYS = 35;

/** What is read from the store for one person's state (one query each, or one per kind for many people: see readPeople). */
export interface PersonParts {
  record: ServiceUserVersion;
  episode: StoredEpisode | null;
  prescriptions: StoredPrescriptionVersion[];
  /** From PERSON_DOSE_DAYS days before today, in personDoses' order. */
  doses: { dose: DoseRow; events: DoseEvent[] }[];
  /** Newest first. */
  reviews: ReviewRow[];
  takeHomeCovered: CoveredSession[];
}

/** A person's state from what was read (no I/O). */
export function personState(clinicId: string, serviceUserId: string, settings: ClinicSettings, today: string, parts: PersonParts): PersonState {
  const { doses, reviews } = parts;
  const history = doses
    .map(({ dose, events }) => toHistoryItem({ session: dose.sessionCode, clinicDate: dose.clinicDate, kind: dose.kind as 'dose' | 'top_up' }, events))
    .filter((h): h is DoseHistoryItem => h !== null);
  const plan = reviews.find((r) => r.retitrationPlanned);
  const lastRetitrationPlanAt = plan ? T.Instant.fromEpochMilliseconds(plan.reviewedAt.getTime()) : null;
  return {
    clinicId,
    serviceUserId,
    settings,
    today,
    record: parts.record,
    episode: parts.episode,
    prescriptions: parts.prescriptions,
    doses,
    history,
    lastRetitrationPlanAt,
    lastReview: reviews[0] ? { reviewedAt: T.Instant.fromEpochMilliseconds(reviews[0].reviewedAt.getTime()), nextReviewDue: reviews[0].nextReviewDue } : null,
    missed: missedDoses(history, settings.dosing.missedDosesForRetitration, lastRetitrationPlanAt),
    takeHomeCovered: parts.takeHomeCovered,
  };
}

/** The same state without a lock, for screens that only read. */
export async function readPerson(tx: Orm, clinicId: string, serviceUserId: string, now: Temporal.Instant): Promise<PersonState> {
  const settings = readStoredClinicSettings((await currentSettings(tx, clinicId))!.settings);
  const today = clinicDate(now, settings.timeZone);
  const doses = await personDoses(tx, clinicId, serviceUserId, today.subtract({ days: PERSON_DOSE_DAYS }).toString());
  const reviews = await personReviews(tx, clinicId, serviceUserId);
  return personState(clinicId, serviceUserId, settings, today.toString(), {
    record: (await currentVersion(tx, clinicId, serviceUserId))!,
    episode: await latestEpisode(tx, clinicId, serviceUserId),
    prescriptions: await prescriptionHistory(tx, clinicId, serviceUserId),
    doses,
    reviews,
    takeHomeCovered: await personTakeHomeCover(tx, clinicId, serviceUserId, settings),
  });
}
