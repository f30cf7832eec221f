/**
 * What a plan will do, before anything runs: every step with playbook calls expanded under them, each
 * input leaf with its value where it is known now (vars, literals, defaults, the run id as a
 * placeholder) and the references it waits on where it is not, `if:` conditions, `finally:` steps and
 * the OAuth scopes. Pure: nothing is sent and nothing is masked here (the plan command masks).
 */

import { renderTemplate } from '../template/index.js';
import { analyzeTemplate } from '../template/index.js';
import type { TemplateContext } from '../template/index.js';
import { isTruthy, conditionTemplate } from './run-step.js';
import type { Plan, PlannedStep, PlannedUpload } from './plan.js';
import { resolveInputs } from './playbook.js';

/** What stands in for `run.id` and `run.started_at`, which are made when the run starts. */
export const RUN_ID_PLACEHOLDER = '<run id>';
export const RUN_START_PLACEHOLDER = '<run start>';

/** Helpers that make a new value each time they render: a leaf using one is made when its step runs. */
const GENERATED = /\{\{[^}]*\b(?:uuid|now|test_ssn)\b/;

/** One string or value leaf of an input. */
export interface PlanLeaf {
  /** Where the leaf is inside the input: keys and list indexes. */
  path: (string | number)[];
  /** The value, when it is known before running. */
  value?: unknown;
  /** The template as written, when the value is not known yet (or is made when the step runs). */
  template?: string;
  /** What the value waits on: `steps.identity.id`, `inputs.email`, `env.HOME`. */
  waitsOn?: string[];
  /** The template uses uuid, now or test_ssn: its value is made when the step runs. */
  generated?: boolean;
  /** A playbook input declared `sensitive: true`: its value is never shown. */
  sensitive?: boolean;
  /** A playbook input the call does not give: its default. */
  default?: boolean;
}

/** The `if:` of a step, and whether it holds, when that is known now. */
export interface PlanCondition {
  template: string;
  /** Whether the step will run, when the condition can be judged now. */
  runs?: boolean;
  waitsOn?: string[];
}

export interface PlanViewStep {
  /** `3`, or `3.2` for the second step of the playbook called by step 3. */
  number: string;
  /** The id in results: `onboard.identity` inside the call `onboard`. */
  id: string;
  uses: string;
  name?: string;
  /** A `finally:` step. */
  cleanup?: boolean;
  if?: PlanCondition;
  timeoutMs?: number;
  retries?: number;
  continueOnError?: boolean;
  /** Ids of the earlier steps whose outputs it reads. */
  needs: string[];
  /** Local files the step uploads, with their size and kind when validation inspected them. */
  uploads?: PlannedUpload[];
  /** The input leaves; for a playbook call, its inputs by name (given, then defaults). */
  input: PlanLeaf[];
  /** For a playbook call: the playbook file, its steps, and its outputs as templates over them. */
  playbook?: { file: string; steps: PlanViewStep[]; outputs: PlanLeaf[] };
}

export interface PlanView {
  file: string;
  name: string;
  description?: string;
  /** The OAuth scopes the run asks for. */
  scopes: string[];
  sandboxOnlySteps: string[];
  steps: PlanViewStep[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Every leaf below `value`: strings and other scalars, and empty lists and mappings. */
const leavesOf = (value: unknown, path: (string | number)[], found: { path: (string | number)[]; value: unknown }[] = []) => {
  if (Array.isArray(value) && value.length > 0) value.forEach((item, index) => leavesOf(item, [...path, index], found));
  else if (isRecord(value) && Object.keys(value).length > 0) for (const [key, item] of Object.entries(value)) leavesOf(item, [...path, key], found);
  else found.push({ path, value });
  return found;
};

/** The references of a template that cannot be known before running, in the order written, each once. */
const unknownReferences = (template: string, context: TemplateContext): string[] => {
  const waits: string[] = [];
  for (const { path } of analyzeTemplate(template).references) {
    const [scope, name] = path;
    // run.status is known only as the run goes; run.id and run.started_at have placeholders.
    const known = scope === 'vars' || (scope === 'run' && name !== 'status') || (scope === 'inputs' && name !== undefined && isRecord(context.inputs) && Object.hasOwn(context.inputs, name));
    const text = path.join('.');
    if (!known && !waits.includes(text)) waits.push(text);
  }
  return waits;
};

/** A leaf as the plan shows it: its value if it can be worked out now, else the template and what it waits on. */
const describeLeaf = (path: (string | number)[], value: unknown, context: TemplateContext): PlanLeaf => {
  if (typeof value !== 'string' || !analyzeTemplate(value).isTemplate) return { path, value };
  const waitsOn = unknownReferences(value, context);
  const generated = GENERATED.test(value);
  if (waitsOn.length > 0 || generated) return { path, template: value, ...(waitsOn.length > 0 ? { waitsOn } : {}), ...(generated ? { generated } : {}) };
  try {
    return { path, value: renderTemplate(value, context) };
  } catch {
    // A known value that does not render (a missing var, say) fails the step when it runs; show the template.
    return { path, template: value };
  }
};

const describeCondition = (source: string, context: TemplateContext): PlanCondition => {
  const template = conditionTemplate(source);
  const waitsOn = unknownReferences(template, context);
  if (waitsOn.length > 0 || GENERATED.test(template)) return { template: source, ...(waitsOn.length > 0 ? { waitsOn } : {}) };
  try {
    return { template: source, runs: isTruthy(renderTemplate(template, context)) };
  } catch {
    return { template: source };
  }
};

/** What a frame's templates can know before running. */
const planContext = (vars: Record<string, unknown>, inputs?: Record<string, unknown>): TemplateContext => ({
  vars,
  env: {},
  steps: {},
  run: { id: RUN_ID_PLACEHOLDER, started_at: RUN_START_PLACEHOLDER, status: 'passed' },
  ...(inputs === undefined ? {} : { inputs }),
});

const stepFields = (step: PlannedStep, number: string, context: TemplateContext) => ({
  number,
  id: step.id,
  uses: step.uses,
  ...(step.name === undefined ? {} : { name: step.name }),
  ...(step.cleanup ? { cleanup: true } : {}),
  ...(step.timeoutMs === undefined ? {} : { timeoutMs: step.timeoutMs }),
  ...(step.retry === undefined ? {} : { retries: step.retry.maxAttempts - 1 }),
  ...(step.continueOnError ? { continueOnError: true } : {}),
  needs: step.dependsOn,
  ...(step.if === undefined ? {} : { if: describeCondition(step.if, context) }),
  ...(step.uploads === undefined ? {} : { uploads: step.uploads }),
});

/** Describes a plan without running it. Pure. */
export const describePlan = (plan: Plan): PlanView => {
  // The steps of each frame, in order; a call's steps are listed under the step that stands for it.
  const byFrame = new Map<string, PlannedStep[]>();
  for (const step of plan.steps) byFrame.set(step.frame, [...(byFrame.get(step.frame) ?? []), step]);

  const describeFrame = (frame: string, context: TemplateContext, prefix: string): PlanViewStep[] =>
    (byFrame.get(frame) ?? []).map((step, position): PlanViewStep => {
      const number = `${prefix}${position + 1}`;
      const call = step.call;
      if (!call) {
        return { ...stepFields(step, number, context), input: leavesOf(step.with, []).map(({ path, value }) => describeLeaf(path, value, context)) };
      }
      // The call's inputs: each given one as the caller's frame knows it, then the defaults of the rest.
      const given = Object.entries(call.with).flatMap(([name, value]) =>
        leavesOf(value, [name]).map((leaf) => ({ ...describeLeaf(leaf.path, leaf.value, context), ...(call.inputs[name]?.sensitive ? { sensitive: true } : {}) })),
      );
      const defaults = Object.entries(call.inputs)
        .filter(([name, input]) => !Object.hasOwn(call.with, name) && 'default' in input)
        .map(([name, input]): PlanLeaf => ({ path: [name], value: input.default, default: true, ...(input.sensitive ? { sensitive: true } : {}) }));
      // Inside, an input is known when every leaf of what the caller gives for it is.
      const known: Record<string, unknown> = {};
      for (const name of Object.keys(call.with)) {
        const leaves = given.filter((leaf) => leaf.path[0] === name);
        if (leaves.every((leaf) => 'value' in leaf)) known[name] = rebuild(call.with[name], leaves);
      }
      // The defaults of the inputs the call does not give; those it gives but are not known yet stay out.
      const { inputs } = resolveInputs(Object.fromEntries(Object.entries(call.inputs).filter(([name]) => !Object.hasOwn(call.with, name))), {}, call.file);
      const inner = planContext(call.vars, { ...inputs, ...known });
      return {
        ...stepFields(step, number, context),
        input: [...given, ...defaults],
        playbook: {
          file: call.file,
          steps: describeFrame(call.frame, inner, `${number}.`),
          outputs: Object.entries(call.outputs).map(([name, template]) => describeLeaf([name], template, inner)),
        },
      };
    });

  return {
    file: plan.file,
    name: plan.name,
    ...(plan.description === undefined ? {} : { description: plan.description }),
    scopes: plan.scopes,
    sandboxOnlySteps: plan.sandboxOnlySteps,
    steps: describeFrame('', planContext(plan.vars, plan.inputs), ''),
  };
};

/** `value` with each leaf replaced by the known value the plan worked out for it. */
const rebuild = (value: unknown, leaves: PlanLeaf[], depth = 1): unknown => {
  if (Array.isArray(value) && value.length > 0) return value.map((item, index) => rebuild(item, leaves.filter((leaf) => leaf.path[depth] === index), depth + 1));
  if (isRecord(value) && Object.keys(value).length > 0) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rebuild(item, leaves.filter((leaf) => leaf.path[depth] === key), depth + 1)]));
  }
  return leaves[0]?.value;
};
