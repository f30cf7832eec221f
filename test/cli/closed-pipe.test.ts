import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cli } from '../../src/cli.js';
import { runCli } from './_io.js';

// `paxflow run X | head -n 1`: the reader of stdout goes away while the run moves money. The run must go
// on to its end, with its journal and report files, and exit as the run ended, without a stack trace.
const closed = suite('cli: a closed stdout or stderr');

/** Runs the real bin with its stdout (and stderr, when asked) closed by the reader before it writes anything. */
const runClosed = async (args: string[], home: string, closeStderr = false) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/bin.ts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PAXFLOW_HOME: home, CI: 'true' },
  });
  child.stdout.destroy();
  if (closeStderr) child.stderr.destroy();
  let stderr = '';
  if (!closeStderr) child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (...exit) => resolve(exit)));
  return { code, signal, stderr };
};

closed('a run whose stdout is closed goes on to its end: exit 0, the report file complete, `paxflow runs` says passed', async () => {
  const home = mkdtempSync(join(tmpdir(), 'paxflow-pipe-'));
  const junit = join(home, 'junit.xml');
  const { code, signal, stderr } = await runClosed(['run', 'workflows/onboard-and-trade.yaml', '--reporter', `junit=${junit}`], home);
  assert.equal([code, signal], [0, null], stderr);
  assert.not.match(stderr, /EPIPE|\n\s+at /);
  const xml = readFileSync(junit, 'utf8');
  assert.is(xml.match(/<testcase /g)?.length, 11);
  assert.not.match(xml, /<failure|<error/);
  const runs = await runCli(['runs', '--json'], { env: { PAXFLOW_HOME: home } });
  const listed = JSON.parse(runs.stdout) as { runs: Array<{ status: string; steps: { completed: number; total: number } }> };
  assert.equal(listed.runs.map((run) => [run.status, run.steps.completed, run.steps.total]), [['passed', 11, 11]]);
});

closed('every command survives it: `schema` with stdout closed, `run` with both stdout and stderr closed', async () => {
  const home = mkdtempSync(join(tmpdir(), 'paxflow-pipe-'));
  const schema = await runClosed(['schema'], home);
  assert.equal([schema.code, schema.signal], [0, null], schema.stderr);
  assert.is(schema.stderr, '');
  const run = await runClosed(['run', 'workflows/onboard-and-trade.yaml'], home, true);
  assert.equal([run.code, run.signal], [0, null]);
  const runs = await runCli(['runs', '--json'], { env: { PAXFLOW_HOME: home } });
  assert.equal((JSON.parse(runs.stdout) as { runs: Array<{ status: string }> }).runs.map((r) => r.status), ['passed']);
});

closed('cli() as a library: a stdout whose write throws loses the output, not the run', async () => {
  const home = mkdtempSync(join(tmpdir(), 'paxflow-pipe-'));
  let writes = 0;
  const broken = {
    write() {
      writes += 1;
      throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    },
  };
  const code = await cli(['run', 'workflows/onboard-and-trade.yaml'], { stdout: broken, stderr: broken, env: { CI: 'true', PAXFLOW_HOME: home }, cwd: process.cwd() });
  assert.is(code, 0);
  assert.is(writes, 1, 'nothing more is written after the first failed write');
  const runs = await runCli(['runs', '--json'], { env: { PAXFLOW_HOME: home } });
  assert.equal((JSON.parse(runs.stdout) as { runs: Array<{ status: string }> }).runs.map((r) => r.status), ['passed']);
});

closed.run();
