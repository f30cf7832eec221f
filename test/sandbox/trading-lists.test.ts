import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { expectProblem } from './_expect.js';
import { call, startTestSandbox, type SandboxHandle } from './_helpers.js';
import { deposit, expectTrading, onboard, placeAndSettle, type Customer } from './_trading.js';

type Context = { sandbox: SandboxHandle; alice: Customer; bob: Customer; ids: Record<string, string> };

const Lists = suite<Context>('trading: order and execution listings');

// Alice: r1 FILLED ETHUSD, r2 OPEN ETHUSD, r3 FILLED BTCUSD, r4 CANCELLED ETHUSD. Bob: b1 FILLED ETHUSD.
Lists.before(async (context) => {
  context.sandbox = await startTestSandbox({ approvalDelayMs: 0 });
  const { sandbox } = context;
  context.alice = await onboard(sandbox);
  context.bob = await onboard(sandbox, context.alice.token);
  await deposit(sandbox, context.alice, 'USD', '50000');
  await deposit(sandbox, context.bob, 'USD', '5000');
  const limit = (price: string, ref: string, market = 'ETHUSD') => ({ side: 'BUY', market, type: 'LIMIT', price, base_amount: '1', ref_id: ref });
  const ids: Record<string, string> = {};
  ids.r1 = (await placeAndSettle(sandbox, context.alice, limit('1814.8', 'r1'))).id;
  ids.r2 = (await placeAndSettle(sandbox, context.alice, limit('1700', 'r2'), ['OPEN'])).id;
  ids.r3 = (await placeAndSettle(sandbox, context.alice, { ...limit('27500', 'r3', 'BTCUSD'), base_amount: '0.5' })).id;
  ids.r4 = (await placeAndSettle(sandbox, context.alice, limit('1700', 'r4'), ['OPEN'])).id;
  await call(sandbox, 'DELETE', `/v2/profiles/${context.alice.profileId}/orders/${ids.r4}`, { token: context.alice.token });
  ids.b1 = (await placeAndSettle(sandbox, context.bob, { ...limit('1814.8', 'b1'), identity_id: context.bob.identityId, identity_account_id: context.bob.accountId })).id;
  context.ids = ids;
});

Lists.after(async ({ sandbox }) => {
  await sandbox.close();
});

const refsOf = (body: { items: Array<{ ref_id: string }> }) => body.items.map((item) => item.ref_id);

Lists('lists a profile\'s orders newest first', async ({ sandbox, alice }) => {
  const body = expectTrading(await call(sandbox, 'GET', `/v2/profiles/${alice.profileId}/orders`, { token: alice.token }), 'OrderList');
  assert.equal(refsOf(body), ['r4', 'r3', 'r2', 'r1']);
  assert.is(body.next_page_cursor, undefined);
});

Lists('filters by ref_ids, repeated or comma-separated', async ({ sandbox, alice }) => {
  const path = `/v2/profiles/${alice.profileId}/orders`;
  const repeated = expectTrading(await call(sandbox, 'GET', `${path}?ref_ids=r1&ref_ids=r3`, { token: alice.token }), 'OrderList');
  assert.equal(refsOf(repeated), ['r3', 'r1']);
  const comma = expectTrading(await call(sandbox, 'GET', `${path}?ref_ids=r1,r2`, { token: alice.token }), 'OrderList');
  assert.equal(refsOf(comma), ['r2', 'r1']);
  const other = expectTrading(await call(sandbox, 'GET', `${path}?ref_ids=b1`, { token: alice.token }), 'OrderList');
  assert.equal(other.items, []);
});

Lists('filters by status and market', async ({ sandbox, alice }) => {
  const path = `/v2/profiles/${alice.profileId}/orders`;
  const filled = expectTrading(await call(sandbox, 'GET', `${path}?status=FILLED`, { token: alice.token }), 'OrderList');
  assert.equal(refsOf(filled), ['r3', 'r1']);
  const open = expectTrading(await call(sandbox, 'GET', `${path}?status=OPEN&market=ETHUSD`, { token: alice.token }), 'OrderList');
  assert.equal(refsOf(open), ['r2']);
  const btc = expectTrading(await call(sandbox, 'GET', `${path}?market=BTCUSD`, { token: alice.token }), 'OrderList');
  assert.equal(refsOf(btc), ['r3']);
  expectProblem(await call(sandbox, 'GET', `${path}?status=DONE`, { token: alice.token }), 400, /^status invalid/);
  expectProblem(await call(sandbox, 'GET', `${path}?market=XYZ`, { token: alice.token }), 400, /^market invalid/);
});

