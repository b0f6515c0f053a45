import { Temporal } from 'temporal-polyfill';
import { allocate, type Allocation, type Candidate } from '../../domain/arrival/allocation';
import type { ArrivalPlan, SeparationReason } from '../../domain/arrival/arrival-plan';
import { slotsFor, type Slot } from '../../domain/arrival/slots';
import { inDateOrder, latestOf, type CareRecord } from '../../domain/care/care-record';
import { readStoredClinicSettings, type ClinicSettings, type DosingSession } from '../../domain/clinic/clinic-settings';
import { displayName } from '../../domain/service-user/record';
import { clinicDate, sessionWindow } from '../../domain/time/clinic-time';
import { clinicCareRecords } from '../../store/care-records';
import { currentSettings } from '../../store/clinics';
import type { Orm } from '../../store/database';
import { listServiceUsers } from '../../store/service-users';
import { expectedAt } from '../dosing/expected';
import { badRequest } from '../errors';

/** What staff recorded when moving someone for a day (care record kind `arrival_change`). */
export interface ArrivalChange {
  session: string;
  /** Slot start (HH:MM), or null: the move left the slot as it was. */
  slot: string | null;
  /** Waiting area code, or null: the move left the area as it was. */
  area: string | null;
  reason: string;
  /** Where they were before the move. */
  previous: { slot: string | null; area: string | null };
}

export interface SessionAllocation {
  settings: ClinicSettings;
  date: string;
  today: string;
  session: DosingSession;
  slots: Slot[];
  allocation: Allocation;
  candidates: Map<string, Candidate>;
  names: Map<string, string>;
  needs: Map<string, SeparationReason | null>;
  /** The latest move for the day of each person who was moved, for the screen. */
  moves: Map<string, CareRecord<ArrivalChange>>;
}

/**
 * The allocation of one session on one day (null: today), from what is stored: who is expected (as the dose
 * list sees it), their standing plans and the day's moves. Call it inside a transaction (with its
 * handle) when deciding a write on it. Exported for other areas (e.g. the portal's "your slot").
 */
export async function sessionAllocation(orm: Orm, clinicId: string, day: string | null, sessionCode: string, now: Temporal.Instant): Promise<SessionAllocation> {
  const settings = readStoredClinicSettings((await currentSettings(orm, clinicId))!.settings);
  const session = settings.sessions.find((s) => s.code === sessionCode);
  if (!session) throw badRequest('session', `this clinic has no session ${sessionCode} (it has ${settings.sessions.map((s) => s.code).join(', ')})`);
  const today = clinicDate(now, settings.timeZone).toString();
  const date = day ?? today;
  // The allocation follows today's treatment and prescriptions, so it is for today and later days.
  if (date < today) throw badRequest('date', `is before today (${today}): allocations are for today and later days`);
  // Who is expected is decided by the prescription in force: now for today, at the session's
  // opening for a later day.
  const at = date > today ? sessionWindow(Temporal.PlainDate.from(date), session, settings.timeZone).opens : now;
  const expected = await expectedAt(orm, clinicId, settings, date, sessionCode, at);
  const [plans, changes, people] = await Promise.all([
    clinicCareRecords<ArrivalPlan>(orm, clinicId, ['arrival_plan']),
    clinicCareRecords<ArrivalChange>(orm, clinicId, ['arrival_change'], { from: date, to: date }),
    listServiceUsers(orm, clinicId),
  ]);
  const names = new Map(people.map((p) => [p.serviceUserId, displayName(p.record)]));
  const planOf = new Map<string, ArrivalPlan>();
  for (const id of new Set(plans.map((p) => p.serviceUserId))) planOf.set(id, latestOf(plans.filter((p) => p.serviceUserId === id))!.data);
  const movesOf = new Map<string, CareRecord<ArrivalChange>[]>();
  for (const c of inDateOrder(changes.filter((c) => c.data.session === sessionCode))) movesOf.set(c.serviceUserId, [...(movesOf.get(c.serviceUserId) ?? []), c]);

  const candidates = new Map<string, Candidate>();
  for (const serviceUserId of expected) {
    const plan = planOf.get(serviceUserId);
    const moves = movesOf.get(serviceUserId) ?? [];
    candidates.set(serviceUserId, {
      serviceUserId,
      separateBecause: plan?.separateBecause ?? null,
      preferredSlot: plan?.preferredSlots[sessionCode] ?? null,
      preferredArea: plan?.preferredArea ?? null,
      movedSlot: moves.findLast((m) => m.data.slot !== null)?.data.slot ?? null,
      movedArea: moves.findLast((m) => m.data.area !== null)?.data.area ?? null,
    });
  }
  const slots = slotsFor(session, settings.arrival.slotMinutes);
  const allocation = allocate({ slots, peoplePerSlot: settings.arrival.peoplePerSlot, areas: settings.arrival.waitingAreas, people: [...candidates.values()] });
  const moves = new Map([...movesOf].filter(([id]) => candidates.has(id)).map(([id, list]) => [id, list.at(-1)!]));
  return {
    settings,
    date,
    today,
    session,
    slots,
    allocation,
    candidates,
    names,
    needs: new Map([...candidates.values()].map((c) => [c.serviceUserId, c.separateBecause])),
    moves,
  };
}

/** The allocation as the API gives it. */
export function allocationOut(a: SessionAllocation) {
  const { allocation, settings, names } = a;
  const name = (id: string) => names.get(id) ?? 'Unknown';
  const areaName = new Map(settings.arrival.waitingAreas.map((x) => [x.code, x.name]));
  return {
    date: a.date,
    session: { code: a.session.code, label: a.session.label, start: a.session.start, end: a.session.end },
    enabled: settings.arrival.slotsEnabled,
    slotMinutes: settings.arrival.slotMinutes,
    peoplePerSlot: settings.arrival.peoplePerSlot,
    slots: a.slots.map((s) => {
      const here = allocation.placements.filter((p) => p.slot?.code === s.code);
      return { ...s, places: settings.arrival.peoplePerSlot, count: here.length, people: here.map((p) => ({ serviceUserId: p.serviceUserId, displayName: name(p.serviceUserId) })) };
    }),
    areas: settings.arrival.waitingAreas.map((x) => ({ code: x.code, name: x.name, purpose: x.purpose, capacity: x.capacity, count: allocation.areaCounts[x.code] ?? 0 })),
    people: allocation.placements.map((p) => {
      const move = a.moves.get(p.serviceUserId);
      return {
        serviceUserId: p.serviceUserId,
        displayName: name(p.serviceUserId),
        slot: p.slot,
        slotBasis: p.slotBasis,
        area: p.area,
        areaName: p.area ? (areaName.get(p.area) ?? p.area) : null,
        areaBasis: p.areaBasis,
        separateBecause: a.needs.get(p.serviceUserId) ?? null,
        notes: p.notes,
        lastMove: move ? { recordId: move.recordId, reason: move.data.reason, recordedAt: move.recordedAt, recordedBy: move.recordedBy } : null,
      };
    }),
    unallocated: allocation.placements
      .filter((p) => p.unallocated.length > 0)
      .map((p) => ({ serviceUserId: p.serviceUserId, displayName: name(p.serviceUserId), why: p.unallocated.join('; ') })),
    warnings: allocation.warnings.map((w) => ({ rule: w.rule, area: w.area, message: w.message, people: w.serviceUserIds.map((id) => ({ serviceUserId: id, displayName: name(id) })) })),
  };
}
