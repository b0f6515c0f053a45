import { Temporal } from 'temporal-polyfill';
import { badRequest } from '../errors';

/** When something happened: given by staff (e.g. recorded late), or now; never in the future. */
export function resolveWhen(at: string | undefined, now: Temporal.Instant, field = 'at'): Temporal.Instant {
  if (at === undefined) return now;
  const instant = Temporal.Instant.from(at);
  if (Temporal.Instant.compare(instant, now.add({ minutes: 1 })) > 0) throw badRequest(field, 'is in the future');
  return instant;
}
