import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runWorkflow } from '../../src/engine/run.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { clientFor, loadPlan, targetOf } from '../journal/_run.js';
import { startReceiver } from '../sandbox/_receiver.js';
import { call, getToken } from '../sandbox/_helpers.js';

// The acceptance: an integrator's consumer fails the first delivery, gets the notification again
// with the same id, reads the full event by that id, and the workflow's awaitEvent sees the same event.
const webhookRun = suite('workflows/webhook-events.yaml with a webhook consumer that fails once');

webhookRun('the retried notification, GET /events/{id} and awaitEvent agree on one identity.approved event', async () => {
  const receiver = await startReceiver((_, index) => ({ status: index === 0 ? 502 : 200 }));
  const sandbox = await startSandbox({ port: 0, approvalDelayMs: 0, webhooks: [`${receiver.url}/paxos`] });
  try {
    const plan = await loadPlan('workflows/webhook-events.yaml');
    const result = await runWorkflow(plan, { target: targetOf(sandbox), paxos: await clientFor(sandbox, plan) });
    assert.is(result.status, 'passed', JSON.stringify(result.steps.map((step) => [step.id, step.status, step.error])));
    const identityId = (result.steps.find((step) => step.id === 'identity')!.output as { id: string }).id;
    const seen = result.steps.find((step) => step.id === 'approved')!.output as { id: string; object: { identity_id: string } };
    assert.is(seen.object.identity_id, identityId);

    const notifications = await receiver.waitFor(3);
    const approvals = notifications.filter((entry) => entry.json.type === 'identity.approved');
    assert.is(approvals.length, 2, 'failed once, delivered on the retry');
    assert.is(approvals[0]!.json.id, seen.id);
    assert.is(approvals[1]!.json.id, seen.id);
    // The disabling's notification waits for the approval's to be delivered: order is kept per identity.
    assert.equal(notifications.map((entry) => entry.json.type), ['identity.approved', 'identity.approved', 'identity.disabled']);

    const token = await getToken(sandbox, ['events:read_event']);
    const full = await call(sandbox, 'GET', `/v2/events/${approvals[1]!.json.id}`, { token });
    assert.is(full.status, 200);
    assert.equal(full.body.object, { ...seen.object });
    assert.is(full.body.object.new_summary_status, 'APPROVED');
  } finally {
    await sandbox.close();
    await receiver.close();
  }
});

webhookRun.run();
