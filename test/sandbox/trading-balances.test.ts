import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { expectProblem } from './_expect.js';
import { call, getToken, startTestSandbox, type SandboxHandle } from './_helpers.js';
import { deposit, expectTrading, onboard, type Customer } from './_trading.js';

type Context = { sandbox: SandboxHandle; customer: Customer };

const Balances = suite<Context>('trading: balances and sandbox deposits');

Balances.before(async (context) => {
  context.sandbox = await startTestSandbox({ approvalDelayMs: 0 });
  context.customer = await onboard(context.sandbox);
});

Balances.after(async ({ sandbox }) => {
  await sandbox.close();
});

Balances('a deposit credits available at once and answers with an activity id', async ({ sandbox, customer }) => {
  const result = await call(sandbox, 'POST', `/v2/sandbox/profiles/${customer.profileId}/deposit`, {
    token: customer.token, body: { asset: 'USD', amount: '100' },
  });
  const body = expectTrading(result, 'DepositResponse');
  assert.type(body.activity_id, 'string');
  await deposit(sandbox, customer, 'USD', '.25');
  await deposit(sandbox, customer, 'BTC', '0.00000001');
  const crypto = await call(sandbox, 'POST', `/v2/sandbox/profiles/${customer.profileId}/deposit`, {
    token: customer.token, body: { asset: 'ETH', amount: '1.5', crypto_network: 'ETHEREUM', crypto_address: '0xabc' },
  });
  expectTrading(crypto, 'DepositResponse');
  const usd = await call(sandbox, 'GET', `/v2/profiles/${customer.profileId}/balances/USD`, { token: customer.token });
  assert.equal(expectTrading(usd, 'ProfileBalance'), { asset: 'USD', available: '100.25', trading: '0' });
});

Balances('filters balances by assets, repeated or comma-separated', async ({ sandbox, customer }) => {
  const path = `/v2/profiles/${customer.profileId}/balances`;
  const repeated = expectTrading(await call(sandbox, 'GET', `${path}?assets=BTC&assets=USD`, { token: customer.token }), 'BalanceList');
  assert.equal(repeated.items, [
    { asset: 'USD', available: '100.25', trading: '0' },
    { asset: 'BTC', available: '0.00000001', trading: '0' },
  ]);
  const comma = expectTrading(await call(sandbox, 'GET', `${path}?assets=ETH,SOL`, { token: customer.token }), 'BalanceList');
  assert.equal(comma.items, [
    { asset: 'ETH', available: '1.5', trading: '0' },
    { asset: 'SOL', available: '0', trading: '0' },
  ]);
  const all = expectTrading(await call(sandbox, 'GET', path, { token: customer.token }), 'BalanceList');
  assert.is(all.items.length, 14);
  expectProblem(await call(sandbox, 'GET', `${path}?assets=DOGE`, { token: customer.token }), 400, "assets invalid: unsupported asset 'DOGE'");
});

Balances('an unknown asset or profile is 404', async ({ sandbox, customer }) => {
  expectProblem(await call(sandbox, 'GET', `/v2/profiles/${customer.profileId}/balances/DOGE`, { token: customer.token }), 404, 'asset not found: DOGE');
  const missing = '00000000-0000-4000-8000-000000000000';
  expectProblem(await call(sandbox, 'GET', `/v2/profiles/${missing}/balances`, { token: customer.token }), 404, `profile not found: ${missing}`);
  const deposit = await call(sandbox, 'POST', `/v2/sandbox/profiles/${missing}/deposit`, { token: customer.token, body: { asset: 'USD', amount: '1' } });
  expectProblem(deposit, 404, `profile not found: ${missing}`);
});

Balances('deposit bodies are validated', async ({ sandbox, customer }) => {
  const path = `/v2/sandbox/profiles/${customer.profileId}/deposit`;
  const cases: Array<[unknown, string]> = [
    [{ asset: 'USD', amount: '-5' }, "amount invalid: invalid amount '-5': must be positive decimal"],
    [{ asset: 'USD', amount: '0' }, "amount invalid: invalid amount '0': must be positive decimal"],
    [{ asset: 'USD', amount: '1e3' }, "amount invalid: invalid amount '1e3': must be positive decimal"],
    [{ asset: 'USD', amount: '1.001' }, "amount invalid: invalid amount '1.001': exceeds 2 decimal places"],
    [{ asset: 'USD', amount: 100 }, 'amount invalid: must be a string'],
    [{ asset: 'USD' }, 'amount is required'],
    [{ amount: '1' }, 'asset is required'],
    [{ asset: 'DOGE', amount: '1' }, "asset invalid: unsupported asset 'DOGE'"],
    [{ asset: 'USD', amount: '1', crypto_network: 'ETHEREUM' }, 'crypto_network must not be set for the fiat asset USD'],
    [{ asset: 'BTC', amount: '1', crypto_network: 'DOGECOIN' }, "crypto_network invalid: unknown network 'DOGECOIN'"],
    [{ asset: 'USD', amount: '1', memo: 'x' }, 'unknown field "memo"'],
  ];
  for (const [body, detail] of cases) {
    expectProblem(await call(sandbox, 'POST', path, { token: customer.token, body }), 400, detail);
  }
  const usd = await call(sandbox, 'GET', `/v2/profiles/${customer.profileId}/balances/USD`, { token: customer.token });
  assert.is(usd.body.available, '100.25');
});

Balances('balances and deposits need funding:read_profile', async ({ sandbox, customer }) => {
  const token = await getToken(sandbox, ['exchange:read_order']);
  expectProblem(await call(sandbox, 'GET', `/v2/profiles/${customer.profileId}/balances`, { token }), 403, /funding:read_profile/);
  const deposit = await call(sandbox, 'POST', `/v2/sandbox/profiles/${customer.profileId}/deposit`, { token, body: { asset: 'USD', amount: '1' } });
  expectProblem(deposit, 403, /funding:read_profile/);
  expectProblem(await call(sandbox, 'GET', `/v2/profiles/${customer.profileId}/balances`), 401);
});

Balances.run();
