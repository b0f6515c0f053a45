import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFolderLockedError, LOCK_FILE, lockDataFolder } from './data-folder-lock';

const folder = () => mkdtempSync(join(tmpdir(), 'openhat-lock-'));

/** A pid that certainly belonged to a process which has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('data folder lock', () => {
  it('lets one holder in and tells the next who holds it', () => {
    const dir = folder();
    const lock = lockDataFolder(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    expect(() => lockDataFolder(dir)).toThrow(DataFolderLockedError);
    expect(() => lockDataFolder(dir)).toThrow(`in use by process ${process.pid}`);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lockDataFolder(dir).release();
  });

  it('takes over a lock left by a process that died', () => {
    const dir = folder();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid(), hostname: hostname(), startedAt: 'earlier' }));
    const lock = lockDataFolder(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over an empty lock file left by a crash between creating and writing it, once it is old', () => {
    const dir = folder();
    const path = join(dir, LOCK_FILE);
    writeFileSync(path, '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
    lockDataFolder(dir).release();
  });

  it('will not guess about a lock held on another machine (shared folder), and says how to clear it', () => {
    const dir = folder();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 1, hostname: 'another-host', startedAt: 'earlier' }));
    expect(() => lockDataFolder(dir)).toThrow(/another-host.*delete .*openhat\.lock/s);
  });

  it('only removes its own lock on release', () => {
    const dir = folder();
    const lock = lockDataFolder(dir);
    const someoneElse = JSON.stringify({ pid: 999_999, hostname: hostname(), startedAt: 'x' });
    writeFileSync(join(dir, LOCK_FILE), someoneElse);
    lock.release();
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(someoneElse);
  });
});
