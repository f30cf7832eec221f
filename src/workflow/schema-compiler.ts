/**
 * ajv's compiler, for the schemas that have no prebuilt validator. The bundle (scripts/build.mjs) has the
 * workflow validator and every built-in step type's input validator prebuilt, so `validate` and `run`
 * never load the compiler: in the bundle it is reached only through the `import()` below, which esbuild
 * puts in a chunk of its own (ajv with it, about 270 kB). From source it comes with the modules
 * (_source-compiler.ts), since nothing is prebuilt there.
 */

import type { ValidateFunction } from 'ajv';
import type { JsonSchema } from '../steps/define.js';
import { sourceCompiler } from './_source-compiler.js';

type Compiler = Pick<NonNullable<typeof sourceCompiler>, 'compileSchema' | 'compileWorkflowSchema'>;

let compiler: Compiler | undefined = sourceCompiler;

/** Loads ajv's compiler once; {@link compileLoadedSchema} works from then on. */
export const loadSchemaCompiler = async (): Promise<void> => {
  compiler ??= await import('./ajv.js');
};

// Validation is synchronous, so in the bundle loadSchemaCompiler must have resolved first:
// `readWorkflowFile` and the engine's run see to it for the registry and the step types they meet.
const loaded = (): Compiler => {
  if (compiler === undefined) throw new Error('a schema without a prebuilt validator needs loadSchemaCompiler() to have resolved first');
  return compiler;
};

/** The validator of `schema`, compiled on first use and cached (ajv.ts's `compileSchema`). */
export const compileLoadedSchema = (schema: JsonSchema): ValidateFunction => loaded().compileSchema(schema);

/** The workflow validator of a schema from `validatorSchema`, compiled on first use and cached (ajv.ts's `compileWorkflowSchema`). */
export const compileLoadedWorkflowSchema = (schema: JsonSchema): ValidateFunction => loaded().compileWorkflowSchema(schema);
