/**
 * CPU profiles for the figures that miss their budget, written outside the repository:
 *
 *   npx tsx bench/profile.ts overhead   [--runs 40]      paxflow run in-process (emulator in another process)
 *   npx tsx bench/profile.ts engine     [--runs 40]      runWorkflow alone, plan reused (emulator in another process)
 *   npx tsx bench/profile.ts validation [--steps 10000]  load + validate of a generated workflow
 *   npx tsx bench/profile.ts cold-start                   node --cpu-prof of `--version` and `validate`
 *   options: --dir /tmp/paxflow-profile
 *
 * then: npx tsx bench/profile-top.ts /tmp/paxflow-profile/<file>.cpuprofile
 *
 * The in-process loops (_profile-child.ts) are bundled with esbuild first, like dist/paxflow.js, so
 * profiles carry real function names and lines that profile-top.ts maps back to src/ files; code run
 * through tsx has neither. A warm-up comes before the profiler starts.
 */

import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { makeDirectory } from '../src/util/make-directory.js';
import { runTimed, startStandaloneSandbox } from './_process.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '40' },
    steps: { type: 'string', default: '10000' },
    dir: { type: 'string', default: '/tmp/paxflow-profile' },
  },
});
const figure = positionals[0];
const cliPath = join(root, 'dist/paxflow.js');

const bundleChild = async (): Promise<string> => {
  const bundle = join(values.dir, 'profile-child.mjs');
  await build({
    entryPoints: [join(root, 'bench/_profile-child.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  return bundle;
};

const runChild = (bundle: string, args: string[]): Promise<number | null> =>
  new Promise((done) => spawn(process.execPath, [bundle, ...args, '--dir', values.dir], { stdio: 'inherit' }).once('exit', done));

makeDirectory(values.dir);
if (figure === 'overhead' || figure === 'engine') {
  const bundle = await bundleChild();
  const sandbox = await startStandaloneSandbox(cliPath, root);
  try {
    const file = join(root, 'workflows/onboard-and-trade.yaml');
    await runChild(bundle, ['--figure', figure, '--runs', values.runs, '--file', file, '--api', sandbox.apiUrl, '--oauth', sandbox.oauthUrl]);
  } finally {
    await sandbox.stop();
  }
} else if (figure === 'validation') {
  await runChild(await bundleChild(), ['--figure', 'validation', '--steps', values.steps]);
} else if (figure === 'cold-start') {
  for (const args of [['--version'], ['validate', 'workflows/onboard-and-trade.yaml']]) {
    const dir = join(values.dir, args[0] === '--version' ? 'version' : 'validate');
    const run = await runTimed(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, cliPath, ...args], { cwd: root });
    process.stderr.write(`paxflow ${args.join(' ')}: exit ${run.code}, profile in ${dir}\n`);
  }
} else {
  process.stderr.write('usage: npx tsx bench/profile.ts overhead|engine|validation|cold-start [--dir DIR]\n');
  process.exitCode = 2;
}
