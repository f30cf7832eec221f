import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { clearTokenCache } from '../../src/paxos/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { runCli } from './_io.js';

// Ctrl-C during a waiting step prints the resume command; running it finishes the flow under the same
// run id, creating nothing twice. The emulator runs beside the CLI, as `paxflow sandbox` would.
const resume = suite<{ sandbox: SandboxHandle }>('cli: interrupt and --resume');

resume.before(async (context) => {
  // A slow approval, so the run is surely inside awaitApproval when it is interrupted.
  context.sandbox = await startSandbox({ approvalDelayMs: 1500 });
});
resume.after(async ({ sandbox }) => {
  await sandbox.close();
  clearTokenCache();
});

const targetArgs = (sandbox: SandboxHandle) => [
  '--api-url', sandbox.apiUrl, '--oauth-url', sandbox.oauthUrl, '--client-id', 'sandbox-client', '--client-secret', 'sandbox-secret',
];

resume('an interrupted run prints how to resume, and the resume completes it without duplicates', async ({ sandbox }) => {
  const controller = new AbortController();
  // Interrupt once the console reports the identity step passed: the run is then waiting for its
  // approval. (Watching the emulator's state instead raced the create's answer on a loaded machine.)
  const first = await runCli(['run', 'workflows/onboard-and-trade.yaml', ...targetArgs(sandbox)], {
    signal: controller.signal,
    onStdout: (text) => {
      if (/✓ identity /.test(text)) controller.abort();
    },
  });
  assert.is(first.code, 130);
  assert.match(first.stdout, /! approval /);
  const hint = /--resume (\S+)/.exec(first.stderr);
  assert.ok(hint, `prints the resume command:\n${first.stderr}`);
  const runId = hint![1]!;
  assert.is(sandbox.state.identities.size, 1);

  const second = await runCli(['run', 'workflows/onboard-and-trade.yaml', ...targetArgs(sandbox), '--resume', runId]);
  assert.is(second.code, 0, second.stdout + second.stderr);
  assert.match(second.stdout, new RegExp(`run ${runId}`));
  assert.match(second.stdout, /PASSED/);
  assert.is(sandbox.state.identities.size, 1, 'the identity was not created again');
  assert.is(sandbox.state.accounts.size, 1);
  const orders = [...sandbox.state.trading.orders.values()].filter((order) => order.refId === `${runId}-buy`);
  assert.is(orders.length, 1);
});

resume('an interrupt before the first step (while authorizing) still exits 130', async ({ sandbox }) => {
  const controller = new AbortController();
  controller.abort();
  const { code } = await runCli(['run', 'workflows/onboard-and-trade.yaml', ...targetArgs(sandbox)], { signal: controller.signal });
  assert.is(code, 130);
});

resume('--force without --resume, and --resume of an unknown run, are usage errors', async ({ sandbox }) => {
  const force = await runCli(['run', 'workflows/onboard-and-trade.yaml', '--force']);
  assert.is(force.code, 2);
  assert.match(force.stderr, /BAD_ARGUMENTS/);
  const unknown = await runCli(['run', 'workflows/onboard-and-trade.yaml', ...targetArgs(sandbox), '--resume', 'ffffffff-0000']);
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, /error [A-Z_]+ /);
});

resume.run();
