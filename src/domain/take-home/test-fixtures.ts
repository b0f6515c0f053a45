import { Temporal } from 'temporal-polyfill';
import type { CareRecord } from '../care/care-record';
import type { ToxicologyRecordData } from '../care/toxicology';
import type { PrescriptionContent } from '../prescription/prescription';
import { DEFAULT_TAKE_HOME_SETTINGS, type TakeHomeSettings } from './take-home-settings';
import type { TakeHomeInput } from './eligibility';
import type { StabilityAssessment } from './records';

/** Test data for the take-home rules (used by the unit tests only). */

export const MARKERS = ['acetylcodeine', 'papaverine', 'noscapine'];

export const addDays = (d: string, n: number) => Temporal.PlainDate.from(d).add({ days: n }).toString();

let seq = 0;
export function careRecord<D>(kind: CareRecord['kind'], effectiveDate: string, data: D): CareRecord<D> {
  seq++;
  return {
    recordId: `00000000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    version: 1,
    serviceUserId: 'su',
    kind,
    effectiveDate,
    occurredAt: null,
    data,
    enteredInError: false,
    reason: null,
    source: 'staff',
    importId: null,
    recordedAt: `${effectiveDate}T12:00:00.000Z`,
    recordedBy: 'staff',
  };
}

export const assessment = (effectiveDate: string, over: Partial<StabilityAssessment> = {}) =>
  careRecord<StabilityAssessment>('stability_assessment', effectiveDate, {
    lockableBox: true,
    childrenConsidered: true,
    childrenNote: 'No children live at or visit the flat',
    safeStorageAdviceGiven: true,
    authorised: true,
    maxDaysPerSupply: 7,
    notes: null,
    ...over,
  });

export const toxicology = (effectiveDate: string, heroin: 'negative' | 'positive' | 'refused' | 'pending' | 'no_markers' = 'negative') =>
  careRecord<ToxicologyRecordData>('toxicology', effectiveDate, {
    outcome: heroin === 'refused' ? 'refused' : 'taken',
    reasonNotTaken: heroin === 'refused' ? 'declined' : null,
    sampleType: heroin === 'refused' ? null : 'urine',
    method: heroin === 'refused' ? null : 'point_of_care',
    results:
      heroin === 'refused' || heroin === 'pending'
        ? []
        : heroin === 'no_markers'
          ? [{ substance: 'cocaine', result: 'negative', level: null, unit: null }]
          : [
              { substance: '6-MAM', result: 'positive', level: null, unit: null },
              { substance: 'papaverine', result: heroin === 'positive' ? 'positive' : 'negative', level: null, unit: null },
              { substance: 'acetylcodeine', result: 'negative', level: null, unit: null },
            ],
    notes: null,
  });

export function prescription(over: Partial<PrescriptionContent['diamorphine']> = {}, rx: Partial<PrescriptionContent> = {}): PrescriptionContent {
  return {
    status: 'active',
    diamorphine: { sessions: ['AM', 'PM'], ivDoseMg: 200, imDoseMg: 150, titration: null, topUp: null, retitrationStartDoseMg: 30, ...over },
    methadone: null,
    startDate: '2025-01-01',
    endDate: null,
    reviewDate: '2027-12-31',
    ...rx,
  };
}

export function takeHomeSettings(over: Partial<TakeHomeSettings['criteria']> = {}, enabled = true, maxDaysPerSupply = 7): TakeHomeSettings {
  return { enabled, maxDaysPerSupply, criteria: { ...DEFAULT_TAKE_HOME_SETTINGS.criteria, ...over } };
}

/** Someone who meets every criterion today: weekly negative samples, no refusals or missed doses, assessed and authorised a week ago. */
export function stablePerson(today: string, settings: TakeHomeSettings = takeHomeSettings()): TakeHomeInput {
  const weeks = settings.criteria.streetHeroinNegativeWeeks;
  const samples = Array.from({ length: weeks + 1 }, (_, j) => toxicology(addDays(today, -7 * j)));
  return {
    today,
    settings,
    streetHeroinMarkers: MARKERS,
    toxicologyIntervalDays: 7,
    episode: { inTreatment: true, treatmentStartedOn: addDays(today, -7 * (settings.criteria.minWeeksInTreatment + 2)), absent: false, retitrationRequired: false, reviewRequired: false, absenceStartedOn: [] },
    retitrationLocked: false,
    doses: { from: addDays(today, -400), refusals: [], missed: [] },
    prescription: prescription(),
    noFixedAbode: false,
    childrenInHousehold: 0,
    assessments: [assessment(addDays(today, -7))],
    toxicology: samples,
  };
}
