import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { expectOk, expectProblem } from './_expect.js';
import { call, getToken, guidePerson, pollUntil, startTestSandbox, type SandboxHandle } from './_helpers.js';

interface Context {
  sandbox: SandboxHandle;
  token: string;
  approved: string;
  denied: string;
}

const events = suite<Context>('events');

const listEvents = async (context: Context, query = '') =>
  expectOk(await call(context.sandbox, 'GET', `/v2/events${query}`, { token: context.token }), 'EventList').events as any[];

events.before(async (context) => {
  context.sandbox = await startTestSandbox({ approvalDelayMs: 0 });
  context.token = await getToken(context.sandbox, ['identity:write_identity', 'events:read_event']);
  const post = async (body: Record<string, unknown>) =>
    (await call(context.sandbox, 'POST', '/v2/identity/identities', { token: context.token, body })).body.id as string;
  context.approved = await post(guidePerson());
  context.denied = await post(guidePerson({ person_details: { passthrough_verification_status: 'DENIED' } }));
  await pollUntil(async () => ((await listEvents(context)).length === 2 ? true : undefined));
  await call(context.sandbox, 'PUT', `/v2/identity/identities/${context.approved}/sandbox-status`, {
    token: context.token, body: { user_disabled: { disabled: true } },
  });
});
events.after(async ({ sandbox }) => {
  await sandbox.close();
});

events('lists every event in ascending created_at order', async (context) => {
  const all = await listEvents(context);
  assert.equal(all.map((event) => [event.type, event.object.identity_id]), [
    ['identity.approved', context.approved],
    ['identity.denied', context.denied],
    ['identity.disabled', context.approved],
  ]);
  const times = all.map((event) => event.created_at as string);
  assert.equal([...times].sort(), times);
  for (const event of all) {
    assert.is(event.object_type, 'identity_summary_status_change');
    assert.is(event.undelivered_webhooks, 0);
  }
});

events('filters by type and pages with created_at.gt and limit', async (context) => {
  assert.equal((await listEvents(context, '?type=identity.denied')).map((event) => event.object.identity_id), [context.denied]);
  const first = await listEvents(context, '?limit=1');
  assert.is(first.length, 1);
  const rest = await listEvents(context, `?created_at.gt=${encodeURIComponent(first[0].created_at)}`);
  assert.equal(rest.map((event) => event.type), ['identity.denied', 'identity.disabled']);
  assert.equal(await listEvents(context, '?is_test=true'), []);
});

events('limit must be between 1 and 100', async (context) => {
  for (const limit of ['0', '101', 'ten']) {
    expectProblem(await call(context.sandbox, 'GET', `/v2/events?limit=${limit}`, { token: context.token }), 400, 'limit must be between 1 and 100');
  }
  assert.is((await listEvents(context, '?limit=100')).length, 3);
});

events('gets one event by id; a bad id is 400 and an unknown one 404', async (context) => {
  const [first] = await listEvents(context);
  const got = expectOk(await call(context.sandbox, 'GET', `/v2/events/${first.id}`, { token: context.token }), 'Event');
  assert.equal(got, first);
  expectProblem(await call(context.sandbox, 'GET', '/v2/events/12345', { token: context.token }), 400, 'error parsing event id');
  const unknown = '6c1f0b6e-0000-4000-8000-000000000000';
  expectProblem(await call(context.sandbox, 'GET', `/v2/events/${unknown}`, { token: context.token }), 404);
});

events('events need events:read_event', async (context) => {
  const token = await getToken(context.sandbox, ['identity:read_identity']);
  expectProblem(await call(context.sandbox, 'GET', '/v2/events', { token }), 403,
    "insufficient scopes: found 'identity:read_identity', required one of '[events:read_event]'");
});

events.run();
