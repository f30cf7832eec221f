/**
 * Step input validators, for the engine: each built-in step type's is prebuilt in the bundle (the
 * workflow validator's function for that input, scripts/build.mjs), so no run compiles a schema or loads
 * ajv's compiler; a step type of your own is compiled once, after {@link prepareStepInputs}.
 */

import type { ValidateFunction } from 'ajv';
import type { StepDefinition } from '../steps/define.js';
import { stepRegistry } from '../steps/registry.js';
import { prebuiltInputValidators } from './rules/_prebuilt.js';
import { compileLoadedSchema, loadSchemaCompiler } from './schema-compiler.js';
import { describeSchemaErrors, formatDataPath } from './rules/schema-errors.js';

/** One problem with a rendered step input. `path` is written as in the workflow: `with.person_details.cip_id`. */
export interface InputProblem {
  /** WRONG_TYPE, MISSING_KEY, UNKNOWN_KEY, BAD_VALUE, ... (see codes.ts). */
  code: string;
  path: string;
  /** Names the field and what is wrong; never holds the value. */
  message: string;
}

/** Checks a rendered input; an empty list means valid. */
export type InputValidator = (input: unknown) => InputProblem[];

const inputValidators = new WeakMap<StepDefinition, InputValidator>();
const label = (path: readonly string[]): string => formatDataPath(['with', ...path]);

/** The prebuilt validator of a built-in step type's input (the bundle has them; the source has none). */
const prebuiltInput = (definition: StepDefinition): ValidateFunction | undefined => {
  const validate = prebuiltInputValidators?.[definition.type];
  return validate !== undefined && stepRegistry.includes(definition) ? validate : undefined;
};

/**
 * Loads ajv's compiler if one of these step types has no prebuilt input validator (any, from source):
 * checking an input is synchronous. The engine's run calls it; so does `readWorkflowFile`, by loading
 * the compiler whenever the workflow validator is not prebuilt either.
 */
export const prepareStepInputs = async (definitions: Iterable<StepDefinition>): Promise<void> => {
  for (const definition of definitions) {
    if (prebuiltInput(definition) === undefined) return loadSchemaCompiler();
  }
};

/**
 * Errors with schema paths that start at the input schema: a prebuilt validator's start at the workflow
 * schema's definitions (`#/definitions/input_http/properties/...`), and the messages look paths up in the
 * input schema itself (which holds no definitions of its own: schema.ts refuses them).
 */
const fromInputRoot = (errors: ValidateFunction['errors']): ValidateFunction['errors'] =>
  errors?.map((error) => ({ ...error, schemaPath: error.schemaPath.replace(/^#\/definitions\/[^/]+/, '#') }));

/**
 * ajv's validate function for a step type's input: prebuilt for the built-in ones in the bundle, else
 * compiled once. A prebuilt one's errors have schema paths from the workflow schema (see `fromInputRoot`).
 */
export const stepInputValidator = (definition: StepDefinition): ValidateFunction => prebuiltInput(definition) ?? compileLoadedSchema(definition.input);

/** The input validator of a step type: prebuilt for the built-in ones in the bundle, else compiled once per definition. */
export const compileStepInput = (definition: StepDefinition): InputValidator => {
  let check = inputValidators.get(definition);
  if (check === undefined) {
    const validate = stepInputValidator(definition);
    check = (input) => {
      if (validate(input)) return [];
      return describeSchemaErrors(fromInputRoot(validate.errors), { schema: definition.input, data: input, label }).map(({ code, path, message }) => ({
        code,
        path: label(path),
        message,
      }));
    };
    inputValidators.set(definition, check);
  }
  return check;
};

/** The messages of every problem with a rendered input, or an empty list when it is valid. */
export const checkStepInput = (definition: StepDefinition, input: unknown): string[] =>
  compileStepInput(definition)(input).map((problem) => problem.message);
