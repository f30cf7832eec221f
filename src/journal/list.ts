import { join } from 'node:path';
import { isJournalError } from './errors.js';
import { isLockHeld, readLock } from './lock.js';
import { journalPath, runIds } from './paths.js';
import { readJournal } from './read.js';
import { isCompleted, summarizeJournal } from './state.js';

/** One run as `paxflow runs` shows it. */
export interface RunListing {
  runId: string;
  /**
   * The latest attempt's outcome; `running` while a live process holds the run; `incomplete` when it
   * ended without a word (killed, crashed); `unreadable` when the journal cannot be read.
   */
  status: 'passed' | 'failed' | 'interrupted' | 'running' | 'incomplete' | 'unreadable';
  workflow?: { file: string; name: string };
  target?: string;
  /** When the run was first started. */
  startedAt?: string;
  /** Time of the journal's last entry. */
  updatedAt?: string;
  /** Steps that completed (passed, skipped by their condition, allowed failures) out of the workflow's. */
  steps?: { completed: number; total: number };
  resumes?: number;
  /** The step a resume would start at, when the run did not pass. */
  resumeFrom?: string;
  /** The code of an unreadable journal. */
  error?: string;
}

/** Reads one run's journal into its listing; never throws. */
export const describeRun = (journalDir: string, runId: string): RunListing => {
  let summary;
  try {
    summary = summarizeJournal(readJournal(journalPath(journalDir, runId)).entries);
  } catch (error) {
    return { runId, status: 'unreadable', error: isJournalError(error) ? error.code : 'JOURNAL_CORRUPT' };
  }
  const { start } = summary;
  const running = summary.status === 'incomplete' && isLockHeld(readLock(join(journalDir, runId)));
  const firstOpen = summary.stepIds.find((id) => {
    const step = summary.steps.get(id);
    return step === undefined || !isCompleted(step);
  });
  return {
    runId,
    status: running ? 'running' : summary.status,
    workflow: start.workflow,
    target: start.target?.name,
    startedAt: start.started_at,
    updatedAt: summary.updatedAt,
    steps: { completed: summary.stepIds.filter((id) => summary.steps.has(id) && isCompleted(summary.steps.get(id)!)).length, total: summary.stepIds.length },
    resumes: summary.resumes,
    ...(summary.status !== 'passed' && firstOpen !== undefined ? { resumeFrom: firstOpen } : {}),
  };
};

export interface ListRunsOptions {
  /** The most runs to return, newest first. Default: 20; 0 for all. */
  limit?: number;
}

/** The runs that have a journal in `journalDir`, newest first (by first start, then last entry). */
export const listRuns = (journalDir: string, { limit = 20 }: ListRunsOptions = {}): RunListing[] => {
  const runs = runIds(journalDir).map((runId) => describeRun(journalDir, runId));
  const key = (run: RunListing): string => run.startedAt ?? '';
  runs.sort((a, b) => key(b).localeCompare(key(a)) || (b.updatedAt ?? '').localeCompare(a.updatedAt ?? '') || a.runId.localeCompare(b.runId));
  return limit > 0 ? runs.slice(0, limit) : runs;
};
