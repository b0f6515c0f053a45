import type { Temporal } from 'temporal-polyfill';

/** What happened at each expected dose and top-up: the history the safety rules read. */
export type DoseStatus = 'given' | 'partially_given' | 'prepared_not_given' | 'refused' | 'withheld' | 'missed';

export interface DoseHistoryItem {
  session: string;
  /** Clinic date of the session (YYYY-MM-DD). */
  clinicDate: string;
  kind: 'dose' | 'top_up';
  status: DoseStatus;
  /** mg that went into the person (0 unless given or partially given). */
  givenMg: number;
  /** When it was given, or when the outcome was recorded. */
  at: Temporal.Instant;
}

export const wasGiven = (h: DoseHistoryItem) => h.status === 'given' || h.status === 'partially_given';

/**
 * Consecutive scheduled doses missed, and whether full dosing is locked. Not attending counts as
 * missed; a refusal or withholding by staff neither counts nor resets; any dose given resets the
 * count. Once the count reaches the clinic's number, the person is locked to re-titration until a
 * prescriber records a re-titration plan: doses given while locked reset the count but do not unlock.
 */
export function missedDoses(history: readonly DoseHistoryItem[], threshold: number, lastRetitrationPlanAt: Temporal.Instant | null) {
  const scheduled = history
    .filter((h) => h.kind === 'dose')
    .filter((h) => !lastRetitrationPlanAt || h.at.epochMilliseconds > lastRetitrationPlanAt.epochMilliseconds)
    .sort((a, b) => a.at.epochMilliseconds - b.at.epochMilliseconds);
  let run = 0;
  let locked = false;
  for (const h of scheduled) {
    if (h.status === 'missed') run++;
    else if (wasGiven(h)) run = 0;
    if (run >= threshold) locked = true;
  }
  return { consecutiveMissed: run, retitrationLocked: locked };
}
