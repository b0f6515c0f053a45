import { Temporal } from 'temporal-polyfill';
import { clinicInstant } from '../../domain/time/clinic-time';

export { RegisterPageOut, RegisterQuery } from '../../contract/cd';

/** Entries an export fetches at a time (keyset on seq): enough to keep the database busy, few enough to keep memory flat. */
export const EXPORT_BATCH = 5000;

/**
 * Clinic dates (inclusive, in the clinic's time zone) as the instants [from, to) that the database
 * compares occurred_at with: from midnight at the clinic on `from` to midnight at the clinic on the
 * day after `to`. A day on which the clocks change is 23 or 25 hours long, never 24 by assumption.
 */
export function dateRange(q: { from?: string | undefined; to?: string | undefined }, timeZone: string): { from?: Date; to?: Date } {
  const startOf = (date: Temporal.PlainDate) => new Date(clinicInstant(date, '00:00', timeZone).epochMilliseconds);
  return {
    ...(q.from ? { from: startOf(Temporal.PlainDate.from(q.from)) } : {}),
    ...(q.to ? { to: startOf(Temporal.PlainDate.from(q.to).add({ days: 1 })) } : {}),
  };
}
