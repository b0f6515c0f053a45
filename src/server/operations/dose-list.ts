import { z } from 'zod';
import { Temporal } from 'temporal-polyfill';
import { ClinicParams, errors } from '../../contract/common';
import { DoseListEntry, SessionParams } from '../../contract/dosing';
import { readStoredClinicSettings, type ClinicSettings } from '../../domain/clinic/clinic-settings';
import { checkDose } from '../../domain/dosing/dose-rules';
import { summariseDose } from '../../domain/dosing/dose-record';
import { observationMinutes } from '../../domain/dosing/session-rules';
import { wasGiven } from '../../domain/dosing/dose-history';
import { displayName } from '../../domain/service-user/record';
import { reviewDue } from '../../domain/prescription/review-due';
import { TREATMENT_STATES } from '../../domain/episode/episode-event';
import { versionInForce } from '../../domain/prescription/versions';
import { clinicDate, sessionWindow } from '../../domain/time/clinic-time';
import { currentSettings } from '../../store/clinics';
import { clinicDoses, getSession, sessionsBetween } from '../../store/dosing';
import { listItems, pageName } from '../../store/cd-register';
import { auditRead } from '../../store/transaction';
import type { Orm } from '../../store/database';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { badRequest, notFound } from '../errors';
import { alertsFor, idParam } from '../clinical/output';
import type { PersonState } from '../clinical/person';
import { readBoardPeople } from '../dosing/board-people';
import { doseContext } from '../dosing/dose-context';
import { expectedAt, readClinicWide } from '../dosing/expected';

type Entry = z.infer<typeof DoseListEntry>;

function reviewDueFor(person: PersonState, rx: PersonState['prescriptions'][number] | null) {
  const episode = person.episode!;
  const inductionAt = episode.events.find((ev) => ev.type === 'induction_started')?.at ?? episode.episode.referredAt;
  return reviewDue({
    today: person.today,
    lastReviewNextDue: person.lastReview?.nextReviewDue ?? null,
    inductionDate: clinicDate(Temporal.Instant.from(inductionAt), person.settings.timeZone).toString(),
    reviewIntervalDays: person.record.record.reviewIntervalDays,
    prescriptionReviewDate: rx?.content.status === 'active' ? rx.content.reviewDate : null,
    reviewRequired: episode.episode.reviewRequired,
    reviewedSincePrescription: person.lastReview !== null && rx !== null && Temporal.Instant.compare(person.lastReview.reviewedAt, rx.signedAt) >= 0,
  });
}

