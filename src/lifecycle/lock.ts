/**
 * One process per data directory or state file (docs/network.md, "One process per data folder"): a lock file
 * (`<dir>/zkinfer.lock`, or `<file>.lock` beside a validator's `--db`) holds the owner's pid. A live owner
 * makes the next process stop with DataDirLockedError; a lock left by a dead pid is taken over with a notice.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DataDirLockedError } from './errors.js';
import { checkOutputDir } from '../out-path.js';

export const LOCK_FILE = 'zkinfer.lock';

interface LockInfo { pid: number; command: string; since: string }

export interface DataDirLock {
  readonly path: string;
  /** Remove the lock (only if it is still ours); idempotent. */
  release(): void;
}

/** Whether a pid belongs to a running process (EPERM: it runs under another user; a zombie has exited). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !zombie(pid);
}

/**
 * A process that has exited but that its parent has not reaped yet (a `kill -9`ed owner under a parent that does
 * not wait for it): signal 0 still reaches it. Read from Linux's /proc; where there is none, not known, so no.
 */
function zombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) === 'Z';
  } catch {
    return false;
  }
}

function readLock(path: string): LockInfo | undefined {
  try {
    // Checked by hand, not with zod: this module is on the CLI's start-up path (docs/network.md).
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockInfo> | null;
    if (!v || !Number.isInteger(v.pid) || (v.pid as number) <= 0) return undefined;
    return { pid: v.pid as number, command: String(v.command ?? '?'), since: String(v.since ?? '?') };
  } catch {
    return undefined;
  }
}

/**
 * Take the lock of `dir` for this process (creating the folder). `command` names the holder in the
 * error another process sees; `notice` reports a stale lock being taken over.
 */
export function lockDataDir(dir: string, command: string, notice: (line: string) => void = (l) => console.error(l)): DataDirLock {
  const abs = resolve(dir);
  // a typed error first: a file there was an EEXIST "bug", and a recursive mkdir under /proc spun for ever
  // (docs/network.md "One process per data folder")
  checkOutputDir(abs, dir);
  mkdirSync(abs, { recursive: true });
  return takeLock(join(abs, LOCK_FILE), abs, command, 'pass another --data folder', notice);
}

/** The lock file of one state file (a validator's SQLite `--db`): `<file>.lock`. */
export function lockPathOf(file: string): string {
  return `${resolve(file)}.lock`;
}

/**
 * Take the lock of one state file for this process (creating its folder): `<file>.lock`, with the same rules
 * as lockDataDir. Several state files may share a folder (one validator database per hotkey).
 */
export function lockStateFile(file: string, command: string, notice: (line: string) => void = (l) => console.error(l)): DataDirLock {
  const abs = resolve(file);
  checkOutputDir(dirname(abs));
  mkdirSync(dirname(abs), { recursive: true });
  return takeLock(lockPathOf(abs), abs, command, 'pass another --db file', notice);
}

function takeLock(path: string, abs: string, command: string, elsewhere: string, notice: (line: string) => void): DataDirLock {
  const mine: LockInfo = { pid: process.pid, command, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o644);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readLock(path);
      if (owner && owner.pid !== process.pid && pidAlive(owner.pid)) {
        throw new DataDirLockedError(`${abs} is in use by \`zkinfer ${owner.command}\` (pid ${owner.pid}, since ${owner.since})`, {
          hint: `stop that process first, or ${elsewhere} (two processes on one state would corrupt it)`,
          details: { pid: owner.pid, path },
        });
      }
      notice(`note: taking over the lock of ${abs} from ${owner ? `pid ${owner.pid}, which is no longer running` : 'an unreadable lock file'}`);
      rmSync(path, { force: true });
      continue;
    }
    writeSync(fd, JSON.stringify(mine) + '\n');
    closeSync(fd);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      process.off('exit', release);
      if (readLock(path)?.pid === process.pid) rmSync(path, { force: true });
    };
    process.on('exit', release);
    return { path, release };
  }
  throw new DataDirLockedError(`cannot take the lock ${path}: another process keeps re-creating it`, { hint: 'stop the other zkinfer processes on this folder' });
}
