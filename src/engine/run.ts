import { randomUUID } from 'node:crypto';
import { UsageError } from '../errors.js';
import type { PaxosClient } from '../paxos/types.js';
import type { TargetInfo } from '../steps/define.js';
import type { TemplateContext } from '../template/index.js';
import type { Plan } from './plan.js';
import type { RunEvent, RunResult, RunStatus, StepResult } from './results.js';
import { runStep } from './run-step.js';

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
  /** Default: a new random id. */
  runId?: string;
}

/** Stands in when a run has no API configured, so a step that needs one fails with a clear code. */
const noPaxosClient: PaxosClient = {
  call: async () => {
    throw new UsageError('NO_API', 'this run has no Paxos API configured');
  },
  authorization: async () => undefined,
};

/** Runs the planned steps one after another and returns the whole result. Never throws for step failures. */
export const runWorkflow = async (plan: Plan, options: RunOptions): Promise<RunResult> => {
  const { target, signal = new AbortController().signal, env = {}, runId = randomUUID() } = options;
  const emit = (event: RunEvent): void => {
    try {
      options.onEvent?.(event);
    } catch {
      // A broken reporter must not change the outcome of the run.
    }
  };
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const outputs: Record<string, unknown> = {};
  const templates: TemplateContext = { vars: plan.vars, env, steps: outputs, run: { id: runId, started_at: startedAt } };
  const stepEnvironment = { runId, target, templates, runSignal: signal, paxos: options.paxos ?? noPaxosClient, locate: plan.locate };

  emit({ type: 'workflow:start', runId, file: plan.file, name: plan.name, target, stepCount: plan.steps.length });
  const results: StepResult[] = [];
  let status: RunStatus = 'passed';
  for (const step of plan.steps) {
    let result: StepResult;
    if (status !== 'passed') {
      result = {
        id: step.id,
        ...(step.name === undefined ? {} : { name: step.name }),
        uses: step.uses,
        status: 'skipped',
        skipReason: status === 'interrupted' ? 'interrupted' : 'previous_failure',
        ...(step.line === undefined ? {} : { line: step.line, col: step.col! }),
        durationMs: 0,
        attempts: 0,
        exchanges: [],
        polls: [],
      };
    } else {
      emit({ type: 'step:start', runId, index: step.index, id: step.id, ...(step.name === undefined ? {} : { name: step.name }), uses: step.uses });
      result = await runStep(step, stepEnvironment);
      if (result.status === 'passed') outputs[step.id] = result.output;
      else if (result.status === 'interrupted') status = 'interrupted';
      else if (result.status === 'failed') {
        if (step.continueOnError) result.allowedFailure = true;
        else status = 'failed';
      }
    }
    results.push(result);
    emit({ type: 'step:end', runId, index: step.index, result });
  }

  const result: RunResult = {
    runId,
    file: plan.file,
    name: plan.name,
    target,
    status,
    startedAt,
    durationMs: Date.now() - started,
    steps: results,
  };
  emit({ type: 'workflow:end', result });
  return result;
};
