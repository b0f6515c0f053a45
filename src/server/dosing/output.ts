import type { Temporal } from 'temporal-polyfill';
import { checkDose } from '../../domain/dosing/dose-rules';
import { summariseDose, type DoseEvent } from '../../domain/dosing/dose-record';
import { observationMinutes } from '../../domain/dosing/session-rules';
import { versionInForce } from '../../domain/prescription/versions';
import type { DoseRow, ExceptionRow } from '../../store/dosing';
import type { PersonState } from '../clinical/person';
import { doseContext } from './dose-context';

export interface SessionTimes {
  code: string;
  clinicDate: string;
  opens: Temporal.Instant;
  closes: Temporal.Instant;
}

/** The dose as the screen needs it: stage, amounts, what may be given now (or why not). */
export function doseOut(dose: DoseRow, events: DoseEvent[], person: PersonState, session: SessionTimes, now: Temporal.Instant, exceptions: ExceptionRow[]) {
  const s = summariseDose(events);
  const lastAssessed = [...events].reverse().find((e) => e.type === 'assessed');
  const rx = versionInForce(person.prescriptions, now)?.content;
  const route = s.route ?? (rx?.diamorphine.ivDoseMg != null ? 'iv' : 'im');
  const preview = checkDose({ kind: dose.kind as 'dose' | 'top_up', route, mg: 1 }, doseContext(person, session, now, exceptions, events));
  const stillOpen = s.stage === 'assessed';
  return {
    doseId: dose.doseId,
    serviceUserId: dose.serviceUserId,
    clinicDate: dose.clinicDate,
    sessionCode: dose.sessionCode,
    kind: dose.kind as 'dose' | 'top_up',
    stage: s.stage,
    route: s.route,
    preparedMg: s.preparedMg,
    givenMg: s.givenMg,
    givenAt: s.givenAt?.toString() ?? null,
    observeUntil: s.givenAt && s.route ? s.givenAt.add({ minutes: observationMinutes(s.route, person.settings.dosing) }).toString() : null,
    events: events as unknown as Record<string, unknown>[],
    decision: lastAssessed && lastAssessed.type === 'assessed' ? { outcome: lastAssessed.chosen, fraction: lastAssessed.decision.fraction, reasons: lastAssessed.decision.reasons } : null,
    allowance: stillOpen && preview.ok ? preview.value : null,
    refusals: stillOpen && !preview.ok ? preview.refusals.map(({ rule, message }) => ({ rule, message })) : [],
    emergency: events.some((e) => (e.type === 'assessed' && e.chosen === 'emergency') || (e.type === 'observed' && (e.sedation === 4 || e.adverseEvents.includes('overdose')))),
  };
}
