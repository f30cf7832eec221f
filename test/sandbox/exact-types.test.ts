import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { expectOk, expectProblem } from './_expect.js';
import { call, getToken, guidePerson, startTestSandbox, type SandboxHandle } from './_helpers.js';
import { onboard, type Customer } from './_trading.js';

interface Context {
  sandbox: SandboxHandle;
  token: string;
  customer: Customer;
}

/** Every value in `body`, at any depth: none may be null in a Paxos response. */
const nullPaths = (value: unknown, path = ''): string[] =>
  value === null
    ? [path]
    : typeof value === 'object'
      ? Object.entries(value as object).flatMap(([key, entry]) => nullPaths(entry, `${path}.${key}`))
      : [];

// A JSON null for a field is treated as absent, as Paxos' Go services read JSON: never stored, never echoed.
const nulls = suite<Context>('sandbox: null fields are absent fields');

nulls.before(async (context) => {
  context.sandbox = await startTestSandbox({ approvalDelayMs: 0 });
  context.token = await getToken(context.sandbox);
  context.customer = await onboard(context.sandbox, context.token);
});
nulls.after(async ({ sandbox }) => {
  await sandbox.close();
});

nulls('optional identity fields sent as null are not stored and never come back as null', async ({ sandbox, token }) => {
  const body = guidePerson({ metadata: null, is_merchant: null, person_details: { middle_name: null, email: null } });
  body.person_details.address = { ...body.person_details.address, address2: null };
  body.tax_details = [{ tax_payer_id: null, tax_payer_country: null }];
  const created = expectOk(await call(sandbox, 'POST', '/v2/identity/identities', { token, body }), 'Identity');
  const read = expectOk(await call(sandbox, 'GET', `/v2/identity/identities/${created.id}?include_details=true`, { token }), 'Identity');
  for (const identity of [created, read]) {
    assert.equal(nullPaths(identity), []);
    assert.not.ok('address2' in identity.person_details.address);
    assert.not.ok('middle_name' in identity.person_details);
    assert.equal(identity.tax_details, [{ tin_verification_status: 'TIN_VERIFICATION_PENDING' }]);
    assert.equal(identity.metadata, {});
  }
});

nulls('an update with null leaves the field as it was', async ({ sandbox, token }) => {
  const created = expectOk(await call(sandbox, 'POST', '/v2/identity/identities', { token, body: guidePerson() }), 'Identity');
  const updated = expectOk(await call(sandbox, 'PUT', `/v2/identity/identities/${created.id}`, {
    token, body: { person_details: { first_name: null, address: { address2: null } }, metadata: null },
  }), 'Identity');
  assert.is(updated.person_details.first_name, 'Billy');
  assert.equal(nullPaths(updated), []);
});

nulls('a null required field is "required"; a null list entry is refused by name', async ({ sandbox, token }) => {
  expectProblem(await call(sandbox, 'POST', '/v2/identity/accounts', { token, body: { account: { identity_id: null } } }), 400, 'account.identity_id: required');
  const body = guidePerson({ person_details: { passthrough_verification_fields: ['FULL_LEGAL_NAME', null] } });
  expectProblem(await call(sandbox, 'POST', '/v2/identity/identities', { token, body }), 400, /person_details\.passthrough_verification_fields\[1\]: must not be null/);
  expectProblem(await call(sandbox, 'POST', '/v2/profiles', { token, body: { nickname: null } }), 400, 'nickname: required');
});

nulls('profile description, account description and order ref_id sent as null are left out', async ({ sandbox, token, customer }) => {
  const profile = expectOk(await call(sandbox, 'POST', '/v2/profiles', { token, body: { nickname: `n-${Date.now()}`, description: null } }), 'Profile');
  assert.not.ok('description' in profile);
  const account = expectOk(await call(sandbox, 'POST', '/v2/identity/accounts', {
    token, body: { create_profile: null, account: { identity_id: customer.identityId, description: null, metadata: null, ref_id: null } },
  }), 'Account');
  assert.equal(nullPaths(account), []);
  const order = await call(sandbox, 'POST', `/v2/profiles/${customer.profileId}/orders`, {
    token, body: { side: 'BUY', market: 'ETHUSD', type: 'LIMIT', base_amount: '0.01', price: '1', ref_id: null, metadata: null, expiration_date: null },
  });
  assert.is(order.status, 403, 'no funds: refused for that, not for the nulls');
  expectProblem(await call(sandbox, 'POST', `/v2/profiles/${customer.profileId}/orders`, { token, body: { side: null, market: 'ETHUSD', type: 'LIMIT' } }), 400, 'side is required');
});

