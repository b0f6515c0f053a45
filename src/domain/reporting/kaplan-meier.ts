/**
 * Kaplan–Meier survival (here: retention in treatment). Each episode is a duration in days from
 * induction to discharge (ended: true, the "event") or to the end of the report period while still
 * in treatment (ended: false, censored). At each time with an event, survival is multiplied by
 * (at risk − events) / at risk; people censored at that same time still count as at risk then
 * (the usual convention: censoring happens just after the events).
 */

export interface Duration {
  days: number;
  ended: boolean;
}

export interface KaplanMeierStep {
  /** Days since the start. */
  time: number;
  /** Still being followed just before this time. */
  atRisk: number;
  /** Ended at this time. */
  events: number;
  /** Censored (followed no further) at this time. */
  censored: number;
  /** Survival just after this time. */
  survival: number;
}

/** The Kaplan–Meier estimate: one step per distinct time with an event or a censoring, in time order. */
export function kaplanMeier(durations: readonly Duration[]): KaplanMeierStep[] {
  for (const d of durations) if (!Number.isFinite(d.days) || d.days < 0) throw new RangeError(`a duration must be ≥ 0 days (got ${d.days})`);
  const times = [...new Set(durations.map((d) => d.days))].sort((a, b) => a - b);
  let atRisk = durations.length;
  let survival = 1;
  const steps: KaplanMeierStep[] = [];
  for (const time of times) {
    const here = durations.filter((d) => d.days === time);
    const events = here.filter((d) => d.ended).length;
    const censored = here.length - events;
    if (events > 0) survival *= (atRisk - events) / atRisk;
    steps.push({ time, atRisk, events, censored, survival });
    atRisk -= here.length;
  }
  return steps;
}

/** Survival at a time (the step function, right-continuous), and how many were at risk then. */
export function survivalAt(steps: readonly KaplanMeierStep[], total: number, time: number): { survival: number; atRisk: number } {
  let survival = 1;
  let atRisk = total;
  for (const s of steps) {
    if (s.time <= time) survival = s.survival;
    if (s.time < time) atRisk = s.atRisk - s.events - s.censored;
  }
  return { survival, atRisk };
}
