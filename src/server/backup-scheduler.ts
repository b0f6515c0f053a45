import { closeSync, createWriteStream, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Temporal } from 'temporal-polyfill';
import {
  backupFileInstant,
  backupFileName,
  backupsToPrune,
  dosingUnderWay,
  nextBackupDue,
  type ClinicSessions,
  type BackupFile,
  type Retention,
} from '../domain/backup/schedule';
import { instantToDate, type Clock } from '../domain/time/clock';
import { writeBackup } from '../store/backup';
import { currentSettings, listClinics } from '../store/clinics';
import type { Database } from '../store/database';
import { auditRead, SYSTEM_ACTOR } from '../store/transaction';

/**
 * Scheduled backups into a folder: one every OPENHAT_BACKUP_INTERVAL, named by their UTC time,
 * written under a temporary name, flushed to disk and renamed (so a file with a backup's name is
 * always whole), never two at once, old ones pruned by OPENHAT_BACKUP_KEEP (never the newest).
 * A failure is logged, shown in /health, and tried again after RETRY_MS.
 */

const PARTIAL = '.partial';
const RETRY_MS = 5 * 60_000;
/** The longest a backup waits for a quiet moment before it is taken anyway. */
export const MAX_DEFER_MS = 12 * 3_600_000;

export interface TakenBackup {
  file: string;
  bytes: number;
  rows: number;
  sha256: string;
  ms: number;
  pruned: string[];
}

/** The folder's finished backups (by their names), oldest first. */
export function listBackups(dir: string): BackupFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((name) => ({ name, at: backupFileInstant(name) }))
    .filter((f): f is BackupFile => f.at !== null)
    .sort((a, b) => Temporal.Instant.compare(a.at, b.at));
}

