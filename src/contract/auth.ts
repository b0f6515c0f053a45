import { z } from 'zod';
import { ROLES } from '../domain/staff/roles';
import { Timestamp, Uuid } from './common';

export const LoginRequest = z.object({
  email: z.string().trim().min(1, 'enter your email address').max(320),
  password: z.string().min(1, 'enter your password').max(1024),
});

export const RoleName = z.enum(ROLES);

export const Membership = z.object({
  clinicId: Uuid,
  clinicName: z.string(),
  roles: z.array(RoleName),
});

export const SessionInfo = z
  .object({
    staff: z.object({
      staffId: Uuid,
      email: z.string(),
      displayName: z.string(),
      deploymentAdmin: z.boolean(),
      mustChangePassword: z.boolean(),
    }),
    clinics: z.array(Membership),
    csrfToken: z.string().describe('Send as the X-CSRF-Token header with every write'),
    expiresAt: Timestamp.describe('When this session ends however active it is'),
    idleMinutes: z.number().int().describe('Minutes without a request after which the session ends'),
  })
  .meta({ id: 'SessionInfo' });
export type SessionInfo = z.infer<typeof SessionInfo>;

export const ChangePasswordRequest = z.object({
  currentPassword: z.string().min(1, 'enter your current password').max(1024),
  newPassword: z.string().max(1024),
});
