import { Temporal } from 'temporal-polyfill';
import { readStoredClinicSettings } from '../../domain/clinic/clinic-settings';
import { clinicDate, sessionWindow } from '../../domain/time/clinic-time';
import { instantToDate } from '../../domain/time/clock';
import { clinicDoses, closeSession, doseFor, appendDoseEvent, findSession, insertSession, getSession } from '../../store/dosing';
import { currentSettings, listClinics } from '../../store/clinics';
import { inTransaction, SYSTEM_ACTOR, type WriteContext } from '../../store/transaction';
import type { AppContext } from '../context';
import { expectedAt } from './expected';

/**
 * Expected doses with no attendance become missed when a session is closed, and also when its
 * window has ended with the session still open or never opened (nobody logged in, or the server
 * was down): this job runs at start and every minute, catches up on the last days, and is
 * idempotent (a closed session is not closed again; a person has one dose row per session).
 */
export async function markMissed(w: WriteContext, clinicId: string, sessionId: string): Promise<number> {
  const found = (await getSession(w.tx, clinicId, sessionId))!;
  const s = found.session;
  const settings = readStoredClinicSettings((await currentSettings(w.tx, clinicId))!.settings);
  const closes = Temporal.Instant.fromEpochMilliseconds(s.windowCloses.getTime());
  const expected = await expectedAt(w.tx, clinicId, settings, s.clinicDate, s.sessionCode, closes);
  const attended = new Set((await clinicDoses(w.tx, clinicId, s.clinicDate, s.clinicDate)).filter((d) => d.dose.sessionCode === s.sessionCode && d.dose.kind === 'dose' && d.events.length > 0).map((d) => d.dose.serviceUserId));
  let missed = 0;
  for (const serviceUserId of expected) {
    if (attended.has(serviceUserId)) continue;
    const dose = await doseFor(w, clinicId, { serviceUserId, clinicDate: s.clinicDate, sessionCode: s.sessionCode, kind: 'dose', sessionId });
    await appendDoseEvent(w, clinicId, dose, 1, { type: 'missed', at: closes.toString(), by: null }, []);
    missed++;
  }
  return missed;
}

export async function catchUpMissedDoses(ctx: Pick<AppContext, 'db' | 'clock'>, days = 3): Promise<number> {
  const now = ctx.clock.now();
  let total = 0;
  for (const clinic of await listClinics(ctx.db.orm)) {
    const settings = readStoredClinicSettings((await currentSettings(ctx.db.orm, clinic.clinicId))!.settings);
    const today = clinicDate(now, settings.timeZone);
    for (let back = days; back >= 0; back--) {
      const date = today.subtract({ days: back });
      for (const def of settings.sessions) {
        const window = sessionWindow(date, def, settings.timeZone);
        if (Temporal.Instant.compare(window.closes, now) > 0) continue;
        // Nothing to record for sessions that ended before the clinic existed.
        if (window.closes.epochMilliseconds < clinic.createdAt.getTime()) continue;
        const existing = await findSession(ctx.db.orm, clinic.clinicId, date.toString(), def.code);
        if (existing && (await getSession(ctx.db.orm, clinic.clinicId, existing.sessionId))!.closure) continue;
        total += await inTransaction(ctx.db, ctx.clock, SYSTEM_ACTOR, async (w) => {
          const session =
            (await findSession(w.tx, clinic.clinicId, date.toString(), def.code)) ??
            (await insertSession(w, clinic.clinicId, {
              clinicDate: date.toString(),
              sessionCode: def.code,
              windowOpens: instantToDate(window.opens),
              windowCloses: instantToDate(window.closes),
              opening: { automatic: true, note: 'not opened by staff; recorded so that missed doses are counted' },
            }));
          if ((await getSession(w.tx, clinic.clinicId, session.sessionId))!.closure) return 0;
          const missed = await markMissed(w, clinic.clinicId, session.sessionId);
          await closeSession(w, clinic.clinicId, session.sessionId, true, missed);
          return missed;
        });
      }
    }
  }
  return total;
}
