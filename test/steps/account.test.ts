import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isPaxosApiError } from '../../src/paxos/errors.js';
import { deriveRefId } from '../../src/paxos/ref-id.js';
import { awaitApprovalStep } from '../../src/steps/await-approval.js';
import { createAccountStep } from '../../src/steps/create-account.js';
import { createIdentityStep } from '../../src/steps/create-identity.js';
import { getAccountStep } from '../../src/steps/get-account.js';
import { rejectionOf, startHarness, testPerson, type Harness } from './_setup.js';

const test = suite<{ h: Harness; identityId: string }>('account steps');

test.before(async (ctx) => {
  ctx.h = await startHarness();
  const identity = await createIdentityStep.run(testPerson(), ctx.h.context());
  await awaitApprovalStep.run({ identity_id: identity.id, interval: '10ms' }, ctx.h.context());
  ctx.identityId = identity.id;
});
test.after(async (ctx) => {
  await ctx.h.close();
});

test('createAccount with create_profile returns the flat Account with profile_id', async ({ h, identityId }) => {
  const context = h.context({ runId: 'run-acc', stepId: 'account' });
  const account = await createAccountStep.run(
    { create_profile: true, account: { identity_id: identityId, type: 'BROKERAGE', description: 'Brokerage account for Billy Duncan' } },
    context,
  );
  assert.is(account.identity_id, identityId);
  assert.is(account.ref_id, deriveRefId('run-acc', 'account'));
  assert.type(account.profile_id, 'string');
  assert.ok(h.sandbox.state.profiles.has(account.profile_id!));
  assert.is((account as Record<string, unknown>).account, undefined);
});

test('createAccount without a profile leaves profile_id out', async ({ h, identityId }) => {
  const account = await createAccountStep.run({ account: { identity_id: identityId } }, h.context());
  assert.is(account.profile_id, undefined);
});

test('createAccount twice with the same account ref_id adopts the first account', async ({ h, identityId }) => {
  const input = { create_profile: true, account: { identity_id: identityId, ref_id: 'qa-account-1' } };
  const first = await createAccountStep.run(input, h.context());
  const context = h.context();
  const second = await createAccountStep.run(input, context);
  assert.is(second.id, first.id);
  assert.is(second.profile_id, first.profile_id);
  assert.is([...h.sandbox.state.accounts.values()].filter((account) => account.ref_id === 'qa-account-1').length, 1);
  assert.equal(context.exchanges.map((exchange) => [exchange.method, exchange.status]), [['POST', 409], ['GET', 200]]);
});

test('createAccount refuses to adopt an account of another identity under the same ref_id', async ({ h, identityId }) => {
  await createAccountStep.run({ account: { identity_id: identityId, ref_id: 'qa-account-2' } }, h.context());
  const other = await createIdentityStep.run(testPerson(), h.context());
  const error = await rejectionOf(createAccountStep.run({ account: { identity_id: other.id, ref_id: 'qa-account-2' } }, h.context()));
  assert.is(error.code, 'REF_ID_CONFLICT');
});

test('getAccount reads the account back', async ({ h, identityId }) => {
  const created = await createAccountStep.run({ create_profile: true, account: { identity_id: identityId } }, h.context());
  const account = await getAccountStep.run({ account_id: created.id }, h.context());
  assert.is(account.id, created.id);
  assert.is(account.profile_id, created.profile_id);
  assert.is(account.summary_status, 'APPROVED');
});

test('getAccount of an unknown id is a 404 PaxosApiError', async ({ h }) => {
  const error = await rejectionOf(getAccountStep.run({ account_id: '00000000-0000-4000-8000-000000000000' }, h.context()));
  assert.ok(isPaxosApiError(error));
  assert.is(error.status, 404);
});

test.run();
