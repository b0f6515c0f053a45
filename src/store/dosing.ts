import { and, asc, desc, eq, gte, inArray, lte } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { DoseEvent } from '../domain/dosing/dose-record';
import type { Orm } from './database';
import { upsertDoseOutcome } from './dose-outcomes';
import { doseEvents, doses, dosingExceptions, dosingSessionClosures, dosingSessions, handoverNotes } from './schema';
import type { WriteContext } from './transaction';

export type SessionRow = typeof dosingSessions.$inferSelect;
export type ClosureRow = typeof dosingSessionClosures.$inferSelect;
export type DoseRow = typeof doses.$inferSelect;

export async function insertSession(
  w: WriteContext,
  clinicId: string,
  s: { clinicDate: string; sessionCode: string; windowOpens: Date; windowCloses: Date; opening: unknown },
): Promise<SessionRow> {
  const [row] = await w.tx
    .insert(dosingSessions)
    .values({ clinicId, sessionId: uuidv7(), ...s, openedAt: w.now, openedBy: w.actor.staffId })
    .returning();
  await w.audit({ clinicId, action: 'open', entityType: 'dosing_session', entityId: row!.sessionId, details: { clinicDate: s.clinicDate, sessionCode: s.sessionCode } });
  return row!;
}

export async function findSession(orm: Orm, clinicId: string, clinicDate: string, sessionCode: string): Promise<SessionRow | null> {
  const rows = await orm
    .select()
    .from(dosingSessions)
    .where(and(eq(dosingSessions.clinicId, clinicId), eq(dosingSessions.clinicDate, clinicDate), eq(dosingSessions.sessionCode, sessionCode)));
  return rows[0] ?? null;
}

export async function getSession(orm: Orm, clinicId: string, sessionId: string): Promise<{ session: SessionRow; closure: ClosureRow | null } | null> {
  const rows = await orm
    .select({ session: dosingSessions, closure: dosingSessionClosures })
    .from(dosingSessions)
    .leftJoin(dosingSessionClosures, and(eq(dosingSessionClosures.clinicId, dosingSessions.clinicId), eq(dosingSessionClosures.sessionId, dosingSessions.sessionId)))
    .where(and(eq(dosingSessions.clinicId, clinicId), eq(dosingSessions.sessionId, sessionId)));
  return rows[0] ?? null;
}

/** Lock the session row so that closing and dosing in it happen one at a time. */
export async function lockSession(orm: Orm, clinicId: string, sessionId: string): Promise<void> {
  await orm.select({ id: dosingSessions.sessionId }).from(dosingSessions).where(and(eq(dosingSessions.clinicId, clinicId), eq(dosingSessions.sessionId, sessionId))).for('update');
}

export async function sessionsBetween(orm: Orm, clinicId: string, from: string, to: string) {
  return orm
    .select({ session: dosingSessions, closure: dosingSessionClosures })
    .from(dosingSessions)
    .leftJoin(dosingSessionClosures, and(eq(dosingSessionClosures.clinicId, dosingSessions.clinicId), eq(dosingSessionClosures.sessionId, dosingSessions.sessionId)))
    .where(and(eq(dosingSessions.clinicId, clinicId), gte(dosingSessions.clinicDate, from), lte(dosingSessions.clinicDate, to)))
    .orderBy(asc(dosingSessions.windowOpens));
}

export async function closeSession(w: WriteContext, clinicId: string, sessionId: string, automatic: boolean, missed: number): Promise<void> {
  await w.tx.insert(dosingSessionClosures).values({ clinicId, sessionId, closedAt: w.now, closedBy: w.actor.staffId, automatic, missed });
  await w.audit({ clinicId, action: 'close', entityType: 'dosing_session', entityId: sessionId, details: { automatic, missed } });
}

export async function addHandoverNote(w: WriteContext, clinicId: string, sessionId: string, note: string, aboutServiceUserId: string | null) {
  const [row] = await w.tx
    .insert(handoverNotes)
    .values({ clinicId, noteId: uuidv7(), sessionId, writtenAt: w.now, writtenBy: w.actor.staffId!, note, aboutServiceUserId })
    .returning();
  await w.audit({ clinicId, action: 'create', entityType: 'handover_note', entityId: row!.noteId, details: { sessionId, aboutServiceUserId } });
  return row!;
}