Lists('filters by order_time.begin and order_time.end', async ({ sandbox, alice }) => {
  const path = `/v2/profiles/${alice.profileId}/orders`;
  const all = expectTrading(await call(sandbox, 'GET', path, { token: alice.token }), 'OrderList').items;
  const r2 = all.find((order: any) => order.ref_id === 'r2');
  const r3 = all.find((order: any) => order.ref_id === 'r3');
  const query = `order_time.begin=${encodeURIComponent(r2.created_at)}&order_time.end=${encodeURIComponent(r3.created_at)}`;
  const between = expectTrading(await call(sandbox, 'GET', `${path}?${query}`, { token: alice.token }), 'OrderList');
  assert.equal(refsOf(between), ['r3', 'r2']);
  expectProblem(await call(sandbox, 'GET', `${path}?order_time.begin=yesterday`, { token: alice.token }), 400);
});

Lists('pages with limit and page_cursor without repeats', async ({ sandbox, alice }) => {
  const path = `/v2/profiles/${alice.profileId}/orders`;
  const first = expectTrading(await call(sandbox, 'GET', `${path}?limit=3`, { token: alice.token }), 'OrderList');
  assert.equal(refsOf(first), ['r4', 'r3', 'r2']);
  assert.type(first.next_page_cursor, 'string');
  const second = expectTrading(await call(sandbox, 'GET', `${path}?limit=3&page_cursor=${first.next_page_cursor}`, { token: alice.token }), 'OrderList');
  assert.equal(refsOf(second), ['r1']);
  assert.is(second.next_page_cursor, undefined);
  expectProblem(await call(sandbox, 'GET', `${path}?limit=0`, { token: alice.token }), 400);
  expectProblem(await call(sandbox, 'GET', `${path}?page_cursor=nonsense`, { token: alice.token }), 400);
});

Lists('GET /v2/orders spans profiles and filters by profile_id and account_id', async ({ sandbox, alice, bob }) => {
  const all = expectTrading(await call(sandbox, 'GET', '/v2/orders', { token: alice.token }), 'OrderList');
  assert.equal(refsOf(all), ['b1', 'r4', 'r3', 'r2', 'r1']);
  const bobs = expectTrading(await call(sandbox, 'GET', `/v2/orders?profile_id=${bob.profileId}`, { token: alice.token }), 'OrderList');
  assert.equal(refsOf(bobs), ['b1']);
  const byAccount = expectTrading(await call(sandbox, 'GET', `/v2/orders?account_id=${alice.accountId}&ref_ids=r1,b1`, { token: alice.token }), 'OrderList');
  assert.equal(refsOf(byAccount), ['r1']);
});

Lists('lists executions per profile, per order and account-wide', async ({ sandbox, alice, bob, ids }) => {
  const mine = expectTrading(await call(sandbox, 'GET', `/v2/profiles/${alice.profileId}/executions`, { token: alice.token }), 'ExecutionList');
  assert.equal(mine.items.map((item: any) => item.order_id), [ids.r3, ids.r1]);
  const one = expectTrading(await call(sandbox, 'GET', `/v2/profiles/${alice.profileId}/executions?order_id=${ids.r1}`, { token: alice.token }), 'ExecutionList');
  assert.is(one.items.length, 1);
  assert.equal([one.items[0].market, one.items[0].price], ['ETHUSD', '1810.75']);
  const everyone = expectTrading(await call(sandbox, 'GET', '/v2/executions', { token: alice.token }), 'ExecutionList');
  assert.equal(everyone.items.map((item: any) => item.order_id), [ids.b1, ids.r3, ids.r1]);
  const bobs = expectTrading(await call(sandbox, 'GET', `/v2/executions?profile_id=${bob.profileId}`, { token: alice.token }), 'ExecutionList');
  assert.equal(bobs.items.map((item: any) => item.order_id), [ids.b1]);
  const since = expectTrading(await call(sandbox, 'GET', `/v2/executions?since_execution_id=${mine.items[1].execution_id}`, { token: alice.token }), 'ExecutionList');
  assert.equal(since.items.map((item: any) => item.order_id), [ids.b1, ids.r3]);
  const paged = expectTrading(await call(sandbox, 'GET', '/v2/executions?limit=2', { token: alice.token }), 'ExecutionList');
  assert.is(paged.items.length, 2);
  const rest = expectTrading(await call(sandbox, 'GET', `/v2/executions?limit=2&page_cursor=${paged.next_page_cursor}`, { token: alice.token }), 'ExecutionList');
  assert.equal(rest.items.map((item: any) => item.order_id), [ids.r1]);
});

Lists.run();
