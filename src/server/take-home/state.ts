import { Temporal } from 'temporal-polyfill';
import type { ClinicSettings } from '../../domain/clinic/clinic-settings';
import type { CareRecord } from '../../domain/care/care-record';
import type { ToxicologyRecordData } from '../../domain/care/toxicology';
import { versionInForce } from '../../domain/prescription/versions';
import { allCoveredSessions, supplyCovers, type CoveredSession, type SupplyCover } from '../../domain/take-home/cover';
import { doseFactsNeededFrom, evaluateTakeHome, latestAssessment, type TakeHomeEvaluation } from '../../domain/take-home/eligibility';
import { doseFactsFrom, episodeFactsFrom } from '../../domain/take-home/facts';
import type { StabilityAssessment, TakeHomeReturn, TakeHomeSupply } from '../../domain/take-home/records';
import type { TakeHomeCareFacts } from '../../domain/take-home/rules';
import { clinicCareRecords, personCareRecords } from '../../store/care-records';
import type { Orm } from '../../store/database';
import { personDoses } from '../../store/dosing';
import type { StoredEpisode } from '../../store/episodes';
import type { PersonState } from '../clinical/person';
import type { DoseEvent } from '../../domain/dosing/dose-record';

/** A person's take-home records, the sessions their supplies cover, and the verdict now. */
export interface TakeHomeState {
  evaluation: TakeHomeEvaluation;
  assessments: CareRecord<StabilityAssessment>[];
  supplies: CareRecord<TakeHomeSupply>[];
  returns: CareRecord<TakeHomeReturn>[];
  covers: SupplyCover[];
  covered: CoveredSession[];
}

const KINDS = ['stability_assessment', 'take_home_supply', 'take_home_return', 'toxicology'] as const;

/**
 * Everything the take-home rules need, read with the caller's handle (inside a write, after the
 * person is locked, so that the verdict and the write see the same records). The dose history is
 * read back as far as the criteria look: the longest window, or the authorising assessment.
 */
export async function takeHomeState(orm: Orm, person: PersonState, now: Temporal.Instant): Promise<TakeHomeState> {
  const { clinicId, serviceUserId, settings, today } = person;
  const records = await personCareRecords(orm, clinicId, serviceUserId, KINDS);
  const of = <D>(kind: (typeof KINDS)[number]) => records.filter((r) => r.kind === kind) as CareRecord<D>[];
  const assessments = of<StabilityAssessment>('stability_assessment');
  const supplies = of<TakeHomeSupply>('take_home_supply');
  const returns = of<TakeHomeReturn>('take_home_return');
  const latest = latestAssessment(assessments);
  const from = doseFactsNeededFrom(today, settings.takeHome, latest?.data.authorised ? latest.effectiveDate : null);
  const doses = (await personDoses(orm, clinicId, serviceUserId, from)).map(({ dose, events }) => ({ clinicDate: dose.clinicDate, sessionCode: dose.sessionCode, kind: dose.kind, events }));
  const r = person.record.record;
  const evaluation = evaluateTakeHome({
    today,
    settings: settings.takeHome,
    streetHeroinMarkers: settings.monitoring.streetHeroinMarkers,
    toxicologyIntervalDays: r.toxicologyIntervalDays ?? settings.monitoring.toxicologyIntervalDays,
    episode: episodeFactsFrom(person.episode, settings.timeZone),
    retitrationLocked: person.missed.retitrationLocked,
    doses: doseFactsFrom(doses, from),
    prescription: versionInForce(person.prescriptions, now)?.content ?? null,
    noFixedAbode: r.noFixedAbode || r.address === null,
    childrenInHousehold: r.childrenInHousehold.count,
    assessments,
    toxicology: of<ToxicologyRecordData>('toxicology'),
  });
  const covers = supplyCovers(supplies, returns);
  return { evaluation, assessments, supplies, returns, covers, covered: allCoveredSessions(covers, settings.sessions, settings.timeZone) };
}

/** The sessions a person's take-home supplies cover (for the dosing room's rule). */
export async function personTakeHomeCover(orm: Orm, clinicId: string, serviceUserId: string, settings: Pick<ClinicSettings, 'sessions' | 'timeZone'>): Promise<CoveredSession[]> {
  return takeHomeCoverFrom(await personCareRecords(orm, clinicId, serviceUserId, ['take_home_supply', 'take_home_return']), settings);
}

