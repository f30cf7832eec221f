/**
 * What profile.ts bundles and runs under the V8 profiler (node:inspector), after a warm-up, so a profile
 * shows the steady state and not the first call's start-up:
 *   overhead:   `paxflow run` in-process, `--runs` times, against the emulator at --api / --oauth
 *   engine:     `runWorkflow` alone with one plan and one client, `--runs` times, against the same
 *   validation: loadWorkflow + validateWorkflow of a generated workflow of `--steps` steps
 */

import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cli } from '../src/cli.js';
import { planWorkflow } from '../src/engine/plan.js';
import { runWorkflow } from '../src/engine/run.js';
import { createPaxosClient } from '../src/paxos/index.js';
import { loadWorkflow, readWorkflowFile, validateWorkflow } from '../src/workflow/index.js';
import { generateWorkflow } from './validation.js';

const { values } = parseArgs({
  options: {
    figure: { type: 'string' },
    runs: { type: 'string', default: '40' },
    steps: { type: 'string', default: '10000' },
    file: { type: 'string' },
    api: { type: 'string' },
    oauth: { type: 'string' },
    dir: { type: 'string' },
  },
});

const profiled = async (name: string, work: () => Promise<void>) => {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  await work();
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  const out = join(values.dir!, `${name}-${Date.now()}.cpuprofile`);
  await writeFile(out, JSON.stringify(profile));
  process.stderr.write(`wrote ${out}\n`);
};

if (values.figure === 'overhead') {
  const sink = { write: (_text: string) => {} };
  const argv = ['run', values.file!, '--api-url', values.api!, '--oauth-url', values.oauth!, '--client-id', 'sandbox-client', '--client-secret', 'sandbox-secret'];
  const runs = async (count: number) => {
    for (let run = 0; run < count; run += 1) {
      const code = await cli(argv, { stdout: sink, stderr: sink, env: {}, cwd: values.dir! });
      if (code !== 0) throw new Error(`paxflow run exited ${code}`);
    }
  };
  await runs(5);
  await profiled('overhead', () => runs(Number(values.runs)));
} else if (values.figure === 'engine') {
  const { workflow } = await readWorkflowFile(values.file!);
  if (!workflow) throw new Error(`${values.file} does not validate`);
  const plan = planWorkflow(workflow);
  const target = { name: 'custom', apiUrl: values.api!, oauthUrl: values.oauth! };
  const paxos = createPaxosClient({ target, credentials: { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' }, scopes: plan.scopes });
  const runs = async (count: number) => {
    for (let run = 0; run < count; run += 1) {
      const result = await runWorkflow(plan, { target, paxos });
      if (result.status !== 'passed') throw new Error(`runWorkflow ended ${result.status}`);
    }
  };
  await runs(5);
  await profiled('engine', () => runs(Number(values.runs)));
} else if (values.figure === 'validation') {
  const validate = (steps: number) => {
    const { diagnostics } = validateWorkflow(loadWorkflow(generateWorkflow(steps), 'generated.yaml', { maxBytes: Number.MAX_SAFE_INTEGER }), 'generated.yaml');
    if (diagnostics.length > 0) throw new Error(`the generated workflow does not validate: ${diagnostics[0]!.code}`);
  };
  validate(10);
  await profiled('validation', async () => validate(Number(values.steps)));
} else {
  throw new Error(`unknown --figure ${values.figure}`);
}
