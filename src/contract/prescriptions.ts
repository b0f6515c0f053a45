import { z } from 'zod';
import { Timestamp, Uuid } from './common';

const mg = (what: string) => z.number().int(`${what} must be whole mg`).min(1, `${what} must be at least 1 mg`).max(5000);
const isoDate = z.iso.date('must be a date as YYYY-MM-DD');

export const DiamorphineOrder = z.object({
  sessions: z.array(z.string()).describe('Session codes at which a dose is given, e.g. ["AM","PM"]'),
  ivDoseMg: mg('the IV dose').nullable(),
  imDoseMg: mg('the IM dose').nullable(),
  titration: z
    .object({
      startDoseMg: mg('the start dose'),
      steps: z.array(z.object({ fromDate: isoDate, doseMg: mg('a step') })).max(60),
    })
    .nullable(),
  topUp: z.object({ maxMg: z.number().int().min(0).max(500), minWaitMinutes: z.number().int().min(0).max(240) }).nullable(),
  retitrationStartDoseMg: mg('the re-titration start dose'),
});

export const MethadoneCover = z.object({
  drug: z.string().trim().min(1).max(60).default('methadone oral solution 1 mg/mL'),
  dailyDoseMg: z.number().min(0.5).max(1000),
  pharmacy: z.string().max(200),
  supervised: z.boolean(),
});

export const PrescriptionContentIn = z.object({
  diamorphine: DiamorphineOrder,
  methadone: MethadoneCover.nullable(),
  startDate: isoDate,
  endDate: isoDate.nullable(),
  reviewDate: isoDate,
});

export const Signature = z
  .object({ password: z.string().min(1, 'enter your password to sign').max(1024) })
  .describe('Your own password: a signature, checked like a sign-in');

export const SignPrescriptionRequest = z.object({
  content: PrescriptionContentIn,
  effectiveFrom: Timestamp.optional().describe('When it takes effect; now if left out; never in the past'),
  reason: z.string().trim().min(1, 'say why').max(1000),
  signature: Signature,
});

export const SuspendPrescriptionRequest = z.object({ reason: z.string().trim().min(1, 'say why').max(1000) });

export const StopPrescriptionRequest = z.object({
  status: z.enum(['cancelled', 'ended']),
  reason: z.string().trim().min(1, 'say why').max(1000),
  signature: Signature,
});

export const PrescriptionVersionOut = z
  .object({
    version: z.number().int(),
    status: z.enum(['active', 'suspended', 'cancelled', 'ended']),
    content: z.record(z.string(), z.unknown()),
    effectiveFrom: Timestamp,
    signedAt: Timestamp,
    signedBy: Uuid,
    reason: z.string(),
    episodeId: Uuid,
  })
  .meta({ id: 'PrescriptionVersion' });

export const PrescriptionsOut = z.object({
  inForce: PrescriptionVersionOut.nullable(),
  versions: z.array(PrescriptionVersionOut).describe('Newest first'),
});
