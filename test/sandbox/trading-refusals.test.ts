import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { expectProblem } from './_expect.js';
import { call, getToken, startTestSandbox, type SandboxHandle } from './_helpers.js';
import { balance, deposit, expectTrading, guideBuy, onboard, placeOrder, waitForOrder } from './_trading.js';

type Context = { sandbox: SandboxHandle };

const start = async (context: Context) => {
  context.sandbox = await startTestSandbox({ approvalDelayMs: 0 });
};
const stop = async ({ sandbox }: Context) => {
  await sandbox.close();
};

const Refusals = suite<Context>('trading: refused orders');
Refusals.before(start);
Refusals.after(stop);

Refusals('403 insufficient-funds with exact, consistent meta', async ({ sandbox }) => {
  const customer = await onboard(sandbox);
  await deposit(sandbox, customer, 'USD', '100');
  const result = await placeOrder(sandbox, customer, guideBuy(customer));
  const problem = expectProblem(result, 403, `insufficient USD funds in profile ${customer.profileId}: 1819.34 needed, 100 available`);
  assert.is(problem.type, 'https://developer.paxos.com/docs/v2/problems/insufficient-funds');
  assert.is(problem.title, 'Insufficient Funds');
  assert.equal(problem.meta, { profile_id: customer.profileId, asset: 'USD', available: '100', needed: '1819.34' });
  assert.equal(await balance(sandbox, customer, 'USD'), { available: '100', trading: '0' });
});

Refusals('a SELL without holdings is insufficient funds in the base asset', async ({ sandbox }) => {
  const customer = await onboard(sandbox);
  const result = await placeOrder(sandbox, customer, { side: 'SELL', market: 'BTCUSD', type: 'MARKET', base_amount: '.25' });
  const problem = expectProblem(result, 403);
  assert.equal(problem.meta, { profile_id: customer.profileId, asset: 'BTC', available: '0', needed: '0.25' });
});

Refusals('identities that may not trade are refused', async ({ sandbox }) => {
  const customer = await onboard(sandbox);
  await deposit(sandbox, customer, 'USD', '5000');
  await deposit(sandbox, customer, 'ETH', '1');
  const disable = await call(sandbox, 'PUT', `/v2/identity/identities/${customer.identityId}/sandbox-status`, {
    token: customer.token, body: { user_disabled: { disabled: true } },
  });
  assert.is(disable.status, 200);
  const buy = await placeOrder(sandbox, customer, guideBuy(customer));
  expectProblem(buy, 403, `identity ${customer.identityId} may not place BUY orders while its summary_status is DISABLED`);
  const sell = { side: 'SELL', market: 'ETHUSD', type: 'LIMIT', price: '1900', base_amount: '1', identity_id: customer.identityId, identity_account_id: customer.accountId };
  expectTrading(await placeOrder(sandbox, customer, sell), 'Order');

  const deny = await call(sandbox, 'PUT', `/v2/identity/identities/${customer.identityId}/sandbox-status`, {
    token: customer.token, body: { user_disabled: { disabled: false }, id_verification_status: 'DENIED' },
  });
  assert.is(deny.status, 200);
  expectProblem(await placeOrder(sandbox, customer, sell), 403, /summary_status is DENIED$/);
});

Refusals('identity_id and identity_account_id must come together and match', async ({ sandbox }) => {
  const customer = await onboard(sandbox);
  const other = await onboard(sandbox, customer.token);
  await deposit(sandbox, customer, 'USD', '5000');
  const base = { side: 'BUY', market: 'ETHUSD', type: 'LIMIT', price: '1814.8', base_amount: '1' };
  expectProblem(await placeOrder(sandbox, customer, { ...base, identity_id: customer.identityId }), 400,
    'identity_id and identity_account_id must be provided together');
  expectProblem(await placeOrder(sandbox, customer, { ...base, identity_account_id: customer.accountId }), 400,
    'identity_id and identity_account_id must be provided together');
  expectProblem(await placeOrder(sandbox, customer, { ...base, identity_id: customer.identityId, identity_account_id: other.accountId }), 403,
    `identity ${customer.identityId} may not trade on behalf of account ${other.accountId}`);
  const missing = '00000000-0000-4000-8000-000000000000';
  expectProblem(await placeOrder(sandbox, customer, { ...base, identity_id: missing, identity_account_id: customer.accountId }), 400,
    `identity_id invalid: identity not found: ${missing}`);
  expectProblem(await placeOrder(sandbox, customer, { ...base, identity_id: customer.identityId, identity_account_id: missing }), 400,
    `identity_account_id invalid: account not found: ${missing}`);
});

