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
