import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JournalError } from './errors.js';
import { findRun, runFolder } from './paths.js';

/**
 * The embedded emulator's state beside a local run's journal, `<journal-dir>/<run-id>/sandbox.json`:
 * the emulator lives in the paxflow process, so a resume in a new process starts one from this file.
 */
export const SNAPSHOT_FILE = 'sandbox.json';

export const snapshotPath = (journalDir: string, runId: string): string => join(runFolder(journalDir, runId), SNAPSHOT_FILE);

/** Whether the run (its full id) kept an emulator snapshot. */
export const hasSnapshot = (journalDir: string, runId: string): boolean => existsSync(snapshotPath(journalDir, runId));

/**
 * The emulator snapshot of the run named by `idOrPrefix` (as `--resume` takes it), parsed, for
 * `openTarget({ target: 'local', restoreFrom })` in src/commands/_target.ts; undefined when the run kept none, which `prepareResume`
 * then refuses with `RESUME_LOCAL_TARGET`. The emulator checks what is inside when it starts from it.
 * Throws RUN_NOT_FOUND like `prepareResume`, and RESUME_SNAPSHOT_INVALID for a file that is not JSON.
 */
export const readRunSnapshot = (journalDir: string, idOrPrefix: string): unknown => {
  const file = snapshotPath(journalDir, findRun(journalDir, idOrPrefix));
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new JournalError('RESUME_SNAPSHOT_INVALID', `cannot read the emulator snapshot ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new JournalError('RESUME_SNAPSHOT_INVALID', `the emulator snapshot ${file} is not JSON; the run cannot be resumed`, { cause: error });
  }
};
