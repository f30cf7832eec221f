import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { expectProblem } from './_expect.js';
import { call, getToken, guidePerson, pollUntil, startTestSandbox, type SandboxHandle } from './_helpers.js';
import { assertTransferSchema } from './_transfer-schemas.js';

interface Context {
  sandbox: SandboxHandle;
  token: string;
  identityId: string;
  profileId: string;
}

const fiat = suite<Context>('fiat deposit instructions, sandbox fiat deposits and transfers');

const WIRE = {
  account_number: '12345678',
  fiat_account_owner_address: { country: 'USA', address1: '456 Main Street', city: 'New York', province: 'NY', zip_code: '10101' },
  routing_details: {
    routing_number_type: 'ABA', routing_number: '123456789', bank_name: 'Customers Bank',
    bank_address: { country: 'USA', address1: '123 Bank Street', city: 'New York', province: 'NY', zip_code: '10101' },
  },
};

fiat.before(async (context) => {
  context.sandbox = await startTestSandbox({ approvalDelayMs: 0 });
  context.token = await getToken(context.sandbox);
  const identity = await call(context.sandbox, 'POST', '/v2/identity/identities', { token: context.token, body: guidePerson() });
  context.identityId = identity.body.id;
  await pollUntil(async () =>
    (await call(context.sandbox, 'GET', `/v2/identity/identities/${context.identityId}`, { token: context.token })).body.summary_status === 'APPROVED' ? true : undefined);
  const account = await call(context.sandbox, 'POST', '/v2/identity/accounts', {
    token: context.token, body: { create_profile: true, account: { identity_id: context.identityId } },
  });
  context.profileId = account.body.profile_id;
});
fiat.after(async ({ sandbox }) => {
  await sandbox.close();
});

const post = (context: Context, path: string, body: unknown) => call(context.sandbox, 'POST', path, { token: context.token, body });
const get = (context: Context, path: string) => call(context.sandbox, 'GET', path, { token: context.token });
const usd = async (context: Context) => (await get(context, `/v2/profiles/${context.profileId}/balances/USD`)).body.available as string;

fiat('instructions carry a memo_id, are idempotent by ref_id and listed; a wire by memo_id credits the profile to the cent', async (context) => {
  const body = { profile_id: context.profileId, fiat_network: 'WIRE', ref_id: 'fiat-1', metadata: { purpose: 'test' } };
  const created = await post(context, '/v2/transfer/fiat-deposit-instructions', body);
  assert.is(created.status, 200, JSON.stringify(created.body));
  assertTransferSchema('FiatDepositInstructions', created.body);
  const instructions = created.body;
  assert.equal([instructions.identity_id, instructions.status, Object.keys(instructions.fiat_network_instructions)], [context.identityId, 'VALID', ['wire']]);

  const again = expectProblem(await post(context, '/v2/transfer/fiat-deposit-instructions', body), 409);
  assert.is(again.type, 'https://developer.paxos.com/docs/v2/problems/already-exists');
  assert.equal(again.meta.existing, instructions);
  assert.equal((await get(context, `/v2/transfer/fiat-deposit-instructions/${instructions.id}`)).body, instructions);
  const listed = await get(context, '/v2/transfer/fiat-deposit-instructions?ref_ids=fiat-1');
  assertTransferSchema('FiatDepositInstructionsList', listed.body);
  assert.equal(listed.body.items, [instructions]);

  const before = await usd(context);
  for (const amount of ['1000.10', '0.2', '25']) {
    const deposit = await post(context, '/v2/sandbox/fiat-deposits', { amount, asset: 'USD', memo_id: instructions.memo_id, fiat_network_instructions: { wire: WIRE } });
    assert.equal([deposit.status, deposit.body], [200, {}]);
  }
  assert.equal([before, await usd(context)], ['0', '1025.3']);

  const transfers = await get(context, `/v2/transfer/transfers?profile_ids=${context.profileId}&order=ASC`);
  assertTransferSchema('TransferList', transfers.body);
  assert.equal(transfers.body.items.map((t: any) => [t.amount, t.type, t.status, t.direction, t.memo, t.identity_id, t.metadata]), [
    ['1000.1', 'WIRE_DEPOSIT', 'COMPLETED', 'CREDIT', instructions.memo_id, context.identityId, { purpose: 'test' }],
    ['0.2', 'WIRE_DEPOSIT', 'COMPLETED', 'CREDIT', instructions.memo_id, context.identityId, { purpose: 'test' }],
    ['25', 'WIRE_DEPOSIT', 'COMPLETED', 'CREDIT', instructions.memo_id, context.identityId, { purpose: 'test' }],
  ]);
  const first = transfers.body.items[0];
  assert.equal((await get(context, `/v2/transfer/transfers/${first.id}`)).body, first);
  const paged = await get(context, `/v2/transfer/transfers?profile_ids=${context.profileId}&limit=2`);
  assert.equal(paged.body.items.map((t: any) => t.amount), ['25', '0.2']);
  const rest = await get(context, `/v2/transfer/transfers?profile_ids=${context.profileId}&limit=2&page_cursor=${paged.body.next_page_cursor}`);
  assert.equal([rest.body.items.map((t: any) => t.amount), rest.body.next_page_cursor], [['1000.1'], undefined]);
  assert.equal((await get(context, '/v2/transfer/transfers?statuses=FAILED')).body.items, []);
  assert.equal((await get(context, '/v2/transfer/transfers?type=CRYPTO_DEPOSIT')).body.items, []);
  expectProblem(await get(context, '/v2/transfer/transfers?statuses=DONE'), 400, /^statuses: must be one of/);
  expectProblem(await get(context, '/v2/transfer/transfers?order_by=CREATED_AT&updated_at.gt=2020-01-01T00:00:00Z'), 400, /order_by must match/);
  expectProblem(await get(context, '/v2/transfer/transfers/0b0e3a7e-0000-4000-8000-000000000000'), 404);
});

