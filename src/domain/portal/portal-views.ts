import { Temporal } from 'temporal-polyfill';
import type { DosingSession } from '../clinic/clinic-settings';
import type { DoseStage } from '../dosing/session-rules';
import type { PrescriptionContent } from '../prescription/prescription';
import { mayBeDosedUnder } from '../prescription/versions';
import { sessionWindow } from '../time/clinic-time';

/**
 * What the portal shows a service user about themselves, worked out from their own records only.
 * Plain facts and codes; the words are the portal screen's. Nothing here names staff.
 */

// ---------------------------------------------------------------------------------------------
// Dose times today and tomorrow

export type PortalSessionStatus = 'given' | 'open_now' | 'later' | 'closed';

export interface PortalSessionTime {
  date: string;
  sessionCode: string;
  label: string;
  /** Wall-clock times at the clinic, HH:MM. */
  opens: string;
  closes: string;
  status: PortalSessionStatus;
}

/** Why a day has no dose times: said plainly on the screen ("talk to the team"). */
export type NoDoseReason = 'not_in_treatment' | 'away' | 'no_prescription' | 'paused' | 'stopped' | 'not_started' | 'ended';

export interface PortalDay {
  date: string;
  sessions: PortalSessionTime[];
  noDoses: NoDoseReason | null;
}

export interface DoseTimesInput {
  /** Today at the clinic, YYYY-MM-DD. */
  today: string;
  now: Temporal.Instant;
  timeZone: string;
  /** The clinic's sessions, in time order (settings.sessions). */
  clinicSessions: readonly DosingSession[];
  /** The prescription in force now, or null. */
  prescription: PrescriptionContent | null;
  inTreatment: boolean;
  absent: boolean;
  /** `${clinicDate} ${sessionCode}` of the sessions in which a dose was given. */
  given: ReadonlySet<string>;
}

const RULE_TO_REASON: Record<string, NoDoseReason> = {
  no_prescription: 'no_prescription',
  prescription_suspended: 'paused',
  prescription_stopped: 'stopped',
  prescription_not_started: 'not_started',
  prescription_expired: 'ended',
};

function noDoseReason(input: DoseTimesInput, date: string): NoDoseReason | null {
  if (!input.inTreatment) return 'not_in_treatment';
  if (input.absent) return 'away';
  const decision = mayBeDosedUnder(input.prescription, date);
  if (decision.ok) return null;
  return RULE_TO_REASON[decision.refusals[0]!.rule] ?? 'no_prescription';
}

/** The sessions of the person's prescription today and tomorrow, with their windows and where today's stand. */
export function portalDoseTimes(input: DoseTimesInput): { days: PortalDay[]; next: PortalSessionTime | null } {
  const today = Temporal.PlainDate.from(input.today);
  const days: PortalDay[] = [];
  for (const date of [today, today.add({ days: 1 })]) {
    const iso = date.toString();
    const reason = noDoseReason(input, iso);
    if (reason) {
      days.push({ date: iso, sessions: [], noDoses: reason });
      continue;
    }
    const prescribed = new Set(input.prescription!.diamorphine.sessions);
    const sessions = input.clinicSessions
      .filter((s) => prescribed.has(s.code))
      .map((s): PortalSessionTime => {
        const window = sessionWindow(date, s, input.timeZone);
        let status: PortalSessionStatus;
        if (input.given.has(`${iso} ${s.code}`)) status = 'given';
        else if (Temporal.Instant.compare(input.now, window.opens) < 0) status = 'later';
        else if (Temporal.Instant.compare(input.now, window.closes) < 0) status = 'open_now';
        else status = 'closed';
        return { date: iso, sessionCode: s.code, label: s.label, opens: s.start, closes: s.end, status };
      });
    days.push({ date: iso, sessions, noDoses: null });
  }
  const next = days.flatMap((d) => d.sessions).find((s) => s.status === 'open_now' || s.status === 'later') ?? null;
  return { days, next };
}

// ---------------------------------------------------------------------------------------------
// Dose history

export type PortalDoseOutcome = 'given' | 'not_given' | 'missed' | 'in_progress';

/** A dose as the person is told it: given, not given (refused or withheld at the hatch), missed, or still going on. */
export function portalDoseOutcome(stage: DoseStage, givenMg: number): PortalDoseOutcome {
  if (givenMg > 0) return 'given';
  switch (stage) {
    case 'missed':
      return 'missed';
    case 'refused':
    case 'withheld':
    case 'prepared_not_given':
      return 'not_given';
    case 'given':
    case 'in_observation':
    case 'discharged':
    case 'assessed':
    case 'prepared':
      return 'in_progress';
  }
}

/** The first clinic date of a history of `days` days ending today (today counts as one). */
export function historyFrom(today: string, days: number): string {
  return Temporal.PlainDate.from(today).subtract({ days: days - 1 }).toString();
}

// ---------------------------------------------------------------------------------------------
// Appointments

export type PortalAppointmentKind = 'prescriber_review' | 'keywork' | 'drug_test';

export interface PortalAppointment {
  kind: PortalAppointmentKind;
  /** The clinic date it falls due (may be before today if overdue). */
  on: string;
  /** Due today or overdue: the screen says "now" rather than a past date. */
  dueNow: boolean;
}

/** The person's next appointments, soonest first; any that is not known is left out. */
export function portalAppointments(f: { today: string; reviewOn: string | null; keyworkOn: string | null; drugTestOn: string | null }): PortalAppointment[] {
  const out: PortalAppointment[] = [];
  const add = (kind: PortalAppointmentKind, on: string | null) => {
    if (on !== null) out.push({ kind, on, dueNow: on <= f.today });
  };
  add('prescriber_review', f.reviewOn);
  add('keywork', f.keyworkOn);
  add('drug_test', f.drugTestOn);
  return out.sort((a, b) => a.on.localeCompare(b.on) || a.kind.localeCompare(b.kind));
}

/**
 * The next key-work session: the one the latest session (by date) planned, if it is today or
 * later. An older plan that has passed is not shown: the keyworker will arrange the next one.
 */
export function nextKeyworkOn(sessions: readonly { effectiveDate: string; data: { nextSessionOn?: string | null } }[], today: string): string | null {
  const latest = [...sessions].sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate)).at(-1);
  const next = latest?.data.nextSessionOn ?? null;
  return next !== null && next >= today ? next : null;
}