/** The sessions covered, from a person's current care records (records of other kinds are ignored). */
export function takeHomeCoverFrom(records: readonly CareRecord[], settings: Pick<ClinicSettings, 'sessions' | 'timeZone'>): CoveredSession[] {
  const supplies = records.filter((r) => r.kind === 'take_home_supply') as CareRecord<TakeHomeSupply>[];
  if (supplies.length === 0) return [];
  const returns = records.filter((r) => r.kind === 'take_home_return') as CareRecord<TakeHomeReturn>[];
  return allCoveredSessions(supplyCovers(supplies, returns), settings.sessions, settings.timeZone);
}

/** How far back a supply can reach to cover a date: it starts at most a day after it is made and lasts at most 14 days. */
const SUPPLY_REACH_DAYS = 16;

/** Who at the clinic holds take-home doses for a session (they are not expected there). */
export async function takeHomeCoveredAt(orm: Orm, clinicId: string, settings: Pick<ClinicSettings, 'sessions' | 'timeZone'>, clinicDate: string, sessionCode: string): Promise<Set<string>> {
  const from = Temporal.PlainDate.from(clinicDate).subtract({ days: SUPPLY_REACH_DAYS }).toString();
  const records = await clinicCareRecords(orm, clinicId, ['take_home_supply', 'take_home_return'], { from });
  const supplies = records.filter((r) => r.kind === 'take_home_supply' && r.effectiveDate <= clinicDate) as CareRecord<TakeHomeSupply>[];
  const out = new Set<string>();
  if (supplies.length === 0) return out;
  const returns = records.filter((r) => r.kind === 'take_home_return') as CareRecord<TakeHomeReturn>[];
  for (const [i, cover] of supplyCovers(supplies, returns).entries()) {
    if (cover.fromDate > clinicDate || cover.toDate < clinicDate || !cover.sessions.includes(sessionCode)) continue;
    if (allCoveredSessions([cover], settings.sessions, settings.timeZone).some((c) => c.clinicDate === clinicDate && c.session === sessionCode)) out.add(supplies[i]!.serviceUserId);
  }
  return out;
}

/**
 * The dose facts the monitoring rules cannot see on their own (PersonInCare has no dose history):
 * a caller building PersonInCare may attach this as `takeHomeFacts` (see domain/take-home/rules.ts).
 */
export async function takeHomeCareFacts(orm: Orm, clinicId: string, serviceUserId: string, stored: StoredEpisode | null, settings: ClinicSettings, today: string, retitrationLocked: boolean): Promise<TakeHomeCareFacts> {
  const assessments = (await personCareRecords<StabilityAssessment>(orm, clinicId, serviceUserId, ['stability_assessment']));
  const from = takeHomeDosesFrom(assessments, settings, today);
  return takeHomeCareFactsFrom(await personDoses(orm, clinicId, serviceUserId, from), from, stored, settings, retitrationLocked);
}

/** The first clinic date whose doses takeHomeCareFacts needs, from a person's current care records (other kinds are ignored). */
export function takeHomeDosesFrom(records: readonly CareRecord[], settings: ClinicSettings, today: string): string {
  const latest = latestAssessment(records.filter((r) => r.kind === 'stability_assessment') as CareRecord<StabilityAssessment>[]);
  return doseFactsNeededFrom(today, settings.takeHome, latest?.data.authorised ? latest.effectiveDate : null);
}

/** takeHomeCareFacts from what was read: the person's doses from `from` on (takeHomeDosesFrom), in personDoses' order. */
export function takeHomeCareFactsFrom(
  personDosesFrom: readonly { dose: { clinicDate: string; sessionCode: string; kind: string }; events: DoseEvent[] }[],
  from: string,
  stored: StoredEpisode | null,
  settings: ClinicSettings,
  retitrationLocked: boolean,
): TakeHomeCareFacts {
  const doses = personDosesFrom.map(({ dose, events }) => ({ clinicDate: dose.clinicDate, sessionCode: dose.sessionCode, kind: dose.kind, events }));
  const episode = episodeFactsFrom(stored, settings.timeZone);
  return { doses: doseFactsFrom(doses, from), retitrationLocked, episode: { retitrationRequired: episode.retitrationRequired, reviewRequired: episode.reviewRequired, absenceStartedOn: episode.absenceStartedOn } };
}
