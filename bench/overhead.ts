/**
 * Runner overhead: onboard-and-trade.yaml run in-process through the CLI function against the in-process
 * emulator, against baseline.ts sending the same requests with plain fetch, in the same process,
 * alternating, so machine noise hits both alike.
 *
 * Both sides wait for the emulator the same way (paxflow's default poll schedule: 20 ms, then 3x per
 * check). Those waits are the same fixed sleeps on both sides and would hide overhead, so the budgeted
 * ratio compares the time each run spends outside them:
 * wall time minus the scheduled waits implied by its own request log.
 */

import { statfsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { cli } from '../src/cli.js';
import { planWorkflow } from '../src/engine/plan.js';
import { runWorkflow } from '../src/engine/run.js';
import { createPaxosClient } from '../src/paxos/index.js';
import { startSandbox } from '../src/sandbox/index.js';
import { readWorkflowFile } from '../src/workflow/index.js';
import { runBaseline, type BaselineTarget } from './baseline.js';
import { installRequestLog, logRequests, normaliseSequence, scheduledWaitMs, uninstallRequestLog } from './_fetch-log.js';
import { median, round } from './_stats.js';
import { notMeasured, type BenchContext, type Figure, type Row } from './_types.js';

const FIGURE = 'Runner overhead';
const WORKFLOW = 'workflows/onboard-and-trade.yaml';
const CREDENTIALS = { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' };
/**
 * Extra `paxflow run` flags for the measured runs. When the journal lands, add the flag that turns it on
 * here if it is not on by default, so the figure keeps measuring "journal and redaction on".
 */
const RUN_FLAGS: readonly string[] = [];

interface Sample {
  wallMs: number;
  activeMs: number;
}

type Variant = 'cli' | 'memoryJournal' | 'engine' | 'baseline';

const fetchToken = async (oauthUrl: string, scopes: readonly string[]): Promise<string> => {
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: CREDENTIALS.clientId, client_secret: CREDENTIALS.clientSecret, scope: scopes.join(' ') });
  const response = await fetch(oauthUrl, { method: 'POST', body });
  if (!response.ok) throw new Error(`token request answered ${response.status}`);
  const { access_token: token } = (await response.json()) as { access_token: string };
  return `Bearer ${token}`;
};

const firstDifference = (a: readonly string[], b: readonly string[]): string => {
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    if (a[index] !== b[index]) return `request ${index + 1}: paxflow ${a[index] ?? '(none)'}, baseline ${b[index] ?? '(none)'}`;
  }
  return 'none';
};

