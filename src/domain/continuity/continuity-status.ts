import { Temporal } from 'temporal-polyfill';
import type { ContinuitySettings } from './continuity-settings';

/**
 * Where the clinic stands against its funding horizon, from its settings and today's clinic date.
 *
 * - `fundedUntil` is the last funded day (inclusive).
 * - `noticeFrom` is `noticeMonths` calendar months before it (Temporal's calendar arithmetic: 31
 *   August less 6 months is 28 or 29 February, never 2 or 3 March).
 * - `state`: `open_ended` (no end recorded), `funded` (before the notice period), `notice` (from
 *   `noticeFrom` up to and including `fundedUntil`: warn and plan), `ended` (after `fundedUntil`).
 * - `daysLeft`: calendar days from today to `fundedUntil` (0 on the last funded day and after it);
 *   null when open-ended.
 */
export const CONTINUITY_STATES = ['open_ended', 'funded', 'notice', 'ended'] as const;
export type ContinuityState = (typeof CONTINUITY_STATES)[number];

export interface ContinuityStatus {
  fundedUntil: string | null;
  noticeFrom: string | null;
  state: ContinuityState;
  daysLeft: number | null;
}

export function noticeFromOf(fundedUntil: Temporal.PlainDate, noticeMonths: number): Temporal.PlainDate {
  return fundedUntil.subtract({ months: noticeMonths });
}

export function continuityStatus(today: Temporal.PlainDate, settings: ContinuitySettings): ContinuityStatus {
  if (settings.fundedUntil === null) return { fundedUntil: null, noticeFrom: null, state: 'open_ended', daysLeft: null };
  const end = Temporal.PlainDate.from(settings.fundedUntil);
  const noticeFrom = noticeFromOf(end, settings.noticeMonths);
  const state: ContinuityState =
    Temporal.PlainDate.compare(today, end) > 0 ? 'ended' : Temporal.PlainDate.compare(today, noticeFrom) >= 0 ? 'notice' : 'funded';
  const daysLeft = Math.max(0, today.until(end, { largestUnit: 'days' }).days);
  return { fundedUntil: end.toString(), noticeFrom: noticeFrom.toString(), state, daysLeft };
}

/** Whether staff should see the warning banner: from the notice date on, and once funding has ended. */
export function showsWarning(status: ContinuityStatus): boolean {
  return status.state === 'notice' || status.state === 'ended';
}

/** The banner's words, with the dates. */
export function warningText(status: ContinuityStatus): string | null {
  if (status.state === 'notice') {
    return `Funding for this service is agreed until ${status.fundedUntil} (${status.daysLeft} ${status.daysLeft === 1 ? 'day' : 'days'} left). Every person in treatment needs a continuity plan approved by a prescriber.`;
  }
  if (status.state === 'ended') {
    return `Funding for this service was agreed until ${status.fundedUntil}, which has passed. Record the new funding end date in the settings, or make sure everyone has moved on safely.`;
  }
  return null;
}
