import { closeSync, mkdirSync, openSync, readFileSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * Only one process may open a PGlite data folder: two would corrupt it. The lock is a file holding
 * the owner's pid, created atomically (O_EXCL). A lock left by a process that has died (SIGKILL,
 * power cut) is taken over at once, because we ask the operating system whether that pid still
 * runs. We do not use time-based staleness (as proper-lockfile does) because PGlite runs on the
 * main thread: a long query can block the event loop for longer than any staleness window, and
 * another process would then wrongly take over a live lock.
 */

export const LOCK_FILE = 'openhat.lock';

interface Holder {
  pid: number;
  hostname: string;
  startedAt: string;
}

export class DataFolderLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: Holder | null,
  ) {
    const who = holder
      ? `process ${holder.pid} on ${holder.hostname}, started ${holder.startedAt}`
      : 'another process';
    super(
      `the data folder ${dataDir} is in use by ${who}. Only one openhat process can use a PGlite data folder at a time: ` +
        `stop the other one first${holder && holder.hostname !== hostname() ? `, or if it is no longer running, delete ${join(dataDir, LOCK_FILE)}` : ''}.`,
    );
  }
}

export interface DataFolderLock {
  readonly path: string;
  release(): void;
}

function readHolder(path: string): Holder | null | 'missing' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as Holder;
    return typeof parsed.pid === 'number' ? parsed : null;
  } catch {
    return null; // being written, or left empty by a crash between create and write
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

export function lockDataFolder(dataDir: string): DataFolderLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  const mutex = `${path}.takeover`;
  const me: Holder = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };

  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      return lockHandle(path, me);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }

    const holder = readHolder(path);
    if (holder === 'missing') continue;
    if (holder === null) {
      if (ageMs(path) < 2000) {
        sleepSync(25);
        continue;
      }
    } else if (holder.hostname !== me.hostname || isAlive(holder.pid)) {
      throw new DataFolderLockedError(dataDir, holder);
    }

    // The holder is dead: take over, one process at a time.
    try {
      mkdirSync(mutex);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (ageMs(mutex) > 10_000) rmdirSync(mutex); // left by a process that died mid-takeover
      sleepSync(25);
      continue;
    }
    try {
      const again = readHolder(path);
      const stillStale =
        again === null ? holder === null : again !== 'missing' && holder !== null && again.pid === holder.pid;
      if (stillStale) unlinkSync(path);
    } finally {
      rmdirSync(mutex);
    }
  }
  throw new DataFolderLockedError(dataDir, null);
}

function lockHandle(path: string, me: Holder): DataFolderLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    const holder = readHolder(path);
    if (holder !== 'missing' && holder !== null && holder.pid === me.pid && holder.startedAt === me.startedAt) {
      unlinkSync(path);
    }
  };
  process.on('exit', release);
  return { path, release };
}
