import { Temporal } from 'temporal-polyfill';
import type { Refusal } from '../refusal';
import { refuse } from '../refusal';
import { sessionWindow } from '../time/clinic-time';
import type { CareRecord } from '../care/care-record';
import type { TakeHomeReturn, TakeHomeSupply } from './records';

/**
 * Which clinic sessions a take-home supply covers: every session it names on every day from its
 * first to its last, less those that had not begun when a return ended the supply early. In a
 * covered session the person is not expected at the clinic (nobody counts them as missed) and is
 * not dosed there either: they hold that session's dose at home, and the clinic cannot know
 * whether or when they took it, so a clinic dose on top could be a double dose.
 */

export interface CoveredSession {
  clinicDate: string;
  session: string;
  /** The supply that covers it. */
  supplyRecordId: string;
}

export interface SupplyCover {
  supplyRecordId: string;
  fromDate: string;
  toDate: string;
  sessions: readonly string[];
  /** When a return ended the supply early; null while it runs its course. */
  endedAt: Temporal.Instant | null;
}

export interface SessionTimes {
  code: string;
  start: string;
  end: string;
}

/** Each day from one date to another, inclusive. */
export function daysFromTo(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = Temporal.PlainDate.from(from); Temporal.PlainDate.compare(d, Temporal.PlainDate.from(to)) <= 0; d = d.add({ days: 1 })) out.push(d.toString());
  return out;
}

/** Days in an inclusive range (1 when from = to). */
export function dayCount(from: string, to: string): number {
  return Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(to), { largestUnit: 'days' }).days + 1;
}

/** The supplies of a person with when each ended early, from their current care records. */
export function supplyCovers(supplies: readonly CareRecord<TakeHomeSupply>[], returns: readonly CareRecord<TakeHomeReturn>[]): SupplyCover[] {
  return supplies.map((s) => {
    const ends = returns
      .filter((r) => r.data.supplyRecordId === s.recordId && r.data.endsSupply && r.data.endedAt)
      .map((r) => Temporal.Instant.from(r.data.endedAt!))
      .sort(Temporal.Instant.compare);
    return { supplyRecordId: s.recordId, fromDate: s.data.fromDate, toDate: s.data.toDate, sessions: s.data.sessions, endedAt: ends[0] ?? null };
  });
}

/**
 * The sessions a supply covers. A session whose window had begun when the supply ended stays
 * covered: the person may already have taken that dose at home.
 */
export function coveredSessions(cover: SupplyCover, sessions: readonly SessionTimes[], timeZone: string): CoveredSession[] {
  const out: CoveredSession[] = [];
  for (const date of daysFromTo(cover.fromDate, cover.toDate)) {
    for (const code of cover.sessions) {
      if (cover.endedAt) {
        const def = sessions.find((s) => s.code === code);
        // A session the clinic no longer runs: judge by the end of the day, the later the safer.
        const opens = def
          ? sessionWindow(Temporal.PlainDate.from(date), def, timeZone).opens
          : Temporal.PlainDate.from(date).add({ days: 1 }).toZonedDateTime({ timeZone }).toInstant();
        if (Temporal.Instant.compare(opens, cover.endedAt) > 0) continue;
      }
      out.push({ clinicDate: date, session: code, supplyRecordId: cover.supplyRecordId });
    }
  }
  return out;
}

/** Every session covered by any of the supplies. */
export function allCoveredSessions(covers: readonly SupplyCover[], sessions: readonly SessionTimes[], timeZone: string): CoveredSession[] {
  return covers.flatMap((c) => coveredSessions(c, sessions, timeZone));
}

export function isCovered(covered: readonly CoveredSession[], clinicDate: string, session: string): CoveredSession | null {
  return covered.find((c) => c.clinicDate === clinicDate && c.session === session) ?? null;
}

/**
 * The dosing room's rule: no dose at the clinic in a session a take-home supply covers (the dose
 * for that session is at home; a second one could be a double dose).
 */
export function takeHomeDoseRefusals(covered: readonly CoveredSession[], clinicDate: string, session: string): Refusal[] {
  const c = isCovered(covered, clinicDate, session);
  if (!c) return [];
  return [
    refuse(
      'take_home_supplied_for_session',
      `This person holds a take-home dose for session ${session} on ${clinicDate}: no dose at the clinic in that session. If the supply is to end, record the return first (sessions not yet begun then come back to the clinic).`,
    ),
  ];
}

/** Whether any covered session is on or after a date (the supply is still "held"). */
export function coversOnOrAfter(covered: readonly CoveredSession[], date: string): boolean {
  return covered.some((c) => c.clinicDate >= date);
}
