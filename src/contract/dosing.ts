import { z } from 'zod';
import { BREATH_ALCOHOL_UNITS } from '../domain/dosing/breath-alcohol';
import { EMERGENCY_ITEMS } from '../domain/dosing/session-rules';
import { Timestamp, Uuid } from './common';
import { Witness } from './cd';

export const SessionParams = z.object({ clinicId: z.string(), sessionId: z.string() });
export const DoseParams = z.object({ clinicId: z.string(), doseId: z.string() });

export const OpenSessionRequest = z.object({
  sessionCode: z.string().max(16),
  date: z.iso.date().optional().describe('Clinic date; today if left out'),
  staffOnDuty: z.array(z.string()).min(1, 'name the staff on duty').max(20),
  cdKeyHolderId: z.string(),
  checklist: z
    .array(z.object({ item: z.enum(EMERGENCY_ITEMS), present: z.boolean(), expiresOn: z.iso.date().nullable().default(null) }))
    .describe('naloxone, oxygen, bag-valve mask, suction, defibrillator: present, with expiry dates where they have one'),
});

export const SessionOut = z
  .object({
    sessionId: Uuid,
    clinicDate: z.string(),
    sessionCode: z.string(),
    windowOpens: Timestamp,
    windowCloses: Timestamp,
    openedAt: Timestamp,
    openedBy: Uuid.nullable(),
    opening: z.record(z.string(), z.unknown()),
    closed: z.object({ closedAt: Timestamp, closedBy: Uuid.nullable(), automatic: z.boolean(), missed: z.number().int() }).nullable(),
    handover: z.array(z.object({ noteId: Uuid, writtenAt: Timestamp, writtenBy: Uuid, note: z.string(), aboutServiceUserId: Uuid.nullable(), fromSessionId: Uuid })),
  })
  .meta({ id: 'DosingSession' });

export const HandoverRequest = z.object({ note: z.string().trim().min(1).max(5000), serviceUserId: z.string().optional() });

