import { z } from 'zod';
import { Temporal } from 'temporal-polyfill';
import { ClinicParams, errors } from '../../contract/common';
import { HandoverRequest, OpenSessionRequest, SessionOut, SessionParams } from '../../contract/dosing';
import { readStoredClinicSettings } from '../../domain/clinic/clinic-settings';
import { closingRefusals, openingRefusals, type DoseStage } from '../../domain/dosing/session-rules';
import { summariseDose } from '../../domain/dosing/dose-record';
import { displayName } from '../../domain/service-user/record';
import { clinicDate, sessionWindow } from '../../domain/time/clinic-time';
import { dateToInstant, instantToDate } from '../../domain/time/clock';
import { currentSettings } from '../../store/clinics';
import { addHandoverNote, clinicDoses, closeSession, findSession, getSession, handoverNotesFor, insertSession, lockSession, sessionsBetween } from '../../store/dosing';
import { currentVersion, listServiceUsers } from '../../store/service-users';
import { rolesAt } from '../../store/staff';
import type { Orm } from '../../store/database';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { badRequest, conflict, notFound, refused } from '../errors';
import { idParam } from '../clinical/output';
import { markMissed } from '../dosing/missed-doses';
import { sendWrite } from '../write';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function sessionOut(orm: Orm, clinicId: string, sessionId: string) {
  const found = await getSession(orm, clinicId, sessionId);
  if (!found) throw notFound('Session');
  const { session: s, closure } = found;
  // Handover: notes written in this session and in the session before it.
  const earlier = (await sessionsBetween(orm, clinicId, Temporal.PlainDate.from(s.clinicDate).subtract({ days: 1 }).toString(), s.clinicDate))
    .map((x) => x.session)
    .filter((x) => x.windowOpens.getTime() < s.windowOpens.getTime());
  const previous = earlier.at(-1);
  const notes = await handoverNotesFor(orm, clinicId, [s.sessionId, ...(previous ? [previous.sessionId] : [])]);
  return {
    sessionId: s.sessionId,
    clinicDate: s.clinicDate,
    sessionCode: s.sessionCode,
    windowOpens: s.windowOpens.toISOString(),
    windowCloses: s.windowCloses.toISOString(),
    openedAt: s.openedAt.toISOString(),
    openedBy: s.openedBy,
    opening: s.opening as Record<string, unknown>,
    closed: closure ? { closedAt: closure.closedAt.toISOString(), closedBy: closure.closedBy, automatic: closure.automatic, missed: closure.missed } : null,
    handover: notes.map((n) => ({ noteId: n.noteId, writtenAt: n.writtenAt.toISOString(), writtenBy: n.writtenBy, note: n.note, aboutServiceUserId: n.aboutServiceUserId, fromSessionId: n.sessionId })),
  };
}