const measure = async (context: BenchContext): Promise<Row[]> => {
  const rounds = context.quick ? 5 : 20;
  const warmups = context.quick ? 1 : 3;
  const file = join(context.root, WORKFLOW);
  // The CLI runs in its own empty directory, so journals it writes by default land there and are counted.
  const cwd = join(context.tmp, 'overhead');
  await mkdir(cwd, { recursive: true });

  const { workflow, diagnostics } = await readWorkflowFile(file);
  if (!workflow) throw new Error(`${WORKFLOW} does not validate: ${diagnostics.map((d) => d.code).join(', ')}`);
  const plan = planWorkflow(workflow);
  const sandbox = await startSandbox({ port: 0, approvalDelayMs: 0 });
  const memoryDir = await memoryFolder();
  installRequestLog();
  try {
    const target = { name: 'custom', apiUrl: sandbox.apiUrl, oauthUrl: sandbox.oauthUrl };
    const baselineTarget: BaselineTarget = { apiUrl: sandbox.apiUrl, authorization: await fetchToken(sandbox.oauthUrl, plan.scopes) };
    const argv = ['run', file, '--api-url', sandbox.apiUrl, '--oauth-url', sandbox.oauthUrl, '--client-id', CREDENTIALS.clientId, '--client-secret', CREDENTIALS.clientSecret, ...RUN_FLAGS];
    const sink = { write: (_text: string) => {} };
    const io = { stdout: sink, stderr: sink, env: {}, cwd };

    const runs: Record<Variant, () => Promise<void>> = {
      async cli() {
        const code = await cli(argv, io);
        if (code !== 0) throw new Error(`paxflow run exited ${code}`);
      },
      // The same, with the journal in memory (tmpfs), where a sync costs nothing: what the disk's flushes cost.
      async memoryJournal() {
        const code = await cli([...argv, '--journal-dir', memoryDir!], io);
        if (code !== 0) throw new Error(`paxflow run exited ${code}`);
      },
      async engine() {
        const paxos = createPaxosClient({ target, credentials: CREDENTIALS, scopes: plan.scopes });
        const result = await runWorkflow(plan, { target, paxos });
        if (result.status !== 'passed') throw new Error(`runWorkflow ended ${result.status}`);
      },
      baseline: () => runBaseline(baselineTarget),
    };

    // The sequence paxflow sends, from one run's recorded exchanges, must be the baseline's.
    const paxos = createPaxosClient({ target, credentials: CREDENTIALS, scopes: plan.scopes });
    const recorded = await runWorkflow(plan, { target, paxos });
    if (recorded.status !== 'passed') throw new Error(`the recording run ended ${recorded.status}`);
    const paxflowSequence = normaliseSequence(recorded.steps.flatMap((step) => step.exchanges.map((e) => `${e.method} ${e.path}`)));
    const baselineSequence = normaliseSequence(await logRequests(runs.baseline));
    if (paxflowSequence.join('\n') !== baselineSequence.join('\n')) {
      const reason = `bench/baseline.ts no longer sends what paxflow sends (${firstDifference(paxflowSequence, baselineSequence)}); update it`;
      return [notMeasured(FIGURE, 'paxflow run / hand-written fetch', 'x', reason, { op: '<=', limit: 1.3 })];
    }

    const samples: Record<Variant, Sample[]> = { cli: [], memoryJournal: [], engine: [], baseline: [] };
    const order: Variant[] = ['cli', 'baseline', 'engine', ...(memoryDir ? (['memoryJournal'] as const) : [])];
    for (let index = 0; index < warmups + rounds; index += 1) {
      if (index === warmups) context.log(`overhead: ${warmups} warm-up rounds done, measuring ${rounds} rounds`);
      // Rotate who goes first, so a slow moment does not always land on the same side.
      const rotated = [...order.slice(index % order.length), ...order.slice(0, index % order.length)];
      for (const variant of rotated) {
        const started = performance.now();
        const log = await logRequests(runs[variant]);
        const wallMs = performance.now() - started;
        // Every timed run must have sent the recorded sequence, or the comparison is not like for like.
        const sent = normaliseSequence(log);
        if (sent.join('\n') !== paxflowSequence.join('\n')) {
          const reason = `a ${variant} run sent other requests than the recorded run (${firstDifference(paxflowSequence, sent)})`;
          return [notMeasured(FIGURE, 'paxflow run / hand-written fetch', 'x', reason, { op: '<=', limit: 1.3 })];
        }
        if (index >= warmups) samples[variant].push({ wallMs, activeMs: wallMs - scheduledWaitMs(log) });
      }
    }

    const journals = await readdir(join(cwd, '.paxflow', 'runs')).then((names) => names.length, () => 0);
    const features = journals > 0 ? `journal written (${journals} runs)` : 'no journal written';
    const active = (variant: Variant) => median(samples[variant].map((s) => s.activeMs));
    const wall = (variant: Variant) => median(samples[variant].map((s) => s.wallMs));
    const details = {
      rounds,
      requestsPerRun: paxflowSequence,
      features,
      medianActiveMs: { cli: round(active('cli')), engine: round(active('engine')), baseline: round(active('baseline')), ...(memoryDir ? { memoryJournal: round(active('memoryJournal')) } : {}) },
      medianWallMs: { cli: round(wall('cli')), engine: round(wall('engine')), baseline: round(wall('baseline')), ...(memoryDir ? { memoryJournal: round(wall('memoryJournal')) } : {}) },
      samples,
    };
    return [
      {
        figure: FIGURE,
        name: 'paxflow run / hand-written fetch (time outside poll waits)',
        value: round(active('cli') / active('baseline')),
        unit: 'x',
        budget: { op: '<=', limit: 1.3 },
        note: `median ${round(active('cli'))} ms vs ${round(active('baseline'))} ms per run, ${rounds} runs each; ${features}`,
        details,
      },
      ...(memoryDir
        ? [
            {
              figure: FIGURE,
              name: 'paxflow run with its journal on tmpfs / hand-written fetch',
              value: round(active('memoryJournal') / active('baseline')),
              unit: 'x',
              note: `median ${round(active('memoryJournal'))} ms per run: the same run where a disk flush costs nothing, so the difference to the first row is what this disk's syncs cost`,
            },
          ]
        : []),
      {
        figure: FIGURE,
        name: 'runWorkflow only (plan reused, no reporter) / hand-written fetch',
        value: round(active('engine') / active('baseline')),
        unit: 'x',
        note: `median ${round(active('engine'))} ms per run: the engine and client without load, validate and the console report`,
      },
      {
        figure: FIGURE,
        name: 'paxflow run / hand-written fetch, wall clock with poll waits',
        value: round(wall('cli') / wall('baseline')),
        unit: 'x',
        note: `median ${round(wall('cli'))} ms vs ${round(wall('baseline'))} ms; both poll on paxflow's default schedule`,
      },
    ];
  } finally {
    uninstallRequestLog();
    await sandbox.close();
    if (memoryDir) await rm(memoryDir, { recursive: true, force: true });
  }
};

/** A scratch folder on tmpfs (Linux's /dev/shm), or undefined where there is none. */
const memoryFolder = async (): Promise<string | undefined> => {
  const TMPFS_MAGIC = 0x01021994;
  try {
    if (statfsSync('/dev/shm').type !== TMPFS_MAGIC) return undefined;
    return await mkdtemp('/dev/shm/paxflow-bench-');
  } catch {
    return undefined;
  }
};

export const overheadFigure: Figure = { id: 'overhead', title: FIGURE, measure };
