import { z } from 'zod';
import { Temporal } from 'temporal-polyfill';
import { errors } from '../../contract/common';
import { PortalAppointments, PortalContinuity, PortalDose, PortalDoses, PortalMe, PortalPeerSupport, PortalTakeHome, PortalToday } from '../../contract/portal';
import { recordsOf } from '../../domain/care/person-in-care';
import { toxicologyDue } from '../../domain/care/toxicology';
import type { ClinicSettings } from '../../domain/clinic/clinic-settings';
import { summariseDose, type DoseEvent } from '../../domain/dosing/dose-record';
import { TREATMENT_STATES } from '../../domain/episode/episode-event';
import { portalContinuityPlan, portalTakeHome } from '../../domain/portal/portal-records';
import { historyFrom, nextKeyworkOn, portalAppointments, portalDoseOutcome, portalDoseTimes, type PortalSessionTime } from '../../domain/portal/portal-views';
import { reviewDue } from '../../domain/prescription/review-due';
import { versionInForce } from '../../domain/prescription/versions';
import { clinicDate } from '../../domain/time/clinic-time';
import type { Orm } from '../../store/database';
import { eventsOfDoses, getDose, personDoses, type DoseRow } from '../../store/dosing';
import { latestEpisode } from '../../store/episodes';
import { prescriptionHistory } from '../../store/prescriptions';
import { personReviews } from '../../store/reviews';
import { currentVersion } from '../../store/service-users';
import { auditRead } from '../../store/transaction';
import type { FastifyRequest } from 'fastify';
import type { App, AppContext } from '../context';
import { notFound } from '../errors';
import { onePersonInCare } from '../care/people-in-care';
import { sessionAllocation } from '../arrival/session-allocation';
import { portalDetails, portalSignedIn } from './portal-auth';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What a signed-in service user sees: only their own data, always chosen by the session (the
 * clinic and person it belongs to), never by anything in the URL. Where an id is in the URL (a
 * dose), it is looked up within the person's own records, so anyone else's answers 404. Every
 * read is audited, naming the service user (there is no member of staff to name).
 */
function own(req: FastifyRequest) {
  const { account, settings } = portalSignedIn(req);
  return { clinicId: account.clinicId, serviceUserId: account.serviceUserId, settings };
}

async function audited(ctx: AppContext, req: FastifyRequest, entityType: string, more: Record<string, unknown> = {}) {
  const { clinicId, serviceUserId } = own(req);
  await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType, entityId: serviceUserId, details: portalDetails(serviceUserId, more) });
}

function doseOut(row: DoseRow, events: readonly DoseEvent[], settings: ClinicSettings) {
  const s = summariseDose(events);
  return {
    doseId: row.doseId,
    date: row.clinicDate,
    sessionCode: row.sessionCode,
    sessionLabel: settings.sessions.find((x) => x.code === row.sessionCode)?.label ?? row.sessionCode,
    kind: row.kind as 'dose' | 'top_up',
    outcome: portalDoseOutcome(s.stage, s.givenMg),
    givenMg: s.givenMg,
    route: s.givenMg > 0 ? s.route : null,
    givenAt: s.givenMg > 0 && s.givenAt ? s.givenAt.toString() : null,
  };
}

/** The person's next prescriber review, as the review-due list works it out; null when not in treatment. */
async function nextReviewOn(orm: Orm, clinicId: string, serviceUserId: string, settings: ClinicSettings, now: Temporal.Instant, today: string): Promise<string | null> {
  const stored = await latestEpisode(orm, clinicId, serviceUserId);
  if (!stored || !TREATMENT_STATES.has(stored.episode.state)) return null;
  const version = (await currentVersion(orm, clinicId, serviceUserId))!;
  const last = (await personReviews(orm, clinicId, serviceUserId))[0] ?? null;
  const inForce = versionInForce(await prescriptionHistory(orm, clinicId, serviceUserId), now);
  const inductionAt = stored.events.find((ev) => ev.type === 'induction_started')?.at ?? stored.episode.referredAt;
  return reviewDue({
    today,
    lastReviewNextDue: last?.nextReviewDue ?? null,
    inductionDate: clinicDate(Temporal.Instant.from(inductionAt), settings.timeZone).toString(),
    reviewIntervalDays: version.record.reviewIntervalDays,
    prescriptionReviewDate: inForce?.content.status === 'active' ? inForce.content.reviewDate : null,
    reviewRequired: stored.episode.reviewRequired,
    reviewedSincePrescription: last !== null && inForce !== null && last.reviewedAt.getTime() >= inForce.signedAt.epochMilliseconds,
  }).on;
}

