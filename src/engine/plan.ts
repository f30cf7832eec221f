import { dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import type { StepDefinition } from '../steps/define.js';
import { findStep } from '../steps/registry.js';
import { analyzeTemplate } from '../template/index.js';
import { parseDuration } from '../workflow/duration.js';
import { isTemplatePath, uploadFields } from '../workflow/rules/uploads.js';
import { isPlaybookUses } from '../workflow/schema-playbook.js';
import type { DocPath, ExpectSpec, InputSpec, Position, StepSpec, Workflow } from '../workflow/types.js';
import { PLAYBOOK_CALL, requiredWithoutValue } from './playbook.js';

export interface PlannedRetry {
  maxAttempts: number;
  delayMs: number;
  factor: number;
}

/** A position in a workflow file; `file` is there when it is not the plan's own file (a playbook). */
export interface SourcePosition extends Position {
  file?: string;
}

/** A playbook call, on the planned step that stands for it. */
export interface PlannedCall {
  /** The frame its steps run in: the call's full id (`onboard`, `onboard.kyc`). */
  frame: string;
  /** The playbook file, as reports name it (`workflows/playbooks/onboard-person.yaml`). */
  file: string;
  /** The unrendered `with:` of the call: the inputs, rendered in the caller's frame when the playbook starts. */
  with: Record<string, unknown>;
  /** The call's `if:`, judged in the caller's frame when the playbook starts. */
  if?: string;
  /** The playbook's `inputs:` declarations. */
  inputs: Record<string, InputSpec>;
  /** The playbook's own `vars:` defaults, which its templates read as `vars.*`. */
  vars: Record<string, unknown>;
  /** The playbook's `outputs:` templates, rendered in its frame after its steps; also the step's `with`. */
  outputs: Record<string, string>;
  /** Where a part of the call is written in the calling file: `where(['with', 'email'])`, `where(['if'])`. */
  where(path: DocPath): SourcePosition | undefined;
  /** Where a part of the playbook is written in its file: `inPlaybook(['vars', 'price'])`. */
  inPlaybook(path: DocPath): SourcePosition | undefined;
}

/** A step with its defaults resolved, ready for the engine. */
export interface PlannedStep {
  /** Position in `Plan.steps`, the order the steps run in. */
  index: number;
  /** The id in results, events and the journal: as written, prefixed with the call's id inside a playbook (`onboard.identity`). */
  id: string;
  /** The id as written in its file: what `steps.<id>` reads there. */
  localId: string;
  /** The playbook call the step runs in (`onboard`, `onboard.kyc`); '' for the workflow's own steps. */
  frame: string;
  name?: string;
  /** The step type, or for a playbook call the playbook's path as written. */
  uses: string;
  definition: StepDefinition;
  /** The unrendered `with:` value (for a playbook call, its `outputs:`). */
  with: unknown;
  if?: string;
  timeoutMs?: number;
  retry?: PlannedRetry;
  continueOnError: boolean;
  /** The unrendered `expect:`, judged after the handler ends. */
  expect?: ExpectSpec;
  /** A step of a `finally:` list: it runs after the steps of its file whatever happened to them. */
  cleanup: boolean;
  /** A `finally:` step, or a step of a playbook called from one: part of a cleanup, which runs again on a resume. */
  inFinally: boolean;
  /** The playbook file the step is written in; absent for the workflow's own steps. */
  file?: string;
  /** The absolute folder of the file the step is written in, when it was read from disk (`Workflow.dir`). */
  dir?: string;
  /** The local files the step uploads (StepDefinition.uploads), as the user would name them. */
  uploads?: PlannedUpload[];
  /** Where the step is in its file: `['steps', 2]` or `['finally', 0]`. */
  at: DocPath;
  line?: number;
  col?: number;
  /** Earlier steps (by id) whose outputs this step's templates read. */
  dependsOn: string[];
  /** Set on the step that stands for a playbook call; it ends the call, after the playbook's steps. */
  call?: PlannedCall;
  /**
   * The `uses`, `with` and `if` of each playbook call around the step, outermost first: part of what the
   * step is, as a resume compares it.
   */
  enclosing?: { uses: string; with: unknown; if?: string }[];
  /** Where a part of the step is written: `where(['with', 'amount'])`, `where(['if'])`. */
  where(path: DocPath): SourcePosition | undefined;
}

/** A local file a step will upload. */
export interface PlannedUpload {
  /** The input field that names it. */
  field: string;
  /** The path as written in the step, relative to its workflow file. */
  file: string;
  /** The path joined to the workflow file's as the user named it (`workflows/documents/a.pdf`). */
  path: string;
  /** Bytes and kind (PDF, JPG, PNG) as validation found them, when it inspected the file. */
  size?: number;
  kind?: string;
}

export interface Plan {
  file: string;
  name: string;
  description?: string;
  vars: Record<string, unknown>;
  /** When the workflow itself declares `inputs:` (a playbook run on its own): their defaults. */
  inputs?: Record<string, unknown>;
  /** Every step in the order it runs: playbooks expanded (their steps, then the step that ends the call), then `finally:`. */
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

const retryOf = (step: StepSpec): PlannedRetry | undefined =>
  step.retry === undefined
    ? undefined
    : {
        maxAttempts: step.retry.max_attempts,
        delayMs: step.retry.delay === undefined ? DEFAULT_RETRY_DELAY_MS : parseDuration(step.retry.delay),
        factor: step.retry.factor ?? DEFAULT_RETRY_FACTOR,
      };

/** One file's steps being planned: its workflow, the frame they run in and where the file sits. */
interface Level {
  workflow: Workflow;
  frame: string;
  /** Whether the workflow is the plan's own file. */
  root: boolean;
  /** The call of this file is (inside) a `finally:` step. */
  inFinally: boolean;
  enclosing: NonNullable<PlannedStep['enclosing']>;
}

const planLevel = (level: Level, steps: PlannedStep[]): void => {
  const { workflow, frame, root, enclosing, inFinally } = level;
  const { spec } = workflow;
  const prefix = (id: string) => (frame === '' ? id : `${frame}.${id}`);
  const at = (position: Position | undefined): SourcePosition | undefined =>
    position === undefined ? undefined : root ? position : { file: workflow.file, ...position };
  const lists: [string, StepSpec[], boolean][] = [['steps', spec.steps, false], ['finally', spec.finally ?? [], true]];

  for (const [list, specs, cleanup] of lists) {
    specs.forEach((step, position) => {
      const path: DocPath = [list, position];
      const place = workflow.locate(path);
      const common = {
        id: prefix(step.id),
        localId: step.id,
        frame,
        ...(step.name === undefined ? {} : { name: step.name }),
        uses: step.uses,
        continueOnError: step.continue_on_error ?? false,
        cleanup,
        inFinally: inFinally || cleanup,
        ...(root ? {} : { file: workflow.file }),
        ...(workflow.dir === undefined ? {} : { dir: workflow.dir }),
        at: path,
        ...(place ? { line: place.line, col: place.col } : {}),
      };
      if (isPlaybookUses(step.uses)) {
        const playbook = workflow.playbooks?.get(step.uses);
        if (!playbook) {
          throw new UsageError('PLAYBOOK_NOT_LOADED', `${workflow.file} calls ${step.uses}, which was not read with it; load workflows with readWorkflowFile`);
        }
        const call = { uses: step.uses, with: step.with ?? {}, ...(step.if === undefined ? {} : { if: step.if }) };
        planLevel({ workflow: playbook, frame: prefix(step.id), root: false, enclosing: [...enclosing, call], inFinally: inFinally || cleanup }, steps);
        const outputs = playbook.spec.outputs ?? {};
        steps.push({
          ...common,
          index: steps.length,
          definition: PLAYBOOK_CALL,
          with: outputs,
          dependsOn: [...referencedSteps([step.with, step.if], new Set())].map(prefix),
          call: {
            frame: prefix(step.id),
            file: playbook.file,
            with: step.with ?? {},
            ...(step.if === undefined ? {} : { if: step.if }),
            inputs: playbook.spec.inputs ?? {},
            vars: playbook.spec.vars ?? {},
            outputs,
            where: (field) => at(workflow.locate([...path, ...field])),
            inPlaybook: (field) => {
              const position = playbook.locate(field);
              return position && { file: playbook.file, ...position };
            },
          },
          enclosing: [...enclosing, call],
          // The step's with: is the playbook's outputs:, written in the playbook; everything else at the call.
          where: (field) => {
            if (field[0] !== 'with') return at(workflow.locate([...path, ...field]));
            const position = playbook.locate(['outputs', ...field.slice(1)]);
            return position && { file: playbook.file, ...position };
          },
        });
        return;
      }
      const definition = findStep(step.uses);
      // validateWorkflow has already rejected unknown step types; reaching this is a bug.
      if (!definition) throw new Error(`unregistered step type reached the planner: ${step.uses}`);
      const uploads = uploadFields(definition, step.with).flatMap(({ field, value }): PlannedUpload[] => {
        if (typeof value !== 'string' || value === '' || isTemplatePath(value)) return [];
        const facts = workflow.uploadFiles?.get(value);
        return [{ field, file: value, path: join(dirname(workflow.file), value), ...(facts?.ok ? { size: facts.size, kind: facts.label } : {}) }];
      });
      steps.push({
        ...common,
        index: steps.length,
        definition,
        with: step.with ?? {},
        ...(uploads.length > 0 ? { uploads } : {}),
        ...(step.if === undefined ? {} : { if: step.if }),
        ...(step.timeout === undefined ? {} : { timeoutMs: parseDuration(step.timeout) }),
        ...(step.retry === undefined ? {} : { retry: retryOf(step)! }),
        ...(step.expect === undefined ? {} : { expect: step.expect }),
        dependsOn: [...referencedSteps([step.with, step.if, step.expect], new Set())].map(prefix),
        ...(enclosing.length > 0 ? { enclosing } : {}),
        where: (field) => at(workflow.locate([...path, ...field])),
      });
    });
  }
};

/** Resolves a validated workflow into the steps the engine runs, playbooks expanded. Pure: no I/O. */
export const planWorkflow = (workflow: Workflow, options: PlanOptions = {}): Plan => {
  const { spec } = workflow;
  const declared = spec.vars ?? {};
  const unknown = Object.keys(options.vars ?? {}).filter((name) => !Object.hasOwn(declared, name));
  if (unknown.length > 0) {
    throw new UsageError(
      'UNKNOWN_VAR',
      `unknown variable ${unknown.map((name) => `'${name}'`).join(', ')}: declare it under vars: in ${workflow.file}`,
    );
  }
  let inputs: Record<string, unknown> | undefined;
  if (spec.inputs !== undefined) {
    const missing = requiredWithoutValue(spec.inputs, {});
    if (missing.length > 0) {
      throw new UsageError(
        'PLAYBOOK_MISSING_INPUT',
        `${workflow.file} is a playbook and its input${missing.length === 1 ? '' : 's'} ${missing.join(', ')} ${missing.length === 1 ? 'has' : 'have'} no default; run a workflow that calls it with uses: and with:`,
      );
    }
    inputs = Object.fromEntries(Object.entries(spec.inputs).filter(([, input]) => 'default' in input).map(([name, input]) => [name, input.default]));
  }

  const steps: PlannedStep[] = [];
  planLevel({ workflow, frame: '', root: true, enclosing: [], inFinally: false }, steps);

  return {
    file: workflow.file,
    name: spec.name,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    vars: { ...declared, ...options.vars },
    ...(inputs === undefined ? {} : { inputs }),
    steps,
    scopes: [...new Set(steps.flatMap((step) => step.definition.scopes))].sort(),
    sandboxOnlySteps: steps.filter((step) => step.definition.sandboxOnly).map((step) => step.id),
    locate: (path) => workflow.locate(path),
  };
};
