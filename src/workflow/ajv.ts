/**
 * The one Ajv instance of the process, and compiled validators cached by schema object, so each schema
 * is compiled once (compiling per call is slow and leaks memory).
 *
 * Options that matter: `allErrors` (report every problem); never `verbose` (it copies data into errors),
 * never `$data`, never `coerceTypes`. `strict` is on, except `strictRequired`: step schemas use
 * `oneOf: [{required: [path]}, {required: [url]}]`, which names properties defined by the parent.
 * `x-sensitive` (personal data, for redaction) and the editor schema's keywords are registered as annotations.
 */

import { Ajv } from 'ajv';
import type { Options, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { JsonSchema, StepDefinition } from '../steps/define.js';
import { describeSchemaErrors, formatDataPath } from './rules/schema-errors.js';

let shared: Ajv | undefined;

/**
 * An Ajv instance as paxflow configures it; `extra` is for the build, which generates the workflow
 * validator's code ahead of time (`code: { source: true }`) with the same options.
 */
export const createAjv = (extra: Options = {}): Ajv => {
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
    discriminator: true,
    verbose: false,
    $data: false,
    coerceTypes: false,
    useDefaults: false,
    removeAdditional: false,
    ...extra,
  });
  addFormats.default(ajv);
  ajv.addKeyword({ keyword: 'x-sensitive', schemaType: 'boolean' });
  // Annotations of the published (editor) schema that yaml-language-server reads, so ajv compiles it too.
  for (const keyword of ['patternErrorMessage', 'errorMessage', 'markdownDescription']) ajv.addKeyword({ keyword, schemaType: 'string' });
  for (const keyword of ['enumDescriptions', 'markdownEnumDescriptions']) ajv.addKeyword({ keyword, schemaType: 'array' });
  return ajv;
};

/** The process-wide Ajv instance. */
export const sharedAjv = (): Ajv => {
  shared ??= createAjv();
  return shared;
};

const compiled = new WeakMap<object, ValidateFunction>();

/** The validator of `schema`, compiled on first use and cached for the life of the schema object. */
export const compileSchema = (schema: JsonSchema): ValidateFunction => {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = sharedAjv().compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
};

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

/** The input validator of a step type, compiled once per definition. */
export const compileStepInput = (definition: StepDefinition): InputValidator => {
  let check = inputValidators.get(definition);
  if (check === undefined) {
    const validate = compileSchema(definition.input);
    check = (input) => {
      if (validate(input)) return [];
      return describeSchemaErrors(validate.errors, { schema: definition.input, data: input, label }).map(({ code, path, message }) => ({
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