/**
 * The person's arrival slot and waiting area for their next dose, as the day's allocation places
 * them (their plan, staff moves, capacity); only their own placement is taken from it.
 */
async function arrivalFor(orm: Orm, clinicId: string, serviceUserId: string, settings: ClinicSettings, next: PortalSessionTime | null, now: Temporal.Instant) {
  const { slotsEnabled, waitingAreas } = settings.arrival;
  if (!next || (!slotsEnabled && waitingAreas.length === 0)) return null;
  const allocated = await sessionAllocation(orm, clinicId, next.date, next.sessionCode, now);
  const mine = allocated.allocation.placements.find((p) => p.serviceUserId === serviceUserId);
  const slot = slotsEnabled ? (mine?.slot ?? null) : null;
  const areaName = mine?.area ? (waitingAreas.find((a) => a.code === mine.area)?.name ?? null) : null;
  if (!slot && !areaName) return null;
  return { date: next.date, sessionCode: next.sessionCode, label: next.label, slotStart: slot?.start ?? null, slotEnd: slot?.end ?? null, areaName };
}

export function registerPortalData(app: App, ctx: AppContext) {
  const tags = ['portal'];

  app.get(
    '/api/v1/portal/me',
    { schema: { summary: 'Service-user portal: your name and your clinic', tags, response: { 200: PortalMe, ...errors(401, 403) } } },
    async (req) => {
      const { clinicId, serviceUserId, settings } = own(req);
      const version = (await currentVersion(ctx.db.orm, clinicId, serviceUserId))!;
      await audited(ctx, req, 'portal_me');
      return { preferredName: version.record.preferredName ?? version.record.givenName, clinicName: settings.name };
    },
  );

  app.get(
    '/api/v1/portal/today',
    {
      schema: {
        summary: 'Service-user portal: your dose times today and tomorrow, and your arrival slot and waiting area',
        tags,
        response: { 200: PortalToday, ...errors(401, 403) },
      },
    },
    async (req) => {
      const { clinicId, serviceUserId } = own(req);
      const now = ctx.clock.now();
      const { settings, today, person } = (await onePersonInCare(ctx.db.orm, clinicId, serviceUserId, now))!;
      const given = new Set<string>();
      for (const { dose, events } of await personDoses(ctx.db.orm, clinicId, serviceUserId, today)) {
        if (summariseDose(events).givenMg > 0) given.add(`${dose.clinicDate} ${dose.sessionCode}`);
      }
      const times = portalDoseTimes({
        today,
        now,
        timeZone: settings.timeZone,
        clinicSessions: settings.sessions,
        prescription: person.prescription,
        inTreatment: person.inTreatment,
        absent: person.absent,
        given,
      });
      const arrival = await arrivalFor(ctx.db.orm, clinicId, serviceUserId, settings, times.next, now);
      await audited(ctx, req, 'portal_today');
      return { today, ...times, arrival };
    },
  );

  app.get(
    '/api/v1/portal/doses',
    {
      schema: {
        summary: 'Service-user portal: your doses (date, session, what was given and how), newest first',
        tags,
        querystring: z.object({ days: z.coerce.number().int().min(1).max(90).default(28).describe('How many days back, today included') }),
        response: { 200: PortalDoses, ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const { clinicId, serviceUserId, settings } = own(req);
      const today = clinicDate(ctx.clock.now(), settings.timeZone).toString();
      const from = historyFrom(today, req.query.days);
      const rows = (await personDoses(ctx.db.orm, clinicId, serviceUserId, from)).filter((r) => r.dose.clinicDate <= today);
      await audited(ctx, req, 'portal_doses', { from, to: today });
      return { from, to: today, doses: rows.map(({ dose, events }) => doseOut(dose, events, settings)).reverse() };
    },
  );

  app.get(
    '/api/v1/portal/doses/:doseId',
    {
      schema: {
        summary: 'Service-user portal: one of your doses (anyone else\'s answers 404)',
        tags,
        params: z.object({ doseId: z.string() }),
        response: { 200: PortalDose, ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const { clinicId, serviceUserId, settings } = own(req);
      const doseId = req.params.doseId;
      const dose = UUID.test(doseId) ? await getDose(ctx.db.orm, clinicId, doseId.toLowerCase()) : null;
      // Another person's dose is "not found", exactly as a dose that does not exist.
      if (!dose || dose.serviceUserId !== serviceUserId) throw notFound('Dose');
      const events = (await eventsOfDoses(ctx.db.orm, clinicId, [dose.doseId])).get(dose.doseId)!;
      await audited(ctx, req, 'portal_dose', { doseId: dose.doseId });
      return doseOut(dose, events, settings);
    },
  );

  app.get(
    '/api/v1/portal/appointments',
    {
      schema: {
        summary: 'Service-user portal: your next prescriber review, key-work session and drug-test sample',
        tags,
        response: { 200: PortalAppointments, ...errors(401, 403) },
      },
    },
    async (req) => {
      const { clinicId, serviceUserId } = own(req);
      const now = ctx.clock.now();
      const { settings, today, person } = (await onePersonInCare(ctx.db.orm, clinicId, serviceUserId, now))!;
      const appointments = portalAppointments({
        today,
        reviewOn: await nextReviewOn(ctx.db.orm, clinicId, serviceUserId, settings, now, today),
        keyworkOn: person.inTreatment ? nextKeyworkOn(recordsOf<{ nextSessionOn?: string | null }>(person, 'keywork_session'), today) : null,
        drugTestOn: toxicologyDue(person, settings, today)?.dueOn ?? null,
      });
      await audited(ctx, req, 'portal_appointments');
      return { today, appointments };
    },
  );

  app.get(
    '/api/v1/portal/take-home',
    { schema: { summary: 'Service-user portal: your take-home supplies (recent and current)', tags, response: { 200: PortalTakeHome, ...errors(401, 403) } } },
    async (req) => {
      const { clinicId, serviceUserId } = own(req);
      const { today, person } = (await onePersonInCare(ctx.db.orm, clinicId, serviceUserId, ctx.clock.now()))!;
      await audited(ctx, req, 'portal_take_home');
      return { supplies: portalTakeHome(person.records, today) };
    },
  );

  app.get(
    '/api/v1/portal/continuity',
    { schema: { summary: 'Service-user portal: your approved continuity plan (drafts are never shown)', tags, response: { 200: PortalContinuity, ...errors(401, 403) } } },
    async (req) => {
      const { clinicId, serviceUserId } = own(req);
      const { person } = (await onePersonInCare(ctx.db.orm, clinicId, serviceUserId, ctx.clock.now()))!;
      await audited(ctx, req, 'portal_continuity');
      return { plan: portalContinuityPlan(person.records) };
    },
  );

  app.get(
    '/api/v1/portal/peer-support',
    { schema: { summary: 'Service-user portal: peer champions and support contacts your clinic offers', tags, response: { 200: PortalPeerSupport, ...errors(401, 403) } } },
    async (req) => {
      const { settings } = own(req);
      await audited(ctx, req, 'portal_peer_support');
      return { contacts: settings.peerSupport };
    },
  );
}
