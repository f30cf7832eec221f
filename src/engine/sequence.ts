/**
 * The steps of a plan, one after another, in frames: the workflow's own steps run in the root frame, the
 * steps of each playbook call in a frame of their own, with its own `steps.*`, `inputs.*` and status.
 *
 * - A failed step stops the later steps of its frame (unless `continue_on_error`); a failed playbook
 *   fails the step that stands for its call, which then counts in the caller's frame like any step.
 * - `finally:` steps run whatever happened in their frame. After an interrupt they run too, within a
 *   grace period (`cleanupGraceMs` in all): past it, the cleanup step in flight ends `interrupted`.
 * - Every step still runs through the one wrapper, runStep.
 */

import type { StepFailureCode } from '../step-codes.js';
import { isPaxflowError, isTemplateError } from '../errors.js';
import { renderTemplate, renderValue } from '../template/index.js';
import type { TemplateContext } from '../template/index.js';
import type { Plan, PlannedStep, SourcePosition } from './plan.js';
import { callTemplates, resolveInputs, sensitiveInputValues } from './playbook.js';
import type { RunEvent, RunStatus, SkipReason, StepErrorInfo, StepResult } from './results.js';
import type { ResumePoint, RestoredStep, RunJournal } from './run.js';
import { conditionTemplate, isTruthy, runStep } from './run-step.js';
import type { StepEnvironment } from './run-step.js';

/** How long cleanup steps may take, in all, once the run is interrupted. */
export const DEFAULT_CLEANUP_GRACE_MS = 30_000;

export interface SequenceOptions {
  /** The environment of the root frame; each playbook frame gets its own `templates`. */
  environment: StepEnvironment;
  journal?: RunJournal | undefined;
  resume?: ResumePoint | undefined;
  emit(event: RunEvent): void;
  /** Gets each value that must be masked from now on (the rendered value of a `sensitive: true` input). */
  onSecret?: ((value: unknown) => void) | undefined;
  cleanupGraceMs?: number | undefined;
}

/** The state of one frame: the workflow, or one playbook call. */
interface Frame {
  status: RunStatus;
  /** `steps.*` of the frame: outputs of its steps that passed, by the id written in its file. */
  outputs: Record<string, unknown>;
  templates?: TemplateContext;
  /** Whether the call's condition, inputs and parent frame have been looked at (the root: always). */
  entered: boolean;
  /** The whole call does not run: its steps are skipped for this reason. */
  skip?: SkipReason;
  /** The call could not start (a condition or an input that could not be rendered, a wrong type). */
  error?: StepErrorInfo;
  /** Id of the frame's first step that failed the frame. */
  failedAt?: string;
  /** Entered as cleanup (a call in a `finally:` list, or inside one): it runs after an interrupt too. */
  cleanup: boolean;
}

const RANK: Record<RunStatus, number> = { passed: 0, failed: 1, interrupted: 2 };
const worse = (a: RunStatus, b: RunStatus): RunStatus => (RANK[b] > RANK[a] ? b : a);
const skipReasonFor = (status: RunStatus): SkipReason => (status === 'interrupted' ? 'interrupted' : 'previous_failure');

const baseResult = (step: PlannedStep) => ({
  id: step.id,
  ...(step.name === undefined ? {} : { name: step.name }),
  uses: step.uses,
  ...(step.line === undefined ? {} : { line: step.line, col: step.col! }),
  ...(step.file === undefined ? {} : { file: step.file }),
  ...(step.cleanup ? { cleanup: true } : {}),
});

const endedResult = (step: PlannedStep, fields: Pick<StepResult, 'status'> & Partial<StepResult>): StepResult => ({
  ...baseResult(step),
  durationMs: 0,
  attempts: 0,
  exchanges: [],
  polls: [],
  ...fields,
});

const restoredResult = (step: PlannedStep, restored: RestoredStep): StepResult => ({
  ...baseResult(step),
  status: restored.status,
  ...(restored.skipReason === undefined ? {} : { skipReason: restored.skipReason }),
  ...(restored.allowedFailure ? { allowedFailure: true } : {}),
  ...(restored.output === undefined ? {} : { output: restored.output }),
  ...(restored.error === undefined ? {} : { error: restored.error }),
  durationMs: restored.durationMs,
  attempts: restored.attempts,
  restored: true,
  exchanges: [],
  polls: [],
});

