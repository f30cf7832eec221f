import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { expectProblem } from './_expect.js';
import { call, startTestSandbox, type SandboxHandle } from './_helpers.js';
import {
  balance, deposit, expectTrading, guideBuy, onboard, placeAndSettle, placeOrder, waitForOrder,
} from './_trading.js';

type Context = { sandbox: SandboxHandle };

const start = async (context: Context) => {
  context.sandbox = await startTestSandbox({ approvalDelayMs: 0 });
};
const stop = async ({ sandbox }: Context) => {
  await sandbox.close();
};

// ---------------------------------------------------------------------------------------------------
const Market = suite<Context>('trading: market orders');
Market.before(start);
Market.after(stop);

Market('buys by quote_amount and sells by base_amount, settling to the last digit', async ({ sandbox }) => {
  const customer = await onboard(sandbox);
  await deposit(sandbox, customer, 'USD', '1000');

  const buy = await placeAndSettle(sandbox, customer, { side: 'BUY', market: 'ETHUSD', type: 'MARKET', quote_amount: '500' });
  assert.is(buy.type, 'MARKET');
  assert.is(buy.time_in_force, 'IOC');
  assert.is(buy.quote_amount, '500');
  assert.is(buy.price, '0');
  assert.is(buy.base_amount, '0');
  assert.is(buy.amount_filled, '0.27612867');
  assert.is(buy.volume_weighted_average_price, '1810.75000000');
  // 1000 - 0.27612867 × 1810.75 (= 499.9999892025) - 1.25 commission.
  assert.equal(await balance(sandbox, customer, 'USD'), { available: '498.7500107975', trading: '0' });
  assert.equal(await balance(sandbox, customer, 'ETH'), { available: '0.27612867', trading: '0' });

  const sell = await placeAndSettle(sandbox, customer, { side: 'SELL', market: 'ETHUSD', type: 'MARKET', base_amount: '0.27612867' });
  assert.is(sell.amount_filled, '0.27612867');
  assert.is(sell.volume_weighted_average_price, '1810.25000000');
  // + 0.27612867 × 1810.25 (= 499.8619248675) - 1.25 commission.
  assert.equal(await balance(sandbox, customer, 'USD'), { available: '997.361935665', trading: '0' });
  assert.equal(await balance(sandbox, customer, 'ETH'), { available: '0', trading: '0' });
});

Market('answers with the processed order when await_fill_millis is set', async ({ sandbox }) => {
  const customer = await onboard(sandbox);
  await deposit(sandbox, customer, 'BTC', '1');
  const result = await placeOrder(sandbox, customer, { side: 'SELL', market: 'BTCUSD', type: 'MARKET', base_amount: '0.1', await_fill_millis: 2000 });
  const order = expectTrading(result, 'Order');
  assert.is(order.status, 'FILLED');
  assert.is(order.amount_filled, '0.10000000');
});

Market('walks the book for a large order and reports the weighted average', async ({ sandbox }) => {
  const customer = await onboard(sandbox);
  await deposit(sandbox, customer, 'USD', '20000');
  const order = await placeAndSettle(sandbox, customer, { side: 'BUY', market: 'ETHUSD', type: 'LIMIT', price: '1811.15', base_amount: '10' });
  // 2.5 @ 1810.75 + 5 @ 1810.95 + 2.5 @ 1811.15 = 18109.5; commission 45.27375 → 45.27.
  assert.is(order.volume_weighted_average_price, '1810.95000000');
  assert.equal(await balance(sandbox, customer, 'USD'), { available: '1845.23', trading: '0' });
  const executions = await call(sandbox, 'GET', `/v2/profiles/${customer.profileId}/executions?order_id=${order.id}`, { token: customer.token });
  const { items } = expectTrading(executions, 'ExecutionList');
  // Each execution carries the increase of the order's rounded running commission, so they sum to 45.27.
  assert.equal(items.map((item: any) => [item.price, item.amount, item.commission]).reverse(), [
    ['1810.75', '2.50000000', '11.32'], ['1810.95', '5.00000000', '22.63'], ['1811.15', '2.50000000', '11.32'],
  ]);
});

Market('sends the proceeds to recipient_profile_id when given', async ({ sandbox }) => {
  const payer = await onboard(sandbox);
  const receiver = await onboard(sandbox, payer.token);
  await deposit(sandbox, payer, 'USD', '2000');
  await placeAndSettle(sandbox, payer, { ...guideBuy(payer), recipient_profile_id: receiver.profileId });
  assert.equal(await balance(sandbox, payer, 'USD'), { available: '184.72', trading: '0' });
  assert.equal(await balance(sandbox, payer, 'ETH'), { available: '0', trading: '0' });
  assert.equal(await balance(sandbox, receiver, 'ETH'), { available: '1', trading: '0' });
  const missing = '00000000-0000-4000-8000-000000000000';
  expectProblem(await placeOrder(sandbox, payer, { ...guideBuy(payer), recipient_profile_id: missing }), 400,
    `recipient_profile_id invalid: profile not found: ${missing}`);
});

Market.run();

// ---------------------------------------------------------------------------------------------------
const Resting = suite<Context>('trading: resting limits and cancels');
Resting.before(start);
Resting.after(stop);

