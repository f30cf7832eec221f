/**
 * ajv's compiler, loaded with the modules when paxflow runs from source (tests, tsx, a bundle made
 * without scripts/build.mjs's plugins): nothing is prebuilt there, and validation, which is synchronous,
 * compiles every schema. `scripts/build.mjs` replaces this module with one that exports `undefined`, so
 * the bundle reaches ajv.ts only through the `import()` of schema-compiler.ts.
 */

import * as compiler from './ajv.js';

export const sourceCompiler: typeof compiler | undefined = compiler;
