import type { RunStatus } from '../engine/results.js';
import type { JournalEntry, RunStartEntry, StepEndEntry, VarHashes } from './entries.js';

/** What the journal says about one step, after every attempt. */
export interface JournaledStep {
  id: string;
  index: number;
  uses: string;
  /** Definition hash of the latest start, or the one `--force` accepted since. */
  hash: string;
  /** ref_ids of the latest attempt: as sent when the step ended, else as planned at its start. */
  refIds: string[];
  refIdsUnstable: boolean;
  /** The end of the latest attempt; absent when the step started and never ended (a crash or kill). */
  end?: StepEndEntry;
}

export interface JournalSummary {
  start: RunStartEntry;
  /** Step ids of the latest start or resume. */
  stepIds: string[];
  /** Variable hashes of the latest start or resume. */
  vars: VarHashes;
  steps: Map<string, JournaledStep>;
  /** The latest attempt's outcome, or `incomplete` when it never ended (killed, crashed, or still running). */
  status: RunStatus | 'incomplete';
  /** How many times the run was resumed. */
  resumes: number;
  /** Time of the last entry. */
  updatedAt: string;
}

/** A step the run may go past: passed, skipped by its `if`, or failed with `continue_on_error`. */
export const isCompleted = (step: JournaledStep): boolean =>
  step.end !== undefined &&
  (step.end.status === 'passed' || (step.end.status === 'skipped' && step.end.skip_reason === 'condition') || (step.end.status === 'failed' && step.end.allowed_failure === true));

/** Folds the entries of a journal (first one a run:start, as readJournal guarantees) into per-step state. */
export const summarizeJournal = (entries: readonly JournalEntry[]): JournalSummary => {
  const start = entries[0] as RunStartEntry;
  const summary: JournalSummary = {
    start,
    stepIds: start.steps,
    vars: start.vars ?? {},
    steps: new Map(),
    status: 'incomplete',
    resumes: 0,
    updatedAt: start.at,
  };
  for (const entry of entries) {
    if (typeof entry.at === 'string') summary.updatedAt = entry.at;
    switch (entry.type) {
      case 'run:start':
        break;
      case 'run:resume':
        summary.resumes += 1;
        summary.status = 'incomplete';
        summary.stepIds = entry.steps;
        summary.vars = entry.vars ?? summary.vars;
        for (const [id, hash] of Object.entries(entry.accepted ?? {})) {
          const step = summary.steps.get(id);
          if (step) step.hash = hash;
        }
        break;
      case 'step:start':
        summary.steps.set(entry.id, {
          id: entry.id,
          index: entry.index,
          uses: entry.uses,
          hash: entry.hash,
          refIds: entry.ref_ids,
          refIdsUnstable: entry.ref_ids_unstable === true,
        });
        break;
      case 'step:end': {
        const step = summary.steps.get(entry.id);
        if (!step) break;
        step.end = entry;
        if (Array.isArray(entry.ref_ids) && entry.ref_ids.length > 0) step.refIds = entry.ref_ids;
        break;
      }
      case 'run:end':
        summary.status = entry.status;
        break;
    }
  }
  return summary;
};
