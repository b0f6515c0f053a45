import { Temporal } from 'temporal-polyfill';

export const DEFAULT_TIME_ZONE = 'Europe/London';

/** True for IANA zone names the runtime knows (e.g. "Europe/London"); false for offsets and typos. */
export function isKnownTimeZone(zone: string): boolean {
  if (!zone.includes('/') && zone !== 'UTC') return false;
  try {
    Temporal.Now.zonedDateTimeISO(zone);
    return true;
  } catch {
    return false;
  }
}

/** "HH:MM" wall-clock time, 00:00–23:59. */
export const WALL_TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

export function minutesOfDay(wallTime: string): number {
  const t = Temporal.PlainTime.from(wallTime);
  return t.hour * 60 + t.minute;
}

export function formatMinutes(totalMinutes: number): string {
  const h = Math.floor(totalMinutes / 60);
  const m = totalMinutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}
