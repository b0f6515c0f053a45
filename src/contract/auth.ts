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
      secondFactorEnrolled: z.boolean().describe('Has a confirmed TOTP second factor'),
    }),
    secondFactor: z
      .enum(['enrolment_required', 'code_required'])
      .nullable()
      .describe(
        'Null for a full session. Otherwise the password was right but this session can only enrol a second factor ' +
          '(POST /api/v1/auth/second-factor/enrolment, then …/enrolment/confirm) or answer a code (POST /api/v1/auth/second-factor/verify); ' +
          'every other route answers 403 second_factor_required. Clinics are listed only once the second factor is passed.',
      ),
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

export const SecondFactorEnrolment = z
  .object({
    secret: z.string().describe('The shared secret in base32, for typing into an authenticator app'),
    otpauthUri: z.string().describe('otpauth://totp/… URI (RFC 6238, SHA-1, 6 digits, 30 s)'),
    qrCode: z.string().describe('The URI as a QR code: a PNG data: URL'),
  })
  .meta({ id: 'SecondFactorEnrolment' });

export const SecondFactorCode = z.object({
  code: z.string().trim().min(1, 'enter the six-digit code from your authenticator app').max(20),
});

export const SecondFactorVerifyRequest = z
  .object({
    code: z.string().trim().min(1, 'enter the six-digit code from your authenticator app').max(20).optional(),
    recoveryCode: z.string().trim().min(1, 'enter one of your recovery codes').max(40).optional(),
  })
  .refine((b) => (b.code === undefined) !== (b.recoveryCode === undefined), { message: 'give either code or recoveryCode', path: ['code'] });

export const SecondFactorConfirmed = SessionInfo.extend({
  recoveryCodes: z.array(z.string()).describe('One-time codes for when the phone is lost: shown only now, stored hashed'),
}).meta({ id: 'SecondFactorConfirmed' });
