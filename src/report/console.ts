import type { RunEvent, StepResult } from '../engine/results.js';
import { countSteps } from '../engine/results.js';
import { createStyle } from './style.js';

export interface ConsoleReporterOptions {
  write(text: string): void;
  colour: boolean;
}

export const formatDuration = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`);

const SKIP_TEXT = { condition: 'condition false', previous_failure: 'an earlier step failed', interrupted: 'run interrupted' } as const;

/** Prints a line per step as it finishes, the failure with its position, and a summary. */
export const createConsoleReporter = ({ write, colour }: ConsoleReporterOptions) => {
  const style = createStyle(colour);
  const mark = {
    passed: style.green('✓'),
    failed: style.red('✗'),
    skipped: style.dim('-'),
    interrupted: style.yellow('!'),
  } as const;
  let file = '';

  const stepLine = (result: StepResult): string => {
    const label = result.name ? `${result.id} ${style.dim(result.name)}` : result.id;
    const tail =
      result.status === 'skipped'
        ? style.dim(`skipped: ${SKIP_TEXT[result.skipReason ?? 'previous_failure']}`)
        : style.dim(`(${formatDuration(result.durationMs)}${result.attempts > 1 ? `, ${result.attempts} attempts` : ''})`);
    const allowed = result.allowedFailure ? style.yellow(' [continue_on_error]') : '';
    let text = `  ${mark[result.status]} ${label} ${tail}${allowed}\n`;
    if (result.error && result.status !== 'skipped') {
      text += `      ${style.red(result.error.code)} ${result.error.message}\n`;
      const line = result.error.line ?? result.line;
      const col = result.error.line === undefined ? result.col : result.error.col;
      if (line !== undefined) text += style.dim(`      at ${file}:${line}:${col ?? 1}\n`);
    }
    return text;
  };

  return (event: RunEvent): void => {
    switch (event.type) {
      case 'workflow:start':
        file = event.file;
        write(`${style.bold(event.name)} ${style.dim(`(${event.file}, target ${event.target.name}, run ${event.runId})`)}\n`);
        break;
      case 'step:end':
        write(stepLine(event.result));
        break;
      case 'workflow:end': {
        const counts = countSteps(event.result.steps);
        const parts = [`${counts.passed} passed`, `${counts.failed} failed`, `${counts.skipped} skipped`];
        if (counts.interrupted > 0) parts.push(`${counts.interrupted} interrupted`);
        const verdict = { passed: style.green('PASSED'), failed: style.red('FAILED'), interrupted: style.yellow('INTERRUPTED') }[event.result.status];
        write(`${verdict} ${parts.join(', ')} in ${formatDuration(event.result.durationMs)}\n`);
        break;
      }
      case 'step:start':
        break;
    }
  };
};
