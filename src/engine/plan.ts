import { UsageError } from '../errors.js';
import type { StepDefinition } from '../steps/define.js';
import { findStep } from '../steps/registry.js';
import { analyzeTemplate } from '../template/index.js';
import { parseDuration } from '../workflow/duration.js';
import type { DocPath, ExpectSpec, Position, Workflow } from '../workflow/types.js';

export interface PlannedRetry {
  maxAttempts: number;
  delayMs: number;
  factor: number;
}

/** A step with its defaults resolved, ready for the engine. */
export interface PlannedStep {
  index: number;
  id: string;
  name?: string;
  uses: string;
  definition: StepDefinition;
  /** The unrendered `with:` value. */
  with: unknown;
  if?: string;
  timeoutMs?: number;
  retry?: PlannedRetry;
  continueOnError: boolean;
  /** The unrendered `expect:`, judged after the handler ends. */
  expect?: ExpectSpec;
  line?: number;
  col?: number;
  /** Earlier steps whose outputs this step's templates read. */
  dependsOn: string[];
}

export interface Plan {
  file: string;
  name: string;
  description?: string;
  vars: Record<string, unknown>;
  steps: PlannedStep[];
  /** Every OAuth scope the steps declare, sorted, each once. */
  scopes: string[];
  /** Ids of steps whose type exists only in the sandbox. */
  sandboxOnlySteps: string[];
  /** Position in the file of the key or item at `path`, for errors found while running. */
  locate(path: DocPath): Position | undefined;
}

export interface PlanOptions {
  /** Values from `--var` and `--vars-file`; each must be declared under `vars:`. */
  vars?: Record<string, unknown>;
}

const DEFAULT_RETRY_DELAY_MS = 1000;
const DEFAULT_RETRY_FACTOR = 2;

/** Every `steps.<id>` that a string leaf below `value` refers to. */
const referencedSteps = (value: unknown, found: Set<string>): Set<string> => {
  if (typeof value === 'string') {
    for (const reference of analyzeTemplate(value).references) {
      if (reference.path[0] === 'steps' && reference.path[1] !== undefined) found.add(reference.path[1]);
    }
  } else if (Array.isArray(value)) {
    for (const item of value) referencedSteps(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) referencedSteps(item, found);
  }
  return found;
};

/** Resolves a validated workflow into the steps the engine runs. Pure: no I/O. */
export const planWorkflow = (workflow: Workflow, options: PlanOptions = {}): Plan => {
  const { spec } = workflow;
  const declared = spec.vars ?? {};
  const unknown = Object.keys(options.vars ?? {}).filter((name) => !(name in declared));
  if (unknown.length > 0) {
    throw new UsageError(
      'UNKNOWN_VAR',
      `unknown variable ${unknown.map((name) => `'${name}'`).join(', ')}: declare it under vars: in ${workflow.file}`,
    );
  }

  const steps = spec.steps.map((step, index): PlannedStep => {
    const definition = findStep(step.uses);
    // validateWorkflow has already rejected unknown step types; reaching this is a bug.
    if (!definition) throw new Error(`unregistered step type reached the planner: ${step.uses}`);
    const position = workflow.locate(['steps', index]);
    const dependsOn = [...referencedSteps([step.with, step.if, step.expect], new Set())];
    return {
      index,
      id: step.id,
      ...(step.name === undefined ? {} : { name: step.name }),
      uses: step.uses,
      definition,
      with: step.with ?? {},
      ...(step.if === undefined ? {} : { if: step.if }),
      ...(step.timeout === undefined ? {} : { timeoutMs: parseDuration(step.timeout) }),
      ...(step.retry === undefined
        ? {}
        : {
            retry: {
              maxAttempts: step.retry.max_attempts,
              delayMs: step.retry.delay === undefined ? DEFAULT_RETRY_DELAY_MS : parseDuration(step.retry.delay),
              factor: step.retry.factor ?? DEFAULT_RETRY_FACTOR,
            },
          }),
      continueOnError: step.continue_on_error ?? false,
      ...(step.expect === undefined ? {} : { expect: step.expect }),
      ...(position ? { line: position.line, col: position.col } : {}),
      dependsOn,
    };
  });

  return {
    file: workflow.file,
    name: spec.name,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    vars: { ...declared, ...options.vars },
    steps,
    scopes: [...new Set(steps.flatMap((step) => step.definition.scopes))].sort(),
    sandboxOnlySteps: steps.filter((step) => step.definition.sandboxOnly).map((step) => step.id),
    locate: (path) => workflow.locate(path),
  };
};
