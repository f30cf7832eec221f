/**
 * Batch throughput: 1,000 rows of the batch playbook at concurrency 32, as one `paxflow run --data`
 * process against the standalone emulator (another process): runs per second and p50/p95 run latency.
 *
 * `paxflow run --data` and the batch playbook come with issue 6. Until both exist the figure is reported
 * as not measured. When they land, fill in `batchCommand` (the flags) and `readRowLatencies` (where the
 * per-row durations are printed), and the figure measures itself; memory.ts uses the same runner.
 */

import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cli } from '../src/cli.js';
import { runTimed, startStandaloneSandbox, type StandaloneSandbox, type TimedRun } from './_process.js';
import { percentile, round } from './_stats.js';
import { notMeasured, type BenchContext, type Budget, type Figure, type Row } from './_types.js';

const FIGURE = 'Batch throughput';
export const BATCH_CONCURRENCY = 32;
const BUDGETS = { runsPerSecond: { op: '>=', limit: 300 } } satisfies Record<string, Budget>;

/** Why batch runs cannot be measured yet, or undefined when `--data` and a batch playbook both exist. */
export const batchPrerequisite = async (context: BenchContext): Promise<string | undefined> => {
  let help = '';
  await cli(['run', '--help'], { stdout: { write: (text) => (help += text) }, stderr: { write: () => {} }, env: {}, cwd: context.root });
  if (!help.includes('--data')) return '`paxflow run --data` (issue 6) does not exist yet';
  if ((await findPlaybook(context)) === undefined) return 'no batch playbook (workflows/*batch*.yaml, issue 6) yet';
  return undefined;
};

/** The batch playbook: `workflows/batch-onboarding.yaml` (the one the budget names), else any `*batch*.yaml`. */
export const findPlaybook = async (context: BenchContext): Promise<string | undefined> => {
  const names = await readdir(join(context.root, 'workflows'));
  const found = names.find((name) => name === 'batch-onboarding.yaml') ?? names.find((name) => /batch/i.test(name) && /\.ya?ml$/.test(name));
  return found === undefined ? undefined : join('workflows', found);
};

export interface BatchRun {
  run: TimedRun;
  rows: number;
  /** Milliseconds per row, when the CLI reports them. */
  rowLatenciesMs?: number[];
}

/** A generated customer per row, in the columns the batch playbook reads (`{{row.<column>}}`). */
const customerRow = (index: number): string =>
  `Ada${index},Byron${index},1985-12-10,ada${index}@example.org,London,10001,USA`;

/**
 * Writes `rows` rows for the playbook to a CSV file in the scratch directory and returns the `paxflow run`
 * arguments that run them at `concurrency` against `sandbox`, with the JSON report on stdout (it holds every
 * row's `durationMs`) and the journals in the scratch directory.
 */
const batchCommand = async (playbook: string, rows: number, sandbox: StandaloneSandbox, context: BenchContext, jsonReport: boolean, reporter?: string): Promise<string[]> => {
  const folder = await mkdtemp(join(context.tmp, 'batch-'));
  const dataFile = join(folder, 'customers.csv');
  const lines = ['first_name,last_name,date_of_birth,email,city,zip_code,country'];
  for (let index = 0; index < rows; index += 1) lines.push(customerRow(index));
  await writeFile(dataFile, `${lines.join('\n')}\n`);
  return [
    'run', playbook, '--data', dataFile, '--concurrency', String(BATCH_CONCURRENCY),
    '--api-url', sandbox.apiUrl, '--oauth-url', sandbox.oauthUrl,
    '--client-id', 'sandbox-client', '--client-secret', 'sandbox-secret',
    // The JSON report is one document holding every row, so it grows with the batch by design; the memory
    // figure uses the JUnit file instead, which is written row by row.
    '--reporter', reporter ?? (jsonReport ? 'json' : `junit=${join(folder, 'junit.xml')}`), '--journal-dir', join(folder, 'runs'),
  ];
};

/** The per-row durations from the JSON report on stdout (`runs[].durationMs`). */
const readRowLatencies = (run: TimedRun): number[] | undefined => {
  try {
    const report = JSON.parse(run.stdout) as { runs?: { durationMs?: unknown }[] };
    const latencies = (report.runs ?? []).map((row) => row.durationMs).filter((ms): ms is number => typeof ms === 'number');
    return latencies.length > 0 ? latencies : undefined;
  } catch {
    return undefined;
  }
};

/** Runs `rows` rows of the batch playbook as one process; the peak RSS is sampled when asked. */
export const runBatch = async (
  context: BenchContext,
  rows: number,
  options: {
    sampleRss?: boolean;
    jsonReport?: boolean;
    /** Instead of the JSON or JUnit report, e.g. `html=FILE`. */
    reporter?: string;
    /** Flags for node itself, before the CLI's path (memory.ts passes `--trace-gc`). */
    nodeFlags?: string[];
  } = {},
): Promise<BatchRun> => {
  const playbook = await findPlaybook(context);
  if (playbook === undefined) throw new Error('no batch playbook');
  const sandbox = await startStandaloneSandbox(context.cliPath, context.root);
  try {
    const args = await batchCommand(playbook, rows, sandbox, context, options.jsonReport ?? true, options.reporter);
    const run = await runTimed(process.execPath, [...(options.nodeFlags ?? []), context.cliPath, ...args], {
      cwd: context.root,
      timeoutMs: 240_000,
      ...(options.sampleRss ? { rssSampleMs: 25 } : {}),
    });
    if (run.code !== 0) throw new Error(`the batch run exited ${run.code}: ${run.stderr.slice(0, 300)}`);
    const rowLatenciesMs = readRowLatencies(run);
    return { run, rows, ...(rowLatenciesMs ? { rowLatenciesMs } : {}) };
  } finally {
    await sandbox.stop();
  }
};

const measure = async (context: BenchContext): Promise<Row[]> => {
  const reason = await batchPrerequisite(context);
  if (reason !== undefined) {
    return [
      notMeasured(FIGURE, `1,000 rows at concurrency ${BATCH_CONCURRENCY}`, 'runs/s', reason, BUDGETS.runsPerSecond),
      notMeasured(FIGURE, 'run latency p50 / p95', 'ms', reason),
    ];
  }
  const rows = context.quick ? 200 : 1_000;
  const { run, rowLatenciesMs } = await runBatch(context, rows);
  const latencies: Row = rowLatenciesMs
    ? {
        figure: FIGURE,
        name: 'run latency p50',
        value: round(percentile(rowLatenciesMs, 0.5)),
        unit: 'ms',
        note: `p95 ${round(percentile(rowLatenciesMs, 0.95))} ms`,
      }
    : notMeasured(FIGURE, 'run latency p50 / p95', 'ms', 'the batch run does not report per-row durations');
  return [
    {
      figure: FIGURE,
      name: `${rows.toLocaleString('en-US')} rows at concurrency ${BATCH_CONCURRENCY}`,
      value: round(rows / (run.ms / 1000)),
      unit: 'runs/s',
      budget: BUDGETS.runsPerSecond,
      note: `${round(run.ms / 1000)} s for the whole process, start-up included`,
    },
    latencies,
  ];
};

export const batchFigure: Figure = { id: 'batch', title: FIGURE, measure };
