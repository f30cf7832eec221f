import type { RunResult } from '../engine/results.js';
import { hasSnapshot } from './snapshot.js';

/** Quotes an argument for a POSIX shell when it needs it. */
const shellWord = (word: string): string => (/^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

export interface ResumeHintOptions {
  /** Where the run's journal is: a local run is resumable when it kept an emulator snapshot there. */
  journalDir?: string;
}

/**
 * The line that tells the user how to continue a run that did not pass, or undefined for one that did.
 * A run against the embedded emulator is resumable when its snapshot was kept beside the journal (give
 * `journalDir`); otherwise it gets a note instead: its state ended with the process.
 *
 * @example
 * resumeHint(result, 'workflows/onboard.yaml')
 * // 'To resume: paxflow run workflows/onboard.yaml --resume 39de02fa-… (with the same --target, --var and credential options)\n'
 */
export const resumeHint = (
  result: Pick<RunResult, 'status' | 'runId' | 'target'>,
  file: string,
  { journalDir }: ResumeHintOptions = {},
): string | undefined => {
  if (result.status === 'passed') return undefined;
  if (result.target.name === 'local') {
    if (journalDir !== undefined && hasSnapshot(journalDir, result.runId)) {
      return `To resume: paxflow run ${shellWord(file)} --resume ${result.runId} (with the same --var options; the embedded emulator is restored from the run's snapshot)\n`;
    }
    return `Run ${result.runId} ran against the embedded emulator, whose state ends with this process: run the workflow again rather than resume it\n`;
  }
  return `To resume: paxflow run ${shellWord(file)} --resume ${result.runId} (with the same --target, --var and credential options)\n`;
};
