import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isPaxosApiError } from '../../src/paxos/errors.js';
import { deriveRefId } from '../../src/paxos/ref-id.js';
import { awaitOrderStep } from '../../src/steps/await-order.js';
import { cancelOrderStep } from '../../src/steps/cancel-order.js';
import { fundProfileStep } from '../../src/steps/fund-profile.js';
import { getBalancesStep } from '../../src/steps/get-balances.js';
import { getOrderStep } from '../../src/steps/get-order.js';
import { placeOrderStep } from '../../src/steps/place-order.js';
import { compareDecimals } from '../../src/util/decimal.js';
import { onboard, rejectionOf, startHarness, type Harness } from './_setup.js';

interface Ctx {
  h: Harness;
  identityId: string;
  accountId: string;
  profileId: string;
}

const test = suite<Ctx>('order steps');

test.before(async (ctx) => {
  ctx.h = await startHarness();
  Object.assign(ctx, await onboard(ctx.h));
  await fundProfileStep.run({ profile_id: ctx.profileId, asset: 'USD', amount: '100000' }, ctx.h.context());
});
test.after(async (ctx) => {
  await ctx.h.close();
});

/** A resting bid well below the ETHUSD book, which stays OPEN. */
const restingBid = (ctx: Ctx) => ({
  profile_id: ctx.profileId,
  side: 'BUY' as const,
  market: 'ETHUSD',
  type: 'LIMIT',
  price: '1700',
  base_amount: '0.5',
  identity_id: ctx.identityId,
  identity_account_id: ctx.accountId,
});

test('a market buy by quote_amount fills; awaitOrder returns the FILLED order', async (ctx) => {
  const context = ctx.h.context({ runId: 'run-orders', stepId: 'buy' });
  const order = await placeOrderStep.run(
    {
      profile_id: ctx.profileId,
      side: 'BUY',
      market: 'ETHUSD',
      type: 'MARKET',
      quote_amount: '1000.00',
      identity_id: ctx.identityId,
      identity_account_id: ctx.accountId,
    },
    context,
  );
  assert.is(order.ref_id, deriveRefId('run-orders', 'buy'));
  assert.equal([order.type, order.side], ['MARKET', 'BUY']);
  assert.is(compareDecimals(order.quote_amount as string, '1000'), 0);
  const polled = ctx.h.context();
  const filled = await awaitOrderStep.run({ profile_id: ctx.profileId, order_id: order.id, interval: '10ms' }, polled);
  assert.is(filled.status, 'FILLED');
  assert.is(filled.id, order.id);
  assert.is(polled.polls.at(-1)?.status, 'FILLED');
  const balances = await getBalancesStep.run({ profile_id: ctx.profileId, assets: ['ETH'] }, ctx.h.context());
  assert.is(balances.by_asset.ETH?.available, filled.amount_filled);
});

test('the guide\'s limit buy at 1814.8 crosses the book and fills', async (ctx) => {
  const order = await placeOrderStep.run({ ...restingBid(ctx), price: '1814.8', base_amount: '1' }, ctx.h.context());
  const filled = await awaitOrderStep.run({ profile_id: ctx.profileId, order_id: order.id, interval: '10ms' }, ctx.h.context());
  assert.is(filled.status, 'FILLED');
});

test('placeOrder twice with the same ref_id adopts the first order', async (ctx) => {
  const input = { ...restingBid(ctx), ref_id: 'qa-order-1' };
  const first = await placeOrderStep.run(input, ctx.h.context());
  const context = ctx.h.context();
  const second = await placeOrderStep.run(input, context);
  assert.is(second.id, first.id);
  assert.is([...ctx.h.sandbox.state.trading.orders.values()].filter((order) => order.refId === 'qa-order-1').length, 1);
  assert.is(context.exchanges[0]?.status, 409);
});

test('placeOrder refuses to adopt a different order under the same ref_id', async (ctx) => {
  await placeOrderStep.run({ ...restingBid(ctx), ref_id: 'qa-order-2' }, ctx.h.context());
  const error = await rejectionOf(
    placeOrderStep.run({ ...restingBid(ctx), market: 'BTCUSD', price: '20000', ref_id: 'qa-order-2' }, ctx.h.context()),
  );
  assert.is(error.code, 'REF_ID_CONFLICT');
});