Refusals('a repeated ref_id is 409 already-exists carrying the existing order', async ({ sandbox }) => {
  const customer = await onboard(sandbox);
  await deposit(sandbox, customer, 'USD', '5000');
  const body = { ...guideBuy(customer), ref_id: 'guide-buy-1' };
  const first = expectTrading(await placeOrder(sandbox, customer, body), 'Order');
  assert.is(first.ref_id, 'guide-buy-1');
  const filled = await waitForOrder(sandbox, customer, first.id, ['FILLED']);
  const second = await placeOrder(sandbox, customer, body);
  const problem = expectProblem(second, 409, "order already exists with ref_id 'guide-buy-1'");
  assert.is(problem.type, 'https://developer.paxos.com/docs/v2/problems/already-exists');
  assert.is(problem.title, 'Already Exists');
  assert.equal(problem.meta.existing, filled);
  // Only the first order's funds left the profile.
  assert.equal(await balance(sandbox, customer, 'USD'), { available: '3184.72', trading: '0' });
});

Refusals('bad bodies are 400 with the field and the reason', async ({ sandbox }) => {
  const customer = await onboard(sandbox);
  await deposit(sandbox, customer, 'USD', '5000');
  const limit = { side: 'BUY', market: 'ETHUSD', type: 'LIMIT', price: '1814.8', base_amount: '1' };
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ ...limit, base_amount: '-10' }, "base_amount invalid: invalid amount '-10': must be positive decimal"],
    [{ ...limit, base_amount: '0' }, "base_amount invalid: invalid amount '0': must be positive decimal"],
    [{ ...limit, base_amount: '0.123456789' }, "base_amount invalid: invalid amount '0.123456789': exceeds 8 decimal places"],
    [{ ...limit, base_amount: 1 }, 'base_amount invalid: must be a string'],
    [{ ...limit, price: '1814.83' }, 'price invalid: 1814.83 is not a multiple of the ETHUSD tick size 0.05'],
    [{ ...limit, price: undefined }, 'price is required for a LIMIT order'],
    [{ ...limit, base_amount: undefined }, 'base_amount is required for a LIMIT order'],
    [{ ...limit, quote_amount: '100' }, 'quote_amount is only allowed on a MARKET BUY order'],
    [{ side: 'BUY', market: 'ETHUSD', type: 'MARKET', base_amount: '1' }, 'quote_amount is required for a MARKET BUY order'],
    [{ side: 'BUY', market: 'ETHUSD', type: 'MARKET', quote_amount: '100.001' }, "quote_amount invalid: invalid amount '100.001': exceeds 2 decimal places"],
    [{ side: 'SELL', market: 'ETHUSD', type: 'MARKET', quote_amount: '100' }, 'base_amount is required for a MARKET SELL order'],
    [{ side: 'BUY', market: 'ETHUSD', type: 'MARKET', quote_amount: '100', price: '1800' }, 'price must not be set on a MARKET order'],
    [{ side: 'BUY', market: 'ETHUSD', type: 'MARKET', quote_amount: '100', time_in_force: 'GTC' }, 'time_in_force invalid: MARKET orders take IOC, FOK'],
    [{ ...limit, time_in_force: 'GTT' }, 'expiration_date is required with time_in_force GTT'],
    [{ ...limit, time_in_force: 'GTT', expiration_date: String(Date.now() + 1000) }, 'expiration_date invalid: must be more than 10 seconds in the future'],
    [{ ...limit, side: 'HOLD' }, 'side invalid: must be BUY or SELL'],
    [{ ...limit, market: 'DOGEUSD' }, "market invalid: unknown market 'DOGEUSD'"],
    [{ ...limit, type: 'STOP_MARKET' }, 'type invalid: STOP_MARKET orders are not supported by the emulator'],
    [{ ...limit, type: undefined }, 'type is required'],
    [{ ...limit, colour: 'blue' }, 'unknown field "colour"'],
    [{ ...limit, metadata: { a: 1 } }, "metadata invalid: value of 'a' must be a string"],
    [{ ...limit, metadata: { a: '1', b: '2', c: '3', d: '4', e: '5', f: '6', g: '7' } }, 'metadata invalid: at most 6 key/value pairs are allowed'],
  ];
  for (const [body, detail] of cases) {
    const problem = expectProblem(await placeOrder(sandbox, customer, body), 400, detail);
    assert.is(problem.type, 'about:blank');
  }
  expectProblem(await call(sandbox, 'POST', `/v2/profiles/${customer.profileId}/orders`, { token: customer.token, body: [1] }), 400);
  assert.equal(await balance(sandbox, customer, 'USD'), { available: '5000', trading: '0' });
});

