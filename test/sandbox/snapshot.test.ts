import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isSandboxSnapshotError, startSandbox, type SandboxSnapshot } from '../../src/sandbox/index.js';
import { call, getToken, guidePerson, pollUntil, startTestSandbox, type SandboxHandle } from './_helpers.js';
import { deposit, expectTrading, guideBuy, onboard, placeAndSettle, placeOrder, type Customer } from './_trading.js';

/** What a file holds: the snapshot after a trip through JSON text. */
const asFile = (snapshot: SandboxSnapshot): SandboxSnapshot => JSON.parse(JSON.stringify(snapshot)) as SandboxSnapshot;

/** Everything the customer's objects look like over HTTP, read with a fresh token. */
const views = async (sandbox: SandboxHandle, customer: Customer): Promise<Record<string, unknown>> => {
  const token = await getToken(sandbox);
  const paths = [
    `/v2/identity/identities/${customer.identityId}?include_details=true&include_institution_members=true`,
    '/v2/identity/identities',
    `/v2/identity/accounts/${customer.accountId}`,
    '/v2/identity/accounts',
    '/v2/profiles',
    '/v2/profiles/default',
    `/v2/profiles/${customer.profileId}/balances`,
    `/v2/profiles/${customer.profileId}/orders`,
    '/v2/orders',
    `/v2/profiles/${customer.profileId}/executions`,
    '/v2/executions',
    '/v2/events',
    '/v2/markets/ETHUSD/recent-executions',
  ];
  const answers: Record<string, unknown> = {};
  for (const path of paths) {
    const { status, body } = await call(sandbox, 'GET', path, { token });
    assert.is(status, 200, `${path}: ${JSON.stringify(body)}`);
    answers[path] = body;
  }
  return answers;
};

/** The snapshot error `run` rejects with. */
const refusal = async (run: () => Promise<unknown>): Promise<Error & { code?: string }> => {
  try {
    await run();
  } catch (error) {
    if (isSandboxSnapshotError(error)) return error;
    throw error;
  }
  throw new Error('expected a SandboxSnapshotError');
};

const open: SandboxHandle[] = [];
const start = async (snapshot?: unknown, options: { approvalDelayMs?: number; seed?: number } = {}): Promise<SandboxHandle> => {
  const sandbox = await startTestSandbox({ ...options, ...(snapshot === undefined ? {} : { snapshot }) });
  open.push(sandbox);
  return sandbox;
};

const Snapshot = suite('sandbox: snapshot and restore');
Snapshot.after.each(async () => {
  await Promise.all(open.splice(0).map((sandbox) => sandbox.close()));
});

Snapshot('the guide up to an open order comes back in a new server: same objects, balances, orders and events', async () => {
  const first = await start(undefined, { approvalDelayMs: 0 });
  const customer = await onboard(first);
  await deposit(first, customer, 'USD', '10000');
  await placeAndSettle(first, customer, guideBuy(customer));
  const resting = await placeAndSettle(first, customer, { ...guideBuy(customer), ref_id: 'resting-buy', price: '1800' }, ['OPEN']);
  const expiring = await placeAndSettle(
    first,
    customer,
    { ...guideBuy(customer), ref_id: 'resting-gtt', price: '1700', time_in_force: 'GTT', expiration_date: String(Date.now() + 3_600_000) },
    ['OPEN'],
  );
  const before = await views(first, customer);
  const snapshot = first.snapshot();
  assert.equal(asFile(snapshot), snapshot, 'plain JSON');
  assert.equal([snapshot.v, snapshot.format], [1, 'paxflow-sandbox-snapshot']);
  assert.equal(snapshot.pending, { reviews: [], orders: [] });
  await first.close();

  const second = await start(asFile(snapshot));
  assert.equal(await views(second, customer), before);
  const again = second.snapshot();
  // Starting a server takes a timestamp (stamps only move forward); everything else is as it was saved.
  assert.equal({ ...again, taken_at: '', last_timestamp: '' }, { ...snapshot, taken_at: '', last_timestamp: '' }, 'the restored state is the state that was saved');
  assert.ok(again.last_timestamp! >= snapshot.last_timestamp!);

  // It goes on from there: ids and timestamps keep counting after the saved ones, and the resting orders still work.
  const token = await getToken(second);
  assert.is((await call(second, 'DELETE', `/v2/profiles/${customer.profileId}/orders/${resting.id}`, { token })).status, 200);
  const usd = await call(second, 'GET', `/v2/profiles/${customer.profileId}/balances/USD`, { token });
  assert.equal([usd.body.available, usd.body.trading], ['6480.47', '1704.25']);
  const third = expectTrading(await placeOrder(second, { ...customer, token }, { ...guideBuy(customer), ref_id: 'after-restore', price: '1700' }), 'Order');
  assert.ok(third.created_at > expiring.created_at);
  const duplicate = await placeOrder(second, { ...customer, token }, { ...guideBuy(customer), ref_id: 'resting-buy' });
  assert.is(duplicate.status, 409, 'ref_ids are known again');
});

