import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { recordEvent } from '../../src/sandbox/events.js';
import { awaitEventStep } from '../../src/steps/await-event.js';
import { createIdentityStep } from '../../src/steps/create-identity.js';
import { setIdentityStatusStep } from '../../src/steps/set-identity-status.js';
import { rejectionOf, startHarness, testPerson, type Harness } from './_setup.js';

const test = suite<{ h: Harness }>('awaitEvent step');

test.before(async (ctx) => {
  ctx.h = await startHarness({ approvalDelayMs: 20 });
});
test.after(async (ctx) => {
  await ctx.h.close();
});

const otherIdentity = '00000000-0000-4000-8000-000000000001';

test('waits for identity.approved about the identity and outputs the full event', async ({ h }) => {
  const other = await createIdentityStep.run(testPerson(), h.context());
  const identity = await createIdentityStep.run(testPerson(), h.context());
  const context = h.context();
  const event = await awaitEventStep.run({ type: 'identity.approved', identity_id: identity.id, interval: '10ms' }, context);
  assert.is(event.type, 'identity.approved');
  assert.is(event.object_type, 'identity_summary_status_change');
  assert.equal([event.object.identity_id, event.object.old_summary_status, event.object.new_summary_status], [identity.id, 'PENDING', 'APPROVED']);
  assert.is.not(event.object.identity_id, other.id);
  assert.ok(event.polls >= 1);
  assert.ok(context.exchanges.every((exchange) => exchange.method === 'GET' && exchange.path.includes('/events?')));
  assert.ok(context.exchanges.some((exchange) => new URL(exchange.path, 'http://x').searchParams.get('type') === 'identity.approved'));
  assert.equal(awaitEventStep.scopes, ['events:read_event']);
});

test('pages through older events of the type with created_at.gt, 100 at a time', async ({ h }) => {
  const identity = await createIdentityStep.run(testPerson({ verifier_type: 'MANUAL' }), h.context());
  for (let index = 0; index < 230; index += 1) {
    recordEvent(h.sandbox.state, 'identity.documents_required', { identity_id: otherIdentity, required_documents: ['PROOF_OF_FUNDS'] });
  }
  const wanted = recordEvent(h.sandbox.state, 'identity.documents_required', { identity_id: identity.id, required_documents: ['PROOF_OF_RESIDENCY'] });
  const context = h.context();
  const event = await awaitEventStep.run({ type: 'identity.documents_required', identity_id: identity.id }, context);
  assert.is(event.id, wanted.id);
  assert.equal(event.object.required_documents, ['PROOF_OF_RESIDENCY']);
  const pages = context.exchanges.map((exchange) => new URL(exchange.path, 'http://x').searchParams).filter((query) => query.get('type') === 'identity.documents_required');
  assert.is(pages.length, 3);
  assert.equal(pages.map((query) => query.get('limit')), ['100', '100', '100']);
  assert.is(pages[0]!.get('created_at.gt'), null);
  assert.ok(pages[1]!.get('created_at.gt') && pages[2]!.get('created_at.gt')! > pages[1]!.get('created_at.gt')!);
});

test('fails at once with IDENTITY_DENIED when identity.denied appears instead', async ({ h }) => {
  const identity = await createIdentityStep.run(testPerson({ passthrough_verification_status: 'DENIED' }), h.context());
  const context = h.context({ timeoutMs: 60_000 });
  const error = await rejectionOf(awaitEventStep.run({ type: 'identity.approved', identity_id: identity.id, interval: '10ms' }, context));
  assert.is(error.code, 'IDENTITY_DENIED');
  assert.match(error.message, /identity\.denied/);
  const denied = await awaitEventStep.run({ type: 'identity.denied', identity_id: identity.id }, h.context());
  assert.is(denied.object.new_summary_status, 'DENIED');
});

test('identity.disabled contradicts any other awaited event; since leaves older events out', async ({ h }) => {
  const identity = await createIdentityStep.run(testPerson(), h.context());
  const approved = await awaitEventStep.run({ type: 'identity.approved', identity_id: identity.id, interval: '10ms' }, h.context());
  await setIdentityStatusStep.run({ identity_id: identity.id, user_disabled: { disabled: true } }, h.context());
  const error = await rejectionOf(awaitEventStep.run({ type: 'identity.documents_required', identity_id: identity.id }, h.context()));
  assert.is(error.code, 'IDENTITY_DISABLED');
  const afterApproval = await rejectionOf(awaitEventStep.run(
    { type: 'identity.approved', identity_id: identity.id, since: approved.created_at, interval: '10ms' },
    h.context({ timeoutMs: 400 }),
  ));
  assert.is(afterApproval.code, 'IDENTITY_DISABLED', 'the approval before `since` does not count; the disabling after it does');
});

test('no such event before the timeout: EVENT_TIMEOUT naming the type and identity', async ({ h }) => {
  const identity = await createIdentityStep.run(testPerson({ verifier_type: 'MANUAL' }), h.context());
  const error = await rejectionOf(awaitEventStep.run({ type: 'identity.approved', identity_id: identity.id, interval: '10ms' }, h.context({ timeoutMs: 400 })));
  assert.is(error.code, 'EVENT_TIMEOUT');
  assert.match(error.message, `no identity.approved event for identity ${identity.id}`);
});

test.run();
