import { Temporal } from 'temporal-polyfill';

/**
 * Clinic wall-clock times (what staff see and configure) and instants (what the database stores
 * and what intervals between doses are measured in). Every conversion goes through the clinic's
 * IANA time zone, so a daylight-saving change moves the UTC time of "08:00", never the length of
 * an interval.
 */

/** The calendar date at the clinic at an instant. */
export function clinicDate(instant: Temporal.Instant, timeZone: string): Temporal.PlainDate {
  return instant.toZonedDateTimeISO(timeZone).toPlainDate();
}

/** The instant at which a wall-clock time happens at the clinic on a date. In a gap (clocks go
 * forward) it is the time just after the gap; in an overlap (clocks go back) the earlier one. */
export function clinicInstant(date: Temporal.PlainDate, wallTime: string, timeZone: string): Temporal.Instant {
  return date.toZonedDateTime({ timeZone, plainTime: Temporal.PlainTime.from(wallTime) }).toInstant();
}

/** A session's window on a given day as instants. */
export function sessionWindow(
  date: Temporal.PlainDate,
  session: { start: string; end: string },
  timeZone: string,
): { opens: Temporal.Instant; closes: Temporal.Instant } {
  return { opens: clinicInstant(date, session.start, timeZone), closes: clinicInstant(date, session.end, timeZone) };
}

/** Real elapsed minutes between two instants, whatever the clocks did in between. */
export function elapsedMinutes(from: Temporal.Instant, to: Temporal.Instant): number {
  return from.until(to, { largestUnit: 'minutes' }).total({ unit: 'minutes' });
}

/** "14:05" at the clinic, for messages and screens. */
export function formatClinicTime(instant: Temporal.Instant, timeZone: string): string {
  return instant.toZonedDateTimeISO(timeZone).toPlainTime().toString({ smallestUnit: 'minute' });
}