nulls.run();

// Every query parameter of every served operation is read: a malformed value is a 400 naming it.
const params = suite<Context>('sandbox: every query parameter is validated');

params.before(async (context) => {
  context.sandbox = await startTestSandbox({ approvalDelayMs: 0 });
  context.token = await getToken(context.sandbox);
  context.customer = await onboard(context.sandbox, context.token);
});
params.after(async ({ sandbox }) => {
  await sandbox.close();
});

params('a malformed value of each parameter is a 400 that names the parameter; a good one is answered', async ({ sandbox, token, customer }) => {
  const profile = customer.profileId;
  const cases: Array<[path: string, param: string, bad: string, good: string]> = [
    ['/v2/profiles/default', 'include_deactivated', 'maybe', 'true'],
    ['/v2/profiles', 'ids', 'not-a-uuid', profile],
    ['/v2/profiles', 'limit', '0', '5'],
    ['/v2/profiles', 'order', 'UP', 'DESC'],
    ['/v2/profiles', 'order_by', 'NAME', 'CREATED_AT'],
    ['/v2/profiles', 'created_at.gte', 'yesterday', '2020-01-01T00:00:00Z'],
    ['/v2/profiles', 'page_cursor', '!!', ''],
    [`/v2/identity/identities/${customer.identityId}`, 'include_details', 'yes', 'true'],
    [`/v2/identity/identities/${customer.identityId}`, 'include_institution_members', '2', 'false'],
    ['/v2/identity/identities', 'summary_status', 'OK', 'APPROVED'],
    ['/v2/identity/identities', 'identity_type', 'ROBOT', 'PERSON'],
    ['/v2/identity/identities', 'updated_at.lt', '2020-13-01T00:00:00Z', '2999-01-01T00:00:00Z'],
    ['/v2/identity/accounts', 'identity_id', 'x', customer.identityId],
    ['/v2/events', 'limit', '101', '100'],
    ['/v2/events', 'is_test', 'perhaps', 'false'],
    ['/v2/events', 'created_at.gt', '2020-01-01', '2020-01-01T00:00:00Z'],
    [`/v2/profiles/${profile}/balances`, 'assets', 'DOGE', 'USD'],
    [`/v2/profiles/${profile}/orders`, 'status', 'DONE', 'OPEN'],
    [`/v2/profiles/${profile}/orders`, 'market', 'DOGEUSD', 'ETHUSD'],
    [`/v2/profiles/${profile}/orders`, 'order_time.begin', 'now', '2020-01-01T00:00:00Z'],
    ['/v2/orders', 'account_id', 'acct-1', customer.accountId],
    ['/v2/orders', 'limit', '-1', '1'],
    [`/v2/profiles/${profile}/executions`, 'order_id', 'order-1', '6c1f0b6e-0000-4000-8000-000000000000'],
    [`/v2/profiles/${profile}/executions`, 'since_execution_id', 'abc', '1'],
    ['/v2/executions', 'range.end', 'later', '2999-01-01T00:00:00Z'],
    ['/v2/executions', 'account_id', 'acct-1', customer.accountId],
  ];
  for (const [path, param, bad, good] of cases) {
    const refused = expectProblem(await call(sandbox, 'GET', `${path}?${new URLSearchParams({ [param]: bad })}`, { token }), 400);
    assert.ok(String(refused.detail).includes(param), `${path} ${param}: ${refused.detail}`);
    const answered = await call(sandbox, 'GET', `${path}?${new URLSearchParams({ [param]: good })}`, { token });
    assert.is(answered.status, 200, `${path} ${param}=${good}: ${JSON.stringify(answered.body)}`);
  }
});

params.run();
