import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { listRuns, readJournal } from '../../src/journal/index.js';
import { clearTokenCache } from '../../src/paxos/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { clientFor, loadPlan, resumeRun, targetOf, tempJournalDir } from './_run.js';

const killed = suite<{ sandbox: SandboxHandle }>('journal: a process killed mid-run');
killed.before(async (context) => {
  context.sandbox = await startSandbox({ approvalDelayMs: 0 });
});
killed.after(async ({ sandbox }) => {
  await sandbox.close();
  clearTokenCache();
});

killed('the journal written before SIGKILL is enough to resume without a second order', async ({ sandbox }) => {
  const dir = tempJournalDir();
  const runId = randomUUID();
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/journal/_child-killed.ts', sandbox.apiUrl, sandbox.oauthUrl, dir, runId], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, PAXFLOW_TEST_CHILD: '1' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
  assert.is(signal, 'SIGKILL', stderr);

  const buyRef = `${runId}-buy`;
  const orders = () => [...sandbox.state.trading.orders.values()].filter((order) => order.refId === buyRef);
  assert.is(orders().length, 1, 'the order was placed before the kill');
  const last = readJournal(`${dir}/${runId}/journal.jsonl`).entries.at(-1)!;
  assert.equal([last.type, 'id' in last ? last.id : undefined], ['step:start', 'buy']);
  assert.equal(listRuns(dir).map((run) => [run.runId, run.status, run.resumeFrom]), [[runId, 'incomplete', 'buy']]);

  const plan = await loadPlan('workflows/onboard-and-trade.yaml');
  const { result } = await resumeRun(plan, dir, runId, { target: targetOf(sandbox), paxos: await clientFor(sandbox, plan) });
  assert.is(result.status, 'passed');
  assert.is(orders().length, 1, 'still exactly one order with the buy ref_id');
  assert.is(sandbox.state.trading.orders.size, 2);
  assert.equal(listRuns(dir).map((run) => [run.status, run.resumes]), [['passed', 1]]);
});

killed.run();
