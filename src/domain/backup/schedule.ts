import { Temporal } from 'temporal-polyfill';
import { clinicDate, sessionWindow } from '../time/clinic-time';

/**
 * Scheduled backups, the pure part: how often, how many to keep, what the files are called and
 * which old ones go. The server's scheduler (src/server/backup-scheduler.ts) does the I/O.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The shortest interval allowed: anything shorter would spend the server's time on backups. */
export const MIN_INTERVAL_MS = 10_000;

/** "90m", "6h", "1d" (or "30s", for tests): a whole number and a unit. */
export function parseInterval(text: string): Parsed<number> {
  const m = /^(\d{1,6})\s*(s|m|h|d)$/i.exec(text.trim());
  if (!m) return { ok: false, message: 'must be a whole number and a unit: s, m, h or d (e.g. 6h, 90m, 1d)' };
  const ms = Number(m[1]) * UNIT_MS[m[2]!.toLowerCase() as keyof typeof UNIT_MS];
  if (ms < MIN_INTERVAL_MS) return { ok: false, message: 'must be at least 10 seconds' };
  if (ms > 31 * UNIT_MS.d) return { ok: false, message: 'must be at most 31 days' };
  return { ok: true, value: ms };
}

export interface Retention {
  /** Keep the newest this many. */
  count: number | null;
  /** Keep every backup younger than this many days. */
  days: number | null;
}

/**
 * "14" (the newest 14), "30d" (everything from the last 30 days), or both, "14,30d": a backup is
 * kept if either rule keeps it. The newest good backup is always kept, whatever the rules say.
 */
export function parseRetention(text: string): Parsed<Retention> {
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  const out: Retention = { count: null, days: null };
  if (parts.length === 0 || parts.length > 2) return { ok: false, message: 'must be a count (14), days (30d) or both (14,30d)' };
  for (const part of parts) {
    const m = /^(\d{1,5})(d?)$/i.exec(part);
    if (!m) return { ok: false, message: `"${part}" is neither a count (14) nor days (30d)` };
    const n = Number(m[1]);
    if (n < 1) return { ok: false, message: 'must keep at least 1 backup (or 1 day)' };
    if (m[2]) {
      if (out.days !== null) return { ok: false, message: 'give days only once' };
      out.days = n;
    } else {
      if (out.count !== null) return { ok: false, message: 'give the count only once' };
      out.count = n;
    }
  }
  return { ok: true, value: out };
}

export function describeRetention(r: Retention): string {
  const parts = [r.count !== null ? `the newest ${r.count}` : null, r.days !== null ? `those from the last ${r.days} days` : null].filter(Boolean);
  return `keeps ${parts.join(' and ')} (and always the newest)`;
}

const NAME = /^openhat-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.backup$/;

/** openhat-20261128T031500Z.backup: UTC, so names sort by time and never repeat over a clock change. */
export function backupFileName(at: Temporal.Instant): string {
  const s = at.round({ smallestUnit: 'second', roundingMode: 'floor' }).toString();
  return `openhat-${s.slice(0, 10).replace(/-/g, '')}T${s.slice(11, 19).replace(/:/g, '')}Z.backup`;
}

/** The instant in a scheduled backup's name, or null for any other file. */
export function backupFileInstant(name: string): Temporal.Instant | null {
  const m = NAME.exec(name);
  if (!m) return null;
  try {
    return Temporal.Instant.from(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  } catch {
    return null;
  }
}

export interface BackupFile {
  name: string;
  at: Temporal.Instant;
}

/** The backups the retention rules let go: never the newest. */
export function backupsToPrune(files: readonly BackupFile[], now: Temporal.Instant, keep: Retention): BackupFile[] {
  const newestFirst = [...files].sort((a, b) => Temporal.Instant.compare(b.at, a.at));
  return newestFirst.filter((f, i) => {
    if (i === 0) return false;
    if (keep.count !== null && i < keep.count) return false;
    if (keep.days !== null && now.epochMilliseconds - f.at.epochMilliseconds < keep.days * UNIT_MS.d) return false;
    return true;
  });
}

/** When the next backup is due: at once if there is none, else an interval after the last one. */
export function nextBackupDue(last: Temporal.Instant | null, intervalMs: number, now: Temporal.Instant): Temporal.Instant {
  if (!last) return now;
  const due = last.add({ milliseconds: intervalMs });
  // A last backup "in the future" (the clock was set back): do not wait for it.
  return Temporal.Instant.compare(last, now) > 0 ? now : due;
}

export interface ClinicSessions {
  name: string;
  timeZone: string;
  sessions: readonly { code: string; start: string; end: string }[];
}

/**
 * On PGlite a backup holds the database for its whole snapshot, so the scheduler waits for a quiet
 * moment: no clinic within a dosing session's window (or DOSING_MARGIN_MINUTES before it opens).
 * Returns what is under way ("Clinic, AM session"), or null when it is quiet.
 */
export const DOSING_MARGIN_MINUTES = 15;

export function dosingUnderWay(now: Temporal.Instant, clinics: readonly ClinicSessions[]): string | null {
  for (const c of clinics) {
    const today = clinicDate(now, c.timeZone);
    for (const date of [today.subtract({ days: 1 }), today]) {
      for (const s of c.sessions) {
        const w = sessionWindow(date, s, c.timeZone);
        const from = w.opens.subtract({ minutes: DOSING_MARGIN_MINUTES });
        if (Temporal.Instant.compare(now, from) >= 0 && Temporal.Instant.compare(now, w.closes) < 0) return `${c.name}, ${s.code} session`;
      }
    }
  }
  return null;
}
