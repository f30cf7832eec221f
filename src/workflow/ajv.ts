/**
 * The Ajv instance of the process, and compiled validators cached by schema object, so each schema is
 * compiled once (compiling per call is slow and leaks memory). The workflow validator, when it is not
 * prebuilt, has an instance of its own, because its code is shaped by options of its own
 * (schema-validator.ts); it too compiles each schema once.
 *
 * Options that matter: `allErrors` (report every problem); never `verbose` (it copies data into errors),
 * never `$data`, never `coerceTypes`. `strict` is on, except `strictRequired`: step schemas use
 * `oneOf: [{required: [path]}, {required: [url]}]`, which names properties defined by the parent.
 * `x-sensitive` (personal data, for redaction) and the editor schema's keywords are registered as annotations.
 */

import { Ajv } from 'ajv';
import type { Options, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { JsonSchema } from '../steps/define.js';
import { validatorAjvOptions } from './schema-validator.js';

let shared: Ajv | undefined;

/**
 * An Ajv instance as paxflow configures it; `extra` is for the workflow validator's options, and for the
 * build, which generates that validator's code ahead of time (`code: { source: true }`) with them.
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

let workflow: Ajv | undefined;
const compiledWorkflows = new WeakMap<object, ValidateFunction>();

/**
 * The workflow validator of a schema from `validatorSchema` (schema-validator.ts), compiled on first use
 * by an Ajv of its own, with the options of the validator the build writes ahead of time: a function per
 * step type, errors appended in place. The bundle's built-in registry never gets here; the source (tests)
 * and a registry of your own do.
 */
export const compileWorkflowSchema = (schema: JsonSchema): ValidateFunction => {
  let validate = compiledWorkflows.get(schema);
  if (validate === undefined) {
    workflow ??= createAjv(validatorAjvOptions());
    validate = workflow.compile(schema);
    compiledWorkflows.set(schema, validate);
  }
  return validate;
};