/** Journals the step's start; a failed write fails the step before it sends anything. */
const recordStart = async (journal: RunJournal | undefined, step: PlannedStep, templates: TemplateContext): Promise<StepResult | undefined> => {
  try {
    await journal?.stepStart(step, templates);
    return undefined;
  } catch (error) {
    const code = isPaxflowError(error) ? error.code : 'JOURNAL_WRITE_FAILED';
    const message = isPaxflowError(error) ? error.message : 'the run journal could not be written';
    return endedResult(step, { status: 'failed', error: { code, message } });
  }
};

const recordEnd = async (journal: RunJournal | undefined, step: PlannedStep, result: StepResult): Promise<void> => {
  try {
    await journal?.stepEnd(step, result);
  } catch {
    // A lost end makes a resume treat the step as cut short (re-run by its ref_id, or refused for a deposit); the next start reports the failure.
  }
};

/** The value `work` returns, or what it threw as a StepErrorInfo placed where `where` says (never an unexpected error's message). */
const attempt = <T>(work: () => T, where: (error: unknown) => SourcePosition | undefined): { value: T } | { error: StepErrorInfo } => {
  try {
    return { value: work() };
  } catch (error) {
    const info: StepErrorInfo = isPaxflowError(error)
      ? { code: error.code, message: error.message }
      : { code: 'STEP_CRASHED' satisfies StepFailureCode, message: 'the playbook call failed with an unexpected error; report it as a bug' };
    return { error: { ...info, ...where(error) } };
  }
};

