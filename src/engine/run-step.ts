import type { StepFailureCode } from '../step-codes.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { AbortedError, PaxflowError, StepFailedError, isPaxflowError, isTemplateError } from '../errors.js';
import type { PaxosClient } from '../paxos/types.js';
import type { HttpExchange, PollAttempt, StepContext, TargetInfo } from '../steps/define.js';
import { sensitiveFieldNames } from '../steps/sensitive.js';
import { renderTemplate, renderValue } from '../template/index.js';
import type { TemplateContext } from '../template/index.js';
import { boundedSignal } from '../util/signal.js';
import { checkStepInput } from '../workflow/ajv.js';
import type { DocPath, ExpectSpec, Position } from '../workflow/types.js';
import { judgeOutcome, type StepOutcome, type Verdict } from './expect.js';
import type { PlannedStep, SourcePosition } from './plan.js';
import type { RunEvent, StepErrorInfo, StepResult } from './results.js';

/** What the run hands to the wrapper for each step. */
export interface StepEnvironment {
  runId: string;
  target: TargetInfo;
  /** What the step's templates read: its frame's (inside a playbook call, the call's own steps and inputs). */
  templates: TemplateContext;
  /** Aborted when the whole run is interrupted (for cleanup after an interrupt, when its grace period ends). */
  runSignal: AbortSignal;
  paxos: PaxosClient;
  /** Positions in the workflow's own file; a step places its errors with `PlannedStep.where`, which knows its file. */
  locate(path: DocPath): Position | undefined;
  /** Reports progress (each poll of a waiting step) while the step runs. */
  emit?(event: RunEvent): void;
}

/** `if:` accepts a bare expression (`eq vars.kind "person"`) as well as a template. */
export const conditionTemplate = (source: string): string => (source.includes('{{') ? source : `{{${source}}}`);

/** Whether a rendered `if:` lets the step run: not false, null, '', 0, 'false' or '0'. */
export const isTruthy = (value: unknown): boolean =>
  !(value === false || value === null || value === undefined || value === '' || value === 0 || value === 'false' || value === '0');

/** A position for a step's error: `file` only when it is not the step's own file (a playbook's outputs:). */
const errorPlace = (step: PlannedStep, { file, ...position }: SourcePosition): SourcePosition =>
  file === undefined || file === step.file ? position : { ...position, file };

const durationText = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

/** Turns anything thrown by a handler into a coded error that is safe to print. */
const toErrorInfo = (error: unknown): StepErrorInfo => {
  if (isPaxflowError(error)) {
    const info: StepErrorInfo = { code: error.code, message: error.message };
    const extra = error as PaxflowError & { status?: unknown; type?: unknown; slug?: unknown };
    if (typeof extra.status === 'number') info.status = extra.status;
    // The Problem slug (`insufficient-funds`) rather than its URI; `about:blank` for an untyped answer.
    if (typeof extra.slug === 'string') info.type = extra.slug;
    else if (typeof extra.type === 'string' && info.status !== undefined) info.type = extra.type;
    return info;
  }
  // Unknown errors may carry request data in their message, so only their class name is shown.
  const kind = error instanceof Error ? error.name : typeof error;
  return { code: 'STEP_CRASHED' satisfies StepFailureCode, message: `the step failed with an unexpected ${kind}; run with --verbose or report it as a bug` };
};

/** Runs the handler once, making sure the step ends when its signal aborts even if the handler ignores it. */
const runHandler = async (step: PlannedStep, input: unknown, context: StepContext): Promise<unknown> => {
  const { signal } = context;
  signal.throwIfAborted();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([step.definition.run(input, context), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort!);
  }
};

/**
 * The one wrapper every step runs through: condition, rendering, input check, handler with timeout and
 * retries, and the result record. Never throws; every outcome becomes a StepResult.
 */
