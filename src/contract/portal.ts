import { z } from 'zod';
import { PortalConsent } from '../domain/portal/portal-account';
import { PeerContactSchema } from '../domain/continuity/continuity-settings';
import { Timestamp, Uuid } from './common';

/** The service-user portal: staff manage accounts; the person signs in and sees only their own data. */

// ---------------------------------------------------------------------------------------------
// Staff side

export const PortalAccountParams = z.object({ clinicId: z.string(), serviceUserId: z.string() });

export const CreatePortalAccountRequest = z.object({
  username: z.string().trim().min(1, 'choose a username').max(100),
  temporaryPassword: z.string().max(1024).describe('At least 12 characters; the person must change it when they first sign in'),
  consent: PortalConsent,
});

export const UpdatePortalAccountRequest = z
  .object({
    enabled: z.boolean().optional().describe('false switches the account off and ends its sessions at once; true switches it back on (with consent)'),
    temporaryPassword: z.string().max(1024).optional().describe('A new temporary password: ends the sessions, clears a lockout, must be changed at sign-in'),
    consent: PortalConsent.optional().describe('Required when switching an account back on'),
    reason: z.string().trim().min(1, 'give a reason').max(500),
  })
  .refine((b) => b.enabled !== undefined || b.temporaryPassword !== undefined, { message: 'give enabled or temporaryPassword (or both)', path: ['enabled'] });

export const PortalAccount = z
  .object({
    serviceUserId: Uuid,
    username: z.string(),
    enabled: z.boolean(),
    mustChangePassword: z.boolean(),
    lockedUntil: Timestamp.nullable().describe('Locked after repeated wrong passwords until then; a new temporary password unlocks it'),
    passwordChangedAt: Timestamp,
    createdAt: Timestamp,
    createdBy: Uuid.nullable(),
    lastSignInAt: Timestamp.nullable(),
    activeSessions: z.number().int(),
  })
  .meta({ id: 'PortalAccount' });

export const PortalAccountResponse = z.object({
  portalEnabled: z.boolean().describe("The clinic's portal switch (settings.portal.enabled)"),
  account: PortalAccount.nullable(),
});

// ---------------------------------------------------------------------------------------------
// Portal side

export const PortalLoginRequest = z.object({
  username: z.string().trim().min(1, 'enter your username').max(100),
  password: z.string().min(1, 'enter your password').max(1024),
});

export const PortalSessionInfo = z
  .object({
    mustChangePassword: z.boolean(),
    csrfToken: z.string().describe('Send as the X-CSRF-Token header with every write'),
    expiresAt: Timestamp.describe('When this session ends however active it is'),
    idleMinutes: z.number().int().describe('Minutes without a request after which the session ends'),
  })
  .meta({ id: 'PortalSessionInfo' });

export const PortalChangePasswordRequest = z.object({
  currentPassword: z.string().min(1, 'enter your current password').max(1024),
  newPassword: z.string().max(1024),
});

export const PortalMe = z.object({
  preferredName: z.string().describe('The name the person likes to be called'),
  clinicName: z.string(),
});

const SessionTime = z.object({
  date: z.iso.date(),
  sessionCode: z.string(),
  label: z.string(),
  opens: z.string().describe('HH:MM at the clinic'),
  closes: z.string().describe('HH:MM at the clinic'),
  status: z.enum(['given', 'open_now', 'later', 'closed']),
});

export const PortalToday = z.object({
  today: z.iso.date(),
  next: SessionTime.nullable(),
  days: z.array(
    z.object({
      date: z.iso.date(),
      sessions: z.array(SessionTime),
      noDoses: z.enum(['not_in_treatment', 'away', 'no_prescription', 'paused', 'stopped', 'not_started', 'ended']).nullable(),
    }),
  ),
  arrival: z
    .object({
      date: z.iso.date(),
      sessionCode: z.string(),
      label: z.string(),
      slotStart: z.string().nullable().describe('HH:MM: when to arrive (null when the clinic does not use arrival slots)'),
      slotEnd: z.string().nullable(),
      areaName: z.string().nullable().describe('The waiting area to wait in (null when the clinic has none)'),
    })
    .nullable()
    .describe('For the next dose: their arrival slot and waiting area, as allocated for that session'),
});

export const PortalDose = z.object({
  doseId: Uuid,
  date: z.iso.date(),
  sessionCode: z.string(),
  sessionLabel: z.string(),
  kind: z.enum(['dose', 'top_up']),
  outcome: z.enum(['given', 'not_given', 'missed', 'in_progress']),
  givenMg: z.number(),
  route: z.enum(['iv', 'im']).nullable(),
  givenAt: Timestamp.nullable(),
});

export const PortalDoses = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  doses: z.array(PortalDose).describe('Newest first'),
});

export const PortalAppointments = z.object({
  today: z.iso.date(),
  appointments: z.array(z.object({ kind: z.enum(['prescriber_review', 'keywork', 'drug_test']), on: z.iso.date(), dueNow: z.boolean() })),
});

export const PortalTakeHome = z.object({
  supplies: z.array(
    z.object({
      supplyId: Uuid,
      suppliedOn: z.iso.date(),
      from: z.iso.date(),
      to: z.iso.date(),
      sessions: z.array(z.string()),
      days: z.number().int(),
      doses: z.number().int(),
      doseMg: z.number(),
      route: z.enum(['iv', 'im']),
      ended: z.boolean().describe('Ended early at a return'),
    }),
  ),
});

export const PortalContinuity = z.object({
  plan: z
    .object({
      planId: Uuid,
      planDate: z.iso.date(),
      option: z.enum(['planned_reduction', 'transfer']),
      fundedUntil: z.iso.date(),
      reduction: z
        .object({ route: z.enum(['iv', 'im']), fromDoseMg: z.number(), steps: z.array(z.object({ fromDate: z.iso.date(), doseMg: z.number() })) })
        .nullable(),
      transfer: z.object({ kind: z.enum(['service', 'medication']), to: z.string().nullable(), startDate: z.iso.date() }).nullable(),
      approvedOn: z.iso.date().nullable(),
    })
    .nullable()
    .describe('Only a plan the prescriber has approved; drafts are never shown'),
});

export const PortalPeerSupport = z.object({ contacts: z.array(PeerContactSchema) });
