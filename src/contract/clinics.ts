import { z } from 'zod';
import { ClinicSettingsSchema } from '../domain/clinic/clinic-settings';
import { Timestamp, Uuid } from './common';

export const ClinicSettings = ClinicSettingsSchema.meta({ id: 'ClinicSettings' });

export const ClinicSummary = z.object({
  clinicId: Uuid,
  name: z.string(),
  timeZone: z.string(),
  member: z.boolean().describe('Whether you hold a role at this clinic'),
});

export const Clinic = z
  .object({
    clinicId: Uuid,
    createdAt: Timestamp,
    settingsVersion: z.number().int(),
    settings: ClinicSettings,
  })
  .meta({ id: 'Clinic' });

export const CreateClinicRequest = z.object({
  settings: z.unknown().describe('ClinicSettings; omitted fields take the defaults'),
});

export const ChangeSettingsRequest = z.object({
  expectedVersion: z.number().int().min(1).describe('The settings version you edited, to stop lost updates'),
  reason: z.string().trim().min(1, 'say why the settings change').max(500),
  settings: z.unknown().describe('ClinicSettings'),
});

export const SettingsVersion = z.object({
  version: z.number().int(),
  settings: ClinicSettings,
  reason: z.string().nullable(),
  changedAt: Timestamp,
  changedBy: Uuid.nullable(),
});
