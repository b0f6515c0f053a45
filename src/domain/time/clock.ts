import { Temporal } from 'temporal-polyfill';

/**
 * The one source of "now" for openhat. Everything that depends on time (dose intervals, session
 * expiry, lockouts, missed-dose jobs) asks a Clock, so tests can run a day, a week or a
 * daylight-saving change in milliseconds instead of waiting for the wall clock.
 */
export interface Clock {
  now(): Temporal.Instant;
}

export const systemClock: Clock = {
  now: () => Temporal.Now.instant(),
};

/** A clock that only moves when told to; for tests and simulations. */
export class FakeClock implements Clock {
  #now: Temporal.Instant;

  constructor(start: Temporal.Instant | string = '2026-01-05T09:00:00Z') {
    this.#now = typeof start === 'string' ? Temporal.Instant.from(start) : start;
  }

  now(): Temporal.Instant {
    return this.#now;
  }

  /** Move on by real elapsed time; a "day" here is 24 hours, whatever the clocks on the wall do. */
  advance(duration: Temporal.DurationLike | string): Temporal.Instant {
    const d = Temporal.Duration.from(duration);
    const hours = d.hours + 24 * (d.days + 7 * d.weeks);
    this.#now = this.#now.add(d.with({ days: 0, weeks: 0, hours }));
    return this.#now;
  }

  set(instant: Temporal.Instant | string): void {
    this.#now = typeof instant === 'string' ? Temporal.Instant.from(instant) : instant;
  }
}

export function instantToDate(instant: Temporal.Instant): Date {
  return new Date(instant.epochMilliseconds);
}

export function dateToInstant(date: Date): Temporal.Instant {
  return Temporal.Instant.fromEpochMilliseconds(date.getTime());
}

/**
 * A clock that runs at real speed from a chosen instant, which can be moved: for end-to-end tests
 * and training sessions only, never in production (the server warns loudly when it is used).
 */
export class OffsetClock implements Clock {
  #offsetMs = 0;

  constructor(start: Temporal.Instant, private readonly realNow: () => number) {
    this.setTo(start);
  }

  setTo(instant: Temporal.Instant): void {
    this.#offsetMs = instant.epochMilliseconds - this.realNow();
  }

  now(): Temporal.Instant {
    return Temporal.Instant.fromEpochMilliseconds(this.realNow() + this.#offsetMs);
  }
}
