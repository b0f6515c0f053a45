import { z } from 'zod';
import { ServiceUserRecordSchema } from '../domain/service-user/record';
import { Timestamp, Uuid } from './common';
import { EpisodeSummary } from './episodes';
import { PrescriptionVersionOut } from './prescriptions';

export const ServiceUserRecord = ServiceUserRecordSchema.meta({ id: 'ServiceUserRecord' });

export const ServiceUserParams = z.object({ clinicId: z.string(), serviceUserId: z.string() });

const When = Timestamp.optional().describe('When it happened; defaults to now, never in the future');

export const CreateServiceUserRequest = z.object({
  record: z.unknown().describe('ServiceUserRecord'),
  referral: z
    .object({ source: z.string().trim().min(1, 'say who referred them').max(200), reason: z.string().max(2000).optional(), at: When })
    .optional()
    .describe('Open a treatment episode with this referral, in the same transaction'),
});

export const UpdateServiceUserRequest = z.object({
  expectedVersion: z.number().int().min(1).describe('The version you edited, to stop lost updates'),
  reason: z.string().trim().min(1, 'say what changed and why').max(500),
  record: z.unknown().describe('ServiceUserRecord: the whole record as it should now be'),
});

export const Alert = z.object({
  kind: z.string(),
  severity: z.enum(['info', 'warning', 'danger']),
  text: z.string(),
});

export const PhotoMeta = z.object({
  photoId: Uuid,
  contentType: z.string(),
  byteSize: z.number().int(),
  sha256: z.string(),
  recordedAt: Timestamp,
});

export const ServiceUserSummary = z
  .object({
    serviceUserId: Uuid,
    displayName: z.string(),
    familyName: z.string(),
    givenName: z.string(),
    dateOfBirth: z.string(),
    nhsNumber: z.string().nullable(),
    version: z.number().int(),
    episode: EpisodeSummary.nullable(),
  })
  .meta({ id: 'ServiceUserSummary' });

export const ServiceUserDetail = ServiceUserSummary.extend({
    record: ServiceUserRecord,
    reason: z.string(),
    recordedAt: Timestamp,
    recordedBy: Uuid.nullable(),
    prescriptionInForce: PrescriptionVersionOut.nullable(),
    alerts: z.array(Alert).describe('What staff must know before a dose'),
    photo: PhotoMeta.nullable(),
  })
  .meta({ id: 'ServiceUserDetail' });

export const ServiceUserVersionOut = z.object({
  version: z.number().int(),
  record: ServiceUserRecord,
  reason: z.string(),
  recordedAt: Timestamp,
  recordedBy: Uuid.nullable(),
});

export const UploadPhotoRequest = z.object({
  contentType: z.enum(['image/jpeg', 'image/png', 'image/webp']),
  dataBase64: z.string().min(1, 'must not be empty').describe('The image, base64-encoded (at most 2 MiB decoded)'),
});