/** Runs every step of the plan in order; returns their results and the run's status. Never throws for a step. */
export const runSequence = async (plan: Plan, options: SequenceOptions): Promise<{ results: StepResult[]; status: RunStatus }> => {
  const { environment, journal, resume, emit, onSecret, cleanupGraceMs = DEFAULT_CLEANUP_GRACE_MS } = options;
  const { runId, templates: rootTemplates, runSignal } = environment;
  rootTemplates.run.status = 'passed';
  if (plan.inputs !== undefined && rootTemplates.inputs === undefined) rootTemplates.inputs = plan.inputs;

  const root: Frame = { status: 'passed', outputs: rootTemplates.steps, templates: rootTemplates, entered: true, cleanup: false };
  const frames = new Map<string, Frame>([['', root]]);
  const calls = new Map(plan.steps.filter((step) => step.call).map((step) => [step.call!.frame, step]));
  /** A journal that could not be written: nothing more runs, cleanup included, since a resume could not be trusted. */
  let halted = false;
  let grace: AbortSignal | undefined;

  const frameOf = (id: string): Frame => {
    let frame = frames.get(id);
    if (frame === undefined) {
      const call = calls.get(id)!;
      const parent = frameOf(call.frame);
      frame = { status: 'passed', outputs: {}, entered: false, cleanup: call.cleanup || parent.cleanup };
      frames.set(id, frame);
    }
    return frame;
  };

  const setStatus = (frame: Frame, status: RunStatus): void => {
    frame.status = worse(frame.status, status);
    if (frame.templates) frame.templates.run.status = frame.status;
  };

  /** Whether a step of this frame may start: its frame runs, and has not failed (cleanup steps run anyway). */
  const blocked = (frame: Frame, step: PlannedStep): SkipReason | undefined => {
    if (halted) return 'previous_failure';
    if (frame.skip) return frame.skip;
    if (frame.error) return 'previous_failure';
    if (frame.status !== 'passed' && !step.cleanup) return skipReasonFor(frame.status);
    return undefined;
  };

  /** Looks at a call before its first step: the caller's state, its if:, and its inputs, rendered in the caller's frame. */
  const enter = (id: string): Frame => {
    const frame = frameOf(id);
    if (frame.entered) return frame;
    frame.entered = true;
    const step = calls.get(id)!;
    const call = step.call!;
    const reason = blocked(enter(step.frame), step);
    if (reason) {
      frame.skip = reason;
      return frame;
    }
    const context = frameOf(step.frame).templates!;
    const condition = call.if === undefined ? { value: true } : attempt(() => renderTemplate(conditionTemplate(call.if!), context), () => call.where(['if']));
    if ('error' in condition) {
      frame.error = condition.error;
      return frame;
    }
    if (!isTruthy(condition.value)) {
      frame.skip = 'condition';
      return frame;
    }
    const given = attempt(() => renderValue(call.with, context) as Record<string, unknown>, (error) => call.where(['with', ...(isTemplateError(error) ? (error.path ?? []) : [])]));
    if ('error' in given) {
      frame.error = given.error;
      return frame;
    }
    const { inputs, problems } = resolveInputs(call.inputs, given.value, call.file);
    const [first] = problems;
    if (first) {
      const message = problems.map((problem) => problem.message).join('; ');
      frame.error = { code: first.code, message, ...(call.where(['with', first.input]) ?? call.where(['uses'])) };
      return frame;
    }
    for (const value of sensitiveInputValues(call.inputs, inputs)) onSecret?.(value);
    frame.templates = callTemplates(call.vars, inputs, frame.outputs, rootTemplates);
    return frame;
  };

  /** A step's outcome in its frame: its output becomes `steps.<id>`, a failure stops the frame. */
  const apply = (step: PlannedStep, frame: Frame, result: StepResult, unrecorded: boolean): void => {
    if (result.status === 'passed') {
      frame.outputs[step.localId] = result.output;
    } else if (result.status === 'interrupted') {
      setStatus(frame, 'interrupted');
    } else if (result.status === 'failed') {
      // Past a journal that cannot be written a resume could not be trusted: nothing more runs, continue_on_error or not.
      if (unrecorded) {
        halted = true;
        setStatus(frame, 'failed');
      } else if (step.continueOnError) {
        result.allowedFailure = true;
      } else {
        frame.failedAt ??= step.id;
        setStatus(frame, 'failed');
        // The playbook fails, and a call around it with continue_on_error lets the run go on.
        if (contained(step.frame)) result.allowedFailure = true;
      }
    }
  };

  /** Whether any call around the frame lets a failure pass (continue_on_error), so its failures are warnings. */
  const contained = (frameId: string): boolean => {
    for (let id = frameId; id !== ''; ) {
      const call = calls.get(id)!;
      if (call.continueOnError) return true;
      id = call.frame;
    }
    return false;
  };

  /** The result of the step that ends a call whose steps did not all pass, or undefined to render its outputs. */
  const callOutcome = (step: PlannedStep, frame: Frame): StepResult | undefined => {
    const call = step.call!;
    if (frame.skip) return endedResult(step, { status: 'skipped', skipReason: frame.skip });
    if (frame.error) return endedResult(step, { status: 'failed', error: frame.error });
    if (frame.status === 'interrupted') return endedResult(step, { status: 'interrupted', error: { code: 'INTERRUPTED' satisfies StepFailureCode, message: 'the run was interrupted' } });
    if (frame.status === 'failed') {
      return endedResult(step, { status: 'failed', error: { code: 'PLAYBOOK_FAILED' satisfies StepFailureCode, message: `the playbook ${call.file} failed at step ${frame.failedAt ?? 'unknown'}` } });
    }
    return undefined;
  };

  const results: StepResult[] = [];
  // A resume restores the leading steps that completed before, and runs everything from the first that did not.
  let restoring = resume !== undefined;
  for (const step of plan.steps) {
    const frame = frameOf(step.frame);
    let result: StepResult;
    let unrecorded = false;
    const restored = restoring ? resume!.completed.get(step.id) : undefined;
    restoring &&= restored !== undefined;
    if (restored) {
      result = restoredResult(step, restored);
    } else {
      const reason = blocked(enter(step.frame), step);
      const ended = reason === undefined && step.call ? callOutcome(step, enter(step.call.frame)) : undefined;
      if (reason) {
        result = endedResult(step, { status: 'skipped', skipReason: reason });
      } else if (ended) {
        result = ended;
        if (ended.status !== 'skipped') emit({ type: 'step:start', runId, index: step.index, id: step.id, ...(step.name === undefined ? {} : { name: step.name }), uses: step.uses });
      } else {
        const templates = step.call ? enter(step.call.frame).templates! : frame.templates!;
        // After an interrupt only cleanup runs, within its grace period; everything else ends at once.
        const late = runSignal.aborted && (step.cleanup || frame.cleanup);
        if (late) grace ??= AbortSignal.timeout(cleanupGraceMs);
        emit({ type: 'step:start', runId, index: step.index, id: step.id, ...(step.name === undefined ? {} : { name: step.name }), uses: step.uses });
        const failedStart = await recordStart(journal, step, templates);
        unrecorded = failedStart !== undefined;
        result = failedStart ?? (await runStep(step, { ...environment, templates, runSignal: late ? grace! : runSignal }));
        if (!unrecorded) await recordEnd(journal, step, result);
      }
    }
    apply(step, frame, result, unrecorded);
    results.push(result);
    emit({ type: 'step:end', runId, index: step.index, result });
  }
  return { results, status: halted ? worse(root.status, 'failed') : root.status };
};
