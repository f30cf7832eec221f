import { UsageError } from '../errors.js';

/**
 * The journal cannot be used as asked: a run that does not exist, a journal that is locked, unreadable
 * or written by another version, a resume against another target. Exit code 2, like any usage error.
 */
export class JournalError extends UsageError {
  override name = 'JournalError';
}

export const isJournalError = (error: unknown): error is JournalError => error instanceof JournalError;

/** The codes the journal and resume raise, with what each means (for docs and `--help`). */
export const JOURNAL_CODES = {
  JOURNAL_UNWRITABLE: 'The run journal cannot be created or written (check the --journal-dir / PAXFLOW_HOME folder).',
  JOURNAL_WRITE_FAILED: 'Writing the journal failed during the run; the step was not started, so nothing was sent for it.',
  JOURNAL_EXISTS: 'A journal for this run id exists already; a new run needs a new id.',
  JOURNAL_LOCKED: 'Another paxflow process is running this run now.',
  JOURNAL_CORRUPT: 'A line of the journal is not a journal entry (only a cut-off last line, left by a crash, is tolerated).',
  JOURNAL_UNSUPPORTED: 'The journal was written by a paxflow with another journal format.',
  RUN_NOT_FOUND: 'No journal for this run id (or the prefix matches no run, or several).',
  BAD_RUN_ID: 'A run id holds letters, digits, -, _ and . only.',
  RESUME_LOCAL_TARGET: 'A run against the embedded emulator resumes only with --target local and the emulator snapshot kept with its journal; this one has none, or the targets differ.',
  RESUME_SNAPSHOT_INVALID: 'The emulator snapshot kept with a local run cannot be read or restored (not JSON, another format version, or inconsistent).',
  RESUME_TARGET_CHANGED: 'The run was made against another target; resume it against the same one (or --force).',
  RESUME_DEFINITION_CHANGED: 'A step that completed has changed since; restore it, start a new run, or --force to keep its recorded result.',
  RESUME_STEPS_CHANGED: 'Completed steps were removed or moved after a step that did not complete (or --force).',
  RESUME_VARS_CHANGED: 'A variable that a completed step read has another value now (or --force).',
  RESUME_REF_ID_CHANGED: 'A step that may have created something would now use another ref_id, and could create it twice (or --force).',
  RESUME_UNCERTAIN_STEP: 'A step that cannot be repeated safely (a sandbox deposit) may have happened; check, then --force to run it again.',
  RESUME_OUTPUT_NOT_KEPT: 'A step to run reads a field of a completed step that the journal left out (personal data, a credential, a secret).',
} as const;

export type JournalCode = keyof typeof JOURNAL_CODES;
