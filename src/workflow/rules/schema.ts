/** The workflow JSON Schema, checked with ajv, as findings with friendly codes. */

import type { ValidateFunction } from 'ajv';
import type { StepDefinition } from '../../steps/define.js';
import { stepRegistry } from '../../steps/registry.js';
import { compileLoadedWorkflowSchema, loadSchemaCompiler } from '../schema-compiler.js';
import { buildWorkflowSchema } from '../schema.js';
import { validatorSchema } from '../schema-validator.js';
import { didYouMean } from '../../util/suggest.js';
import { isStepList, type Finding, type RuleContext } from './context.js';
import { describeSchemaErrors, formatDataPath, isShowableName, valueAt } from './schema-errors.js';
import type { SchemaProblem } from './schema-errors.js';
import { isWithin } from './unquoted-template.js';
import { isPlaybookUses } from '../schema-playbook.js';
import { prebuiltValidator } from './_prebuilt.js';

interface WorkflowValidator {
  /** The schema the errors are described against: built only when the data has a problem. */
  schema: () => Record<string, unknown>;
  validate: ValidateFunction;
}

const validators = new WeakMap<readonly StepDefinition[], WorkflowValidator>();

/** Whether validating against `registry` compiles the schema (always from source; a custom registry in the bundle). */
const needsCompiler = (registry: readonly StepDefinition[]): boolean => registry !== stepRegistry || prebuiltValidator === undefined;

/** Loads ajv's compiler when {@link checkSchema} will need it for `registry`; `readWorkflowFile` calls it before validating. */
export const prepareSchemaCheck = async (registry: readonly StepDefinition[]): Promise<void> => {
  if (needsCompiler(registry)) await loadSchemaCompiler();
};

/** The validator for a registry, and its schema: without template alternatives, since template values are exempt. */
const workflowValidator = (registry: readonly StepDefinition[]): WorkflowValidator => {
  let entry = validators.get(registry);
  if (entry === undefined) {
    let built: Record<string, unknown> | undefined;
    const schema = () => (built ??= validatorSchema(buildWorkflowSchema(registry, { editor: false })));
    entry = { schema, validate: needsCompiler(registry) ? compileLoadedWorkflowSchema(schema()) : prebuiltValidator! };
    validators.set(registry, entry);
  }
  return entry;
};

/**
 * A template string inside a step's `with`, or inside a value of its `expect` (an operand such as `gt`,
 * a field of `error`), is rendered at run time; its rendered value is checked then.
 */
export const isTemplateInInput = (path: readonly string[], value: unknown): boolean =>
  path.length >= 3 && isStepList(path[0]) && (path[2] === 'with' || (path[2] === 'expect' && path.length >= 5)) &&
  typeof value === 'string' && value.includes('{{');

/** Gives problems of the workflow's own fields their specific codes. */
const refine = (problem: SchemaProblem, context: RuleContext): SchemaProblem => {
  const { path, keyword } = problem;
  if (path.length === 1 && path[0] === 'version' && keyword === 'const') {
    return { ...problem, code: 'UNSUPPORTED_VERSION', message: 'this paxflow reads workflow version 1; set version: 1.' };
  }
  if (path.length === 3 && isStepList(path[0]) && problem.code === 'UNKNOWN_KEY' && isPlaybookUses(valueAt(context.data, [path[0]!, path[1]!, 'uses']))) {
    const message = `${problem.message} A playbook call takes id, name, uses, with, if and continue_on_error; put the other options on the playbook's steps.`;
    return { ...problem, message };
  }
  if (path.length === 3 && isStepList(path[0]) && path[2] === 'uses' && keyword === 'enum') {
    const uses = valueAt(context.data, path);
    const types = context.registry.map((definition) => definition.type);
    const hint = typeof uses === 'string' ? didYouMean(uses, types) : '';
    const subject = typeof uses === 'string' && isShowableName(uses) ? `\`${uses}\`` : formatDataPath(path);
    const message = `${subject} is not a step type.${hint} \`paxflow steps\` lists them.`;
    return { ...problem, code: 'UNKNOWN_STEP_TYPE', message };
  }
  const value = valueAt(context.data, path);
  if (typeof value === 'string' && value.includes('{{') && problem.target === 'value') {
    return { ...problem, message: `${problem.message} Templates are rendered only inside with: and if:.` };
  }
  return problem;
};

export const checkSchema = (context: RuleContext): Finding[] => {
  const { schema, validate } = workflowValidator(context.registry);
  if (validate(context.data)) return [];
  const problems = describeSchemaErrors(validate.errors, {
    schema: schema(),
    data: context.data,
    label: (path) => formatDataPath(path),
    exempt: isTemplateInInput,
  });
  return problems
    .filter((problem) => !context.suppressed.some((path) => isWithin(problem.path, path)))
    .map((problem) => refine(problem, context))
    .map(({ code, message, path, target }) => ({ code, message, offset: context.locator.nearestOffset(path, target) }));
};