/** Everyone expected at a session, or who came: their status, planned dose, next possible time and alerts. */
async function doseList(orm: Orm, clinicId: string, date: string, code: string, now: Temporal.Instant, known?: ClinicSettings) {
  const settings = known ?? readStoredClinicSettings((await currentSettings(orm, clinicId))!.settings);
  const def = settings.sessions.find((s) => s.code === code);
  if (!def) throw badRequest('session', `this clinic has no session ${code}`);
  const window = sessionWindow(Temporal.PlainDate.from(date), def, settings.timeZone);
  const session = { code, clinicDate: date, opens: window.opens, closes: window.closes };
  const clinicWide = await readClinicWide(orm, clinicId);
  const expected = await expectedAt(orm, clinicId, settings, date, code, now, clinicWide);
  const doses = (await clinicDoses(orm, clinicId, date, date)).filter((d) => d.dose.sessionCode === code && d.dose.kind === 'dose');
  const people = [...new Set([...expected, ...doses.map((d) => d.dose.serviceUserId)])];
  // Everyone at once: a constant number of queries for the whole board (issue 10), not ~19 per person.
  const board = await readBoardPeople(orm, clinicId, settings, people, now, clinicWide);
  const entries: Entry[] = [];
  for (const serviceUserId of people) {
    const found = board.get(serviceUserId);
    if (!found) throw new Error(`service user ${serviceUserId} on the dose list has no record`);
    const { state: person, exceptions } = found;
    const mine = doses.find((d) => d.dose.serviceUserId === serviceUserId);
    const events = mine?.events ?? [];
    const summary = mine ? summariseDose(events) : null;
    const stage = summary?.stage ?? null;
    const rx = versionInForce(person.prescriptions, now);
    const route = rx?.content.diamorphine.ivDoseMg != null ? 'iv' : rx ? 'im' : null;
    const preview = route ? checkDose({ kind: 'dose', route, mg: 1 }, doseContext(person, session, now, exceptions, events)) : null;
    const lastGiven = [...person.history].filter(wasGiven).sort((a, b) => b.at.epochMilliseconds - a.at.epochMilliseconds)[0];
    const alerts = [...alertsFor(person.record, person.episode, rx), ...found.careAlerts];
    const review = person.episode && TREATMENT_STATES.has(person.episode.episode.state) ? reviewDueFor(person, rx) : null;
    if (review?.dueNow) alerts.push({ kind: 'review_due', severity: 'warning', text: `Prescriber review ${review.overdue ? `overdue since ${review.on}` : 'due today'} (${review.why})` });
    if (person.missed.retitrationLocked) alerts.unshift({ kind: 'missed_dose_lock', severity: 'danger', text: `${person.missed.consecutiveMissed >= settings.dosing.missedDosesForRetitration ? `${person.missed.consecutiveMissed} doses missed in a row` : 'Doses were missed'}: re-titration dose only until a prescriber records the plan` });
    const status: Entry['status'] =
      stage === null
        ? expected.includes(serviceUserId)
          ? 'due'
          : 'not_expected'
        : stage === 'assessed'
          ? 'in_assessment'
          : (stage as Entry['status']);
    entries.push({
      serviceUserId,
      displayName: displayName(person.record.record),
      status,
      doseId: mine?.dose.doseId ?? null,
      plannedMg: preview && preview.ok ? preview.value.maxMg : null,
      route,
      nextPossibleAt: lastGiven ? lastGiven.at.add({ minutes: settings.minimumDoseIntervalMinutes }).toString() : null,
      observeUntil:
        stage === 'in_observation' && summary?.givenAt && summary.route
          ? summary.givenAt.add({ minutes: observationMinutes(summary.route, settings.dosing) }).toString()
          : null,
      alerts,
    });
  }
  return { settings, entries: entries.sort((a, b) => a.displayName.localeCompare(b.displayName)), people: board };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function registerDoseList(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/clinics/:clinicId/dose-list',
    {
      schema: {
        summary: 'The dose list for a session: everyone expected, their status, planned dose, next possible time and alerts',
        tags: ['dosing room'],
        params: ClinicParams,
        querystring: z.object({ date: z.iso.date().optional(), session: z.string().max(16) }),
        response: { 200: z.object({ date: z.string(), session: z.string(), entries: z.array(DoseListEntry) }), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const now = ctx.clock.now();
      const settings = readStoredClinicSettings((await currentSettings(ctx.db.orm, clinicId))!.settings);
      const date = req.query.date ?? clinicDate(now, settings.timeZone).toString();
      const { entries } = await doseList(ctx.db.orm, clinicId, date, req.query.session, now, settings);
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'dose_list', details: { date, session: req.query.session, serviceUserIds: entries.map((e) => e.serviceUserId) } });
      return { date, session: req.query.session, entries };
    },
  );

  app.get(
    '/api/v1/clinics/:clinicId/sessions/:sessionId/downtime-pack',
    {
      schema: {
        summary: 'A printable pack to keep dosing through an IT failure: the dose list, active prescriptions and register balances',
        tags: ['dosing room'],
        params: SessionParams,
        response: { 200: z.string().describe('text/html'), ...errors(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const sessionId = idParam(req, 'sessionId', 'Session');
      const found = await getSession(ctx.db.orm, clinicId, sessionId);
      if (!found) throw notFound('Session');
      const now = ctx.clock.now();
      const { session: s } = found;
      const { settings, entries, people } = await doseList(ctx.db.orm, clinicId, s.clinicDate, s.sessionCode, now);
      const items = await listItems(ctx.db.orm, clinicId);
      const rows: string[] = [];
      for (const e of entries) {
        const person = people.get(e.serviceUserId)!.state;
        const rx = versionInForce(person.prescriptions, now)?.content;
        const order = rx?.diamorphine;
        rows.push(
          `<tr><td>${escapeHtml(e.displayName)}<br><small>${escapeHtml(person.record.record.dateOfBirth)}</small></td><td>${escapeHtml(e.status)}</td><td>${order ? `IV ${order.ivDoseMg ?? '—'} mg / IM ${order.imDoseMg ?? '—'} mg; sessions ${order.sessions.join(', ')}${order.topUp ? `; top-up ≤ ${order.topUp.maxMg} mg after ${order.topUp.minWaitMinutes} min` : ''}` : 'none in force'}</td><td>${e.plannedMg ?? '—'}</td><td>${e.nextPossibleAt ? escapeHtml(e.nextPossibleAt) : ''}</td><td>${e.alerts.map((a) => escapeHtml(a.text)).join('<br>')}</td><td class="blank"></td><td class="blank"></td><td class="blank"></td></tr>`,
        );
      }
      const earlier = (await sessionsBetween(ctx.db.orm, clinicId, s.clinicDate, s.clinicDate)).length;
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'downtime_pack', entityId: sessionId });
      const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Downtime pack ${escapeHtml(s.clinicDate)} ${escapeHtml(s.sessionCode)}</title>
<style>body{font:10pt system-ui,sans-serif;margin:1cm}table{border-collapse:collapse;width:100%}th,td{border:1px solid #333;padding:3px;vertical-align:top}td.blank{min-width:5em}@media print{@page{size:A4 landscape}}</style></head><body>
<h1>Downtime pack — ${escapeHtml(settings.name)}, ${escapeHtml(s.clinicDate)} session ${escapeHtml(s.sessionCode)}</h1>
<p>Printed ${escapeHtml(now.toString())}. Sessions today so far: ${earlier}. Record every dose given on paper with the time it happened; enter it afterwards as a late entry (the time it happened is kept).</p>
<table><thead><tr><th>Person</th><th>Status at print</th><th>Prescription in force</th><th>Planned mg</th><th>Next possible</th><th>Alerts</th><th>Time given</th><th>mg / route / site</th><th>Nurse / witness</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>
<h2>Register balances at print</h2><table><thead><tr><th>Page</th><th>Location</th><th>Balance (ampoules)</th></tr></thead><tbody>${items.map((i) => `<tr><td>${escapeHtml(pageName(i))}</td><td>${escapeHtml(i.location)}</td><td>${i.balance}</td></tr>`).join('')}</tbody></table>
</body></html>`;
      return reply.header('content-type', 'text/html; charset=utf-8').send(html);
    },
  );
}
