import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles src/bin.ts into `dir/paxflow.js` the way scripts/build.mjs bundles dist/paxflow.js, and returns
 * its path: child processes that start from it run the source as it is now, at half tsx's start-up cost.
 * dist/ is left alone, so a test never races another process that runs or rebuilds it.
 */
export const bundleCli = async (dir: string): Promise<string> => {
  const outfile = join(dir, 'paxflow.js');
  await build({
    entryPoints: ['src/bin.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    legalComments: 'none',
    banner: { js: "import { createRequire as __paxflowRequire } from 'node:module'; const require = __paxflowRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  return outfile;
};
