import type { RunEvent, RunResult, StepResult } from '../engine/results.js';
import { countSteps } from '../engine/results.js';
import type { HttpExchange, PollAttempt } from '../steps/define.js';
import { createBatchTable } from './batch-summary.js';
import { createStyle } from './style.js';
import { failurePlace } from './place.js';

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
  // Many units at once: each line names its unit, and the live line counts units instead of showing a step.
  let batch: { units: Map<string, { label: string; file: string }>; done: number; table: ReturnType<typeof createBatchTable> } | undefined;

  const label = (id: string, name: string | undefined): string => (name ? `${id} ${style.dim(oneLine(name))}` : id);

  const stepLine = (result: StepResult, file: string): string => {
    const tail =
      result.status === 'skipped'
        ? style.dim(`skipped: ${SKIP_TEXT[result.skipReason ?? 'previous_failure']}`)
        : style.dim(`(${formatDuration(result.durationMs)}${result.attempts > 1 ? `, ${result.attempts} attempts` : ''})`);
    const allowed = `${result.cleanup ? style.dim(' [finally]') : ''}${result.allowedFailure ? style.yellow(' [continue_on_error]') : ''}`;
    let text = `  ${mark[result.status]} ${label(result.id, result.name)} ${tail}${allowed}\n`;
    if (result.error && result.status !== 'skipped') {
      text += `      ${style.red(result.error.code)} ${oneLine(result.error.message)}\n`;
      const at = failurePlace(result, file);
      if (at.line !== undefined) text += style.dim(`      at ${at.file}:${at.line}:${at.col ?? 1}\n`);
    }
    if (verbose) for (const exchange of result.exchanges) text += style.dim(`      ${exchangeLine(exchange)}\n`);
    return text;
  };

  const statusLine = (): string => {
    if (batch) return `\r\u001b[2K  ${style.yellow('…')} ${style.dim(`${batch.units.size} running, ${batch.done} done`)}`;
    if (!running) return '';
    const elapsed = formatDuration(Date.now() - running.started);
    const seen = running.last?.status ?? running.last?.error;
    const polls = running.polls > 0 ? `, check ${running.polls}${seen ? `, last ${oneLine(seen)}` : ''}` : '';
    return `\r\u001b[2K  ${style.yellow('…')} ${running.label} ${style.dim(`(${elapsed}${polls})`)}`;
  };
  const draw = (): void => {
    if (running || batch) write(statusLine());
  };
  const stopLive = (): void => {
    if (timer) clearInterval(timer);
    timer = undefined;
    if (running || (batch && live)) write('\r\u001b[2K');
    running = undefined;
  };

  const verdictLine = (result: RunResult): string => {
    const counts = countSteps(result.steps);
    const parts = [`${counts.passed} passed`, `${counts.failed} failed`, `${counts.skipped} skipped`];
    if (counts.interrupted > 0) parts.push(`${counts.interrupted} interrupted`);
    const verdict = { passed: style.green('PASSED'), failed: style.red('FAILED'), interrupted: style.yellow('INTERRUPTED') }[result.status];
    return `${verdict} ${parts.join(', ')} in ${formatDuration(result.durationMs)}\n`;
  };

  const labelOf = (runId: string): string | undefined => batch?.units.get(runId)?.label;

  /** In a batch: every line of `text` prefixed with its unit, and the live line drawn again below them. */
  const say = (label: string | undefined, text: string): void => {
    if (!batch) return write(text);
    const prefix = label === undefined ? '' : `${style.dim(`[${oneLine(label)}]`)} `;
    write(`${live ? '\r\u001b[2K' : ''}${text.replace(/^(?=.)/gm, prefix)}`);
    if (live) draw();
  };

  const batchEvent = (event: RunEvent & { type: 'batch:start' | 'unit:end' | 'batch:end' }): void => {
    switch (event.type) {
      case 'batch:start': {
        batch = { units: new Map(), done: 0, table: createBatchTable() };
        const from = event.dataFile === undefined ? '' : `, rows of ${event.dataFile}`;
        write(`${style.bold('Batch')} ${style.dim(`(target ${event.target.name}, concurrency ${event.concurrency}${from})`)}\n`);
        if (live) {
          timer = setInterval(draw, refreshMs);
          timer.unref();
        }
        break;
      }
      case 'unit:end': {
        if (!batch) break;
        batch.done += 1;
        batch.table.add(event.unit);
        const { unit, problems, result } = event.unit;
        if (result) {
          // A batch sends no workflow:end: the unit's end carries its run.
          say(unit.label, verdictLine(result));
          batch.units.delete(result.runId);
        }
        if (!problems) break;
        // A unit that could not run has no other line: say why here.
        let text = `  ${mark.failed} ${style.red('invalid')} ${style.dim(oneLine(event.unit.name ?? unit.file))}\n`;
        for (const problem of problems) {
          text += `      ${style.red(problem.code)} ${oneLine(problem.message)}\n`;
          if (problem.file !== undefined && problem.line !== undefined) text += style.dim(`      at ${problem.file}:${problem.line}:${problem.col ?? 1}\n`);
        }
        say(unit.label, text);
        break;
      }
      case 'batch:end':
        if (!batch) break;
        stopLive();
        write(batch.table.render(event.summary, style));
        batch = undefined;
        break;
    }
  };

  const reporter = (event: RunEvent): void => {
    switch (event.type) {
      case 'batch:start':
      case 'unit:end':
      case 'batch:end':
        batchEvent(event);
        break;
      case 'workflow:start':
        if (batch) batch.units.set(event.runId, { label: event.unit?.label ?? event.name, file: event.file });
        else file = event.file;
        say(labelOf(event.runId), `${style.bold(oneLine(event.name))} ${style.dim(`(${event.file}, target ${event.target.name}, run ${event.runId})`)}\n`);
        break;
      case 'step:start':
        if (!live || batch) break;
        stopLive();
        running = { label: label(event.id, event.name), started: Date.now(), polls: 0 };
        draw();
        timer = setInterval(draw, refreshMs);
        timer.unref();
        break;
      case 'step:progress':
        if (!running || batch) break;
        running.polls = event.polls;
        running.last = event.last;
        draw();
        break;
      case 'step:end':
        if (batch) {
          say(labelOf(event.runId), stepLine(event.result, batch.units.get(event.runId)?.file ?? ''));
          break;
        }
        stopLive();
        write(stepLine(event.result, file));
        break;
      case 'workflow:end':
        if (!batch) stopLive();
        say(labelOf(event.result.runId), verdictLine(event.result));
        batch?.units.delete(event.result.runId);
        break;
    }
  };
  return Object.assign(reporter, { close: stopLive });
};