Snapshot('an approval still to come is scheduled again for the time it was due; one that fell due meanwhile is made at once', async () => {
  const first = await start(undefined, { approvalDelayMs: 60_000 });
  const created = await call(first, 'POST', '/v2/identity/identities', { token: await getToken(first), body: guidePerson() });
  assert.is(created.body.summary_status, 'PENDING');
  const snapshot = asFile(first.snapshot());
  const [review] = snapshot.pending.reviews;
  assert.is(review?.identity_id, created.body.id);
  assert.ok(review!.remaining_ms > 0 && review!.remaining_ms <= 60_000);
  await first.close();

  const waiting = await start(snapshot);
  assert.is(waiting.state.identities.get(created.body.id)?.summary_status, 'PENDING');
  assert.equal(waiting.snapshot().pending.reviews.map((item) => item.due_at), [review!.due_at]);

  // The process was gone while the delay ran out.
  const due = { ...snapshot, pending: { ...snapshot.pending, reviews: [{ ...review!, due_at: new Date(Date.now() - 1000).toISOString() }] } };
  const decided = await start(due);
  const token = await getToken(decided);
  const identity = await call(decided, 'GET', `/v2/identity/identities/${created.body.id}`, { token });
  assert.is(identity.body.summary_status, 'APPROVED');
  const events = await call(decided, 'GET', '/v2/events', { token });
  assert.equal(events.body.events.map((event: { type: string }) => event.type), ['identity.approved']);
  assert.equal(decided.snapshot().pending.reviews, []);

  const soon = { ...snapshot, pending: { ...snapshot.pending, reviews: [{ ...review!, due_at: new Date(Date.now() + 50).toISOString() }] } };
  const later = await start(soon);
  const laterToken = await getToken(later);
  await pollUntil(async () => {
    const { body } = await call(later, 'GET', `/v2/identity/identities/${created.body.id}`, { token: laterToken });
    return body.summary_status === 'APPROVED' ? true : undefined;
  });
});

Snapshot('an order submitted but not yet processed is processed when the snapshot is restored', async () => {
  const first = await start(undefined, { approvalDelayMs: 0 });
  const customer = await onboard(first);
  await deposit(first, customer, 'USD', '10000');
  // Taken the moment the order is stored, before its processing: what a crash right then would leave.
  let taken: SandboxSnapshot | undefined;
  const { pending } = first.state.trading;
  const set = pending.set.bind(pending);
  pending.set = (id, timer) => {
    const result = set(id, timer);
    taken ??= first.snapshot();
    return result;
  };
  expectTrading(await placeOrder(first, customer, { ...guideBuy(customer), ref_id: 'unprocessed' }), 'Order');
  await first.close();
  const snapshot = asFile(taken!);
  const [order] = snapshot.orders;
  assert.is(order?.status, 'SUBMITTED');
  assert.equal(snapshot.pending.orders, [order!.id]);
  assert.equal(snapshot.balances.find((item) => item.asset === 'USD'), { profile_id: customer.profileId, asset: 'USD', available: '8180.66', trading: '1819.34' });

  const second = await start(snapshot);
  const token = await getToken(second);
  const filled = await call(second, 'GET', `/v2/profiles/${customer.profileId}/orders/${order!.id}`, { token });
  assert.equal([filled.body.status, filled.body.amount_filled, filled.body.created_at], ['FILLED', '1.00000000', order!.created_at]);
  const usd = await call(second, 'GET', `/v2/profiles/${customer.profileId}/balances/USD`, { token });
  assert.equal([usd.body.available, usd.body.trading], ['8184.72', '0']);
  assert.is((await call(second, 'GET', `/v2/profiles/${customer.profileId}/executions`, { token })).body.items.length, 1);
  assert.equal(second.snapshot().pending.orders, []);
});

Snapshot('a snapshot that is not one, of another version, inconsistent or of another seed is refused with a clear error', async () => {
  const first = await start(undefined, { approvalDelayMs: 0 });
  const customer = await onboard(first);
  await deposit(first, customer, 'USD', '10000');
  await placeAndSettle(first, customer, guideBuy(customer));
  const good = asFile(first.snapshot());
  const ssn = String((good.identities[0]!.person_details as { cip_id: string }).cip_id);

  for (const bad of [{}, null, 'sandbox', [], { v: 1, type: 'run:start', run_id: 'x' }]) {
    assert.is((await refusal(() => startSandbox({ snapshot: bad }))).code, 'SANDBOX_SNAPSHOT_INVALID');
  }
  assert.match((await refusal(() => startSandbox({ snapshot: { ...good, v: 2 } }))).message, /version 2/);

  const broken = structuredClone(good);
  broken.orders[0]!.reserved = 'lots';
  broken.accounts[0]!.identity_id = 'no-such-identity';
  broken.identities[0]!.type = ssn as never;
  delete (broken as Partial<SandboxSnapshot>).counters;
  const error = await refusal(() => startSandbox({ snapshot: broken }));
  assert.is(error.code, 'SANDBOX_SNAPSHOT_INVALID');
  for (const path of ['orders[0].reserved', 'identities[0].type', 'counters']) assert.ok(error.message.includes(path), path);
  assert.not.ok(error.message.includes(ssn), 'values are never quoted: snapshots hold personal details');

  const dangling = structuredClone(good);
  dangling.accounts[0]!.identity_id = 'no-such-identity';
  dangling.pending.orders = [good.orders[0]!.id];
  const references = await refusal(() => startSandbox({ snapshot: dangling }));
  for (const path of ['accounts[0].identity_id', 'pending.orders[0]']) assert.ok(references.message.includes(path), path);

  assert.is((await refusal(() => startSandbox({ snapshot: good, seed: 2 }))).code, 'SANDBOX_SNAPSHOT_INVALID');
  const same = await start(good, { seed: 1 });
  assert.is(same.state.identities.size, 1);
});

Snapshot.run();
