/**
 * The input validators of the built-in step types (`stepRegistry`), generated ahead of time, by step
 * type. Running from source (tests, tsx) there are none and `compileStepInput` compiles each schema on
 * first use; `scripts/build.mjs` replaces this module in the bundle with ajv's standalone code for the
 * same schemas and options, so no command compiles a schema at run time.
 */

import type { ValidateFunction } from 'ajv';

export const prebuiltInputValidators: Readonly<Record<string, ValidateFunction>> | undefined = undefined;
