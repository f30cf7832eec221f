import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { call, pollUntil, startTestSandbox, type SandboxHandle } from './_helpers.js';
import { balance, deposit, expectTrading, onboard, placeOrder } from './_trading.js';

type Context = { sandbox: SandboxHandle };

const Parallel = suite<Context>('trading: parallel orders');

Parallel.before(async (context) => {
  context.sandbox = await startTestSandbox({ approvalDelayMs: 0 });
});

Parallel.after(async ({ sandbox }) => {
  await sandbox.close();
});

/** Waits until none of the profile's orders is still SUBMITTED. */
const settled = (sandbox: SandboxHandle, profileId: string, token: string) =>
  pollUntil(async () => {
    const result = await call(sandbox, 'GET', `/v2/profiles/${profileId}/orders?status=SUBMITTED`, { token });
    return result.body.items.length === 0 ? true : undefined;
  });

Parallel('100 parallel BUYs funded for exactly 37 never overdraw', async ({ sandbox }) => {
  const customer = await onboard(sandbox);
  // Each BUY of 0.01 ETH at 1814.8 reserves 18.148 + 0.05 commission = 18.198 USD; 37 of them need 673.326, 38 need 691.524.
  await deposit(sandbox, customer, 'USD', '673.33');
  const body = { side: 'BUY', market: 'ETHUSD', type: 'LIMIT', price: '1814.8', base_amount: '0.01' };
  const results = await Promise.all(Array.from({ length: 100 }, (_, index) => placeOrder(sandbox, customer, { ...body, ref_id: `p-${index}` })));
  const accepted = results.filter((result) => result.status === 200);
  const refused = results.filter((result) => result.status !== 200);
  assert.is(accepted.length, 37);
  assert.is(refused.length, 63);
  for (const result of refused) {
    assert.is(result.status, 403);
    assert.is(result.body.type, 'https://developer.paxos.com/docs/v2/problems/insufficient-funds');
    assert.ok(Number(result.body.meta.needed) > Number(result.body.meta.available));
  }
  for (const result of accepted) expectTrading(result, 'Order');

  await settled(sandbox, customer.profileId, customer.token);
  // Each fill at 1810.75 costs 18.1075 + 0.05 commission = 18.1575; 37 × 18.1575 = 671.8275.
  assert.equal(await balance(sandbox, customer, 'USD'), { available: '1.5025', trading: '0' });
  assert.equal(await balance(sandbox, customer, 'ETH'), { available: '0.37', trading: '0' });
  const executions = await call(sandbox, 'GET', `/v2/profiles/${customer.profileId}/executions?limit=500`, { token: customer.token });
  assert.is(expectTrading(executions, 'ExecutionList').items.length, 37);
});

Parallel('100 parallel SELLs and cancels keep the base balance exact', async ({ sandbox }) => {
  const customer = await onboard(sandbox);
  await deposit(sandbox, customer, 'BTC', '1.5');
  const body = { side: 'SELL', market: 'BTCUSD', type: 'LIMIT', price: '40000', base_amount: '0.02' };
  const results = await Promise.all(Array.from({ length: 100 }, () => placeOrder(sandbox, customer, body)));
  const accepted = results.filter((result) => result.status === 200);
  assert.is(accepted.length, 75);
  assert.equal(await balance(sandbox, customer, 'BTC'), { available: '0', trading: '1.5' });
  await settled(sandbox, customer.profileId, customer.token);
  const cancels = await Promise.all(accepted.map((result) =>
    call(sandbox, 'DELETE', `/v2/profiles/${customer.profileId}/orders/${result.body.id}`, { token: customer.token })));
  assert.ok(cancels.every((result) => result.status === 200));
  assert.equal(await balance(sandbox, customer, 'BTC'), { available: '1.5', trading: '0' });
});

Parallel.run();
