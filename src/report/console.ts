import type { RunEvent, StepResult } from '../engine/results.js';
import { countSteps } from '../engine/results.js';
import type { HttpExchange, PollAttempt } from '../steps/define.js';
import { createStyle } from './style.js';

/** Options of the `pretty` reporter. */
export interface ConsoleReporterOptions {
  /** Where the text goes; in a run, a function that redacts it first. */
  write(text: string): void;
  colour: boolean;
  /**
   * Redraw a status line for the running step (elapsed time; checks and last status of waiting steps).
   * Only for a terminal: never when piped or under CI. @default false
   */
  live?: boolean;
  /** Print each step's HTTP exchanges. @default false */
  verbose?: boolean;
  /** How often the live line is redrawn. @default 250 */
  refreshMs?: number;
}

/** The `pretty` reporter: an event listener, and `close` to stop the live line's timer. */
export interface ConsoleReporter {
  (event: RunEvent): void;
  close(): void;
}

export const formatDuration = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`);

const SKIP_TEXT = { condition: 'condition false', previous_failure: 'an earlier step failed', interrupted: 'run interrupted' } as const;

// Server text can hold terminal escapes; a message never moves the cursor or starts a line of its own.
const oneLine = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');

export const exchangeLine = (exchange: HttpExchange): string =>
  `${exchange.method} ${oneLine(exchange.path)} ${exchange.status ?? 'no response'} (${formatDuration(exchange.durationMs)})${
    exchange.requestId ? ` request-id ${oneLine(exchange.requestId)}` : ''
  }`;

/** Prints a line per step as it finishes, the failure with its position, and a summary; live progress on a terminal. */
export const createConsoleReporter = (options: ConsoleReporterOptions): ConsoleReporter => {
  const { write, colour, live = false, verbose = false, refreshMs = 250 } = options;
  const style = createStyle(colour);
  const mark = {
    passed: style.green('✓'),
    failed: style.red('✗'),
    skipped: style.dim('-'),
    interrupted: style.yellow('!'),
  } as const;
  let file = '';
  let running: { label: string; started: number; polls: number; last?: PollAttempt } | undefined;
  let timer: NodeJS.Timeout | undefined;

  const label = (id: string, name: string | undefined): string => (name ? `${id} ${style.dim(oneLine(name))}` : id);

  const stepLine = (result: StepResult): string => {
    const tail =
      result.status === 'skipped'
        ? style.dim(`skipped: ${SKIP_TEXT[result.skipReason ?? 'previous_failure']}`)
        : style.dim(`(${formatDuration(result.durationMs)}${result.attempts > 1 ? `, ${result.attempts} attempts` : ''})`);
    const allowed = result.allowedFailure ? style.yellow(' [continue_on_error]') : '';
    let text = `  ${mark[result.status]} ${label(result.id, result.name)} ${tail}${allowed}\n`;
    if (result.error && result.status !== 'skipped') {
      text += `      ${style.red(result.error.code)} ${oneLine(result.error.message)}\n`;
      const line = result.error.line ?? result.line;
      const col = result.error.line === undefined ? result.col : result.error.col;
      if (line !== undefined) text += style.dim(`      at ${file}:${line}:${col ?? 1}\n`);
    }
    if (verbose) for (const exchange of result.exchanges) text += style.dim(`      ${exchangeLine(exchange)}\n`);
    return text;
  };

  const statusLine = (): string => {
    if (!running) return '';
    const elapsed = formatDuration(Date.now() - running.started);
    const seen = running.last?.status ?? running.last?.error;
    const polls = running.polls > 0 ? `, check ${running.polls}${seen ? `, last ${oneLine(seen)}` : ''}` : '';
    return `\r\u001b[2K  ${style.yellow('…')} ${running.label} ${style.dim(`(${elapsed}${polls})`)}`;
  };
  const draw = (): void => {
    if (running) write(statusLine());
  };
  const stopLive = (): void => {
    if (timer) clearInterval(timer);
    timer = undefined;
    if (running) write('\r\u001b[2K');
    running = undefined;
  };

  const reporter = (event: RunEvent): void => {
    switch (event.type) {
      case 'workflow:start':
        file = event.file;
        write(`${style.bold(oneLine(event.name))} ${style.dim(`(${event.file}, target ${event.target.name}, run ${event.runId})`)}\n`);
        break;
      case 'step:start':
        if (!live) break;
        stopLive();
        running = { label: label(event.id, event.name), started: Date.now(), polls: 0 };
        draw();
        timer = setInterval(draw, refreshMs);
        timer.unref();
        break;
      case 'step:progress':
        if (!running) break;
        running.polls = event.polls;
        running.last = event.last;
        draw();
        break;
      case 'step:end':
        stopLive();
        write(stepLine(event.result));
        break;
      case 'workflow:end': {
        stopLive();
        const counts = countSteps(event.result.steps);
        const parts = [`${counts.passed} passed`, `${counts.failed} failed`, `${counts.skipped} skipped`];
        if (counts.interrupted > 0) parts.push(`${counts.interrupted} interrupted`);
        const verdict = { passed: style.green('PASSED'), failed: style.red('FAILED'), interrupted: style.yellow('INTERRUPTED') }[event.result.status];
        write(`${verdict} ${parts.join(', ')} in ${formatDuration(event.result.durationMs)}\n`);
        break;
      }
    }
  };
  return Object.assign(reporter, { close: stopLive });
};
