import type { CliIO } from '../cli.js';
import { EXIT } from '../cli.js';
import { UsageError } from '../errors.js';
import { planWorkflow } from '../engine/plan.js';
import type { Plan } from '../engine/plan.js';
import { analyzeTemplate } from '../template/index.js';
import { parseCommandArgs } from './_args.js';
import { collectVars, loadValidWorkflow } from './_workflow.js';

/** Each templated input leaf of a step as `path <- reference, reference`. */
const inputSources = (value: unknown, path: string, lines: string[]): string[] => {
  if (typeof value === 'string') {
    const refs = analyzeTemplate(value).references.map((reference) => reference.path.join('.'));
    if (refs.length > 0) lines.push(`${path} <- ${[...new Set(refs)].join(', ')}`);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => inputSources(item, `${path}[${index}]`, lines));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) inputSources(item, path ? `${path}.${key}` : key, lines);
  }
  return lines;
};

export const formatPlan = (plan: Plan): string => {
  const out = [`${plan.name} (${plan.file})`, `scopes: ${plan.scopes.length > 0 ? plan.scopes.join(' ') : '(none)'}`];
  if (plan.sandboxOnlySteps.length > 0) out.push(`sandbox only: ${plan.sandboxOnlySteps.join(', ')}`);
  for (const step of plan.steps) {
    const needs = step.dependsOn.length > 0 ? `  needs ${step.dependsOn.join(', ')}` : '';
    out.push(`${step.index + 1}. ${step.id}  ${step.uses}${step.name ? `  "${step.name}"` : ''}${needs}`);
    if (step.if !== undefined) out.push(`     if ${step.if}`);
    for (const line of inputSources(step.with, '', [])) out.push(`     ${line}`);
  }
  return `${out.join('\n')}\n`;
};

/** `paxflow plan FILE`: the resolved steps and which outputs feed which inputs. Sends nothing. */
export const command = async (args: string[], io: CliIO): Promise<number> => {
  const { values, positionals } = parseCommandArgs('plan', args, {
    var: { type: 'string', multiple: true },
    'vars-file': { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('BAD_ARGUMENTS', 'paxflow plan takes exactly one workflow FILE');
  const workflow = await loadValidWorkflow(positionals[0]!, io.cwd);
  const vars = await collectVars(values['vars-file'], values.var ?? [], io.cwd);
  io.stdout.write(formatPlan(planWorkflow(workflow, { vars })));
  return EXIT.ok;
};