function fsyncPath(path: string) {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Take one backup into the folder and prune by the retention rules: what the scheduler and
 * `openhat backup --dir` both do. The file appears under its final name only when complete.
 */
export async function backupIntoFolder(db: Database, dir: string, now: Temporal.Instant, keep: Retention | null): Promise<TakenBackup> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let name = backupFileName(now);
  // Two backups within one second (a manual one next to a scheduled one): never overwrite.
  for (let n = 1; listBackups(dir).some((f) => f.name === name); n++) name = backupFileName(now.add({ seconds: n }));
  const file = join(dir, name);
  const partial = `${file}${PARTIAL}`;
  const started = performance.now();
  try {
    const summary = await writeBackup(db, createWriteStream(partial, { mode: 0o600 }), instantToDate(now));
    fsyncPath(partial);
    renameSync(partial, file);
    fsyncPath(dir);
    const taken = {
      file,
      bytes: statSync(file).size,
      rows: Object.values(summary.counts).reduce((a, b) => a + b, 0),
      sha256: summary.sha256,
      ms: Math.round(performance.now() - started),
      pruned: [] as string[],
    };
    if (keep) {
      for (const old of backupsToPrune(listBackups(dir), now, keep)) {
        rmSync(join(dir, old.name), { force: true });
        taken.pruned.push(old.name);
      }
    }
    return taken;
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
}

export interface BackupStatus {
  state: 'ok' | 'failing' | 'none_yet';
  running: boolean;
  lastSuccessAt: string | null;
  lastFile: string | null;
  lastFailureAt: string | null;
  lastError: string | null;
  failuresInARow: number;
  nextDueAt: string;
  /** Due, but waiting for dosing to finish (PGlite): what is under way. */
  waitingFor: string | null;
}

interface Logger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface BackupSchedulerOptions {
  db: Database;
  clock: Clock;
  dir: string;
  intervalMs: number;
  keep: Retention;
  logger: Logger;
  /**
   * What is under way that a backup should not hold up (PGlite: a dosing session), or null. A due
   * backup waits while this answers, at most MAX_DEFER_MS.
   */
  busy?: (now: Temporal.Instant) => Promise<string | null>;
}

const schedulers = new WeakMap<Database, BackupScheduler>();

/** Is a dosing session under way at any clinic (or about to open)? For PGlite's scheduler. */
export async function dosingSessionUnderWay(db: Database, now: Temporal.Instant): Promise<string | null> {
  const clinics: ClinicSessions[] = [];
  for (const c of await listClinics(db.orm)) {
    const current = await currentSettings(db.orm, c.clinicId);
    if (current) clinics.push({ name: current.settings.name, timeZone: current.settings.timeZone, sessions: current.settings.sessions });
  }
  return dosingUnderWay(now, clinics);
}

/** The scheduler's state for /health, or null when scheduled backups are off. */
export function backupStatusFor(db: Database): BackupStatus | null {
  return schedulers.get(db)?.status() ?? null;
}

export class BackupScheduler {
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<void> | null = null;
  private lastSuccess: Temporal.Instant | null = null;
  private lastFile: string | null = null;
  private lastFailure: { at: Temporal.Instant; message: string } | null = null;
  private failuresInARow = 0;
  private nextDue: Temporal.Instant;
  private waitingFor: string | null = null;

  constructor(private readonly o: BackupSchedulerOptions) {
    mkdirSync(o.dir, { recursive: true, mode: 0o700 });
    // Left by a backup that was interrupted (a crash, a kill): never a usable file.
    for (const name of readdirSync(o.dir)) if (name.endsWith(PARTIAL) && backupFileInstant(name.slice(0, -PARTIAL.length))) rmSync(join(o.dir, name), { force: true });
    const newest = listBackups(o.dir).at(-1) ?? null;
    this.lastSuccess = newest?.at ?? null;
    this.lastFile = newest?.name ?? null;
    this.nextDue = nextBackupDue(this.lastSuccess, o.intervalMs, o.clock.now());
    schedulers.set(o.db, this);
  }

  /** Check every so often whether a backup is due (the clock decides, so tests can move it). */
  start(): void {
    const every = Math.min(60_000, Math.max(1000, Math.floor(this.o.intervalMs / 10)));
    this.timer = setInterval(() => void this.tick(), every);
    this.timer.unref();
    void this.tick();
  }

  /** Take a backup if one is due and none is running. */
  async tick(): Promise<void> {
    const now = this.o.clock.now();
    if (this.current || Temporal.Instant.compare(now, this.nextDue) < 0) return;
    if (this.o.busy && now.epochMilliseconds - this.nextDue.epochMilliseconds < MAX_DEFER_MS) {
      let busy: string | null;
      try {
        busy = await this.o.busy(now);
      } catch {
        busy = null;
      }
      if (busy) {
        if (this.waitingFor !== busy) this.o.logger.info({ waitingFor: busy }, 'scheduled backup is due; waiting for dosing to finish');
        this.waitingFor = busy;
        return;
      }
    }
    this.waitingFor = null;
    await this.runNow();
  }

  /** Take a backup now, unless one is running (then wait for that one). */
  runNow(): Promise<void> {
    this.current ??= this.run().finally(() => {
      this.current = null;
    });
    return this.current;
  }

  private async run(): Promise<void> {
    const now = this.o.clock.now();
    try {
      const taken = await backupIntoFolder(this.o.db, this.o.dir, now, this.o.keep);
      await auditRead(this.o.db, this.o.clock, SYSTEM_ACTOR, { clinicId: null, entityType: 'backup', details: { scheduled: true, file: taken.file, bytes: taken.bytes, sha256: taken.sha256, pruned: taken.pruned } });
      this.lastSuccess = now;
      this.lastFile = taken.file;
      this.failuresInARow = 0;
      this.nextDue = now.add({ milliseconds: this.o.intervalMs });
      this.o.logger.info({ file: taken.file, bytes: taken.bytes, rows: taken.rows, ms: taken.ms, pruned: taken.pruned }, 'scheduled backup written');
    } catch (err) {
      this.failuresInARow++;
      this.lastFailure = { at: now, message: (err as Error).message };
      this.nextDue = now.add({ milliseconds: Math.min(RETRY_MS, this.o.intervalMs) });
      this.o.logger.error({ err, dir: this.o.dir, failuresInARow: this.failuresInARow }, 'scheduled backup FAILED; it will be tried again');
    }
  }

  /** Stop scheduling; a backup under way is finished first. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.current;
    schedulers.delete(this.o.db);
  }

  status(): BackupStatus {
    return {
      state: this.failuresInARow > 0 ? 'failing' : this.lastSuccess ? 'ok' : 'none_yet',
      running: this.current !== null,
      lastSuccessAt: this.lastSuccess?.toString() ?? null,
      lastFile: this.lastFile,
      lastFailureAt: this.lastFailure?.at.toString() ?? null,
      lastError: this.lastFailure?.message ?? null,
      failuresInARow: this.failuresInARow,
      nextDueAt: this.nextDue.toString(),
      waitingFor: this.waitingFor,
    };
  }
}
