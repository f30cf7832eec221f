import type { ResumeAdvice, RunResult } from '../engine/results.js';
import { hasSnapshot } from './snapshot.js';

/** Quotes an argument for a POSIX shell when it needs it. */
const shellWord = (word: string): string => (/^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

export interface ResumeHintOptions {
  /** Where the run's journal is: a local run is resumable when it kept an emulator snapshot there. */
  journalDir?: string;
}

/**
 * How to continue a run that did not pass, or undefined for one that did. A run against the embedded
 * emulator is resumable when its snapshot was kept beside the journal (give `journalDir`); otherwise it
 * gets a note instead: its state ended with the process.
 */
export const resumeAdvice = (
  result: Pick<RunResult, 'status' | 'runId' | 'target'>,
  file: string,
  { journalDir }: ResumeHintOptions = {},
): ResumeAdvice | undefined => {
  if (result.status === 'passed') return undefined;
  const command = `paxflow run ${shellWord(file)} --resume ${result.runId}`;
  if (result.target.name === 'local') {
    if (journalDir !== undefined && hasSnapshot(journalDir, result.runId)) {
      return { command, note: "with the same --var options; the embedded emulator is restored from the run's snapshot" };
    }
    return { note: `Run ${result.runId} ran against the embedded emulator, whose state ends with this process: run the workflow again rather than resume it` };
  }
  return { command, note: 'with the same --target, --var and credential options' };
};

/**
 * The line that tells the user how to continue a run that did not pass ({@link resumeAdvice}), or
 * undefined for one that did.
 *
 * @example
 * resumeHint(result, 'workflows/onboard.yaml')
 * // 'To resume: paxflow run workflows/onboard.yaml --resume 39de02fa-… (with the same --target, --var and credential options)\n'
 */
export const resumeHint = (
  result: Pick<RunResult, 'status' | 'runId' | 'target'>,
  file: string,
  options: ResumeHintOptions = {},
): string | undefined => {
  const advice = resumeAdvice(result, file, options);
  if (!advice) return undefined;
  return advice.command === undefined ? `${advice.note}\n` : `To resume: ${advice.command} (${advice.note})\n`;
};
