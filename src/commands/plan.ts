import type { CliIO } from '../cli.js';
import { EXIT } from '../cli.js';
import { InvalidInputError, UsageError } from '../errors.js';
import { checkKnownInputs } from '../engine/known-inputs.js';
import { planWorkflow } from '../engine/plan.js';
import type { Plan } from '../engine/plan.js';
import { describePlan } from '../engine/plan-view.js';
import type { PlanLeaf, PlanView, PlanViewStep } from '../engine/plan-view.js';
import { createRedactor, REDACTED, secretEnvValues } from '../report/redact.js';
import type { Redactor } from '../report/redact.js';
import { sensitiveFieldNames } from '../steps/sensitive.js';
import { parseCommandArgs } from './_args.js';
import { declaredRedaction, teachRedactor } from './_redaction.js';
import { collectVars, loadValidWorkflow } from './_workflow.js';

export interface FormatPlanOptions {
  /**
   * Masks what the plan shows, as a run's output is masked: values of personal-data fields and of
   * `sensitive: true` playbook inputs, secrets. Give the run's redactor (`run --dry-run`), set up with
   * the workflow's `redact:` and `secrets:`. @default one that masks the fields the step types mark
   */
  redactor?: Redactor;
  /** The plan as JSON (a PlanView) instead of text. @default false */
  json?: boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** `value` placed under its leaf's keys (list indexes left out, as the redactor reads paths). */
const nest = (path: readonly (string | number)[], value: unknown): unknown =>
  path.filter((part): part is string => typeof part === 'string').reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);

const unnest = (path: readonly (string | number)[], value: unknown): unknown =>
  path.filter((part): part is string => typeof part === 'string').reduce<unknown>((outer, key) => (isRecord(outer) ? outer[key] : outer), value);

const eachStep = (steps: readonly PlanViewStep[], visit: (step: PlanViewStep) => void): void => {
  for (const step of steps) {
    visit(step);
    if (step.playbook) eachStep(step.playbook.steps, visit);
  }
};

const leavesOf = (step: PlanViewStep): PlanLeaf[] => [...step.input, ...(step.playbook?.outputs ?? [])];

/** The view with every value the redactor masks masked; it learns the sensitive values first, so they are masked anywhere. */
const maskView = (view: PlanView, redactor: Redactor): PlanView => {
  eachStep(view.steps, (step) => {
    for (const leaf of leavesOf(step)) {
      if (!('value' in leaf)) continue;
      if (leaf.sensitive) redactor.addSensitive(leaf.value);
      else redactor.capture(nest(leaf.path, leaf.value));
    }
  });
  const maskLeaf = (leaf: PlanLeaf): PlanLeaf => ({
    ...leaf,
    ...('value' in leaf ? { value: leaf.sensitive ? REDACTED : unnest(leaf.path, redactor.value(nest(leaf.path, leaf.value))) } : {}),
    ...(leaf.template === undefined ? {} : { template: redactor.message(leaf.template) }),
  });
  const maskStep = (step: PlanViewStep): PlanViewStep => ({
    ...step,
    ...(step.name === undefined ? {} : { name: redactor.text(step.name) }),
    ...(step.if === undefined ? {} : { if: { ...step.if, template: redactor.message(step.if.template) } }),
    input: step.input.map(maskLeaf),
    ...(step.playbook ? { playbook: { ...step.playbook, steps: step.playbook.steps.map(maskStep), outputs: step.playbook.outputs.map(maskLeaf) } } : {}),
  });
  return {
    ...view,
    name: redactor.text(view.name),
    ...(view.description === undefined ? {} : { description: redactor.text(view.description) }),
    steps: view.steps.map(maskStep),
  };
};

const durationText = (ms: number): string => {
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
};

const pathText = (path: readonly (string | number)[]): string =>
  path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('') || '(the whole input)';

/** Text as it is, unless it would read as another type or hide spaces: `BUY`, but `"10000"` and `""`. */
const valueText = (value: unknown): string =>
  typeof value === 'string' && !/^(-?[\d.]+([eE][-+]?\d+)?|true|false|null|)$/.test(value) && value.trim() === value && !value.includes('\n')
    ? value
    : JSON.stringify(value);

const leafLine = (leaf: PlanLeaf): string => {
  const path = pathText(leaf.path);
  if ('value' in leaf) return `${path} = ${valueText(leaf.value)}${leaf.default ? '  (default)' : ''}`;
  const template = leaf.template ?? '';
  const made = leaf.generated ? '  (made when the step runs)' : '';
  if (!leaf.waitsOn) return `${path} = ${template}${made}`;
  const only = leaf.waitsOn.length === 1 && template === `{{${leaf.waitsOn[0]}}}`;
  return `${path} <- ${leaf.waitsOn.join(', ')}${only ? '' : `  as ${JSON.stringify(template)}`}${made}`;
};