Resting('rests a non-marketable limit OPEN, then cancel releases the reserve', async ({ sandbox }) => {
  const customer = await onboard(sandbox);
  await deposit(sandbox, customer, 'USD', '5000');
  const open = await placeAndSettle(sandbox, customer, { side: 'BUY', market: 'ETHUSD', type: 'LIMIT', price: '1800', base_amount: '1' }, ['OPEN']);
  assert.is(open.amount_filled, '0.00000000');
  // 1800 + 4.50 commission held back.
  assert.equal(await balance(sandbox, customer, 'USD'), { available: '3195.5', trading: '1804.5' });

  const cancel = await call(sandbox, 'DELETE', `/v2/profiles/${customer.profileId}/orders/${open.id}`, { token: customer.token });
  expectTrading(cancel, 'EmptyObject');
  const cancelled = await waitForOrder(sandbox, customer, open.id, ['CANCELLED']);
  assert.is(cancelled.status, 'CANCELLED');
  assert.equal(await balance(sandbox, customer, 'USD'), { available: '5000', trading: '0' });

  const again = await call(sandbox, 'DELETE', `/v2/profiles/${customer.profileId}/orders/${open.id}`, { token: customer.token });
  expectProblem(again, 403, 'order is not in cancellable state');
});

Resting('refuses to cancel a filled order', async ({ sandbox }) => {
  const customer = await onboard(sandbox);
  await deposit(sandbox, customer, 'USD', '2000');
  const filled = await placeAndSettle(sandbox, customer, guideBuy(customer));
  const result = await call(sandbox, 'DELETE', `/v2/profiles/${customer.profileId}/orders/${filled.id}`, { token: customer.token });
  const problem = expectProblem(result, 403, 'order is not in cancellable state');
  assert.is(problem.type, 'about:blank');
  assert.is(problem.title, 'Forbidden');
});

Resting('part-fills a limit up to its price and rests the remainder', async ({ sandbox }) => {
  const customer = await onboard(sandbox);
  await deposit(sandbox, customer, 'USD', '20000');
  const order = await placeAndSettle(sandbox, customer, { side: 'BUY', market: 'ETHUSD', type: 'LIMIT', price: '1810.95', base_amount: '10' }, ['OPEN']);
  assert.is(order.amount_filled, '7.50000000');
  // Reserved 18109.5 + 45.27; spent 13581.625 + 33.95 commission; 4539.195 still held.
  assert.equal(await balance(sandbox, customer, 'USD'), { available: '1845.23', trading: '4539.195' });
  assert.equal(await balance(sandbox, customer, 'ETH'), { available: '7.5', trading: '0' });
  await call(sandbox, 'DELETE', `/v2/profiles/${customer.profileId}/orders/${order.id}`, { token: customer.token });
  const cancelled = await waitForOrder(sandbox, customer, order.id, ['CANCELLED']);
  assert.is(cancelled.amount_filled, '7.50000000');
  assert.equal(await balance(sandbox, customer, 'USD'), { available: '6384.425', trading: '0' });
});

Resting('cancels the unfilled part of IOC and FOK orders', async ({ sandbox }) => {
  const customer = await onboard(sandbox);
  await deposit(sandbox, customer, 'ETH', '5');
  const ioc = await placeAndSettle(sandbox, customer,
    { side: 'SELL', market: 'ETHUSD', type: 'LIMIT', price: '1900', base_amount: '1', time_in_force: 'IOC' }, ['CANCELLED', 'FILLED']);
  assert.is(ioc.status, 'CANCELLED');
  const fok = await placeAndSettle(sandbox, customer,
    { side: 'SELL', market: 'ETHUSD', type: 'LIMIT', price: '1810.25', base_amount: '3', time_in_force: 'FOK' }, ['CANCELLED', 'FILLED']);
  assert.is(fok.status, 'CANCELLED');
  assert.is(fok.amount_filled, '0.00000000');
  assert.equal(await balance(sandbox, customer, 'ETH'), { available: '5', trading: '0' });
});

Resting('rejects a post-only order that would cross and rests one that would not', async ({ sandbox }) => {
  const customer = await onboard(sandbox);
  await deposit(sandbox, customer, 'USD', '5000');
  const crossing = await placeAndSettle(sandbox, customer,
    { side: 'BUY', market: 'ETHUSD', type: 'POST_ONLY_LIMIT', price: '1811', base_amount: '1' }, ['REJECTED', 'OPEN']);
  assert.is(crossing.status, 'REJECTED');
  const resting = await placeAndSettle(sandbox, customer,
    { side: 'BUY', market: 'ETHUSD', type: 'POST_ONLY_LIMIT', price: '1810', base_amount: '1' }, ['REJECTED', 'OPEN']);
  assert.is(resting.status, 'OPEN');
  assert.equal(await balance(sandbox, customer, 'USD'), { available: '3185.47', trading: '1814.53' });
});

Resting('a GTT order is cancelled once its expiration passes', async ({ sandbox }) => {
  const customer = await onboard(sandbox);
  await deposit(sandbox, customer, 'USD', '2000');
  const expiresAt = sandbox.state.now().getTime() + 60_000;
  const body = { side: 'BUY', market: 'ETHUSD', type: 'LIMIT', price: '1800', base_amount: '1', time_in_force: 'GTT', expiration_date: String(expiresAt) };
  const open = await placeAndSettle(sandbox, customer, body, ['OPEN']);
  assert.is(open.expiration_date, new Date(expiresAt).toISOString());
  assert.equal(await balance(sandbox, customer, 'USD'), { available: '195.5', trading: '1804.5' });
  const realNow = sandbox.state.now;
  sandbox.state.now = () => new Date(expiresAt + 1);
  try {
    const expired = await waitForOrder(sandbox, customer, open.id, ['CANCELLED']);
    assert.is(expired.status, 'CANCELLED');
    assert.equal(await balance(sandbox, customer, 'USD'), { available: '2000', trading: '0' });
  } finally {
    sandbox.state.now = realNow;
  }
});

Resting.run();
