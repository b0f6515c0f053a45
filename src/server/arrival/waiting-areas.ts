import { ClinicParams, errors } from '../../contract/common';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { SessionDayQuery, WaitingAreasOut } from './schemas';
import { sessionAllocation } from './session-allocation';

/** Each waiting area for a session: its capacity, who waits there (as allocated) and how many. */
export function registerWaitingAreas(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/clinics/:clinicId/waiting-areas',
    {
      schema: {
        summary: 'Each waiting area for a session on a day: capacity, who waits there and how many',
        tags: ['arrivals'],
        params: ClinicParams,
        querystring: SessionDayQuery,
        response: { 200: WaitingAreasOut, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const a = await sessionAllocation(ctx.db.orm, clinicId, req.query.date ?? null, req.query.session, ctx.clock.now());
      await auditRead(ctx.db, ctx.clock, req.actor, {
        clinicId,
        entityType: 'waiting_areas',
        details: { date: a.date, session: a.session.code, serviceUserIds: [...a.candidates.keys()] },
      });
      const name = (id: string) => a.names.get(id) ?? 'Unknown';
      const { placements } = a.allocation;
      return {
        date: a.date,
        session: a.session.code,
        enabled: a.settings.arrival.slotsEnabled,
        areas: a.settings.arrival.waitingAreas.map((area) => {
          const here = placements.filter((p) => p.area === area.code);
          return {
            code: area.code,
            name: area.name,
            purpose: area.purpose,
            capacity: area.capacity,
            count: here.length,
            people: here.map((p) => ({ serviceUserId: p.serviceUserId, displayName: name(p.serviceUserId), slot: p.slot?.start ?? null, separateBecause: a.needs.get(p.serviceUserId) ?? null })),
          };
        }),
        withoutArea:
          a.settings.arrival.waitingAreas.length === 0
            ? []
            : placements.filter((p) => p.area === null).map((p) => ({ serviceUserId: p.serviceUserId, displayName: name(p.serviceUserId), why: p.unallocated.join('; ') })),
        warnings: a.allocation.warnings.map((w) => ({ rule: w.rule, area: w.area, message: w.message })),
      };
    },
  );
}
