import { eq, and } from 'drizzle-orm';
import { errors } from '../../contract/common';
import {
  AbsenceRequest,
  DischargeRequest,
  EligibilityRequest,
  EpisodeDetail,
  EpisodeParams,
  ReferralRequest,
  StepRequest,
} from '../../contract/episodes';
import { ServiceUserParams } from '../../contract/service-users';
import { decideEligibility } from '../../domain/episode/eligibility';
import { dateToInstant } from '../../domain/time/clock';
import { episodes } from '../../store/schema';
import { getEpisode } from '../../store/episodes';
import { auditRead, type WriteContext } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { signedIn } from '../authorize';
import { clinicIdOf } from '../clinic-output';
import { notFound, refused } from '../errors';
import { episodeDetailOut, idParam } from '../clinical/output';
import { lockPerson, type PersonState } from '../clinical/person';
import { recordEpisodeEvent, type NewEpisodeEvent } from '../clinical/episode-workflow';
import { resolveWhen } from '../clinical/when';
import { sendWrite } from '../write';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The steps of a treatment episode: referral, assessment, eligibility, place, induction,
 * maintenance, discharge, and absences. Each is one route (so the permission table says who may
 * take it), each is checked by the domain's lifecycle rules, and each is an event appended to the
 * episode's log.
 */

/** The person an episode belongs to, locked, with the episode checked to be their current one. */
async function personOfEpisode(w: WriteContext, clinicId: string, episodeId: string): Promise<PersonState> {
  const [head] = await w.tx.select().from(episodes).where(and(eq(episodes.clinicId, clinicId), eq(episodes.episodeId, episodeId)));
  if (!head) throw notFound('Episode');
  const person = await lockPerson(w.tx, clinicId, head.serviceUserId, dateToInstant(w.now));
  if (person.episode?.episodeId !== episodeId) {
    throw refused([{ rule: 'episode_closed', message: 'This is not the person\'s current episode; it has ended' }]);
  }
  return person;
}

function step(
  ctx: AppContext,
  makeEvent: (body: never, person: PersonState) => NewEpisodeEvent,
): (req: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (req, reply) => {
    const clinicId = clinicIdOf(req);
    const episodeId = idParam(req, 'episodeId', 'Episode');
    const { staff } = signedIn(req);
    const body = (req.body ?? {}) as { at?: string };
    await sendWrite(ctx, req, reply, 200, async (w) => {
      const person = await personOfEpisode(w, clinicId, episodeId);
      const at = resolveWhen(body.at, dateToInstant(w.now));
      const stored = await recordEpisodeEvent(w, person, staff, makeEvent(body as never, person), at);
      return episodeDetailOut(stored);
    });
  };
}

const responses = { 200: EpisodeDetail, ...errors(400, 401, 403, 404, 409, 422) };

export function registerEpisodes(app: App, ctx: AppContext) {
  app.post(
    '/api/v1/clinics/:clinicId/service-users/:serviceUserId/episodes',
    {
      schema: { summary: 'Record a referral: opens a new episode', tags: ['episodes'], params: ServiceUserParams, body: ReferralRequest, response: { 201: EpisodeDetail, ...errors(400, 401, 403, 404, 409, 422) } },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const serviceUserId = idParam(req, 'serviceUserId', 'Service user');
      const { staff } = signedIn(req);
      return sendWrite(ctx, req, reply, 201, async (w) => {
        const person = await lockPerson(w.tx, clinicId, serviceUserId, dateToInstant(w.now));
        const { source, reason, at } = req.body;
        const stored = await recordEpisodeEvent(w, person, staff, { type: 'referred', source, ...(reason ? { reason } : {}) }, resolveWhen(at, dateToInstant(w.now)));
        return episodeDetailOut(stored);
      });
    },
  );

  app.get(
    '/api/v1/clinics/:clinicId/episodes/:episodeId',
    { schema: { summary: 'An episode and every event in it', tags: ['episodes'], params: EpisodeParams, response: { 200: EpisodeDetail, ...errors(401, 403, 404) } } },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const episodeId = idParam(req, 'episodeId', 'Episode');
      const stored = await getEpisode(ctx.db.orm, clinicId, episodeId);
      if (!stored) throw notFound('Episode');
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'episode', entityId: episodeId, details: { serviceUserId: stored.serviceUserId } });
      return episodeDetailOut(stored);
    },
  );

  const simple = [
    ['assessment', 'Start the assessment', { type: 'assessment_started' }],
    ['place-offer', 'Offer a place to someone on the waiting list', { type: 'place_offered' }],
    ['induction', 'Start induction (titration)', { type: 'induction_started' }],
    ['maintenance', 'Move from induction to maintenance', { type: 'maintenance_started' }],
    ['absences/end', 'Record a return from absence: a prescriber\'s review and re-titration come before any dose', { type: 'absence_ended' }],
  ] as const;
  for (const [path, summary, event] of simple) {
    app.post(
      `/api/v1/clinics/:clinicId/episodes/:episodeId/${path}`,
      { schema: { summary, tags: ['episodes'], params: EpisodeParams, body: StepRequest, response: responses } },
      step(ctx, () => ({ ...event }) as NewEpisodeEvent),
    );
  }

  app.post(
    '/api/v1/clinics/:clinicId/episodes/:episodeId/eligibility',
    {
      schema: {
        summary: 'Record the eligibility decision, criterion by criterion (met, not met, or waived with a reason)',
        tags: ['episodes'],
        params: EpisodeParams,
        body: EligibilityRequest,
        response: responses,
      },
    },
    step(ctx, (body: { outcomes: { code: string; outcome: 'met' | 'not_met' | 'waived'; reason?: string }[]; note?: string; joinWaitingList?: boolean }, person) => {
      const decision = decideEligibility(person.settings.eligibilityCriteria, body.outcomes, { dateOfBirth: person.record.record.dateOfBirth }, person.today);
      if (!decision.ok) throw refused(decision.refusals);
      return {
        type: 'eligibility_decided',
        criteria: decision.value.outcomes,
        eligible: decision.value.eligible,
        ...(body.note ? { note: body.note } : {}),
        ...(body.joinWaitingList ? { placeOffered: false } : {}),
      };
    }),
  );

  app.post(
    '/api/v1/clinics/:clinicId/episodes/:episodeId/discharge',
    { schema: { summary: 'Discharge: the episode ends (planned, transfer, disengaged, custody, deceased, other)', tags: ['episodes'], params: EpisodeParams, body: DischargeRequest, response: responses } },
    step(ctx, (body: { reason: 'planned'; note?: string }) => ({ type: 'discharged', reason: body.reason, ...(body.note ? { note: body.note } : {}) })),
  );

  app.post(
    '/api/v1/clinics/:clinicId/episodes/:episodeId/absences',
    {
      schema: {
        summary: 'Record an absence (hospital, custody, holiday): the prescription is suspended from now',
        tags: ['episodes'],
        params: EpisodeParams,
        body: AbsenceRequest,
        response: responses,
      },
    },
    step(ctx, (body: { kind: 'hospital'; liaison: string; expectedReturn?: string }) => ({
      type: 'absence_started',
      kind: body.kind,
      liaison: body.liaison,
      ...(body.expectedReturn ? { expectedReturn: body.expectedReturn } : {}),
    })),
  );
}
