/**
 * The workflow validator of the built-in step registry (`stepRegistry`, templates off), generated ahead
 * of time. Running from source (tests, tsx) there is none and `checkSchema` compiles the schema on first
 * use; `scripts/build.mjs` replaces this module in `dist/paxflow.js` with ajv's standalone code for the
 * same schema and options, so a `validate` process does not spend most of its start-up compiling it.
 */

import type { ValidateFunction } from 'ajv';

export const prebuiltValidator: ValidateFunction | undefined = undefined;

/**
 * The validator's function for each built-in step type's input, by type, which the engine also checks
 * rendered inputs with (src/workflow/step-input.ts). Their errors' schema paths start at the workflow
 * schema's definitions (`#/definitions/input_http/...`).
 */
export const prebuiltInputValidators: Readonly<Record<string, ValidateFunction>> | undefined = undefined;
