import type { Temporal } from 'temporal-polyfill';
import { clinicInstant } from '../time/clinic-time';
import { minutesOfDay } from '../time/zone';

/**
 * Arrival slots: each dosing session divided into slots of the clinic's slot length, each with a
 * number of places, so that people arrive spread over the session rather than all at opening.
 * A slot is a wall-clock time at the clinic (what people are told: "come at 08:15"); its instants
 * come from the clinic's time zone on the day, so a clock change moves the UTC time of "08:15",
 * never the slot.
 */
export interface Slot {
  /** The session and the start time, e.g. `AM-0815`: stable while the slot length stays the same. */
  code: string;
  session: string;
  /** Wall-clock start and end at the clinic (HH:MM). The last slot ends with the session. */
  start: string;
  end: string;
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

export const slotCode = (session: string, start: string) => `${session}-${start.replace(':', '')}`;

/**
 * The session's slots, in time order: one every `slotMinutes` from the session's start; a slot
 * starts before the session ends (the last one may be shorter). A session that has not started by
 * its end (a configuration error the settings check refuses) has no slots.
 */
export function slotsFor(session: { code: string; start: string; end: string }, slotMinutes: number): Slot[] {
  if (!Number.isInteger(slotMinutes) || slotMinutes < 1) throw new Error(`slot length must be a whole number of minutes, not ${slotMinutes}`);
  const start = minutesOfDay(session.start);
  const end = minutesOfDay(session.end);
  const slots: Slot[] = [];
  for (let m = start; m < end; m += slotMinutes) {
    slots.push({ code: slotCode(session.code, hhmm(m)), session: session.code, start: hhmm(m), end: hhmm(Math.min(m + slotMinutes, end)) });
  }
  return slots;
}

/** The slot that starts at a wall time, if there is one. */
export function slotAt(slots: readonly Slot[], start: string): Slot | null {
  return slots.find((s) => s.start === start) ?? null;
}

/** A slot on a day as instants, through the clinic's time zone (see clinicInstant for gaps and overlaps). */
export function slotWindow(date: Temporal.PlainDate, slot: Slot, timeZone: string): { opens: Temporal.Instant; closes: Temporal.Instant } {
  return { opens: clinicInstant(date, slot.start, timeZone), closes: clinicInstant(date, slot.end, timeZone) };
}