export async function handoverNotesFor(orm: Orm, clinicId: string, sessionIds: string[]) {
  if (sessionIds.length === 0) return [];
  return orm
    .select()
    .from(handoverNotes)
    .where(and(eq(handoverNotes.clinicId, clinicId), inArray(handoverNotes.sessionId, sessionIds)))
    .orderBy(asc(handoverNotes.writtenAt));
}

/** The person's dose (or top-up) row for a session, made on first use; two staff at once get the same row. */
export async function doseFor(
  w: WriteContext,
  clinicId: string,
  d: { serviceUserId: string; clinicDate: string; sessionCode: string; kind: 'dose' | 'top_up'; sessionId: string | null },
): Promise<DoseRow> {
  await w.tx.insert(doses).values({ clinicId, doseId: uuidv7(), ...d, createdAt: w.now }).onConflictDoNothing();
  const [row] = await w.tx
    .select()
    .from(doses)
    .where(
      and(
        eq(doses.clinicId, clinicId),
        eq(doses.serviceUserId, d.serviceUserId),
        eq(doses.clinicDate, d.clinicDate),
        eq(doses.sessionCode, d.sessionCode),
        eq(doses.kind, d.kind),
      ),
    )
    .for('update');
  return row!;
}

export async function getDose(orm: Orm, clinicId: string, doseId: string): Promise<DoseRow | null> {
  const rows = await orm.select().from(doses).where(and(eq(doses.clinicId, clinicId), eq(doses.doseId, doseId)));
  return rows[0] ?? null;
}

export async function lockDose(orm: Orm, clinicId: string, doseId: string): Promise<DoseRow | null> {
  const rows = await orm.select().from(doses).where(and(eq(doses.clinicId, clinicId), eq(doses.doseId, doseId))).for('update');
  return rows[0] ?? null;
}

export async function eventsOfDoses(orm: Orm, clinicId: string, doseIds: string[]): Promise<Map<string, DoseEvent[]>> {
  const map = new Map<string, DoseEvent[]>(doseIds.map((id) => [id, []]));
  if (doseIds.length === 0) return map;
  // Only what is used: the Today board reads five weeks of a clinic's steps (thousands of rows), and
  // each unused column is parsed and mapped per row (two of them timestamps made into Dates).
  const rows = await orm
    .select({ doseId: doseEvents.doseId, event: doseEvents.event })
    .from(doseEvents)
    .where(and(eq(doseEvents.clinicId, clinicId), inArray(doseEvents.doseId, doseIds)))
    .orderBy(asc(doseEvents.doseId), asc(doseEvents.seq));
  for (const r of rows) map.get(r.doseId)!.push(r.event as DoseEvent);
  return map;
}

/**
 * Append step `seq` to the dose, and in the same transaction bring its dose_outcomes row (the
 * reports' summary) up to date from all its steps: `earlier` are steps 1..seq−1 when the caller
 * has them (every route does); otherwise they are read here.
 */
export async function appendDoseEvent(w: WriteContext, clinicId: string, dose: DoseRow, seq: number, event: DoseEvent, earlier?: readonly DoseEvent[]): Promise<void> {
  const before = earlier ?? (await eventsOfDoses(w.tx, clinicId, [dose.doseId])).get(dose.doseId)!;
  if (before.length !== seq - 1) throw new Error(`dose ${dose.doseId}: step ${seq} appended after ${before.length} step(s)`);
  await w.tx.insert(doseEvents).values({
    clinicId,
    doseId: dose.doseId,
    seq,
    eventType: event.type,
    event,
    occurredAt: new Date(event.at),
    recordedAt: w.now,
    recordedBy: w.actor.staffId,
  });
  await upsertDoseOutcome(w.tx, { ...dose, clinicId }, [...before, event], seq, w.now);
  await w.audit({
    clinicId,
    action: 'create',
    entityType: 'dose_event',
    entityId: `${dose.doseId}/${seq}`,
    details: { type: event.type, serviceUserId: dose.serviceUserId, session: `${dose.clinicDate} ${dose.sessionCode}`, kind: dose.kind },
  });
}

