import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { JournalError } from './errors.js';

export const LOCK_FILE = 'lock';

export interface LockOwner {
  pid: number;
  host: string;
  at: string;
}

/** Whether a process with this id exists on this machine (EPERM: it exists but is someone else's). */
const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export const readLock = (folder: string): LockOwner | undefined => {
  try {
    const owner = JSON.parse(readFileSync(join(folder, LOCK_FILE), 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? { pid: owner.pid, host: owner.host, at: String(owner.at) } : undefined;
  } catch {
    return undefined;
  }
};

/** A lock whose process is gone (killed, crashed, or a second Ctrl-C) may be taken over; one on another host may not. */
export const isLockHeld = (owner: LockOwner | undefined): boolean =>
  owner !== undefined && (owner.host !== hostname() || isAlive(owner.pid));

/**
 * Takes the run's lock, so that two processes never run (and create for) the same run at once. A lock
 * left by a process that no longer exists on this machine is taken over. Returns the release function.
 */
export const acquireLock = (folder: string, runId: string): (() => void) => {
  const file = join(folder, LOCK_FILE);
  const owner: LockOwner = { pid: process.pid, host: hostname(), at: new Date().toISOString() };
  for (let attempt = 0; ; attempt += 1) {
    try {
      const fd = openSync(file, 'wx');
      try {
        writeSync(fd, JSON.stringify(owner));
      } finally {
        closeSync(fd);
      }
      return () => {
        try {
          unlinkSync(file);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new JournalError('JOURNAL_UNWRITABLE', `cannot create ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
      }
      const held = readLock(folder);
      if (attempt > 0 || isLockHeld(held)) {
        const who = held ? `process ${held.pid} on ${held.host} since ${held.at}` : 'another process';
        throw new JournalError('JOURNAL_LOCKED', `run ${runId} is being run by ${who}; if that process is gone, delete ${file}`);
      }
      try {
        unlinkSync(file);
      } catch {
        // Taken over by another process meanwhile: the next attempt says so.
      }
    }
  }
};
