import { Temporal } from 'temporal-polyfill';
import { canBeDosed } from '../../domain/episode/episode';
import type { DoseContext } from '../../domain/dosing/dose-rules';
import { summariseDose, type DoseEvent } from '../../domain/dosing/dose-record';
import { versionInForce } from '../../domain/prescription/versions';
import { refuse } from '../../domain/refusal';
import type { ExceptionRow } from '../../store/dosing';
import type { PersonState } from '../clinical/person';
import { takeHomeDoseRefusals } from '../../domain/take-home/cover';

/** Everything the dose rules need about one person at one session, from their locked state. */
export function doseContext(
  person: PersonState,
  session: { code: string; opens: Temporal.Instant; closes: Temporal.Instant; clinicDate: string },
  now: Temporal.Instant,
  exceptions: ExceptionRow[],
  events: readonly DoseEvent[],
): DoseContext {
  const episode = person.episode?.episode ?? null;
  const episodeRefusals = episode
    ? (() => {
        const d = canBeDosed(episode);
        return d.ok ? [] : d.refusals;
      })()
    : [refuse('not_in_treatment', 'This person has no treatment episode')];
  const summary = summariseDose(events);
  const override = exceptions
    .filter((e) => e.kind === 'outside_window' && e.sessionCode === session.code && (e.clinicDate === null || e.clinicDate === session.clinicDate))
    .map((e) => Temporal.Instant.fromEpochMilliseconds(e.validUntil.getTime()))
    .sort(Temporal.Instant.compare)
    .at(-1);
  return {
    now,
    timeZone: person.settings.timeZone,
    clinicDate: session.clinicDate,
    session: { code: session.code, opens: session.opens, closes: session.closes },
    windowOverrideUntil: override ?? null,
    prescription: versionInForce(person.prescriptions, now)?.content ?? null,
    // A session covered by a take-home supply is not dosed at the clinic (issue 8).
    episodeRefusals: [...episodeRefusals, ...takeHomeDoseRefusals(person.takeHomeCovered, session.clinicDate, session.code)],
    limits: person.settings.dosingLimits,
    minimumIntervalMinutes: person.settings.minimumDoseIntervalMinutes,
    history: person.history,
    retitrationLocked: person.missed.retitrationLocked,
    assessment: summary.lastAssessment,
    lastRefusalAt: summary.lastRefusalAt,
  };
}
