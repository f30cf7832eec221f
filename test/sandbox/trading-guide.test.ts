// The onboarding guide's trading half, request by request, with the guide's own bodies.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { call, getToken, startTestSandbox, type SandboxHandle } from './_helpers.js';
import { balance, deposit, expectTrading, guideBuy, guideSell, onboard, waitForOrder, type Customer } from './_trading.js';

const GUIDE_SCOPES = [
  'identity:read_identity', 'identity:read_account', 'identity:write_identity', 'identity:write_account',
  'funding:read_profile', 'funding:write_profile', 'exchange:read_order', 'exchange:write_order',
];

const Guide = suite<{ sandbox: SandboxHandle; customer: Customer; buyId: string; sellId: string }>('trading: onboarding guide flow');

Guide.before(async (context) => {
  context.sandbox = await startTestSandbox({ approvalDelayMs: 0 });
  context.customer = await onboard(context.sandbox, await getToken(context.sandbox, GUIDE_SCOPES));
});

Guide.after(async ({ sandbox }) => {
  await sandbox.close();
});

Guide('funds the profile with 10,000 USD', async ({ sandbox, customer }) => {
  await deposit(sandbox, customer, 'USD', '10000');
  assert.equal(await balance(sandbox, customer, 'USD'), { available: '10000', trading: '0' });
  assert.equal(await balance(sandbox, customer, 'ETH'), { available: '0', trading: '0' });
});

Guide('books the BUY of 1 ETH at 1814.8, which fills at the best ask', async (context) => {
  const { sandbox, customer } = context;
  const created = await call(sandbox, 'POST', `/v2/profiles/${customer.profileId}/orders`, { token: customer.token, body: guideBuy(customer) });
  const order = expectTrading(created, 'Order');
  assert.is(order.status, 'SUBMITTED');
  assert.is(order.profile_id, customer.profileId);
  assert.is(order.side, 'BUY');
  assert.is(order.market, 'ETHUSD');
  assert.is(order.type, 'LIMIT');
  assert.is(order.price, '1814.8');
  assert.is(order.base_amount, '1');
  assert.is(order.quote_amount, '0');
  assert.is(order.time_in_force, 'GTC');
  assert.is(order.amount_filled, '0.00000000');
  assert.is(order.volume_weighted_average_price, '0.00000000');
  assert.is(order.identity_id, customer.identityId);
  assert.is(order.identity_account_id, customer.accountId);
  assert.equal(order.metadata, {});
  context.buyId = order.id;

  const filled = await waitForOrder(sandbox, customer, order.id, ['FILLED', 'CANCELLED', 'REJECTED']);
  assert.is(filled.status, 'FILLED');
  assert.is(filled.amount_filled, '1.00000000');
  assert.is(filled.volume_weighted_average_price, '1810.75000000');
  assert.is(filled.created_at, order.created_at);
  assert.ok(filled.modified_at > order.created_at);

  // 10000 - 1810.75 - 4.53 commission (0.25% of 1810.75 = 4.526875, rounded half-up).
  assert.equal(await balance(sandbox, customer, 'USD'), { available: '8184.72', trading: '0' });
  assert.equal(await balance(sandbox, customer, 'ETH'), { available: '1', trading: '0' });
});

Guide('checks the order status the way the guide does', async ({ sandbox, customer, buyId }) => {
  const result = await call(sandbox, 'GET', `/v2/profiles/${customer.profileId}/orders/${buyId}`, { token: customer.token });
  const order = expectTrading(result, 'Order');
  assert.is(order.id, buyId);
  assert.is(order.status, 'FILLED');
});

Guide('books the SELL of 1 ETH at 1804.2, which fills at the best bid', async (context) => {
  const { sandbox, customer } = context;
  const created = await call(sandbox, 'POST', `/v2/profiles/${customer.profileId}/orders`, { token: customer.token, body: guideSell(customer) });
  const order = expectTrading(created, 'Order');
  assert.is(order.status, 'SUBMITTED');
  assert.is(order.price, '1804.2');
  context.sellId = order.id;
  const filled = await waitForOrder(sandbox, customer, order.id, ['FILLED', 'CANCELLED', 'REJECTED']);
  assert.is(filled.status, 'FILLED');
  assert.is(filled.volume_weighted_average_price, '1810.25000000');

  // 8184.72 + 1810.25 - 4.53 commission.
  assert.equal(await balance(sandbox, customer, 'USD'), { available: '9990.44', trading: '0' });
  assert.equal(await balance(sandbox, customer, 'ETH'), { available: '0', trading: '0' });
});

Guide('records one execution per order with its commission', async ({ sandbox, customer, buyId, sellId }) => {
  const result = await call(sandbox, 'GET', `/v2/profiles/${customer.profileId}/executions`, { token: customer.token });
  const { items } = expectTrading(result, 'ExecutionList');
  assert.is(items.length, 2);
  const [sell, buy] = items;
  assert.equal(
    { order_id: buy.order_id, side: buy.side, amount: buy.amount, price: buy.price, commission: buy.commission, gross: buy.gross_trade_amount },
    { order_id: buyId, side: 'BUY', amount: '1.00000000', price: '1810.75', commission: '4.53', gross: '1810.75' },
  );
  assert.equal(
    { order_id: sell.order_id, side: sell.side, price: sell.price, commission: sell.commission, asset: sell.commission_asset },
    { order_id: sellId, side: 'SELL', price: '1810.25', commission: '4.53', asset: 'USD' },
  );
  assert.is(buy.account_id, customer.accountId);
  assert.ok(BigInt(sell.execution_id) > BigInt(buy.execution_id));
});

Guide('lists every balance of the profile, zeros as "0"', async ({ sandbox, customer }) => {
  const result = await call(sandbox, 'GET', `/v2/profiles/${customer.profileId}/balances`, { token: customer.token });
  const { items } = expectTrading(result, 'BalanceList');
  assert.equal(items.map((item: { asset: string }) => item.asset), [
    'USD', 'EUR', 'SGD', 'BTC', 'ETH', 'PAXG', 'BCH', 'LTC', 'SOL', 'LINK', 'AAVE', 'UNI', 'MATIC', 'USDP',
  ]);
  assert.equal(items[0], { asset: 'USD', available: '9990.44', trading: '0' });
  assert.equal(items[4], { asset: 'ETH', available: '0', trading: '0' });
});

Guide.run();
