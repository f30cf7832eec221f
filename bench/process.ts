/**
 * The whole process: `node dist/paxflow.js run workflows/onboard-and-trade.yaml` against the emulator in
 * another process (`paxflow sandbox --approval-delay 200`), versus a plain-fetch script sending the same
 * requests (bench/baseline.ts, bundled into one .mjs file) that polls every 20 ms. Both are timed from
 * spawn to exit, start-up, token and waits included, in alternating rounds; medians. The ratio is what a
 * user sees: paxflow's start-up, validation, journal and reports, and how soon its waits notice a change,
 * against the least a script could do.
 */

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { planWorkflow } from '../src/engine/plan.js';
import { readWorkflowFile } from '../src/workflow/index.js';
import { runTimed, startStandaloneSandbox } from './_process.js';
import { median, round } from './_stats.js';
import type { BenchContext, Budget, Figure, Row } from './_types.js';

const FIGURE = 'Whole process';
const WORKFLOW = 'workflows/onboard-and-trade.yaml';
const APPROVAL_DELAY_MS = 200;
const PLAIN_POLL_MS = 20;
const BUDGET: Budget = { op: '<=', limit: 1.4 };

/** bench/_plain-fetch-main.ts bundled into one ESM file in the scratch folder. */
const bundlePlainFetch = async (context: BenchContext): Promise<string> => {
  const outfile = join(context.tmp, 'plain-fetch.mjs');
  await build({
    entryPoints: [join(context.root, 'bench/_plain-fetch-main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  return outfile;
};

const measure = async (context: BenchContext): Promise<Row[]> => {
  const rounds = context.quick ? 5 : 15;
  const warmups = context.quick ? 1 : 2;
  const { workflow } = await readWorkflowFile(join(context.root, WORKFLOW));
  if (!workflow) throw new Error(`${WORKFLOW} does not validate`);
  const scopes = planWorkflow(workflow).scopes.join(' ');
  const script = await bundlePlainFetch(context);
  const cwd = join(context.tmp, 'process');
  await mkdir(cwd, { recursive: true });
  const sandbox = await startStandaloneSandbox(context.cliPath, context.root, APPROVAL_DELAY_MS);
  const env = { ...process.env, CI: 'true', PAXFLOW_HOME: join(cwd, 'home'), PAXFLOW_BENCH_SCOPES: scopes };
  const credentials = ['--client-id', 'sandbox-client', '--client-secret', 'sandbox-secret'];
  const commands = {
    paxflow: () => [context.cliPath, 'run', join(context.root, WORKFLOW), '--api-url', sandbox.apiUrl, '--oauth-url', sandbox.oauthUrl, ...credentials],
    plain: (seed: number) => [script, sandbox.apiUrl, sandbox.oauthUrl, '--poll-every', String(PLAIN_POLL_MS), '--cip-seed', String(seed * 10)],
  };
  const times: Record<'paxflow' | 'plain', number[]> = { paxflow: [], plain: [] };
  try {
    for (let index = 0; index < warmups + rounds; index += 1) {
      const order = index % 2 === 0 ? (['paxflow', 'plain'] as const) : (['plain', 'paxflow'] as const);
      for (const side of order) {
        const args = side === 'paxflow' ? commands.paxflow() : commands.plain(index + 1);
        // The token endpoint allows about one request a second per credential in the emulator as at Paxos.
        const run = await runTimed(process.execPath, args, { cwd, env, timeoutMs: 60_000 });
        if (run.code !== 0) throw new Error(`${side} exited ${run.code}: ${(run.stderr || run.stdout).slice(0, 300)}`);
        if (index >= warmups) times[side].push(run.ms);
      }
    }
  } finally {
    await sandbox.stop();
  }
  const paxflow = median(times.paxflow);
  const plain = median(times.plain);
  return [
    {
      figure: FIGURE,
      name: `paxflow run process / plain-fetch script polling every ${PLAIN_POLL_MS} ms`,
      value: round(paxflow / plain),
      unit: 'x',
      budget: BUDGET,
      note: `median ${round(paxflow)} ms vs ${round(plain)} ms, ${rounds} processes each; emulator in its own process, approval delay ${APPROVAL_DELAY_MS} ms`,
      details: { rounds, samplesMs: times },
    },
  ];
};

export const processFigure: Figure = { id: 'process', title: FIGURE, measure };
