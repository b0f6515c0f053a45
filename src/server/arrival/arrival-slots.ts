import { sql } from 'drizzle-orm';
import { ClinicParams, errors } from '../../contract/common';
import { checkMove } from '../../domain/arrival/allocation';
import { refuse } from '../../domain/refusal';
import { dateToInstant } from '../../domain/time/clock';
import { insertCareRecord } from '../../store/care-records';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { lockPerson } from '../clinical/person';
import { badRequest, refused } from '../errors';
import { sendWrite } from '../write';
import { AllocationOut, MoveOut, MoveRequest, SessionDayQuery } from './schemas';
import { allocationOut, sessionAllocation, type ArrivalChange } from './session-allocation';

/**
 * A session's arrival slots and waiting areas for a day: who comes when and waits where, and staff
 * moving someone for the day (a care record, kind `arrival_change`), refused when the slot or area
 * is full or when it would seat someone stopping street drugs with someone actively using.
 */
export function registerArrivalSlots(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/clinics/:clinicId/arrival-slots',
    {
      schema: {
        summary: "A session's allocation: everyone expected with their slot and waiting area, each slot and area with its count, and any clash",
        tags: ['arrivals'],
        params: ClinicParams,
        querystring: SessionDayQuery,
        response: { 200: AllocationOut, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const a = await sessionAllocation(ctx.db.orm, clinicId, req.query.date ?? null, req.query.session, ctx.clock.now());
      await auditRead(ctx.db, ctx.clock, req.actor, {
        clinicId,
        entityType: 'arrival_allocation',
        details: { date: a.date, session: a.session.code, serviceUserIds: [...a.candidates.keys()] },
      });
      return allocationOut(a);
    },
  );

  app.post(
    '/api/v1/clinics/:clinicId/arrival-slots/moves',
    {
      schema: {
        summary: 'Move a person to another slot and/or waiting area for one session on one day (refused if full, or if it would seat people stopping street drugs with people actively using)',
        tags: ['arrivals'],
        params: ClinicParams,
        body: MoveRequest,
        response: { 201: MoveOut, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const b = req.body;
      const slot = b.slot ?? null;
      const area = b.area ?? null;
      if (slot === null && area === null) throw badRequest('slot', 'give a slot or a waiting area to move them to (or both)');
      const serviceUserId = b.serviceUserId.toLowerCase();
      return sendWrite(ctx, req, reply, 201, async (w) => {
        const now = dateToInstant(w.now);
        // One move at a time per session and day, so that two staff cannot both take the last place.
        await w.tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`${clinicId}:arrival:${b.date}:${b.session}`}, 0))`);
        await lockPerson(w.tx, clinicId, serviceUserId, now);
        const a = await sessionAllocation(w.tx, clinicId, b.date, b.session, now);
        if (!a.settings.arrival.slotsEnabled) {
          throw refused([refuse('arrival_slots_off', 'This clinic does not use arrival slots (Administration: settings, arrival.slotsEnabled)')]);
        }
        const placement = a.allocation.placements.find((p) => p.serviceUserId === serviceUserId);
        if (!placement) {
          throw refused([refuse('not_expected', `${a.names.get(serviceUserId) ?? 'This person'} is not expected at ${a.session.code} on ${a.date}`, 'serviceUserId')]);
        }
        const check = checkMove({
          allocation: a.allocation,
          slots: a.slots,
          peoplePerSlot: a.settings.arrival.peoplePerSlot,
          areas: a.settings.arrival.waitingAreas,
          person: a.candidates.get(serviceUserId)!,
          needs: a.needs,
          slot,
          area,
        });
        if (!check.ok) throw refused(check.refusals);
        const data: ArrivalChange = { session: a.session.code, slot, area, reason: b.reason, previous: { slot: placement.slot?.start ?? null, area: placement.area } };
        const record = await insertCareRecord<ArrivalChange>(w, clinicId, { serviceUserId, kind: 'arrival_change', effectiveDate: a.date, data });
        return { recordId: record.recordId, serviceUserId, date: a.date, ...data, recordedAt: record.recordedAt, recordedBy: record.recordedBy };
      });
    },
  );
}
