import { z } from 'zod';
import { Temporal } from 'temporal-polyfill';
import { ClinicParams, errors } from '../../contract/common';
import { DueReview, RecordReviewRequest, RecordReviewResponse, ReviewOut } from '../../contract/reviews';
import { ServiceUserParams } from '../../contract/service-users';
import { TREATMENT_STATES } from '../../domain/episode/episode-event';
import { displayName } from '../../domain/service-user/record';
import { reviewDue } from '../../domain/prescription/review-due';
import { clinicDate } from '../../domain/time/clinic-time';
import { dateToInstant } from '../../domain/time/clock';
import { currentSettings } from '../../store/clinics';
import { clinicEpisodes } from '../../store/episodes';
import { clinicPrescriptions } from '../../store/prescriptions';
import { latestReviews, personReviews, type ReviewRow } from '../../store/reviews';
import { listServiceUsers, serviceUserExists } from '../../store/service-users';
import { auditRead } from '../../store/transaction';
import type { Orm } from '../../store/database';
import type { App, AppContext } from '../context';
import { signedIn } from '../authorize';
import { clinicIdOf } from '../clinic-output';
import { notFound } from '../errors';
import { idParam, inForceNow, prescriptionOut } from '../clinical/output';
import { lockPerson } from '../clinical/person';
import { recordReview } from '../clinical/review-workflow';
import { verifySignature } from '../clinical/signature';
import { sendWrite } from '../write';

const reviewOut = (r: ReviewRow) => ({ ...r, reviewedAt: r.reviewedAt.toISOString() });

/** The prescriber's weekly review: recorded (with any new prescription, in one transaction), listed, and due. */
export function registerReviews(app: App, ctx: AppContext) {
  app.post(
    '/api/v1/clinics/:clinicId/service-users/:serviceUserId/reviews',
    {
      schema: {
        summary: 'Record a prescriber review, optionally issuing a new prescription version with it',
        tags: ['reviews'],
        params: ServiceUserParams,
        body: RecordReviewRequest,
        response: { 201: RecordReviewResponse, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const serviceUserId = idParam(req, 'serviceUserId', 'Service user');
      const { staff } = signedIn(req);
      await verifySignature(ctx, req, staff, req.body.signature.password);
      return sendWrite(ctx, req, reply, 201, async (w) => {
        const now = dateToInstant(w.now);
        const person = await lockPerson(w.tx, clinicId, serviceUserId, now);
        const p = req.body.prescription;
        const result = await recordReview(w, person, staff, {
          notes: req.body.notes,
          retitrationPlanned: req.body.retitrationPlanned,
          ...(req.body.nextReviewDue ? { nextReviewDue: req.body.nextReviewDue } : {}),
          ...(p ? { prescription: { content: p.content, effectiveFrom: p.effectiveFrom ? Temporal.Instant.from(p.effectiveFrom) : now, reason: p.reason } } : {}),
        });
        return { review: reviewOut(result.review), prescription: prescriptionOut(result.prescription) };
      });
    },
  );

  app.get(
    '/api/v1/clinics/:clinicId/service-users/:serviceUserId/reviews',
    { schema: { summary: 'A person\'s reviews, newest first', tags: ['reviews'], params: ServiceUserParams, response: { 200: z.object({ reviews: z.array(ReviewOut) }), ...errors(401, 403, 404) } } },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const serviceUserId = idParam(req, 'serviceUserId', 'Service user');
      if (!(await serviceUserExists(ctx.db.orm, clinicId, serviceUserId))) throw notFound('Service user');
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'reviews', entityId: serviceUserId });
      return { reviews: (await personReviews(ctx.db.orm, clinicId, serviceUserId)).map(reviewOut) };
    },
  );

  app.get(
    '/api/v1/clinics/:clinicId/reviews/due',
    {
      schema: {
        summary: 'Who is due (or overdue) a prescriber review, soonest first',
        tags: ['reviews'],
        params: ClinicParams,
        querystring: z.object({ withinDays: z.coerce.number().int().min(0).max(28).default(0).describe('Also list reviews due within this many days') }),
        response: { 200: z.object({ today: z.string(), due: z.array(DueReview) }), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const { today, due } = await reviewsDue(ctx.db.orm, clinicId, ctx.clock.now(), req.query.withinDays);
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'reviews_due', details: { serviceUserIds: due.map((d) => d.serviceUserId) } });
      return { today, due };
    },
  );
}

/** Who is due (or overdue) a prescriber review at the clinic, within some days of today, soonest first. */
export async function reviewsDue(orm: Orm, clinicId: string, now: Temporal.Instant, withinDays: number) {
  const settings = (await currentSettings(orm, clinicId))!.settings;
  const today = clinicDate(now, settings.timeZone);
  const horizon = today.add({ days: withinDays }).toString();
  const people = new Map((await listServiceUsers(orm, clinicId)).map((p) => [p.serviceUserId, p]));
  const reviews = await latestReviews(orm, clinicId);
  const prescriptions = await clinicPrescriptions(orm, clinicId);
  const due = [];
  for (const stored of await clinicEpisodes(orm, clinicId)) {
    const e = stored.episode;
    if (!TREATMENT_STATES.has(e.state)) continue;
    const person = people.get(stored.serviceUserId)!;
    const last = reviews.get(stored.serviceUserId) ?? null;
    const theirs = prescriptions.filter((p) => p.serviceUserId === stored.serviceUserId);
    const inForce = inForceNow(theirs, now);
    const inductionAt = stored.events.find((ev) => ev.type === 'induction_started')?.at ?? e.referredAt;
    const soonest = reviewDue({
      today: today.toString(),
      lastReviewNextDue: last?.nextReviewDue ?? null,
      inductionDate: clinicDate(Temporal.Instant.from(inductionAt), settings.timeZone).toString(),
      reviewIntervalDays: person.record.reviewIntervalDays,
      prescriptionReviewDate: inForce?.content.status === 'active' ? inForce.content.reviewDate : null,
      reviewRequired: e.reviewRequired,
      reviewedSincePrescription: last !== null && inForce !== null && last.reviewedAt.getTime() >= inForce.signedAt.epochMilliseconds,
    });
    if (soonest.on > horizon) continue;
    const since = last ? last.reviewedAt.getTime() : 0;
    due.push({
      serviceUserId: stored.serviceUserId,
      displayName: displayName(person.record),
      state: e.state,
      dueOn: soonest.on,
      overdue: soonest.overdue,
      why: soonest.why,
      lastReviewedAt: last ? last.reviewedAt.toISOString() : null,
      prescriptionInForce: prescriptionOut(inForce),
      sinceLastReview: {
        prescriptionVersions: theirs.filter((p) => p.signedAt.epochMilliseconds > since).length,
        absences: stored.events.filter((ev) => ev.type === 'absence_started' && Date.parse(ev.at) > since).length,
      },
    });
  }
  due.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.displayName.localeCompare(b.displayName));
  return { today: today.toString(), due };
}
