import type { Observation } from '@medplum/fhirtypes';
import type { CareRecord } from '../care/care-record';
import type { BreathTestRecordData } from '../care/breath-tests';
import type { ToxicologyRecordData } from '../care/toxicology';
import type { Ecg } from '../care/heart-safety';
import type { SedationScore } from '../dosing/assessment';
import { HEART_RATE_LOINC, LOINC, OBSERVATION_CATEGORY, QTC_LOINC, UCUM } from './codes';
import type { DoseForFhir } from './medication-administration';

/**
 * Observations: breath alcohol (mg/L of breath), sedation (Pasero Opioid-induced Sedation Scale)
 * at assessments, observation and discharge, toxicology (one per substance), and the ECG's QTc.
 * The ECG's QTc and heart rate carry LOINC codes; no code was verified for breath alcohol, the
 * Pasero scale or the toxicology substances, so those are text only (docs/fhir.md). The category
 * uses the FHIR R4 observation-category codes.
 */

const category = (code: 'laboratory' | 'exam' | 'procedure', display: string) => [{ coding: [{ system: OBSERVATION_CATEGORY, code, display }] }];
const subject = (serviceUserId: string) => ({ reference: `Patient/${serviceUserId}` });
const performer = (by: string | null) => (by ? { performer: [{ reference: `Practitioner/${by}` }] } : {});

export const PASERO: Record<string, string> = {
  S: 'S: sleep, easy to arouse',
  '1': '1: awake and alert',
  '2': '2: slightly drowsy, easily aroused',
  '3': '3: frequently drowsy, arousable, drifts off to sleep during conversation',
  '4': '4: somnolent, minimal or no response to verbal and physical stimulation',
};

function sedation(id: string, serviceUserId: string, score: SedationScore, at: string, by: string | null, when: string): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: category('exam', 'Exam'),
    code: { text: 'Sedation score (Pasero Opioid-induced Sedation Scale)' },
    subject: subject(serviceUserId),
    effectiveDateTime: at,
    ...performer(by),
    valueCodeableConcept: { text: PASERO[String(score)] ?? String(score) },
    note: [{ text: when }],
  };
}

function breathAlcohol(id: string, serviceUserId: string, mgPerL: number, at: string | undefined, date: string, by: string | null, note: string): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: category('exam', 'Exam'),
    code: { text: 'Breath alcohol concentration' },
    subject: subject(serviceUserId),
    ...(at ? { effectiveDateTime: at } : { effectiveDateTime: date }),
    ...performer(by),
    valueQuantity: { value: mgPerL, unit: 'mg/L', system: UCUM, code: 'mg/L' },
    note: [{ text: note }],
  };
}

/** Observations made at the hatch for a dose: sedation at each assessment, observation and discharge; a breath reading typed in at an assessment. */
export function doseObservations(d: DoseForFhir): Observation[] {
  const out: Observation[] = [];
  const when = `${d.kind === 'top_up' ? 'top-up' : 'dose'}, ${d.sessionCode} session on ${d.clinicDate}`;
  d.events.forEach((e, i) => {
    if (e.type === 'assessed') {
      out.push(sedation(`${d.doseId}.sed.${i}`, d.serviceUserId, e.findings.sedation, e.at, e.by, `Pre-dose assessment (${when})`));
      // A reading that came from a breath-test record is that record's Observation; only a typed-in one is new.
      if (e.findings.breathAlcoholMgPerL !== null && !e.breathTest) {
        out.push(breathAlcohol(`${d.doseId}.bac.${i}`, d.serviceUserId, e.findings.breathAlcoholMgPerL, e.at, d.clinicDate, e.by, `At the pre-dose assessment (${when})`));
      }
    } else if (e.type === 'observed') {
      out.push(sedation(`${d.doseId}.sed.${i}`, d.serviceUserId, e.sedation, e.at, e.by, `Observation after the dose (${when})`));
    } else if (e.type === 'discharged') {
      out.push(sedation(`${d.doseId}.sed.${i}`, d.serviceUserId, e.sedation, e.at, e.by, `At discharge (${when})`));
    }
  });
  return out;
}

export function breathTestObservation(r: CareRecord<BreathTestRecordData>): Observation {
  return breathAlcohol(`${r.recordId}.bac`, r.serviceUserId, r.data.mgPerL, r.occurredAt ?? undefined, r.effectiveDate, r.recordedBy, `Breath test (${r.data.reason.replace('_', ' ')}); meter showed ${r.data.reading.value} ${r.data.reading.unit}`);
}

/** One Observation per substance of a sample taken; a sample refused or not possible, or awaiting results, gives none. */
export function toxicologyObservations(r: CareRecord<ToxicologyRecordData>): Observation[] {
  if (r.data.outcome !== 'taken') return [];
  return r.data.results.map((res, i) => ({
    resourceType: 'Observation' as const,
    id: `${r.recordId}.tox.${i}`,
    status: r.version > 1 ? ('amended' as const) : ('final' as const),
    category: category('laboratory', 'Laboratory'),
    code: { text: `${res.substance} [${r.data.sampleType?.replace('_', ' ')}, ${r.data.method?.replace(/_/g, ' ')}]` },
    subject: subject(r.serviceUserId),
    effectiveDateTime: r.occurredAt ?? r.effectiveDate,
    ...performer(r.recordedBy),
    ...(res.result === 'level'
      ? { valueQuantity: { value: res.level!, unit: res.unit! } }
      : { valueCodeableConcept: { text: res.result === 'positive' ? 'Positive' : 'Negative' } }),
    specimen: { display: r.data.sampleType ?? 'sample' },
  }));
}

export function ecgObservation(r: CareRecord<Ecg>): Observation {
  return {
    resourceType: 'Observation',
    id: `${r.recordId}.ecg`,
    status: r.version > 1 ? 'amended' : 'final',
    category: category('procedure', 'Procedure'),
    code: {
      coding: [{ system: LOINC, ...QTC_LOINC[r.data.correction] }],
      text: `QTc interval (ECG), ${r.data.correction === 'machine' ? 'machine-corrected' : r.data.correction === 'unknown' ? 'correction not known' : r.data.correction + ' correction'}`,
    },
    subject: subject(r.serviceUserId),
    effectiveDateTime: r.occurredAt ?? r.effectiveDate,
    ...performer(r.recordedBy),
    valueQuantity: { value: r.data.qtcMs, unit: 'ms', system: UCUM, code: 'ms' },
    ...(r.data.heartRateBpm !== null ? { component: [{ code: { coding: [{ system: LOINC, ...HEART_RATE_LOINC }], text: 'Heart rate' }, valueQuantity: { value: r.data.heartRateBpm, unit: '/min', system: UCUM, code: '/min' } }] } : {}),
  };
}

/** What an Observation id points at: a dose event, or a care record. */
export function parseObservationId(id: string): { source: 'dose' | 'breath_test' | 'toxicology' | 'ecg'; key: string } | null {
  const m = /^([0-9a-f-]{36})\.(sed\.\d+|bac\.\d+|bac|tox\.\d+|ecg)$/.exec(id);
  if (!m) return null;
  const kind = m[2]!;
  if (kind.startsWith('sed.') || /^bac\.\d+$/.test(kind)) return { source: 'dose', key: m[1]! };
  if (kind === 'bac') return { source: 'breath_test', key: m[1]! };
  if (kind.startsWith('tox.')) return { source: 'toxicology', key: m[1]! };
  return { source: 'ecg', key: m[1]! };
}
