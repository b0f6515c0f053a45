import { Temporal } from 'temporal-polyfill';
import type { Refusal } from '../refusal';
import type { Route } from '../prescription/prescription';
import type { AssessmentDecision, AssessmentFindings, AssessmentOutcome, SedationScore } from './assessment';
import type { DoseHistoryItem, DoseStatus } from './dose-history';
import type { DoseStage } from './session-rules';

/**
 * One person's dose (or top-up) in one session, as the events that really happen at the hatch:
 * assessment, refusal, preparation, administration, observation, discharge. Each step is its
 * own event, written in its own transaction; the dose's stage is the fold of its events.
 */
interface Stamp {
  /** When it happened. */
  at: string;
  by: string | null;
  /** Entered afterwards (e.g. from the downtime pack after an IT failure); `at` is when it happened. */
  late?: boolean;
}

export type AdverseEvent = 'overdose' | 'naloxone_given' | 'ambulance_called' | 'injection_site_problem' | 'other';

export type DoseEvent = Stamp &
  (
    | {
        type: 'assessed';
        findings: AssessmentFindings;
        decision: AssessmentDecision;
        chosen: AssessmentOutcome;
        notes: string | null;
        /** The breath test (a care record) whose reading stood in for one at this assessment; absent when typed in or none. */
        breathTest?: { recordId: string; at: string; mgPerL: number };
      }
    | { type: 'refused'; reasons: Refusal[]; offeredToStay: boolean; naloxoneChecked: boolean; adviceGiven: boolean; reassessAt: string | null }
    | {
        type: 'prepared';
        witnessId: string;
        route: Route;
        doseMg: number;
        ampoules: { itemId: string; strengthMg: number; count: number }[];
        reconstitutionMl: number;
        concentrationMgPerMl: number;
        drawMl: number;
        wasteMg: number;
      }
    | {
        type: 'administered';
        witnessId: string;
        route: Route;
        sites: string[];
        attempts: number;
        givenMg: number;
        switchedToIm: boolean;
        notGivenMg: number;
      }
    | { type: 'not_given'; reason: string }
    | { type: 'observed'; sedation: SedationScore; respiratoryRate: number | null; spo2: number | null; adverseEvents: AdverseEvent[]; naloxoneMg: number | null; notes: string | null }
    | { type: 'discharged'; sedation: SedationScore; leftAgainstAdvice: boolean }
    | { type: 'missed' }
  );

export interface DoseSummary {
  stage: DoseStage;
  route: Route | null;
  preparedMg: number;
  givenMg: number;
  givenAt: Temporal.Instant | null;
  lastAssessment: { outcome: AssessmentOutcome; fraction: number; at: Temporal.Instant } | null;
  lastRefusalAt: Temporal.Instant | null;
  lastSedation: SedationScore | null;
}

export function summariseDose(events: readonly DoseEvent[]): DoseSummary {
  const s: DoseSummary = { stage: 'assessed', route: null, preparedMg: 0, givenMg: 0, givenAt: null, lastAssessment: null, lastRefusalAt: null, lastSedation: null };
  for (const e of events) {
    const at = Temporal.Instant.from(e.at);
    switch (e.type) {
      case 'assessed':
        s.lastAssessment = { outcome: e.chosen, fraction: e.chosen === 'give_reduced' ? e.decision.fraction : e.chosen === 'give' ? 1 : 0, at };
        s.lastSedation = e.findings.sedation;
        // A new assessment after a refusal; or a late entry showing that someone recorded as
        // missed (when the session ended with nothing entered) did in fact attend.
        if (s.stage === 'refused' || s.stage === 'withheld' || s.stage === 'missed') s.stage = 'assessed';
        break;
      case 'refused':
        s.stage = 'refused';
        s.lastRefusalAt = at;
        break;
      case 'prepared':
        s.stage = 'prepared';
        s.route = e.route;
        s.preparedMg = e.doseMg;
        break;
      case 'administered':
        s.stage = e.givenMg > 0 ? 'in_observation' : 'prepared_not_given';
        s.route = e.route;
        s.givenMg = e.givenMg;
        s.givenAt = at;
        break;
      case 'not_given':
        s.stage = 'prepared_not_given';
        break;
      case 'observed':
        s.lastSedation = e.sedation;
        break;
      case 'discharged':
        s.stage = 'discharged';
        s.lastSedation = e.sedation;
        break;
      case 'missed':
        s.stage = 'missed';
        break;
    }
  }
  return s;
}

/** The dose as the safety rules see it: what was given, when. */
export function toHistoryItem(d: { session: string; clinicDate: string; kind: 'dose' | 'top_up' }, events: readonly DoseEvent[]): DoseHistoryItem | null {
  const s = summariseDose(events);
  const last = events.at(-1);
  if (!last) return null;
  let status: DoseStatus;
  switch (s.stage) {
    case 'in_observation':
    case 'given':
    case 'discharged':
      status = s.givenMg < s.preparedMg ? 'partially_given' : 'given';
      break;
    case 'prepared':
    case 'prepared_not_given':
      status = 'prepared_not_given';
      break;
    case 'refused':
      status = 'refused';
      break;
    case 'missed':
      status = 'missed';
      break;
    default:
      return null; // assessed, nothing more yet
  }
  return { ...d, status, givenMg: s.givenMg, at: s.givenAt ?? Temporal.Instant.from(last.at) };
}
