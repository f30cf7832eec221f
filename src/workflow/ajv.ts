/**
 * The one Ajv instance of the process, and compiled validators cached by schema object, so each schema
 * is compiled once (compiling per call is slow and leaks memory).
 *
 * Options that matter: `allErrors` (report every problem); never `verbose` (it copies data into errors),
 * never `$data`, never `coerceTypes`. `strict` is on, except `strictRequired`: step schemas use
 * `oneOf: [{required: [path]}, {required: [url]}]`, which names properties defined by the parent.
 * `x-sensitive` (personal data, for redaction) is registered as an annotation keyword.
 */

import { Ajv } from 'ajv';
import type { Options, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { JsonSchema } from '../steps/define.js';

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
