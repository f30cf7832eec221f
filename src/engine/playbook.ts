/**
 * Playbook calls in the engine: the step type that stands for a call, and the inputs a call gives once
 * rendered (defaults filled in, types checked).
 */

import type { StepFailureCode } from '../step-codes.js';
import type { StepDefinition } from '../steps/define.js';
import type { TemplateContext } from '../template/index.js';
import { isRequiredInput, jsonTypeOf, typeWords } from '../workflow/schema-playbook.js';
import type { InputSpec } from '../workflow/types.js';

/**
 * The step type of the step that ends a playbook call. Its `with` is the playbook's `outputs:`, rendered
 * in the playbook's frame, and its output is what it rendered: what the caller reads as `steps.<call id>.*`.
 */
export const PLAYBOOK_CALL: StepDefinition<Record<string, unknown>, Record<string, unknown>> = {
  type: 'playbook',
  description: 'A call of a reusable playbook (uses: ./file.yaml); its output is the playbook\'s outputs:.',
  input: { type: 'object', description: "The playbook's outputs, rendered." },
  output: { type: 'object', description: "The playbook's outputs, by name." },
  scopes: [],
  sandboxOnly: false,
  // It sends nothing: running it again only renders the outputs again.
  retrySafe: true,
  run: async (outputs) => outputs,
};

/** Names of the required inputs that `given` lacks. */
export const requiredWithoutValue = (declared: Record<string, InputSpec>, given: Record<string, unknown>): string[] =>
  Object.keys(declared).filter((name) => isRequiredInput(declared[name]) && !Object.hasOwn(given, name));

/** A problem with one input of a call, found once its value is rendered. */
export interface InputProblem {
  code: Extract<StepFailureCode, 'PLAYBOOK_INPUT_TYPE' | 'PLAYBOOK_MISSING_INPUT' | 'PLAYBOOK_UNKNOWN_INPUT'>;
  input: string;
  message: string;
}

/**
 * The inputs a playbook runs with: the rendered values given, then the defaults of the rest. Every
 * problem is listed (messages name inputs and types, never values).
 */
export const resolveInputs = (
  declared: Record<string, InputSpec>,
  given: Record<string, unknown>,
  file: string,
): { inputs: Record<string, unknown>; problems: InputProblem[] } => {
  const inputs: Record<string, unknown> = {};
  const problems: InputProblem[] = [];
  for (const [name, value] of Object.entries(given)) {
    const declaration = declared[name];
    if (declaration === undefined) {
      problems.push({ code: 'PLAYBOOK_UNKNOWN_INPUT', input: name, message: `${name} is not an input of ${file}` });
      continue;
    }
    if (jsonTypeOf(value) !== declaration.type) {
      problems.push({
        code: 'PLAYBOOK_INPUT_TYPE',
        input: name,
        message: `the input ${name} of ${file} must be ${typeWords(declaration.type)} (type: ${declaration.type}), but its value is ${typeWords(jsonTypeOf(value))}`,
      });
      continue;
    }
    inputs[name] = value;
  }
  for (const [name, declaration] of Object.entries(declared)) {
    if (Object.hasOwn(given, name)) continue;
    if ('default' in declaration) inputs[name] = structuredClone(declaration.default);
    else if (isRequiredInput(declaration)) problems.push({ code: 'PLAYBOOK_MISSING_INPUT', input: name, message: `the input ${name} of ${file} is required` });
  }
  return { inputs, problems };
};

/** The rendered values of the inputs declared `sensitive: true`, for the redactor. */
export const sensitiveInputValues = (declared: Record<string, InputSpec>, inputs: Record<string, unknown>): unknown[] =>
  Object.entries(declared).flatMap(([name, declaration]) => (declaration.sensitive === true && Object.hasOwn(inputs, name) ? [inputs[name]] : []));

/**
 * What templates see inside a playbook call as it starts: the playbook's own vars, the call's inputs,
 * the outputs of its steps (by the ids written in the playbook), the run's id and start, and the run's
 * env. The engine builds it when a call starts; a resume builds the same to work out the ref_ids of a
 * step cut short inside a call.
 */
export const callTemplates = (
  vars: Record<string, unknown>,
  inputs: Record<string, unknown>,
  steps: Record<string, unknown>,
  root: TemplateContext,
): TemplateContext => ({ vars, env: root.env, steps, run: { id: root.run.id, started_at: root.run.started_at, status: 'passed' }, inputs });
