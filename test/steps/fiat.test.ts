import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isPaxosApiError } from '../../src/paxos/errors.js';
import { deriveRefId } from '../../src/paxos/ref-id.js';
import { createFiatDepositInstructionsStep } from '../../src/steps/create-fiat-deposit-instructions.js';
import { getBalancesStep } from '../../src/steps/get-balances.js';
import { sandboxFiatDepositStep } from '../../src/steps/sandbox-fiat-deposit.js';
import { onboard, rejectionOf, startHarness, type Harness } from './_setup.js';

const test = suite<{ h: Harness; profileId: string; memoId: string }>('fiat funding steps');

const WIRE = {
  wire: {
    account_number: '12345678',
    fiat_account_owner_address: { country: 'USA', address1: '1 Test Road', city: 'Albany', province: 'NY', zip_code: '12207' },
    routing_details: {
      routing_number_type: 'ABA', routing_number: '021000021', bank_name: 'Example Bank',
      bank_address: { country: 'USA', address1: '2 Bank Road', city: 'Albany', province: 'NY', zip_code: '12207' },
    },
  },
};

test.before(async (ctx) => {
  ctx.h = await startHarness();
  ctx.profileId = (await onboard(ctx.h)).profileId;
});
test.after(async (ctx) => {
  await ctx.h.close();
});

const usd = async (h: Harness, profileId: string) => (await getBalancesStep.run({ profile_id: profileId, assets: ['USD'] }, h.context())).by_asset.USD!.available;

test('createFiatDepositInstructions gives a memo_id and, run again with its ref_id, adopts the same instructions', async (ctx) => {
  const { h, profileId } = ctx;
  const input = { profile_id: profileId, fiat_network: 'WIRE' };
  const context = h.context({ runId: 'run-fiat', stepId: 'instructions' });
  const created = await createFiatDepositInstructionsStep.run(input, context);
  assert.match(created.memo_id, /^[A-Z0-9]{16}$/);
  assert.is(created.ref_id, deriveRefId('run-fiat', 'instructions'));
  const again = await createFiatDepositInstructionsStep.run(input, h.context({ runId: 'run-fiat', stepId: 'instructions' }));
  assert.equal([again.id, again.memo_id], [created.id, created.memo_id]);
  ctx.memoId = created.memo_id;
});

test('sandboxFiatDeposit credits the profile to the cent and returns the COMPLETED transfer', async ({ h, profileId, memoId }) => {
  const before = await usd(h, profileId);
  const context = h.context();
  const output = await sandboxFiatDepositStep.run({ amount: '1234.56', asset: 'USD', memo_id: memoId, fiat_network_instructions: WIRE, interval: '10ms' }, context);
  assert.equal([output.transfer.status, output.transfer.amount, output.transfer.memo, output.transfer.type], ['COMPLETED', '1234.56', memoId, 'WIRE_DEPOSIT']);
  assert.equal([before, await usd(h, profileId)], ['0', '1234.56']);
  assert.is(context.exchanges.filter((exchange) => exchange.method === 'POST').length, 1);
});

test('a deposit whose outcome is unknown (5xx after it was booked) is not sent again: one credit', async ({ h, profileId, memoId }) => {
  const before = await usd(h, profileId);
  h.sandbox.setFaults('commit-then-500:1', { methods: ['POST'], paths: ['/v2/sandbox/'] });
  try {
    const context = h.context();
    const error = await rejectionOf(sandboxFiatDepositStep.run({ amount: '10', asset: 'USD', memo_id: memoId, fiat_network_instructions: WIRE }, context));
    assert.ok(isPaxosApiError(error));
    assert.is(error.status, 500);
    assert.is(context.exchanges.filter((exchange) => exchange.method === 'POST').length, 1);
  } finally {
    h.sandbox.setFaults('');
  }
  const after = await usd(h, profileId);
  assert.equal([before, after], ['1234.56', '1244.56']);
});

test('an unknown memo id is refused with 400 and nothing is credited', async ({ h, profileId }) => {
  const before = await usd(h, profileId);
  const error = await rejectionOf(sandboxFiatDepositStep.run({ amount: '10', asset: 'USD', memo_id: 'NOSUCHMEMO000000', fiat_network_instructions: WIRE }, h.context()));
  assert.ok(isPaxosApiError(error));
  assert.is(error.status, 400);
  assert.is(await usd(h, profileId), before);
});

test('the deposit is sandbox only and never retried; the instructions are retry-safe by ref_id', () => {
  assert.equal([sandboxFiatDepositStep.sandboxOnly, sandboxFiatDepositStep.retrySafe], [true, false]);
  assert.equal([createFiatDepositInstructionsStep.sandboxOnly, createFiatDepositInstructionsStep.retrySafe], [false, true]);
});

test.run();
