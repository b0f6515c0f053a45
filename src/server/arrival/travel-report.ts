import { Temporal } from 'temporal-polyfill';
import { ClinicParams, errors } from '../../contract/common';
import { attendanceOf, journeyBand, travelBands, type SessionOutcome } from '../../domain/arrival/travel';
import { summariseDose } from '../../domain/dosing/dose-record';
import { displayName } from '../../domain/service-user/record';
import { clinicDoses } from '../../store/dosing';
import { listServiceUsers } from '../../store/service-users';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { badRequest } from '../errors';
import { TravelQuery, TravelReportOut } from './schemas';

/** The longest period one report covers. */
const MAX_DAYS = 366;

/**
 * Travel burden: each person's attendance over a period (from the dosing room's record: a session
 * counts once the person's dose has an outcome, "missed" included) against their journey, and the
 * same summed by journey length.
 */
export function registerTravelReport(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/clinics/:clinicId/reports/travel',
    {
      schema: {
        summary: 'Attendance against journey length: per person (minutes one way, transport, changes) and per band of journey length',
        tags: ['arrivals', 'reports'],
        params: ClinicParams,
        querystring: TravelQuery,
        response: { 200: TravelReportOut, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const { from, to } = req.query;
      const days = Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(to), { largestUnit: 'days' }).days;
      if (days < 0) throw badRequest('to', `is before from (${from})`);
      if (days >= MAX_DAYS) throw badRequest('to', `is more than ${MAX_DAYS} days after from: report on a year at most`);
      const [doses, people] = await Promise.all([clinicDoses(ctx.db.orm, clinicId, from, to), listServiceUsers(ctx.db.orm, clinicId)]);
      const outcomes = new Map<string, SessionOutcome[]>();
      for (const { dose, events } of doses) {
        if (dose.kind !== 'dose' || events.length === 0) continue;
        const s = summariseDose(events);
        const outcome: SessionOutcome = s.stage === 'missed' ? 'missed' : s.givenMg > 0 ? 'given' : 'attended_not_given';
        outcomes.set(dose.serviceUserId, [...(outcomes.get(dose.serviceUserId) ?? []), outcome]);
      }
      const rows = people
        .filter((p) => outcomes.has(p.serviceUserId))
        .map((p) => {
          const travel = p.record.travel;
          const attendance = attendanceOf(outcomes.get(p.serviceUserId)!);
          return {
            serviceUserId: p.serviceUserId,
            displayName: displayName(p.record),
            minutesOneWay: travel?.minutesOneWay ?? null,
            transport: travel?.transport ?? [],
            changes: travel?.changes ?? null,
            band: journeyBand(travel?.minutesOneWay ?? null),
            ...attendance,
          };
        });
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'travel_report', details: { from, to, serviceUserIds: rows.map((r) => r.serviceUserId) } });
      return { from, to, people: rows, bands: travelBands(rows.map((r) => ({ minutesOneWay: r.minutesOneWay, attendance: r }))) };
    },
  );
}
