import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as paxflow from '../src/index.js';

// The public API is enough to do what the CLI does: load, validate, plan and run against the emulator.
const api = suite('public API (src/index.ts)');

api('load -> validate -> plan -> run with only the exported functions', async () => {
  const source = 'version: 1\nname: api\nsteps:\n  - id: balances\n    uses: getBalances\n    with: { profile_id: default, assets: [USD] }\n';
  const { workflow, diagnostics } = paxflow.validateWorkflow(paxflow.loadWorkflow(source, 'api.yaml'), 'api.yaml');
  assert.equal(diagnostics, []);
  const plan = paxflow.planWorkflow(workflow!);
  assert.equal(plan.scopes, ['funding:read_profile']);
  const sandbox = await paxflow.startSandbox({ approvalDelayMs: 0 });
  try {
    const target = { name: 'custom', apiUrl: sandbox.apiUrl, oauthUrl: sandbox.oauthUrl };
    const paxos = paxflow.createPaxosClient({ target, credentials: { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' }, scopes: plan.scopes });
    const result = await paxflow.runWorkflow(plan, { target, paxos });
    assert.is(result.status, 'passed');
    assert.equal((result.steps[0]!.output as { by_asset: unknown }).by_asset, { USD: { available: '0', trading: '0' } });
  } finally {
    await sandbox.close();
  }
});

api('errors are classes with guards and codes', () => {
  const error = new paxflow.UsageError('BAD_ARGUMENTS', 'nope');
  assert.ok(paxflow.isUsageError(error) && paxflow.isPaxflowError(error));
  assert.not.ok(paxflow.isInvalidInputError(error));
  assert.equal(paxflow.formatError(error), ['error BAD_ARGUMENTS nope']);
});

api.run();