const formatSteps = (steps: readonly PlanViewStep[], indent: string, out: string[]): void => {
  let cleanup = false;
  for (const step of steps) {
    if (step.cleanup && !cleanup) {
      cleanup = true;
      out.push(`${indent}finally (runs whatever happened to the steps above):`);
    }
    const extras = [
      step.needs.length > 0 ? `needs ${step.needs.join(', ')}` : '',
      step.timeoutMs === undefined ? '' : `timeout ${durationText(step.timeoutMs)}`,
      step.retries === undefined ? '' : `retry ${step.retries}`,
      step.continueOnError ? 'continue_on_error' : '',
    ].filter(Boolean);
    out.push(`${indent}${step.number}${step.number.includes('.') ? '' : '.'} ${step.id}  ${step.uses}${step.name ? `  "${step.name}"` : ''}${extras.map((extra) => `  ${extra}`).join('')}`);
    const inner = `${indent}     `;
    if (step.if) {
      const judged = step.if.runs === undefined ? '' : step.if.runs ? '  (true now: runs)' : '  (false now: skipped)';
      out.push(`${inner}if ${step.if.template}${judged}${step.if.waitsOn ? `  <- ${step.if.waitsOn.join(', ')}` : ''}`);
    }
    if (!step.playbook) {
      for (const leaf of step.input) out.push(`${inner}${leafLine(leaf)}`);
      for (const upload of step.uploads ?? []) {
        const facts = upload.size === undefined ? '' : `  (${upload.kind}, ${upload.size} bytes)`;
        out.push(`${inner}uploads ${upload.path}${facts}`);
      }
      continue;
    }
    out.push(`${inner}playbook ${step.playbook.file}`);
    if (step.input.length > 0) out.push(`${inner}inputs:`);
    for (const leaf of step.input) out.push(`${inner}  ${leafLine(leaf)}`);
    formatSteps(step.playbook.steps, inner, out);
    if (step.playbook.outputs.length > 0) out.push(`${inner}outputs (steps.${step.id.split('.').at(-1)}.<name>):`);
    for (const leaf of step.playbook.outputs) out.push(`${inner}  ${leafLine(leaf)}`);
  }
};

/**
 * The plan as `paxflow plan` (and `paxflow run --dry-run`) prints it: every step, playbooks expanded
 * under their calls, each input leaf `= value` where it is known before running or `<- steps.x.y`
 * where it waits on an output, conditions, `finally:` steps, and the OAuth scopes. Masked.
 */
export const formatPlan = (plan: Plan, options: FormatPlanOptions = {}): string => {
  const redactor = options.redactor ?? createRedactor({ fields: sensitiveFieldNames() });
  const view = maskView(describePlan(plan), redactor);
  if (options.json) return redactor.text(`${JSON.stringify(view, null, 2)}\n`);
  const out = [
    `${view.name} (${view.file})`,
    'nothing is sent: "= value" is known now; "<- steps.x.y" waits on what it names (an earlier output, a row, an input)',
    `scopes: ${view.scopes.length > 0 ? view.scopes.join(' ') : '(none)'}`,
  ];
  if (view.sandboxOnlySteps.length > 0) out.push(`sandbox only: ${view.sandboxOnlySteps.join(', ')}`);
  formatSteps(view.steps, '', out);
  return redactor.text(`${out.join('\n')}\n`);
};

export const OPTIONS = {
  var: { type: 'string', multiple: true },
  'vars-file': { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const help = `Usage: paxflow plan FILE [--var k=v]... [--vars-file F] [--json]

Shows what paxflow run would do, and sends nothing: the resolved steps (playbook calls expanded), the
values known now, the step outputs the rest wait on, conditions, finally: steps and the OAuth scopes the
run asks for. Personal data and secrets are masked as in a run.

Options:
  --var name=value    override a variable declared under vars: (repeatable)
  --vars-file FILE    variables from a YAML or JSON map
  --json              the plan as JSON

Example:
  paxflow plan workflows/onboard-and-trade.yaml --var market=BTCUSD
`;

/** `paxflow plan FILE`: the resolved steps and which outputs feed which inputs. Sends nothing. */
export const command = async (args: string[], io: CliIO): Promise<number> => {
  const { values, positionals } = parseCommandArgs('plan', args, OPTIONS);
  if (positionals.length !== 1) throw new UsageError('BAD_ARGUMENTS', 'paxflow plan takes exactly one workflow FILE');
  const workflow = await loadValidWorkflow(positionals[0]!, io.cwd);
  const vars = await collectVars(values['vars-file'], values.var ?? [], io.cwd);
  const plan = planWorkflow(workflow, { vars: vars.values });
  const problems = checkKnownInputs(plan, { varOrigins: vars.origins });
  if (problems.length > 0) throw new InvalidInputError(problems);
  const redactor = createRedactor({ fields: sensitiveFieldNames(), secrets: secretEnvValues(io.env) });
  teachRedactor(redactor, declaredRedaction(workflow, plan), plan);
  io.stdout.write(formatPlan(plan, { redactor, json: values.json ?? false }));
  return EXIT.ok;
};