/** A person's doses from a clinic date on, with their events. */
export async function personDoses(orm: Orm, clinicId: string, serviceUserId: string, fromDate: string) {
  const rows = await orm
    .select()
    .from(doses)
    .where(and(eq(doses.clinicId, clinicId), eq(doses.serviceUserId, serviceUserId), gte(doses.clinicDate, fromDate)))
    .orderBy(asc(doses.clinicDate), asc(doses.createdAt));
  const events = await eventsOfDoses(orm, clinicId, rows.map((r) => r.doseId));
  return rows.map((dose) => ({ dose, events: events.get(dose.doseId)! }));
}

/** Several people's doses from a clinic date on, with their events: personDoses for each of them, in one query (and one for the events). */
export async function peopleDoses(orm: Orm, clinicId: string, serviceUserIds: readonly string[], fromDate: string) {
  const out = new Map<string, { dose: DoseRow; events: DoseEvent[] }[]>(serviceUserIds.map((id) => [id, []]));
  if (serviceUserIds.length === 0) return out;
  const rows = await orm
    .select()
    .from(doses)
    .where(and(eq(doses.clinicId, clinicId), inArray(doses.serviceUserId, [...serviceUserIds]), gte(doses.clinicDate, fromDate)))
    .orderBy(asc(doses.clinicDate), asc(doses.createdAt));
  const events = await eventsOfDoses(orm, clinicId, rows.map((r) => r.doseId));
  for (const dose of rows) out.get(dose.serviceUserId)!.push({ dose, events: events.get(dose.doseId)! });
  return out;
}

/** Every dose of a clinic on some dates, with their events. */
export async function clinicDoses(orm: Orm, clinicId: string, fromDate: string, toDate: string) {
  const rows = await orm
    .select()
    .from(doses)
    .where(and(eq(doses.clinicId, clinicId), gte(doses.clinicDate, fromDate), lte(doses.clinicDate, toDate)))
    .orderBy(asc(doses.clinicDate), asc(doses.createdAt));
  const events = await eventsOfDoses(orm, clinicId, rows.map((r) => r.doseId));
  return rows.map((dose) => ({ dose, events: events.get(dose.doseId)! }));
}

export type ExceptionRow = typeof dosingExceptions.$inferSelect;

export async function addException(w: WriteContext, clinicId: string, e: Omit<ExceptionRow, 'clinicId' | 'exceptionId' | 'recordedAt' | 'recordedBy'>): Promise<ExceptionRow> {
  const [row] = await w.tx
    .insert(dosingExceptions)
    .values({ clinicId, exceptionId: uuidv7(), ...e, recordedAt: w.now, recordedBy: w.actor.staffId! })
    .returning();
  await w.audit({ clinicId, action: 'create', entityType: 'dosing_exception', entityId: row!.exceptionId, details: { ...e, validUntil: e.validUntil.toISOString() } });
  return row!;
}

export async function exceptionsFor(orm: Orm, clinicId: string, serviceUserId: string, at: Date): Promise<ExceptionRow[]> {
  return orm
    .select()
    .from(dosingExceptions)
    .where(and(eq(dosingExceptions.clinicId, clinicId), eq(dosingExceptions.serviceUserId, serviceUserId), gte(dosingExceptions.validUntil, at)))
    .orderBy(desc(dosingExceptions.recordedAt));
}

/** exceptionsFor for several people in one query: each person's list, newest first. */
export async function exceptionsOf(orm: Orm, clinicId: string, serviceUserIds: readonly string[], at: Date): Promise<Map<string, ExceptionRow[]>> {
  const out = new Map<string, ExceptionRow[]>(serviceUserIds.map((id) => [id, []]));
  if (serviceUserIds.length === 0) return out;
  const rows = await orm
    .select()
    .from(dosingExceptions)
    .where(and(eq(dosingExceptions.clinicId, clinicId), inArray(dosingExceptions.serviceUserId, [...serviceUserIds]), gte(dosingExceptions.validUntil, at)))
    .orderBy(desc(dosingExceptions.recordedAt));
  for (const r of rows) out.get(r.serviceUserId)?.push(r);
  return out;
}
