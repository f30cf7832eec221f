// Bundles the CLI into one file so `npx paxflow` needs no TypeScript loader at run time.
// Commands reach their heavy modules through dynamic import(); inside a single esbuild bundle those
// modules are still parsed at start-up, but their top-level code only runs when first imported.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/bin.ts'],
  outfile: 'dist/paxflow.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'none',
  // Some dependencies are CommonJS and call require(); ESM output has no require of its own.
  banner: { js: "import { createRequire as __paxflowRequire } from 'node:module'; const require = __paxflowRequire(import.meta.url);" },
  logLevel: 'warning',
});
