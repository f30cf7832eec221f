/**
 * Generates the standalone code of the workflow validator for `scripts/build.mjs`: the schema
 * `checkSchema` uses for the built-in registry, compiled with paxflow's ajv options.
 */

import type { SchemaEnv } from 'ajv/dist/compile/index.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { stepRegistry } from '../src/steps/registry.js';
import { createAjv } from '../src/workflow/ajv.js';
import { reshapeValidatorCode, validatorAjvOptions, validatorSchema } from '../src/workflow/schema-validator.js';
import { buildWorkflowSchema } from '../src/workflow/schema.js';

export const workflowValidatorCode = (): string => {
  const options = validatorAjvOptions();
  const ajv = createAjv({ ...options, code: { ...options.code, source: true, esm: true } });
  const validate = ajv.compile(validatorSchema(buildWorkflowSchema(stepRegistry, { editor: false })));
  // `code.process` changed the code ajv runs here; the module is written from each function's own source,
  // so the same change is made to that: the root's, the step's and each step type input's.
  const root = validate.schemaEnv;
  const compiled = [root, ...Object.values(root.refs).filter((ref): ref is SchemaEnv => typeof ref === 'object' && ref !== null && 'validate' in ref)];
  let joins = 0;
  for (const env of compiled) {
    const source = env.validate?.source;
    if (source === undefined) throw new Error('workflow validator: ajv kept no source of a function');
    const reshaped = reshapeValidatorCode(source.validateCode, env);
    source.validateCode = reshaped.code;
    joins += reshaped.joins;
  }
  // steps: and finally: call the step, and the step calls the input of each type: any other count means ajv
  // compiled the schema in a way this file does not expect.
  if (compiled.length !== stepRegistry.length + 2 || joins !== stepRegistry.length + 2) {
    throw new Error(`workflow validator: expected ${stepRegistry.length + 2} functions and calls, ajv wrote ${compiled.length} functions and ${joins} calls`);
  }
  return `${standaloneCode.default(ajv, validate)}\nexport const prebuiltValidator = validate;\n`;
};

/**
 * Generates the standalone code of every built-in step type's input validator, for `scripts/build.mjs`:
 * `prebuiltInputValidators`, by step type, compiled from the same schema objects with the same options
 * as `compileStepInput` (src/workflow/step-input.ts) compiles them at run time from source.
 */
export const stepInputValidatorsCode = (): string => {
  const ajv = createAjv({ code: { source: true, esm: true } });
  const exports: Record<string, string> = {};
  for (const definition of stepRegistry) {
    const id = `paxflow:input:${definition.type}`;
    ajv.addSchema(definition.input, id);
    exports[`input_${definition.type}`] = id;
  }
  const table = stepRegistry.map((definition) => `${JSON.stringify(definition.type)}: input_${definition.type}`).join(', ');
  return `${standaloneCode.default(ajv, exports)}\nexport const prebuiltInputValidators = { ${table} };\n`;
};

