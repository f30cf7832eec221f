import { getEventListeners } from 'node:events';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planWorkflow } from '../../src/engine/plan.js';
import { runWorkflow } from '../../src/engine/run.js';
import { clearTokenCache, createPaxosClient } from '../../src/paxos/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { runCli } from '../cli/_io.js';
import { workflowFrom } from '../_workflow.js';
import { loadPlan } from '../journal/_run.js';

const CREDENTIALS = ['--client-id', 'sandbox-client', '--client-secret', 'sandbox-secret'];
const onboard = 'workflows/onboard-and-trade.yaml';

// Runs of whole workflows against an emulator the test controls: scopes the credential lacks, and a
// token that expires in the middle of a run.
const runs = suite<{ sandbox: SandboxHandle }>('engine: Paxos runs against a controlled emulator');
runs.after.each(async ({ sandbox }) => {
  await sandbox.close();
  clearTokenCache();
});

runs('a run lets go of the signal it is given: no abort listener is left on it (a batch shares one for every row)', async (context) => {
  const sandbox = (context.sandbox = await startSandbox({ approvalDelayMs: 0 }));
  const plan = await loadPlan(onboard);
  const target = { name: 'custom', apiUrl: sandbox.apiUrl, oauthUrl: sandbox.oauthUrl };
  const paxos = createPaxosClient({ target, credentials: { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' }, scopes: plan.scopes });
  const controller = new AbortController();
  let most = 0;
  const result = await runWorkflow(plan, {
    target,
    paxos,
    signal: controller.signal,
    // While a step runs, its own signal follows the run's: one listener, removed when the step ends.
    onEvent: () => void (most = Math.max(most, getEventListeners(controller.signal, 'abort').length)),
  });
  assert.is(result.status, 'passed');
  assert.ok(most >= 1, 'steps listen to the run signal while they run');
  assert.is(getEventListeners(controller.signal, 'abort').length, 0);
});

runs('a workflow that needs a scope the credential lacks fails before any request, exit 2', async (context) => {
  context.sandbox = await startSandbox({ scopes: ['identity:read_identity', 'identity:write_identity'], approvalDelayMs: 0 });
  const { code, stderr, stdout } = await runCli([
    'run', onboard, '--api-url', context.sandbox.apiUrl, '--oauth-url', context.sandbox.oauthUrl, ...CREDENTIALS,
  ]);
  assert.is(code, 2);
  assert.match(stderr, /error MISSING_SCOPES /);
  assert.ok(stderr.includes('exchange:write_order'), 'names a missing scope');
  assert.not.match(stdout, /✓/);
  assert.is(context.sandbox.state.identities.size, 0, 'no identity was created');
});

runs('rejected credentials are a usage error that does not echo the secret', async (context) => {
  context.sandbox = await startSandbox({ approvalDelayMs: 0 });
  const secret = 'not-the-secret-1234';
  const { code, stderr } = await runCli([
    'run', onboard, '--api-url', context.sandbox.apiUrl, '--oauth-url', context.sandbox.oauthUrl,
    '--client-id', 'sandbox-client', '--client-secret', secret,
  ]);
  assert.is(code, 2);
  assert.match(stderr, /error CREDENTIALS_REJECTED /);
  assert.not.ok(stderr.includes(secret));
});

runs('a token that expires mid-run is refreshed once and the run passes', async (context) => {
  const sandbox = (context.sandbox = await startSandbox({ approvalDelayMs: 0 }));
  const workflow = workflowFrom(`
version: 1
name: expiring token
steps:
  - id: before
    uses: getBalances
    with: { profile_id: default }
  - id: after
    uses: getBalances
    with: { profile_id: default }
`);
  const plan = planWorkflow(workflow);
  const target = { name: 'custom', apiUrl: sandbox.apiUrl, oauthUrl: sandbox.oauthUrl };
  const paxos = createPaxosClient({ target, credentials: { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' }, scopes: plan.scopes });
  await paxos.authorize();
  const result = await runWorkflow(plan, {
    target,
    paxos,
    onEvent: (event) => {
      // Two hours pass on the emulator's clock: the token the client holds is now expired there.
      if (event.type === 'step:end' && event.result.id === 'before') {
        const later = Date.now() + 2 * 3600_000;
        sandbox.state.now = () => new Date(later);
      }
    },
  });
  assert.is(result.status, 'passed');
  const after = result.steps[1]!;
  assert.equal(after.exchanges.map((exchange) => exchange.status), [401, 200]);
});

runs.run();