export const Findings = z.object({
  identityConfirmed: z.boolean().describe('Checked against the photo'),
  sedation: z.union([z.literal('S'), z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).describe('Pasero Opioid-induced Sedation Scale'),
  respiratoryRate: z.number().int().min(0).max(80).nullable().default(null),
  withdrawalScore: z.number().int().min(0).max(48).nullable().default(null).describe('COWS'),
  signsOfIntoxication: z.boolean(),
  recentSedativeUse: z.boolean().describe('Benzodiazepines, street tablets or gabapentinoids recently'),
});

export const AssessmentRequest = z.object({
  occurredAt: Timestamp.optional().describe('A late entry: when it happened (e.g. during an IT failure). The rules are checked as at that time'),
  serviceUserId: z.string(),
  kind: z.enum(['dose', 'top_up']).default('dose'),
  findings: Findings,
  breathAlcohol: z
    .object({ value: z.number().min(0).max(1000), unit: z.enum(BREATH_ALCOHOL_UNITS).describe('The unit the meter shows; converted to mg/L of breath') })
    .nullable()
    .default(null),
  chosenOutcome: z.enum(['give', 'give_reduced', 'refuse', 'emergency']).optional().describe('Stricter than the system\'s decision if the nurse judges so; never looser'),
  notes: z.string().max(2000).optional(),
  afterRefusal: z
    .object({ offeredToStay: z.boolean(), naloxoneChecked: z.boolean(), adviceGiven: z.boolean(), reassessAt: Timestamp.nullable().default(null) })
    .optional()
    .describe('Recorded with a refusal'),
});

export const PreparationRequest = z.object({
  occurredAt: Timestamp.optional().describe('A late entry: when it happened (e.g. during an IT failure). The rules are checked as at that time'),
  route: z.enum(['iv', 'im']),
  doseMg: z.number().int('whole mg').min(1),
  ampoules: z.array(z.object({ itemId: z.string(), count: z.number().int().min(1).max(20) })).min(1).max(4),
  reconstitutionMl: z.number().positive().max(20),
  witness: Witness.extend({
    ampoules: z.array(z.object({ strengthMg: z.number().int(), count: z.number().int() })).describe('What the witness saw, checked on their own'),
    reconstitutionMl: z.number().positive(),
  }),
});

export const AdministrationRequest = z.object({
  occurredAt: Timestamp.optional().describe('A late entry: when it happened (e.g. during an IT failure). The rules are checked as at that time'),
  route: z.enum(['iv', 'im']),
  sites: z.array(z.string().trim().min(1).max(60)).min(1).max(4),
  attempts: z.number().int().min(1).max(20),
  givenMg: z.number().min(0),
  switchedToIm: z.boolean().default(false).describe('Venous access failed and the dose continued IM'),
  givenIvMg: z.number().min(0).default(0).describe('With a switch to IM: how much went into a vein before access failed'),
  witness: Witness,
});

export const NotGivenRequest = z.object({
  occurredAt: Timestamp.optional().describe('A late entry: when it happened (e.g. during an IT failure). The rules are checked as at that time'),
  reason: z.string().trim().min(1).max(1000), witness: Witness });

export const ObservationRequest = z.object({
  occurredAt: Timestamp.optional().describe('A late entry: when it happened (e.g. during an IT failure). The rules are checked as at that time'),
  sedation: Findings.shape.sedation,
  respiratoryRate: z.number().int().min(0).max(80).nullable().default(null),
  spo2: z.number().int().min(50).max(100).nullable().default(null),
  adverseEvents: z.array(z.enum(['overdose', 'naloxone_given', 'ambulance_called', 'injection_site_problem', 'other'])).default([]),
  naloxoneMg: z.number().positive().max(20).nullable().default(null),
  notes: z.string().max(2000).nullable().default(null),
});

export const DischargeRequest = z.object({
  occurredAt: Timestamp.optional().describe('A late entry: when it happened (e.g. during an IT failure). The rules are checked as at that time'),
  sedation: Findings.shape.sedation, leftAgainstAdvice: z.boolean().default(false) });

export const DoseOut = z
  .object({
    doseId: Uuid,
    serviceUserId: Uuid,
    clinicDate: z.string(),
    sessionCode: z.string(),
    kind: z.enum(['dose', 'top_up']),
    stage: z.string(),
    route: z.enum(['iv', 'im']).nullable(),
    preparedMg: z.number(),
    givenMg: z.number(),
    givenAt: Timestamp.nullable(),
    observeUntil: Timestamp.nullable(),
    events: z.array(z.record(z.string(), z.unknown())),
    decision: z.object({ outcome: z.string(), fraction: z.number(), reasons: z.array(z.object({ rule: z.string(), message: z.string(), field: z.string().optional() })) }).nullable(),
    allowance: z
      .object({ maxMg: z.number(), basis: z.string() })
      .nullable()
      .describe('What may be given now by the prescription\'s main route, if anything'),
    refusals: z.array(z.object({ rule: z.string(), message: z.string() })).describe('Why no dose may be given now, if none may'),
    emergency: z.boolean(),
  })
  .meta({ id: 'Dose' });

export const DoseListEntry = z.object({
  serviceUserId: Uuid,
  displayName: z.string(),
  status: z.enum(['due', 'in_assessment', 'prepared', 'given', 'in_observation', 'discharged', 'refused', 'withheld', 'missed', 'prepared_not_given', 'not_expected']),
  doseId: Uuid.nullable(),
  plannedMg: z.number().nullable(),
  route: z.string().nullable(),
  nextPossibleAt: Timestamp.nullable(),
  observeUntil: Timestamp.nullable().describe('End of the observation period, while in observation'),
  alerts: z.array(z.object({ kind: z.string(), severity: z.enum(['info', 'warning', 'danger']), text: z.string() })),
});

export const ExceptionRequest = z.object({
  kind: z.enum(['outside_window', 'injection_site']),
  sessionCode: z.string().optional(),
  date: z.iso.date().optional(),
  site: z.string().max(60).optional(),
  validUntil: Timestamp,
  reason: z.string().trim().min(1).max(1000),
});
