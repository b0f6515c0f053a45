import type { Refusal } from '../refusal';
import { refuse } from '../refusal';
import type { DosingSettings } from './dosing-settings';

/**
 * The pre-dose assessment and the system's decision from it. The decision is the most the
 * findings allow: the nurse may always refuse or reduce further, never go above it.
 *
 * Pasero Opioid-induced Sedation Scale: S asleep, easy to rouse; 1 awake and alert; 2 slightly
 * drowsy, easily roused (both acceptable); 3 frequently drowsy, drifts off mid-conversation
 * (unacceptable); 4 minimal or no response (emergency).
 */
export type SedationScore = 'S' | 1 | 2 | 3 | 4;

export interface AssessmentFindings {
  identityConfirmed: boolean;
  sedation: SedationScore;
  respiratoryRate: number | null;
  /** Clinical Opiate Withdrawal Scale, 0–48, if scored. */
  withdrawalScore: number | null;
  signsOfIntoxication: boolean;
  recentSedativeUse: boolean;
  /** mg/L of breath, already converted; null when not taken. */
  breathAlcoholMgPerL: number | null;
  /** Whether a breath test is required for this person (flagged for alcohol). */
  breathTestRequired: boolean;
}

export type AssessmentOutcome = 'give' | 'give_reduced' | 'refuse' | 'rescore' | 'emergency';

export interface AssessmentDecision {
  outcome: AssessmentOutcome;
  /** For give_reduced: the fraction of the planned dose that may be given. */
  fraction: number;
  reasons: Refusal[];
}

const SEVERITY: Record<AssessmentOutcome, number> = { give: 0, give_reduced: 1, rescore: 2, refuse: 3, emergency: 4 };

export function decideFromAssessment(f: AssessmentFindings, s: DosingSettings): AssessmentDecision {
  const findings: { outcome: AssessmentOutcome; reason: Refusal }[] = [];
  const add = (outcome: AssessmentOutcome, rule: string, message: string, field?: string) => findings.push({ outcome, reason: refuse(rule, message, field) });

  if (f.sedation === 4) add('emergency', 'sedation_unresponsive', 'Sedation 4 (minimal or no response): start the emergency pathway — airway, naloxone, call an ambulance', 'sedation');
  if (f.respiratoryRate !== null && f.respiratoryRate < s.minimumRespiratoryRate) {
    add('emergency', 'respiratory_depression', `Respiratory rate ${f.respiratoryRate}/min is below ${s.minimumRespiratoryRate}/min: start the emergency pathway`, 'respiratoryRate');
  }
  if (!f.identityConfirmed) add('refuse', 'identity_not_confirmed', 'Identity not confirmed against the photo: no dose', 'identityConfirmed');
  if (f.sedation === 'S') add('rescore', 'sedation_asleep_rescore', 'Asleep (S): rouse them and score sedation again before any decision', 'sedation');
  if (f.sedation === 3) {
    add(
      s.sedationScore3 === 'refuse' ? 'refuse' : 'give_reduced',
      'sedation_too_high',
      `Sedation 3 (frequently drowsy): ${s.sedationScore3 === 'refuse' ? 'no dose' : `at most ${Math.round(s.reducedDoseFraction * 100)} % of the dose`} this session`,
      'sedation',
    );
  }
  if (f.signsOfIntoxication) add('refuse', 'signs_of_intoxication', 'Signs of intoxication: no dose', 'signsOfIntoxication');
  if (f.recentSedativeUse) {
    add('give_reduced', 'recent_sedative_use', `Recent benzodiazepines, gabapentinoids or street tablets: at most ${Math.round(s.reducedDoseFraction * 100)} % of the dose`, 'recentSedativeUse');
  }
  if (f.breathTestRequired && f.breathAlcoholMgPerL === null) {
    add('refuse', 'breath_test_required', 'A breath test is required before every dose for this person', 'breathAlcohol');
  }
  if (f.breathAlcoholMgPerL !== null) {
    if (f.breathAlcoholMgPerL >= s.breathAlcoholRefuseMgPerL) {
      add('refuse', 'breath_alcohol_too_high', `Breath alcohol ${f.breathAlcoholMgPerL} mg/L is at or above the clinic's refusal threshold of ${s.breathAlcoholRefuseMgPerL} mg/L: no dose`, 'breathAlcohol');
    } else if (f.breathAlcoholMgPerL >= s.breathAlcoholReduceMgPerL) {
      add('give_reduced', 'breath_alcohol_reduce', `Breath alcohol ${f.breathAlcoholMgPerL} mg/L is at or above ${s.breathAlcoholReduceMgPerL} mg/L: at most ${Math.round(s.reducedDoseFraction * 100)} % of the dose`, 'breathAlcohol');
    }
  }
  if (findings.length === 0) return { outcome: 'give', fraction: 1, reasons: [] };
  const worst = findings.reduce((a, b) => (SEVERITY[b.outcome] > SEVERITY[a.outcome] ? b : a)).outcome;
  return {
    outcome: worst,
    fraction: worst === 'give_reduced' ? s.reducedDoseFraction : worst === 'give' ? 1 : 0,
    reasons: findings.map((x) => x.reason),
  };
}

/** A nurse may make the decision stricter, never looser. */
export function nurseMayChoose(system: AssessmentOutcome, chosen: AssessmentOutcome): boolean {
  if (system === 'emergency') return chosen === 'emergency';
  if (system === 'rescore') return chosen === 'rescore' || chosen === 'refuse' || chosen === 'emergency';
  return SEVERITY[chosen] >= SEVERITY[system];
}
