// Bundles the CLI and the library so that neither needs a TypeScript loader, a build step or a
// devDependency where paxflow is installed: dist/paxflow.js is the bin, dist/index.js the library
// (`exports` in package.json), dist/types/ its declarations; each command's modules sit in dist/chunks/,
// loaded only when the command is called. PAXFLOW_BUILD_OUT builds elsewhere (tests build into a
// temporary folder). Runs as `prepare`, so a git-URL install (which has the devDependencies) builds too.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');

// A folder without its devDependencies cannot build; say so instead of a module-not-found stack.
const { build, transform } = await import('esbuild').catch(() => {
  console.error('paxflow: building dist/ needs the devDependencies (esbuild, typescript); run npm install in this folder first');
  process.exit(1);
});
// Some dependencies are CommonJS and call require(); ESM output has no require of its own.
const banner = { js: "import { createRequire as __paxflowRequire } from 'node:module'; const require = __paxflowRequire(import.meta.url);" };

/**
 * The generators of ajv's standalone validator code (scripts/_workflow-validator.ts), bundled to a
 * temporary file outside the repository and imported once, so the code is made from the current source.
 * Compiling the schemas at run time was about half of a `paxflow validate` process (the workflow
 * validator) and about 200 ms of a `paxflow run` (every built-in step type's input validator).
 */
const loadValidatorGenerators = async () => {
  const folder = await mkdtemp(join(tmpdir(), 'paxflow-build-'));
  try {
    const result = await build({
      entryPoints: [join(root, 'scripts/_workflow-validator.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      banner,
      logLevel: 'warning',
    });
    const file = join(folder, 'generate.mjs');
    await writeFile(file, result.outputFiles[0].text);
    return await import(pathToFileURL(file).href);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
};

// Minified: ajv writes about 430 kB of code for the workflow validator, every step type's input included.
const minify = async (code) => (await transform(code, { loader: 'js', format: 'esm', minify: true, target: 'node20' })).code;

/** An esbuild plugin that puts generated code in place of a placeholder module (which exports none). */
const replaceModule = (name, filter, code) => ({
  name,
  setup(builder) {
    builder.onLoad({ filter }, () => ({ contents: code, loader: 'js', resolveDir: root }));
  },
});

const generators = await loadValidatorGenerators();
const prebuiltValidator = replaceModule(
  'prebuilt-workflow-validator',
  /[\\/]src[\\/]workflow[\\/]rules[\\/]_prebuilt\.ts$/,
  await minify(generators.workflowValidatorCode()),
);

// The bundle loads ajv's compiler only when a schema has no prebuilt validator, through an import() of
// its own chunk (src/workflow/schema-compiler.ts); running from source, this module loads it up front.
const lazySchemaCompiler = replaceModule('lazy-schema-compiler', /[\\/]src[\\/]workflow[\\/]_source-compiler\.ts$/, 'export const sourceCompiler = undefined;');

// yaml's ES module build (its package's `default` export; Node's is CommonJS): the same code, but esbuild
// can leave out what paxflow does not use, and start-up runs no CommonJS wrapper for its 72 modules.
const yamlModules = {
  name: 'yaml-es-modules',
  setup(builder) {
    const entry = join(dirname(createRequire(join(root, 'package.json')).resolve('yaml/package.json')), 'browser/index.js');
    builder.onResolve({ filter: /^yaml$/ }, () => ({ path: entry }));
  },
};

// Split into chunks so that each command parses only the code it can reach: `--version` none of the
// workflow code, `validate` neither the client nor the emulator. dist/paxflow.js stays the entry.
const outdir = process.env.PAXFLOW_BUILD_OUT ? resolve(process.env.PAXFLOW_BUILD_OUT) : join(root, 'dist');
await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: { paxflow: join(root, 'src/bin.ts'), index: join(root, 'src/index.ts') },
  outdir,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'none',
  banner,
  plugins: [prebuiltValidator, lazySchemaCompiler, yamlModules],
  logLevel: 'warning',
});

// The library's types, by the TypeScript in devDependencies (7.x emits declarations like 5.x did), the
// public names' JSDoc included. tsc writes one .d.ts per module of the program, which through the CLI's
// lazy imports is every module; only those the public types refer to are kept.
const types = join(outdir, 'types');
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', types], {
  cwd: root,
  stdio: 'inherit',
});
const REFERENCE = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|<reference path=)['"](\.{1,2}\/[^'"]+)['"]/g;
const kept = new Set();
const visit = (file) => {
  if (kept.has(file)) return;
  kept.add(file);
  for (const [, specifier] of readFileSync(file, 'utf8').matchAll(REFERENCE)) {
    const target = join(dirname(file), specifier.replace(/\.js$/, '.d.ts'));
    if (!existsSync(target)) throw new Error(`dist/types: ${relative(outdir, file)} refers to ${specifier}, which was not emitted`);
    visit(target);
  }
};
visit(join(types, 'index.d.ts'));
for (const entry of readdirSync(types, { recursive: true, withFileTypes: true })) {
  const file = join(entry.parentPath, entry.name);
  if (entry.isFile() && !kept.has(file)) rmSync(file);
}
for (const entry of readdirSync(types, { recursive: true, withFileTypes: true }).reverse()) {
  if (entry.isDirectory() && readdirSync(join(entry.parentPath, entry.name)).length === 0) rmdirSync(join(entry.parentPath, entry.name));
}
