import { setTimeout as sleep } from 'node:timers/promises';
import pWaitFor from 'p-wait-for';
import { isPaxosApiError } from '../paxos/errors.js';
import { StepFailedError } from '../errors.js';
import { MIN_POLL_INTERVAL_MS, parseDuration } from '../workflow/duration.js';
import { boundedSignal } from '../util/signal.js';
import type { StepContext } from './define.js';

/** How long a polling step waits when the workflow gives it no `timeout:`. */
export const DEFAULT_WAIT_MS = 120_000;
/** The interval grows by this factor after every check… */
const BACKOFF = 1.5;
/** …up to this, or the configured interval when that is longer. */
const MAX_INTERVAL_MS = 5_000;
/** One check may take this long before it counts as a transient failure (p-wait-for never interrupts a check). */
const CHECK_TIMEOUT_MS = 10_000;

export interface PollOptions<T> {
  context: StepContext;
  /** Wait before the second check, in ms (at least 10); later waits grow with backoff. */
  intervalMs: number;
  /** Reads the current state. Pass `signal` to the request: it ends with the check's own timeout. */
  read(signal: AbortSignal): Promise<T>;
  /** The status recorded for a reading. */
  statusOf(value: T): string;
  /** True when the wait is over. Throw to fail at once (e.g. a terminal status that is not awaited). */
  isDone(value: T): boolean;
  /** The error to fail with when the deadline passes, given the last reading (undefined if none arrived). */
  timeoutError(last: T | undefined, polls: number, waitedMs: number): Error;
}

export interface PollResult<T> {
  value: T;
  /** Number of checks made, transient failures included. */
  polls: number;
}

/**
 * Milliseconds the wait may take. With a step timeout, stop shortly before the engine aborts the step,
 * so the step fails with its own error naming the last status rather than a bare timeout.
 */
const waitBudget = (deadline: number | undefined): number => {
  if (deadline === undefined) return DEFAULT_WAIT_MS;
  const left = deadline - Date.now();
  return Math.max(0, Math.floor(left - Math.min(1_000, left * 0.1)));
};

/** Network failures, per-check timeouts, 429 and 5xx: worth another check. */
const transientCode = (error: unknown): string | undefined => {
  if (isPaxosApiError(error)) {
    const { status } = error;
    return status === undefined || status === 429 || status >= 500 ? error.code : undefined;
  }
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'CHECK_TIMEOUT';
  return undefined;
};

/**
 * Checks `read` until `isDone`, first at once, then after `intervalMs` growing 1.5x per check (capped at
 * 5s or `intervalMs`). Every check is recorded with `context.recordPoll`. Transient failures are recorded
 * and retried; any other error ends the wait. The deadline is the step's (`context.deadline`), or
 * {@link DEFAULT_WAIT_MS} without one; past it the wait fails with `timeoutError(last)`.
 */
export const pollUntil = async <T>(options: PollOptions<T>): Promise<PollResult<T>> => {
  const { context, intervalMs, read, statusOf, isDone } = options;
  const started = Date.now();
  const wait = boundedSignal(context.signal, waitBudget(context.deadline), 'the wait ran out of time');
  const waitSignal = wait.signal;
  let delay = Math.max(intervalMs, MIN_POLL_INTERVAL_MS);
  const cap = Math.max(delay, MAX_INTERVAL_MS);
  let polls = 0;
  let last: T | undefined;

  const check = async () => {
    if (polls > 0) {
      await sleep(delay, undefined, { signal: waitSignal });
      delay = Math.min(delay * BACKOFF, cap);
    }
    polls += 1;
    const at = new Date().toISOString();
    let reading: T;
    // Released after each check: one listener per check on the wait's signal would pile up (Node warns past ten).
    const bounded = boundedSignal(waitSignal, CHECK_TIMEOUT_MS, 'the check took too long');
    try {
      reading = await read(bounded.signal);
    } catch (error) {
      const code = waitSignal.aborted ? undefined : transientCode(error);
      if (code === undefined) throw error;
      context.recordPoll({ at, error: code });
      return false;
    } finally {
      bounded.release();
    }
    last = reading;
    context.recordPoll({ at, status: statusOf(reading) });
    return isDone(reading) && pWaitFor.resolveWith(reading);
  };

  try {
    // No `signal` for p-wait-for itself: its sleep between checks adds an abort listener it never removes
    // (one per check). The check's own sleep and read end the wait when waitSignal aborts.
    const value = await pWaitFor<T>(check, { interval: 0 });
    return { value, polls };
  } catch (error) {
    if (waitSignal.aborted && !context.signal.aborted) throw options.timeoutError(last, polls, Date.now() - started);
    throw error;
  } finally {
    wait.release();
  }
};

/** A wait for messages: `850ms`, `1.8s`, `120s`. */
export const formatWait = (ms: number): string => (ms < 1_000 ? `${Math.round(ms)}ms` : `${Number((ms / 1_000).toFixed(1))}s`);

/** The `interval:` option in milliseconds (validated inputs hold only durations), or `fallbackMs` when left out. */
export const readInterval = (text: string | undefined, fallbackMs: number): number => {
  if (text === undefined) return fallbackMs;
  const ms = parseDuration(text);
  // validate refuses a shorter literal; one rendered from a template is refused here, not raised silently.
  if (ms < MIN_POLL_INTERVAL_MS) throw new StepFailedError('INVALID_STEP_INPUT', `with.interval is below the minimum: the interval between checks is at least ${MIN_POLL_INTERVAL_MS}ms`);
  return ms;
};
