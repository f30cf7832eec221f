import { randomUUID } from 'node:crypto';
import { UsageError } from '../errors.js';
import type { PaxosClient } from '../paxos/types.js';
import type { TargetInfo } from '../steps/define.js';
import type { TemplateContext } from '../template/index.js';
import type { Plan, PlannedStep } from './plan.js';
import type { RunEvent, RunResult, SkipReason, StepErrorInfo, StepResult } from './results.js';
import { runSequence } from './sequence.js';
import { prepareStepInputs } from '../workflow/step-input.js';

export interface RunOptions {
  target: TargetInfo;
  /** The authenticated target API. Default: a client that refuses every call (for runs without one). */
  paxos?: PaxosClient;
  /** Abort it to interrupt the run (Ctrl-C); the current step ends as `interrupted`. */
  signal?: AbortSignal;
  /** Called for every event, in order. A listener that throws does not stop the run. */
  onEvent?: (event: RunEvent) => void;
  /** What `env.*` templates read. Default: no variables. */
  env?: Record<string, string | undefined>;
  /** Default: a new random id; with `resume`, the resumed run's id. */
  runId?: string;
  /**
   * Records the run as it goes (`openRunJournal` in src/journal). Each call is awaited before the run
   * moves on: `stepStart` completes before the step's first request, and a throw there fails the step
   * without sending anything.
   */
  journal?: RunJournal;
  /** Continue an earlier run (`prepareResume` in src/journal): its completed steps are restored, not run. */
  resume?: ResumePoint;
  /** What `row.*` templates read: the row of a data-driven run. Default: none (`row` is not in the context). */
  row?: Record<string, unknown>;
  /**
   * Gets every value that must be masked from the moment it is known: the rendered value of each playbook
   * input declared `sensitive: true`, before any step of that call runs. Pass it to the redactor
   * (`redactor.addSensitive`). Default: none.
   */
  onSecret?: (value: unknown) => void;
  /** How long `finally:` steps may take, in all, once the run is interrupted; past it, the one running ends `interrupted`. @default 30000 */
  cleanupGraceMs?: number;
}

/** What the engine tells a run journal, in order, before moving on. */
export interface RunJournal {
  /** Before the first step. A throw (or a rejected promise) stops the run before anything is sent. */
  runStart(run: { runId: string; startedAt: string; plan: Plan; target: TargetInfo }): void | Promise<void>;
  /** Before the step runs; when it returns (or its promise resolves), the entry is recorded as the journal promises. */
  stepStart(step: PlannedStep, templates: TemplateContext): void | Promise<void>;
  /** After a step that `stepStart` was called for. */
  stepEnd(step: PlannedStep, result: StepResult): void | Promise<void>;
  runEnd(result: RunResult): void | Promise<void>;
}

/** A step that completed in an earlier attempt of the run, as the journal kept it. */
export interface RestoredStep {
  status: 'passed' | 'skipped' | 'failed';
  skipReason?: SkipReason;
  /** A failure that `continue_on_error` let the run go past. */
  allowedFailure?: boolean;
  /** The output without personal fields; later steps read it as `steps.<id>`. */
  output?: unknown;
  error?: StepErrorInfo;
  durationMs: number;
  attempts: number;
}

/** Where a resumed run picks up. */
export interface ResumePoint {
  runId: string;
  /** `run.started_at` of the first attempt, so templates render as they did then. */
  startedAt: string;
  /** Steps completed earlier, by id. Those before the first step not in here are reported with `restored: true` and not run. */
  completed: ReadonlyMap<string, RestoredStep>;
}

/** Stands in when a run has no API configured, so a step that needs one fails with a clear code. */
const noPaxosClient: PaxosClient = {
  call: async () => {
    throw new UsageError('NO_API', 'this run has no Paxos API configured');
  },
  authorization: async () => undefined,
};

/**
 * Runs the planned steps one after another (playbook calls in frames of their own, `finally:` steps
 * whatever happened) and returns the whole result. Never throws for step failures.
 */
export const runWorkflow = async (plan: Plan, options: RunOptions): Promise<RunResult> => {
  const { target, signal = new AbortController().signal, env = {}, journal, resume } = options;
  if (resume && options.runId !== undefined && options.runId !== resume.runId) {
    throw new UsageError('BAD_ARGUMENTS', `runId ${options.runId} is not the resumed run ${resume.runId}`);
  }
  const runId = resume?.runId ?? options.runId ?? randomUUID();
  await prepareStepInputs(plan.steps.map((step) => step.definition));
  const emit = (event: RunEvent): void => {
    try {
      options.onEvent?.(event);
    } catch {
      // A broken reporter must not change the outcome of the run.
    }
  };
  const started = Date.now();
  const startedAt = resume?.startedAt ?? new Date(started).toISOString();
  const outputs: Record<string, unknown> = {};
  const templates: TemplateContext = {
    vars: plan.vars,
    env,
    steps: outputs,
    run: { id: runId, started_at: startedAt },
    ...(options.row === undefined ? {} : { row: options.row }),
  };
  const stepEnvironment = { runId, target, templates, runSignal: signal, paxos: options.paxos ?? noPaxosClient, locate: plan.locate, emit };

  await journal?.runStart({ runId, startedAt, plan, target });
  emit({ type: 'workflow:start', runId, file: plan.file, name: plan.name, target, stepCount: plan.steps.length });
  const { results, status } = await runSequence(plan, { environment: stepEnvironment, journal, resume, emit, onSecret: options.onSecret, cleanupGraceMs: options.cleanupGraceMs });

  const result: RunResult = {
    runId,
    file: plan.file,
    name: plan.name,
    target,
    status,
    startedAt,
    durationMs: Date.now() - started,
    steps: results,
    ...(resume ? { resumed: true } : {}),
  };
  try {
    await journal?.runEnd(result);
  } catch {
    // Every step's end is written already; without this line the run reads as incomplete, which resumes safely.
  }
  emit({ type: 'workflow:end', result });
  return result;
};
