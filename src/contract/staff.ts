import { z } from 'zod';
import { Timestamp, Uuid } from './common';
import { RoleName } from './auth';
import { PROFESSIONAL_BODIES } from '../domain/staff/registration';

export const Registration = z.object({
  professionalBody: z.enum(PROFESSIONAL_BODIES).nullable().describe('Regulator of the professional registration'),
  registrationNumber: z.string().trim().min(1).max(40).nullable(),
  homeOfficeLicenceNumber: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .nullable()
    .describe('Home Office licence to prescribe diamorphine for addiction'),
  homeOfficeLicenceExpiry: z.iso.date().nullable().describe('YYYY-MM-DD'),
});

export const StaffMember = z
  .object({
    staffId: Uuid,
    email: z.string(),
    displayName: z.string(),
    active: z.boolean(),
    mustChangePassword: z.boolean(),
    lockedUntil: Timestamp.nullable(),
    roles: z.array(RoleName),
    registration: Registration,
  })
  .meta({ id: 'StaffMember' });

export const AddStaffRequest = z.object({
  email: z.email('must be an email address').max(320),
  displayName: z.string().trim().min(1, 'must not be empty').max(120),
  roles: z.array(RoleName).min(1, 'give at least one role'),
  temporaryPassword: z
    .string()
    .max(1024)
    .optional()
    .describe('Required for a new account; they must change it at first sign-in. Ignored for an existing account.'),
});

export const AddStaffResponse = z.object({
  staff: StaffMember,
  existingAccount: z.boolean().describe('True when the email already had an account (e.g. at another clinic)'),
});

export const SetRolesRequest = z.object({ roles: z.array(RoleName) });

export const UpdateStaffRequest = Registration.partial().extend({
  displayName: z.string().trim().min(1).max(120).optional(),
});

export const ResetPasswordRequest = z.object({ temporaryPassword: z.string().max(1024) });

export const StaffParams = z.object({ clinicId: z.string(), staffId: z.string() });

export const StaffMemberRemoved = z.object({
  staffId: z.uuid(),
  removed: z.literal(true).describe('They no longer hold any role at this clinic'),
});