fiat('a deposit to an unknown memo id, of another asset, of a bad amount or without network instructions is refused and credits nothing', async (context) => {
  const { body: instructions } = await post(context, '/v2/transfer/fiat-deposit-instructions', { profile_id: context.profileId, fiat_network: 'WIRE' });
  const before = await usd(context);
  const deposit = (fields: Record<string, unknown>) =>
    post(context, '/v2/sandbox/fiat-deposits', { amount: '10.00', asset: 'USD', memo_id: instructions.memo_id, fiat_network_instructions: { wire: WIRE }, ...fields });
  expectProblem(await deposit({ memo_id: 'NOSUCHMEMO000000' }), 400, 'memo_id: no fiat deposit instructions have memo_id NOSUCHMEMO000000');
  expectProblem(await deposit({ asset: 'EUR' }), 400, 'asset: must be USD, the only asset of a fiat deposit');
  for (const amount of ['10.001', '0', '-5', '1e3', '']) expectProblem(await deposit({ amount }), 400, /amount/);
  expectProblem(await deposit({ fiat_network_instructions: undefined }), 400, 'fiat network instructions required');
  expectProblem(await deposit({ fiat_network_instructions: { cubix: { account_id: 'x' } } }), 400, /is for WIRE deposits, so send wire/);
  expectProblem(await deposit({ fiat_network_instructions: { wire: { account_number: '1' } } }), 400, /routing_details: required/);
  assert.is(await usd(context), before);
});

fiat('instructions need a known profile and an approved identity', async (context) => {
  expectProblem(await post(context, '/v2/transfer/fiat-deposit-instructions', { profile_id: '0b0e3a7e-0000-4000-8000-000000000000', fiat_network: 'WIRE' }), 404, /profile not found/);
  expectProblem(await post(context, '/v2/transfer/fiat-deposit-instructions', { profile_id: context.profileId }), 400, 'fiat_network: required');
  const pending = await post(context, '/v2/identity/identities', guidePerson({ person_details: { verifier_type: 'PAXOS', passthrough_verifier_type: undefined, passthrough_verified_at: undefined, passthrough_verification_id: undefined, passthrough_verification_status: undefined, passthrough_verification_fields: undefined } }));
  assert.is(pending.status, 200, JSON.stringify(pending.body));
  expectProblem(
    await post(context, '/v2/transfer/fiat-deposit-instructions', { profile_id: context.profileId, identity_id: pending.body.id, fiat_network: 'WIRE' }),
    400,
    `identity not enabled for customer ${pending.body.id}`,
  );
});

fiat.run();