/** Opening (staff, key holder, emergency kit), handover notes, and closing (then the missed doses). */
export function registerDosingSessions(app: App, ctx: AppContext) {
  app.post(
    '/api/v1/clinics/:clinicId/sessions',
    { schema: { summary: 'Open a dosing session', tags: ['dosing room'], params: ClinicParams, body: OpenSessionRequest, response: { 201: SessionOut, ...errors(400, 401, 403, 404, 409, 422) } } },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const b = req.body;
      return sendWrite(ctx, req, reply, 201, async (w) => {
        const now = dateToInstant(w.now);
        const settings = readStoredClinicSettings((await currentSettings(w.tx, clinicId))!.settings);
        const def = settings.sessions.find((s) => s.code === b.sessionCode);
        if (!def) throw badRequest('sessionCode', `this clinic has no session ${b.sessionCode} (it has ${settings.sessions.map((s) => s.code).join(', ')})`);
        const date = b.date ? Temporal.PlainDate.from(b.date) : clinicDate(now, settings.timeZone);
        const staffOnDuty = [];
        for (const [i, id] of b.staffOnDuty.entries()) {
          const roles = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? await rolesAt(w.tx, clinicId, id.toLowerCase()) : [];
          if (roles.length === 0) throw badRequest(`staffOnDuty[${i}]`, 'is not a member of staff at this clinic');
          staffOnDuty.push({ staffId: id.toLowerCase(), roles });
        }
        const opening = { staffOnDuty, cdKeyHolderId: b.cdKeyHolderId.toLowerCase(), checklist: b.checklist };
        const problems = openingRefusals(opening, clinicDate(now, settings.timeZone).toString());
        if (problems.length) throw refused(problems);
        const existing = await findSession(w.tx, clinicId, date.toString(), def.code);
        if (existing) throw conflict('session_already_open', `Session ${def.code} on ${date} is already open${(existing.opening as { automatic?: boolean }).automatic ? ' (recorded automatically when its window ended)' : ''}`);
        const window = sessionWindow(date, def, settings.timeZone);
        const s = await insertSession(w, clinicId, {
          clinicDate: date.toString(),
          sessionCode: def.code,
          windowOpens: instantToDate(window.opens),
          windowCloses: instantToDate(window.closes),
          opening,
        });
        return sessionOut(w.tx, clinicId, s.sessionId);
      });
    },
  );

  app.get(
    '/api/v1/clinics/:clinicId/sessions',
    {
      schema: {
        summary: 'The sessions of a day',
        tags: ['dosing room'],
        params: ClinicParams,
        querystring: z.object({ date: z.iso.date().optional() }),
        response: { 200: z.object({ date: z.string(), sessions: z.array(SessionOut) }), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const settings = readStoredClinicSettings((await currentSettings(ctx.db.orm, clinicId))!.settings);
      const date = req.query.date ?? clinicDate(ctx.clock.now(), settings.timeZone).toString();
      const rows = await sessionsBetween(ctx.db.orm, clinicId, date, date);
      const sessions = [];
      for (const r of rows) sessions.push(await sessionOut(ctx.db.orm, clinicId, r.session.sessionId));
      return { date, sessions };
    },
  );

  app.get(
    '/api/v1/clinics/:clinicId/sessions/:sessionId',
    { schema: { summary: 'A session, with handover notes from it and the one before', tags: ['dosing room'], params: SessionParams, response: { 200: SessionOut, ...errors(401, 403, 404) } } },
    async (req) => sessionOut(ctx.db.orm, clinicIdOf(req), idParam(req, 'sessionId', 'Session')),
  );

  app.post(
    '/api/v1/clinics/:clinicId/sessions/:sessionId/handover',
    { schema: { summary: 'Write a handover note for the next session', tags: ['dosing room'], params: SessionParams, body: HandoverRequest, response: { 201: SessionOut, ...errors(400, 401, 403, 404) } } },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const sessionId = idParam(req, 'sessionId', 'Session');
      return sendWrite(ctx, req, reply, 201, async (w) => {
        if (!(await getSession(w.tx, clinicId, sessionId))) throw notFound('Session');
        // The note may name a person: one of this clinic's (an unchecked id was a 500, found by the fuzzer).
        const about = req.body.serviceUserId?.toLowerCase() ?? null;
        if (about !== null && !(UUID_PATTERN.test(about) && (await currentVersion(w.tx, clinicId, about)))) {
          throw badRequest('serviceUserId', 'is not a service user at this clinic');
        }
        await addHandoverNote(w, clinicId, sessionId, req.body.note, about);
        return sessionOut(w.tx, clinicId, sessionId);
      });
    },
  );

  app.post(
    '/api/v1/clinics/:clinicId/sessions/:sessionId/close',
    {
      schema: {
        summary: 'Close the session: refused while anyone is in observation or a prepared dose has no outcome; then no-shows are missed',
        tags: ['dosing room'],
        params: SessionParams,
        response: { 200: SessionOut, ...errors(401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const sessionId = idParam(req, 'sessionId', 'Session');
      return sendWrite(ctx, req, reply, 200, async (w) => {
        await lockSession(w.tx, clinicId, sessionId);
        const found = await getSession(w.tx, clinicId, sessionId);
        if (!found) throw notFound('Session');
        if (found.closure) throw conflict('session_closed', 'This session is already closed');
        const s = found.session;
        const names = new Map((await listServiceUsers(w.tx, clinicId)).map((p) => [p.serviceUserId, displayName(p.record)]));
        const doses = (await clinicDoses(w.tx, clinicId, s.clinicDate, s.clinicDate)).filter((d) => d.dose.sessionCode === s.sessionCode);
        const problems = closingRefusals(doses.map((d) => ({ name: names.get(d.dose.serviceUserId) ?? 'someone', stage: summariseDose(d.events).stage as DoseStage })));
        if (problems.length) throw refused(problems);
        const missed = await markMissed(w, clinicId, sessionId);
        await closeSession(w, clinicId, sessionId, false, missed);
        return sessionOut(w.tx, clinicId, sessionId);
      });
    },
  );
}
