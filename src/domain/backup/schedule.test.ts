import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { backupFileInstant, backupFileName, backupsToPrune, dosingUnderWay, nextBackupDue, parseInterval, parseRetention, type BackupFile, type Retention } from './schedule';

const at = (s: string) => Temporal.Instant.from(s);

describe('backup interval', () => {
  it('reads a number and a unit', () => {
    expect(parseInterval('6h')).toEqual({ ok: true, value: 6 * 3_600_000 });
    expect(parseInterval('90m')).toEqual({ ok: true, value: 90 * 60_000 });
    expect(parseInterval(' 1d ')).toEqual({ ok: true, value: 86_400_000 });
    expect(parseInterval('30s')).toEqual({ ok: true, value: 30_000 });
  });
  it('refuses what it cannot read, and too short or too long', () => {
    for (const bad of ['', '6', 'h', '6 hours', '-1h', '1.5h', '6w']) expect(parseInterval(bad).ok, bad).toBe(false);
    expect(parseInterval('5s')).toEqual({ ok: false, message: 'must be at least 10 seconds' });
    expect(parseInterval('32d')).toEqual({ ok: false, message: 'must be at most 31 days' });
  });
});

describe('backup retention', () => {
  it('reads a count, days, or both', () => {
    expect(parseRetention('14')).toEqual({ ok: true, value: { count: 14, days: null } });
    expect(parseRetention('30d')).toEqual({ ok: true, value: { count: null, days: 30 } });
    expect(parseRetention('14, 30d')).toEqual({ ok: true, value: { count: 14, days: 30 } });
  });
  it('refuses nonsense, zero and repeats', () => {
    for (const bad of ['', 'forever', '0', '0d', '14,15', '3d,4d', '1,2d,3', '2w']) expect(parseRetention(bad).ok, bad).toBe(false);
  });
});

describe('backup file names', () => {
  it('are UTC and read back', () => {
    const name = backupFileName(at('2026-03-29T01:30:05.678Z'));
    expect(name).toBe('openhat-20260329T013005Z.backup');
    expect(backupFileInstant(name)?.toString()).toBe('2026-03-29T01:30:05Z');
  });
  it('other files are not backups', () => {
    for (const other of ['openhat-20260329T013005Z.backup.partial', 'notes.txt', 'openhat-2026-03-29.backup', 'openhat-20261399T013005Z.backup']) {
      expect(backupFileInstant(other), other).toBeNull();
    }
  });
});

describe('pruning', () => {
  const now = at('2026-06-01T00:00:00Z');
  const daily = (n: number): BackupFile[] =>
    Array.from({ length: n }, (_, i) => {
      const when = now.subtract({ hours: 24 * i + 1 });
      return { name: backupFileName(when), at: when };
    });

  it('keeps the newest N', () => {
    const gone = backupsToPrune(daily(10), now, { count: 3, days: null });
    expect(gone.map((f) => f.name)).toEqual(daily(10).slice(3).map((f) => f.name));
  });
  it('keeps the last D days', () => {
    const gone = backupsToPrune(daily(10), now, { count: null, days: 5 });
    expect(gone).toHaveLength(5);
  });
  it('with both rules, keeps what either keeps', () => {
    expect(backupsToPrune(daily(10), now, { count: 7, days: 2 })).toHaveLength(3);
    expect(backupsToPrune(daily(10), now, { count: 1, days: 4 })).toHaveLength(6);
  });
  it('never lets the newest go, even when it is older than the days kept', () => {
    const old = daily(3).map((f) => ({ ...f, at: f.at.subtract({ hours: 24 * 100 }) }));
    expect(backupsToPrune(old, now, { count: null, days: 7 }).map((f) => f.at.toString())).toEqual(old.slice(1).map((f) => f.at.toString()));
  });
  it('property: the newest is always kept, the count is honoured, and only listed files go', () => {
    const retention = fc.record({ count: fc.option(fc.integer({ min: 1, max: 20 }), { nil: null }), days: fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }) });
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 200 * 24 * 60 }), { maxLength: 60 }), retention, (minutesAgo, keep: Retention) => {
        const files = minutesAgo.map((m) => {
          const when = now.subtract({ minutes: m });
          return { name: `${m}`, at: when };
        });
        const gone = new Set(backupsToPrune(files, now, keep).map((f) => f.name));
        const newestFirst = [...files].sort((a, b) => Temporal.Instant.compare(b.at, a.at));
        if (newestFirst[0]) expect(gone.has(newestFirst[0].name)).toBe(false);
        if (keep.count !== null) newestFirst.slice(0, keep.count).forEach((f) => expect(gone.has(f.name)).toBe(false));
        if (keep.days !== null) files.filter((f) => now.epochMilliseconds - f.at.epochMilliseconds < keep.days! * 86_400_000).forEach((f) => expect(gone.has(f.name)).toBe(false));
        if (keep.count !== null && keep.days === null) expect(files.length - gone.size).toBe(Math.min(files.length, keep.count));
      }),
    );
  });
});

describe('when the next backup is due', () => {
  it('at once without a backup, else an interval after the last', () => {
    const now = at('2026-06-01T12:00:00Z');
    expect(nextBackupDue(null, 3_600_000, now).toString()).toBe(now.toString());
    expect(nextBackupDue(at('2026-06-01T11:30:00Z'), 3_600_000, now).toString()).toBe('2026-06-01T12:30:00Z');
    expect(nextBackupDue(at('2026-06-01T13:00:00Z'), 3_600_000, now).toString()).toBe(now.toString());
  });
});

describe('a quiet moment for a PGlite backup', () => {
  const clinics = [
    { name: 'Boro', timeZone: 'Europe/London', sessions: [{ code: 'AM', start: '08:00', end: '11:30' }, { code: 'PM', start: '13:00', end: '17:30' }] },
    { name: 'Far', timeZone: 'Pacific/Auckland', sessions: [{ code: 'AM', start: '08:00', end: '10:00' }] },
  ];
  it('is not during a session, nor in the quarter hour before one opens, in any clinic\'s own time', () => {
    expect(dosingUnderWay(at('2026-07-01T07:59:00Z'), clinics)).toBe('Boro, AM session'); // 08:59 BST
    expect(dosingUnderWay(at('2026-07-01T06:46:00Z'), clinics)).toBe('Boro, AM session'); // 07:46: a quarter hour before
    expect(dosingUnderWay(at('2026-07-01T06:44:00Z'), clinics)).toBeNull();
    expect(dosingUnderWay(at('2026-07-01T10:30:00Z'), clinics)).toBeNull(); // 11:30: closed
    expect(dosingUnderWay(at('2026-07-01T16:29:00Z'), clinics)).toBe('Boro, PM session');
    expect(dosingUnderWay(at('2026-06-30T21:00:00Z'), clinics)).toBe('Far, AM session'); // 09:00 in Auckland
    expect(dosingUnderWay(at('2026-07-01T02:00:00Z'), clinics)).toBeNull();
  });
});
