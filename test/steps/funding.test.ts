import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isPaxosApiError } from '../../src/paxos/errors.js';
import { addDecimals, fundProfileStep } from '../../src/steps/fund-profile.js';
import { getBalancesStep } from '../../src/steps/get-balances.js';
import { onboard, rejectionOf, startHarness, type Harness } from './_setup.js';

const test = suite<{ h: Harness; profileId: string }>('funding steps');

test.before(async (ctx) => {
  ctx.h = await startHarness();
  ctx.profileId = (await onboard(ctx.h)).profileId;
});
test.after(async (ctx) => {
  await ctx.h.close();
});

test('fundProfile deposits and waits until the available balance shows it', async ({ h, profileId }) => {
  const context = h.context();
  const funded = await fundProfileStep.run({ profile_id: profileId, asset: 'USD', amount: '10000' }, context);
  assert.type(funded.activity_id, 'string');
  assert.equal({ asset: funded.asset, amount: funded.amount, available: funded.available }, { asset: 'USD', amount: '10000', available: '10000' });
  assert.ok(context.polls.length >= 1);
  assert.equal(context.exchanges.map((exchange) => exchange.method), ['GET', 'POST', ...context.polls.map(() => 'GET')]);
});

test('fundProfile adds to an existing balance exactly', async ({ h, profileId }) => {
  const funded = await fundProfileStep.run({ profile_id: profileId, asset: 'USD', amount: '0.10' }, h.context());
  assert.is(funded.available, '10000.1');
});

test('the omnibus profile is reachable as `default` by funding and balance steps', async ({ h }) => {
  const funded = await fundProfileStep.run({ profile_id: 'default', asset: 'BTC', amount: '0.5' }, h.context());
  assert.is(funded.available, '0.5');
  const balances = await getBalancesStep.run({ profile_id: 'default', assets: ['BTC'] }, h.context());
  assert.equal(balances.by_asset.BTC, { available: '0.5', trading: '0' });
});

test('a throttled deposit (429: certainly not processed) is sent again and lands exactly once', async ({ h, profileId }) => {
  const before = (await getBalancesStep.run({ profile_id: profileId, assets: ['EUR'] }, h.context())).by_asset.EUR!.available;
  // With this seed the first deposit is throttled and the second goes through.
  h.sandbox.setFaults('429:0.5', { seed: 1, methods: ['POST'], paths: ['/v2/sandbox/'] });
  try {
    const context = h.context();
    const funded = await fundProfileStep.run({ profile_id: profileId, asset: 'EUR', amount: '25' }, context);
    assert.is(funded.available, addDecimals(before, '25'));
    assert.equal(context.exchanges.filter((exchange) => exchange.method === 'POST').map((exchange) => exchange.status), [429, 200]);
  } finally {
    h.sandbox.setFaults('');
  }
});

test('a deposit whose outcome is unknown (5xx) is not sent again', async ({ h, profileId }) => {
  h.sandbox.setFaults('commit-then-500:1', { methods: ['POST'], paths: ['/v2/sandbox/'] });
  try {
    const context = h.context();
    const error = await rejectionOf(fundProfileStep.run({ profile_id: profileId, asset: 'SGD', amount: '5' }, context));
    assert.ok(isPaxosApiError(error));
    assert.is(error.status, 500);
    assert.is(context.exchanges.filter((exchange) => exchange.method === 'POST').length, 1);
  } finally {
    h.sandbox.setFaults('');
  }
});

test('fundProfile is sandbox-only and never re-run automatically', () => {
  assert.is(fundProfileStep.sandboxOnly, true);
  assert.is(fundProfileStep.retrySafe, false);
  assert.equal(fundProfileStep.scopes, ['funding:read_profile']);
});

test('addDecimals adds decimal strings without floats', () => {
  assert.is(addDecimals('0.1', '0.2'), '0.3');
  assert.is(addDecimals('.25', '1'), '1.25');
  assert.is(addDecimals('0', '10000'), '10000');
  assert.is(addDecimals('99999999999999999999.99999999', '0.00000001'), '100000000000000000000.00000000');
});

test('getBalances returns the items and a map by asset', async ({ h, profileId }) => {
  const balances = await getBalancesStep.run({ profile_id: profileId }, h.context());
  assert.ok(balances.items.length > 2);
  assert.equal(balances.by_asset.USD, { available: '10000.1', trading: '0' });
  assert.equal(balances.by_asset.ETH, { available: '0', trading: '0' });
});

test('getBalances with assets sends them as repeated query keys', async ({ h, profileId }) => {
  const context = h.context();
  const balances = await getBalancesStep.run({ profile_id: profileId, assets: ['USD', 'ETH'] }, context);
  assert.equal(balances.items.map((item) => item.asset).sort(), ['ETH', 'USD']);
  assert.equal(Object.keys(balances.by_asset).sort(), ['ETH', 'USD']);
  assert.match(context.exchanges[0]!.path, 'assets=USD&assets=ETH');
});

test('fundProfile of an unknown profile fails with the 404 and deposits nothing', async ({ h }) => {
  const context = h.context();
  const error = await rejectionOf(
    fundProfileStep.run({ profile_id: '00000000-0000-4000-8000-000000000000', asset: 'USD', amount: '5' }, context),
  );
  assert.ok(isPaxosApiError(error));
  assert.is(error.status, 404);
  assert.not.ok(context.exchanges.some((exchange) => exchange.method === 'POST'));
});

test.run();
