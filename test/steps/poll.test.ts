import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isPaxosApiError } from '../../src/paxos/errors.js';
import { pollUntil, readInterval } from '../../src/steps/_poll.js';
import { startFaultProxy } from '../paxos/_proxy.js';
import { awaitApprovalStep } from '../../src/steps/await-approval.js';
import { createIdentityStep } from '../../src/steps/create-identity.js';
import { ALL_STEP_SCOPES, rejectionOf, startHarness, testPerson, type Harness } from './_setup.js';

const test = suite<{ h: Harness }>('polling');

test.before(async (ctx) => {
  ctx.h = await startHarness({ approvalDelayMs: 30 });
});
test.after(async (ctx) => {
  await ctx.h.close();
});

test('transient failures (5xx, network) are recorded and polling goes on', async ({ h }) => {
  const created = await createIdentityStep.run(testPerson(), h.context());
  const proxy = await startFaultProxy(h.sandbox.url);
  try {
    proxy.inject({ method: 'GET', path: /^\/v2\/identity\/identities\/[^/?]+(\?|$)/ }, [{ kind: 'status', status: 503 }, { kind: 'reset' }]);
    const flaky = h.clientWith(ALL_STEP_SCOPES, { retry: { limit: 0 }, target: { name: 'local', apiUrl: proxy.apiUrl, oauthUrl: proxy.oauthUrl } });
    const context = h.context({ paxos: flaky });
    const identity = await awaitApprovalStep.run({ identity_id: created.id, interval: '10ms' }, context);
    assert.is(identity.summary_status, 'APPROVED');
    assert.equal(context.polls.slice(0, 2).map((poll) => poll.error), ['PAXOS_SERVER_ERROR', 'PAXOS_NETWORK_ERROR']);
    assert.is(context.polls.at(-1)?.status, 'APPROVED');
  } finally {
    await proxy.close();
  }
});

test('a non-transient error (404) ends the wait at once', async ({ h }) => {
  const context = h.context({ timeoutMs: 60_000 });
  const error = await rejectionOf(
    awaitApprovalStep.run({ identity_id: '00000000-0000-4000-8000-000000000000', interval: '10ms' }, context),
  );
  assert.ok(isPaxosApiError(error));
  assert.is(error.status, 404);
  assert.is(context.polls.length, 0);
});

test('without a step timeout the wait still ends when the identity is approved', async ({ h }) => {
  const created = await createIdentityStep.run(testPerson(), h.context());
  const context = { ...h.context(), deadline: undefined };
  const identity = await awaitApprovalStep.run({ identity_id: created.id, interval: '10ms' }, context);
  assert.is(identity.summary_status, 'APPROVED');
});

test('readInterval reads durations and falls back to the default', () => {
  assert.is(readInterval(undefined, 1000), 1000);
  assert.is(readInterval('250ms', 1000), 250);
  assert.is(readInterval('2s', 1000), 2000);
  assert.is(readInterval('1m', 1000), 60_000);
  assert.is(readInterval('1h', 1000), 3_600_000);
});

test.run();

const leaks = suite<{ h: Harness }>('polling: long waits');

leaks.before(async (ctx) => {
  ctx.h = await startHarness({ approvalDelayMs: 0 });
});
leaks.after(async (ctx) => {
  await ctx.h.close();
});

leaks('a wait of many checks leaves no abort listener behind (no MaxListenersExceededWarning)', async ({ h }) => {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.name);
  process.on('warning', onWarning);
  try {
    const created = await createIdentityStep.run(testPerson(), h.context());
    // Approved at once, but the wait is for DENIED: with a fixed 10 ms gap it checks far more than 10 times.
    const context = h.context({ timeoutMs: 1500 });
    const error = await rejectionOf(
      pollUntil<{ summary_status: string }>({
        context,
        intervalMs: 10,
        gap: () => 10,
        read: (signal) => context.paxos.call({ method: 'GET', path: `/identity/identities/${created.id}`, signal }),
        statusOf: (identity) => identity.summary_status,
        isDone: (identity) => identity.summary_status === 'DENIED',
        timeoutError: () => Object.assign(new Error('timed out'), { code: 'APPROVAL_TIMEOUT' }),
      }),
    );
    assert.is(error.code, 'APPROVAL_TIMEOUT');
    assert.ok(context.polls.length > 12, `${context.polls.length} checks`);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(warnings.filter((name) => name === 'MaxListenersExceededWarning'), []);
  } finally {
    process.off('warning', onWarning);
  }
});

leaks.run();
