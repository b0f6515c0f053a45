import { Temporal } from 'temporal-polyfill';
import type { CareRecord } from '../../domain/care/care-record';
import type { OutcomeProfile } from '../../domain/care/outcome-profile';
import type { ToxicologyRecordData } from '../../domain/care/toxicology';
import type { EpisodeMilestones } from '../../domain/exports/research';
import type { ServiceUserRecord } from '../../domain/service-user/record';
import { toHistoryItem } from '../../domain/dosing/dose-record';
import type { DoseStatus } from '../../domain/dosing/dose-history';
import { clinicDate } from '../../domain/time/clinic-time';
import { clinicCareRecords } from '../../store/care-records';
import { clinicDoses } from '../../store/dosing';
import { personEpisodes } from '../../store/episodes';
import { listServiceUsers } from '../../store/service-users';
import type { Orm } from '../../store/database';

/** One episode of one person, in clinic dates, with the records the exports read. */
export interface EpisodeFacts extends EpisodeMilestones {
  serviceUserId: string;
  episodeId: string;
  record: ServiceUserRecord;
  outcomeProfiles: { date: string; profile: OutcomeProfile }[];
  toxicology: CareRecord<ToxicologyRecordData>[];
  doses: { clinicDate: string; kind: 'dose' | 'top_up'; status: DoseStatus }[];
}

/**
 * Every episode at the clinic (a person may have had several), with the TOPs, toxicology and doses
 * dated within it. `doseDates` limits the doses read (they are the bulk of the data).
 */
export async function episodeFacts(orm: Orm, clinicId: string, timeZone: string, doseDates: { from: string; to: string } | null): Promise<EpisodeFacts[]> {
  const day = (at: string) => clinicDate(Temporal.Instant.from(at), timeZone).toString();
  const people = await listServiceUsers(orm, clinicId);
  const tops = await clinicCareRecords<OutcomeProfile>(orm, clinicId, ['outcome_profile']);
  const tox = await clinicCareRecords<ToxicologyRecordData>(orm, clinicId, ['toxicology']);
  const doses = doseDates ? await clinicDoses(orm, clinicId, doseDates.from, doseDates.to) : [];
  const facts: EpisodeFacts[] = [];
  for (const person of people) {
    for (const stored of await personEpisodes(orm, clinicId, person.serviceUserId)) {
      const first = <T extends (typeof stored.events)[number]['type']>(type: T) => stored.events.find((e) => e.type === type) as Extract<(typeof stored.events)[number], { type: T }> | undefined;
      const referred = first('referred');
      const decided = [...stored.events].reverse().find((e) => e.type === 'eligibility_decided') as Extract<(typeof stored.events)[number], { type: 'eligibility_decided' }> | undefined;
      const discharged = first('discharged');
      const referredOn = day(referred?.at ?? stored.openedAt.toISOString());
      const dischargedOn = discharged ? day(discharged.at) : null;
      const endedOn = dischargedOn ?? (decided && !decided.eligible ? day(decided.at) : null);
      const within = (d: string) => d >= referredOn && (endedOn === null || d <= endedOn);
      const mine = <D>(rs: CareRecord<D>[]) => rs.filter((r) => r.serviceUserId === person.serviceUserId && within(r.effectiveDate));
      const assessment = first('assessment_started');
      const induction = first('induction_started');
      facts.push({
        serviceUserId: person.serviceUserId,
        episodeId: stored.episodeId,
        record: person.record,
        referredOn,
        triagedOn: assessment ? day(assessment.at) : null,
        eligibilityDecidedOn: decided ? day(decided.at) : null,
        eligible: decided ? decided.eligible : null,
        treatmentStartedOn: induction ? day(induction.at) : null,
        dischargedOn,
        dischargeReason: discharged?.reason ?? null,
        outcomeProfiles: mine(tops).map((r) => ({ date: r.effectiveDate, profile: r.data })),
        toxicology: mine(tox),
        doses: doses
          .filter(({ dose }) => dose.serviceUserId === person.serviceUserId && within(dose.clinicDate))
          .flatMap(({ dose, events }) => {
            const h = toHistoryItem({ session: dose.sessionCode, clinicDate: dose.clinicDate, kind: dose.kind as 'dose' | 'top_up' }, events);
            return h ? [{ clinicDate: dose.clinicDate, kind: h.kind, status: h.status }] : [];
          }),
      });
    }
  }
  return facts;
}
