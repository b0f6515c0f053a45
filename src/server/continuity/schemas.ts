import { z } from 'zod';
import { CONTINUITY_STATES } from '../../domain/continuity/continuity-status';
import { ContinuityPlanData } from '../../domain/continuity/continuity-plan';
import { PeerContactSchema } from '../../domain/continuity/continuity-settings';
import { recordOut } from '../care/record-out';

/** Request and response shapes of the continuity routes (for validation and the OpenAPI document). */

export const ContinuityStatusOut = z.object({
  fundedUntil: z.string().nullable().describe('The last funded day; null if open-ended'),
  noticeFrom: z.string().nullable().describe('From this day staff are warned and plans are due (fundedUntil less the notice months)'),
  state: z.enum(CONTINUITY_STATES),
  daysLeft: z.number().int().nullable(),
});

export const StatusResponse = z.object({
  today: z.string(),
  status: ContinuityStatusOut,
  warning: z.string().nullable().describe('The banner staff see from the notice date on; null before'),
});

export const PersonPlanOut = z.object({
  serviceUserId: z.string(),
  displayName: z.string(),
  episodeState: z.string(),
  away: z.boolean(),
  plan: z.object({
    state: z.enum(['none', 'draft', 'approved']),
    recordId: z.string().nullable(),
    forCurrentHorizon: z.boolean().describe('The plan was made for the current funding end date'),
    option: z.enum(['planned_reduction', 'transfer']).nullable(),
    approvedOn: z.string().nullable(),
  }),
});

export const ContinuityResponse = StatusResponse.extend({ people: z.array(PersonPlanOut) });

export const DraftsResponse = z.object({
  status: ContinuityStatusOut,
  drafted: z.array(z.object({ serviceUserId: z.string(), recordId: z.string(), option: z.enum(['planned_reduction', 'transfer']) })),
  superseded: z.array(z.object({ serviceUserId: z.string(), recordId: z.string(), fundedUntil: z.string() })).describe('Plans for an earlier funding end date, withdrawn'),
  skipped: z.array(z.object({ serviceUserId: z.string(), recordId: z.string(), state: z.enum(['draft', 'approved']) })).describe('People who already have a plan for this funding end date'),
});

export const ApprovalRequest = z.object({
  signature: z.object({ password: z.string().min(1, "type your password to sign") }).describe("The prescriber's own password"),
});

export const PlanRecordOut = recordOut(ContinuityPlanData);

export const PeerSupportResponse = z.object({ contacts: z.array(PeerContactSchema) });