Refusals('a notional above the cap is 403 notional-value-too-large', async ({ sandbox }) => {
  const customer = await onboard(sandbox);
  const result = await placeOrder(sandbox, customer, { side: 'BUY', market: 'BTCUSD', type: 'MARKET', quote_amount: '500000.01' });
  const problem = expectProblem(result, 403,
    'notional value too large for BTCUSD MARKET order: order had notional value 500000.01, but maximum allowed notional value is 500000');
  assert.equal(problem.meta, { market: 'BTCUSD', order_type: 'MARKET', order_notional_value: '500000.01', max_notional_value: '500000' });
});

Refusals('unknown profiles and orders are 404', async ({ sandbox }) => {
  const customer = await onboard(sandbox);
  const missing = '00000000-0000-4000-8000-000000000000';
  const order = await call(sandbox, 'POST', `/v2/profiles/${missing}/orders`, { token: customer.token, body: guideBuy(customer) });
  expectProblem(order, 404, `profile not found: ${missing}`);
  expectProblem(await call(sandbox, 'GET', `/v2/profiles/${customer.profileId}/orders/${missing}`, { token: customer.token }), 404, `order not found: ${missing}`);
  expectProblem(await call(sandbox, 'DELETE', `/v2/profiles/${customer.profileId}/orders/${missing}`, { token: customer.token }), 404);
});

Refusals('scopes: writing needs exchange:write_order, reading exchange:read_order', async ({ sandbox }) => {
  const customer = await onboard(sandbox);
  const readOnly = await getToken(sandbox, ['exchange:read_order', 'funding:read_profile']);
  const denied = await call(sandbox, 'POST', `/v2/profiles/${customer.profileId}/orders`, { token: readOnly, body: guideBuy(customer) });
  expectProblem(denied, 403, /^insufficient scopes: .*exchange:write_order/);
  const list = await call(sandbox, 'GET', `/v2/profiles/${customer.profileId}/orders`, { token: readOnly });
  expectTrading(list, 'OrderList');
  const writeOnly = await getToken(sandbox, ['exchange:write_order']);
  expectProblem(await call(sandbox, 'GET', `/v2/profiles/${customer.profileId}/orders`, { token: writeOnly }), 403, /exchange:read_order/);
  expectProblem(await call(sandbox, 'GET', `/v2/executions`, { token: writeOnly }), 403);
  expectProblem(await call(sandbox, 'GET', `/v2/orders`), 401);
});

Refusals('the default alias reaches the DEFAULT profile', async ({ sandbox }) => {
  const token = await getToken(sandbox);
  const funded = await call(sandbox, 'POST', '/v2/sandbox/profiles/default/deposit', { token, body: { asset: 'USD', amount: '2000' } });
  expectTrading(funded, 'DepositResponse');
  const created = expectTrading(await call(sandbox, 'POST', '/v2/profiles/default/orders', {
    token, body: { side: 'BUY', market: 'ETHUSD', type: 'LIMIT', price: '1814.8', base_amount: '1', await_fill_millis: 1000 },
  }), 'Order');
  assert.is(created.status, 'FILLED');
  const byId = await call(sandbox, 'GET', `/v2/profiles/${created.profile_id}/balances/USD`, { token });
  assert.equal(expectTrading(byId, 'ProfileBalance'), { asset: 'USD', available: '184.72', trading: '0' });
});

Refusals.run();