export const runStep = async (step: PlannedStep, env: StepEnvironment): Promise<StepResult> => {
  const started = Date.now();
  const result: StepResult = {
    id: step.id,
    ...(step.name === undefined ? {} : { name: step.name }),
    uses: step.uses,
    status: 'passed',
    ...(step.line === undefined ? {} : { line: step.line, col: step.col! }),
    ...(step.file === undefined ? {} : { file: step.file }),
    ...(step.cleanup ? { cleanup: true } : {}),
    startedAt: new Date(started).toISOString(),
    durationMs: 0,
    attempts: 0,
    exchanges: [],
    polls: [],
  };
  const finish = (fields: Partial<StepResult>): StepResult => {
    Object.assign(result, fields, { durationMs: Date.now() - started });
    return result;
  };

  // A template failure points at the field it came from rather than at the step.
  let failedAt: SourcePosition | undefined;
  const render = <T>(field: 'if' | 'with' | 'expect', work: () => T): T => {
    try {
      return work();
    } catch (error) {
      if (isTemplateError(error)) failedAt = step.where([field, ...(field === 'if' ? [] : (error.path ?? []))]);
      throw error;
    }
  };

  // expect: is rendered once the handler has ended, in the same context as with:, and then decides the status.
  const judge = (outcome: StepOutcome): Verdict => {
    const spec = step.expect === undefined ? undefined : (render('expect', () => renderValue(step.expect, env.templates)) as ExpectSpec);
    return judgeOutcome(spec, outcome, { sensitive: sensitiveFieldNames() });
  };
  const conclude = (verdict: Verdict): StepResult => {
    const fields: Partial<StepResult> = { status: verdict.status };
    if ('output' in verdict) fields.output = verdict.output;
    if (verdict.expectation) fields.expectation = verdict.expectation;
    if (verdict.status === 'failed') {
      // A failed expectation points at the expect: key rather than at the step.
      const at = verdict.expectation ? step.where(['expect']) : undefined;
      fields.error = at ? { ...verdict.error, ...errorPlace(step, at) } : verdict.error;
    }
    return finish(fields);
  };

  try {
    if (step.if !== undefined && !isTruthy(render('if', () => renderTemplate(conditionTemplate(step.if!), env.templates)))) {
      return finish({ status: 'skipped', skipReason: 'condition' });
    }
    const input = render('with', () => renderValue(step.with, env.templates));
    result.input = input;
    const problems = checkStepInput(step.definition, input);
    if (problems.length > 0) {
      return conclude(judge({ ok: false, error: { code: 'INVALID_STEP_INPUT' satisfies StepFailureCode, message: problems.join('; ') } }));
    }

    const maxAttempts = step.definition.retrySafe ? (step.retry?.maxAttempts ?? 1) : 1;
    let delayMs = step.retry?.delayMs ?? 0;
    for (let attempt = 1; ; attempt += 1) {
      result.attempts = attempt;
      const remainingMs = step.timeoutMs === undefined ? undefined : Math.max(0, step.timeoutMs - (Date.now() - started));
      const bounded = boundedSignal(env.runSignal, remainingMs, 'the step ran out of time');
      const { signal } = bounded;
      const context: StepContext = {
        signal,
        deadline: step.timeoutMs === undefined ? undefined : started + step.timeoutMs,
        runId: env.runId,
        stepId: step.id,
        baseDir: step.dir ?? process.cwd(),
        target: env.target,
        paxos: env.paxos,
        recordExchange: (exchange: HttpExchange) => result.exchanges.push(exchange),
        recordPoll: (poll: PollAttempt) => {
          result.polls.push(poll);
          env.emit?.({ type: 'step:progress', runId: env.runId, index: step.index, id: step.id, polls: result.polls.length, last: poll });
        },
      };
      let outcome: StepOutcome;
      try {
        outcome = { ok: true, output: await runHandler(step, input, context) };
      } catch (error) {
        if (env.runSignal.aborted) throw new AbortedError('INTERRUPTED', 'the run was interrupted');
        if (error instanceof AbortedError && !signal.aborted) throw error;
        const timeout = signal.aborted
          ? new StepFailedError('STEP_TIMEOUT', `the step did not finish within its timeout of ${durationText(step.timeoutMs!)}`)
          : undefined;
        outcome = { ok: false, error: toErrorInfo(timeout ?? error) };
      } finally {
        bounded.release();
      }
      const verdict = judge(outcome);
      // An expected failure passes at once; a step past its timeout has no time left for another attempt.
      if (verdict.status === 'passed' || signal.aborted || attempt >= maxAttempts) return conclude(verdict);
      await sleep(delayMs, undefined, { signal: env.runSignal }).catch(() => undefined);
      if (env.runSignal.aborted) throw new AbortedError('INTERRUPTED', 'the run was interrupted');
      delayMs *= step.retry!.factor;
    }
  } catch (error) {
    if (error instanceof AbortedError) return finish({ status: 'interrupted', error: toErrorInfo(error) });
    const info = toErrorInfo(error);
    if (failedAt) Object.assign(info, errorPlace(step, failedAt));
    return finish({ status: 'failed', error: info });
  }
};
