import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isPaxosApiError } from '../../src/paxos/errors.js';
import { deriveRefId } from '../../src/paxos/ref-id.js';
import { awaitApprovalStep } from '../../src/steps/await-approval.js';
import { createIdentityStep } from '../../src/steps/create-identity.js';
import { getIdentityStep } from '../../src/steps/get-identity.js';
import { setIdentityStatusStep } from '../../src/steps/set-identity-status.js';
import { rejectionOf, startHarness, testPerson, type Harness } from './_setup.js';

const test = suite<{ h: Harness }>('identity steps');

test.before(async (ctx) => {
  ctx.h = await startHarness({ approvalDelayMs: 20 });
});
test.after(async (ctx) => {
  await ctx.h.close();
});

const storedWithRef = (h: Harness, refId: string) => [...h.sandbox.state.identities.values()].filter((identity) => identity.ref_id === refId);

test('createIdentity creates the person PENDING under a ref_id derived from run and step', async ({ h }) => {
  const context = h.context({ runId: 'run-1', stepId: 'identity' });
  const identity = await createIdentityStep.run(testPerson(), context);
  assert.is(identity.summary_status, 'PENDING');
  assert.is(identity.type, 'PERSON');
  assert.is(identity.ref_id, deriveRefId('run-1', 'identity'));
  assert.equal(context.exchanges.map((exchange) => [exchange.method, exchange.status]), [['POST', 200]]);
});

test('createIdentity twice with the same ref_id adopts the first identity (409 meta.existing)', async ({ h }) => {
  const body = { ...testPerson(), ref_id: 'qa-adopt-1' };
  const first = await createIdentityStep.run(body, h.context());
  const context = h.context();
  const second = await createIdentityStep.run(body, context);
  assert.is(second.id, first.id);
  assert.is(storedWithRef(h, 'qa-adopt-1').length, 1);
  assert.equal(context.exchanges.map((exchange) => exchange.status), [409, 200]);
});

test('createIdentity re-run by the same run and step adopts through the derived ref_id', async ({ h }) => {
  const body = testPerson();
  const first = await createIdentityStep.run(body, h.context({ runId: 'run-again', stepId: 'who' }));
  const second = await createIdentityStep.run(body, h.context({ runId: 'run-again', stepId: 'who' }));
  assert.is(second.id, first.id);
  assert.is(storedWithRef(h, deriveRefId('run-again', 'who')).length, 1);
});

test('createIdentity does not adopt an identity of another ref_id with the same cip_id', async ({ h }) => {
  const body = testPerson();
  await createIdentityStep.run(body, h.context());
  const error = await rejectionOf(createIdentityStep.run(body, h.context()));
  assert.ok(isPaxosApiError(error));
  assert.is(error.status, 409);
});

test('getIdentity reads the identity, with details only when asked', async ({ h }) => {
  const created = await createIdentityStep.run(testPerson(), h.context());
  const plain = await getIdentityStep.run({ identity_id: created.id }, h.context());
  assert.is(plain.id, created.id);
  assert.is(plain.person_details, undefined);
  const detailed = await getIdentityStep.run({ identity_id: created.id, include_details: true }, h.context());
  assert.is((detailed.person_details as { last_name: string }).last_name, 'Duncan');
});

test('awaitApproval waits for APPROVED and records every poll', async ({ h }) => {
  const created = await createIdentityStep.run(testPerson(), h.context());
  const context = h.context();
  const identity = await awaitApprovalStep.run({ identity_id: created.id, interval: '10ms' }, context);
  assert.is(identity.summary_status, 'APPROVED');
  assert.is(identity.polls, context.polls.length);
  assert.is(context.polls.at(-1)?.status, 'APPROVED');
  assert.ok(context.polls.every((poll) => !Number.isNaN(Date.parse(poll.at))));
});

test('awaitApproval fails at once on DENIED, naming the status', async ({ h }) => {
  const created = await createIdentityStep.run(testPerson({ passthrough_verification_status: 'DENIED' }), h.context());
  const context = h.context({ timeoutMs: 60_000 });
  const error = await rejectionOf(awaitApprovalStep.run({ identity_id: created.id, interval: '10ms' }, context));
  assert.is(error.code, 'IDENTITY_DENIED');
  assert.match(error.message, 'DENIED');
  assert.is(context.polls.at(-1)?.status, 'DENIED');
});

test('awaitApproval with until: DENIED passes on a denial', async ({ h }) => {
  const created = await createIdentityStep.run(testPerson({ passthrough_verification_status: 'DENIED' }), h.context());
  const identity = await awaitApprovalStep.run({ identity_id: created.id, until: 'DENIED', interval: '10ms' }, h.context());
  assert.is(identity.summary_status, 'DENIED');
});

test('awaitApproval times out with the last status it saw', async ({ h }) => {
  // Paxos-verified persons wait for a decision that never comes in the emulator.
  const created = await createIdentityStep.run(testPerson({ verifier_type: 'PAXOS' }), h.context());
  const context = h.context({ timeoutMs: 400 });
  const error = await rejectionOf(awaitApprovalStep.run({ identity_id: created.id, interval: '20ms' }, context));
  assert.is(error.code, 'APPROVAL_TIMEOUT');
  assert.match(error.message, 'PENDING');
  assert.not.ok(context.signal.aborted, 'the step ended before its own deadline');
  assert.ok(context.polls.length >= 2);
  assert.ok(context.polls.every((poll) => poll.status === 'PENDING'));
});

test('setIdentityStatus disables an identity; awaitApproval then fails with IDENTITY_DISABLED', async ({ h }) => {
  const created = await createIdentityStep.run(testPerson(), h.context());
  await awaitApprovalStep.run({ identity_id: created.id, interval: '10ms' }, h.context());
  const updated = await setIdentityStatusStep.run({ identity_id: created.id, user_disabled: { disabled: true } }, h.context());
  assert.is(updated.summary_status, 'DISABLED');
  const error = await rejectionOf(awaitApprovalStep.run({ identity_id: created.id, interval: '10ms' }, h.context()));
  assert.is(error.code, 'IDENTITY_DISABLED');
});

test('setIdentityStatus approves a Paxos-verified person', async ({ h }) => {
  const created = await createIdentityStep.run(testPerson({ verifier_type: 'PAXOS' }), h.context());
  const context = h.context();
  const updated = await setIdentityStatusStep.run(
    { identity_id: created.id, id_verification_status: 'APPROVED', sanctions_verification_status: 'APPROVED' },
    context,
  );
  assert.is(updated.summary_status, 'APPROVED');
  assert.equal(context.exchanges.map((exchange) => exchange.method), ['PUT', 'GET']);
});

test('awaitApproval fails with IDENTITY_ERROR when compliance freezes the identity', async ({ h }) => {
  const created = await createIdentityStep.run(testPerson({ verifier_type: 'PAXOS' }), h.context());
  await setIdentityStatusStep.run({ identity_id: created.id, additional_screening_status: 'ERROR' }, h.context());
  const error = await rejectionOf(awaitApprovalStep.run({ identity_id: created.id, interval: '10ms' }, h.context()));
  assert.is(error.code, 'IDENTITY_ERROR');
  assert.match(error.message, 'ERROR');
});

test('createIdentity without identity:write_identity gets a 403 from the API', async ({ h }) => {
  const context = h.context({ paxos: h.clientWith(['identity:read_identity']) });
  const error = await rejectionOf(createIdentityStep.run(testPerson(), context));
  assert.ok(isPaxosApiError(error));
  assert.is(error.status, 403);
  assert.match(error.message, 'identity:write_identity');
});

test.run();
