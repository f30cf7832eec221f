/**
 * Generates the standalone code of the workflow validator for `scripts/build.mjs`: the schema
 * `checkSchema` uses for the built-in registry, compiled with paxflow's ajv options.
 */

import standaloneCode from 'ajv/dist/standalone/index.js';
import { stepRegistry } from '../src/steps/registry.js';
import { createAjv } from '../src/workflow/ajv.js';
import { buildWorkflowSchema } from '../src/workflow/schema.js';

export const workflowValidatorCode = (): string => {
  const ajv = createAjv({ code: { source: true, esm: true } });
  const validate = ajv.compile(buildWorkflowSchema(stepRegistry, { editor: false }));
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

