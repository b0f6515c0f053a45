import { z } from 'zod';
import { ABSENCE_KINDS, DISCHARGE_REASONS, EPISODE_STATES } from '../domain/episode/episode-event';
import { Timestamp, Uuid } from './common';

const When = Timestamp.optional().describe('When it happened; defaults to now, never in the future');

export const EpisodeParams = z.object({ clinicId: z.string(), episodeId: z.string() });

export const AbsenceOut = z.object({
  kind: z.enum(ABSENCE_KINDS),
  liaison: z.string(),
  since: z.string(),
  expectedReturn: z.string().optional(),
});

export const EpisodeSummary = z
  .object({
    episodeId: Uuid,
    state: z.enum(EPISODE_STATES),
    referredAt: z.string(),
    placeHeld: z.boolean(),
    absence: AbsenceOut.nullable(),
    retitrationRequired: z.boolean().describe('Returned from an absence: doses must be built up again'),
    reviewRequired: z.boolean().describe('Returned from an absence: no dose until a prescriber has reviewed them'),
    dischargeReason: z.enum(DISCHARGE_REASONS).nullable(),
  })
  .meta({ id: 'EpisodeSummary' });

export const EpisodeDetail = EpisodeSummary.extend({
  serviceUserId: Uuid,
  events: z.array(z.record(z.string(), z.unknown())).describe('Every event, oldest first'),
}).meta({ id: 'EpisodeDetail' });

export const ReferralRequest = z.object({
  source: z.string().trim().min(1, 'say who referred them').max(200),
  reason: z.string().max(2000).optional(),
  at: When,
});
export const StepRequest = z.object({ at: When });
export const EligibilityRequest = z.object({
  outcomes: z
    .array(z.object({ code: z.string(), outcome: z.enum(['met', 'not_met', 'waived']), reason: z.string().max(1000).optional() }))
    .describe('One per criterion in force; the age criterion is worked out from the date of birth'),
  note: z.string().max(2000).optional(),
  joinWaitingList: z.boolean().optional().describe('Put an eligible person on the waiting list even if a place is free'),
  at: When,
});
export const DischargeRequest = z.object({ reason: z.enum(DISCHARGE_REASONS), note: z.string().max(2000).optional(), at: When });
export const AbsenceRequest = z.object({
  kind: z.enum(ABSENCE_KINDS),
  liaison: z.string().max(500).describe('Ward, custody healthcare or other contact who can say what was given while away'),
  expectedReturn: z.iso.date().optional(),
  at: When,
});