test('awaitOrder fails at once with ORDER_CANCELLED when the order is cancelled while it waits for FILLED', async (ctx) => {
  const order = await placeOrderStep.run(restingBid(ctx), ctx.h.context());
  const context = ctx.h.context({ timeoutMs: 60_000 });
  const waiting = rejectionOf(awaitOrderStep.run({ profile_id: ctx.profileId, order_id: order.id, interval: '10ms' }, context));
  await cancelOrderStep.run({ profile_id: ctx.profileId, order_id: order.id, wait: false }, ctx.h.context());
  const error = await waiting;
  assert.is(error.code, 'ORDER_CANCELLED');
  assert.match(error.message, 'CANCELLED');
  assert.is(context.polls.at(-1)?.status, 'CANCELLED');
});

test('awaitOrder with until: OPEN passes on a resting order; getOrder reads it', async (ctx) => {
  const order = await placeOrderStep.run(restingBid(ctx), ctx.h.context());
  const open = await awaitOrderStep.run({ profile_id: ctx.profileId, order_id: order.id, until: 'OPEN', interval: '10ms' }, ctx.h.context());
  assert.is(open.status, 'OPEN');
  const read = await getOrderStep.run({ profile_id: ctx.profileId, order_id: order.id }, ctx.h.context());
  assert.equal([read.id, read.status, read.price, read.market], [order.id, 'OPEN', order.price, 'ETHUSD']);
});

test('awaitOrder times out with the last status it saw', async (ctx) => {
  const order = await placeOrderStep.run(restingBid(ctx), ctx.h.context());
  const error = await rejectionOf(
    awaitOrderStep.run({ profile_id: ctx.profileId, order_id: order.id, interval: '20ms' }, ctx.h.context({ timeoutMs: 400 })),
  );
  assert.is(error.code, 'ORDER_TIMEOUT');
  assert.match(error.message, 'OPEN');
});

test('cancelOrder waits until the order is CANCELLED and frees the funds', async (ctx) => {
  const before = await getBalancesStep.run({ profile_id: ctx.profileId, assets: ['USD'] }, ctx.h.context());
  const order = await placeOrderStep.run(restingBid(ctx), ctx.h.context());
  const context = ctx.h.context();
  const cancelled = await cancelOrderStep.run({ profile_id: ctx.profileId, order_id: order.id, interval: '10ms' }, context);
  assert.is(cancelled.status, 'CANCELLED');
  assert.is(context.exchanges[0]?.method, 'DELETE');
  assert.ok(context.polls.length >= 1);
  const after = await getBalancesStep.run({ profile_id: ctx.profileId, assets: ['USD'] }, ctx.h.context());
  assert.equal(after.by_asset.USD, before.by_asset.USD);
});

test('cancelOrder of a filled order is refused by the API (403)', async (ctx) => {
  const order = await placeOrderStep.run(
    { profile_id: ctx.profileId, side: 'BUY', market: 'ETHUSD', type: 'MARKET', quote_amount: '10' },
    ctx.h.context(),
  );
  await awaitOrderStep.run({ profile_id: ctx.profileId, order_id: order.id, interval: '10ms' }, ctx.h.context());
  const error = await rejectionOf(cancelOrderStep.run({ profile_id: ctx.profileId, order_id: order.id }, ctx.h.context()));
  assert.ok(isPaxosApiError(error));
  assert.is(error.status, 403);
});

test('placeOrder beyond the balance fails with 403 insufficient-funds', async (ctx) => {
  const error = await rejectionOf(
    placeOrderStep.run({ ...restingBid(ctx), price: '1700', base_amount: '500' }, ctx.h.context()),
  );
  assert.ok(isPaxosApiError(error));
  assert.is(error.status, 403);
  assert.is(error.slug, 'insufficient-funds');
  assert.match(error.type, /insufficient-funds$/);
  assert.is(error.meta?.asset, 'USD');
});

test('placeOrder without exchange:write_order gets a 403 from the API', async (ctx) => {
  const context = ctx.h.context({ paxos: ctx.h.clientWith(['exchange:read_order']) });
  const error = await rejectionOf(placeOrderStep.run(restingBid(ctx), context));
  assert.ok(isPaxosApiError(error));
  assert.is(error.status, 403);
  assert.match(error.message, 'exchange:write_order');
});

test.run();
