import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { WebhookAttempt } from '../../src/sandbox/index.js';
import { startTestServer } from '../_server.js';
import { hugeBody, redirectTo, type Streamed } from '../_hostile-server.js';
import { expectOk } from './_expect.js';
import { startReceiver, type Receiver } from './_receiver.js';
import { call, getToken, guidePerson, pollUntil, startTestSandbox, type SandboxHandle } from './_helpers.js';

const webhooks = suite('sandbox webhooks');

async function approvedIdentity(sandbox: SandboxHandle, token: string): Promise<string> {
  const created = await call(sandbox, 'POST', '/v2/identity/identities', { token, body: guidePerson() });
  assert.is(created.status, 200);
  return created.body.id as string;
}

const eventsOf = async (sandbox: SandboxHandle, token: string) =>
  expectOk(await call(sandbox, 'GET', '/v2/events', { token }), 'EventList').events as any[];

webhooks('a failed first delivery is retried with the same id; GET /events/{id} has the full event', async () => {
  const receiver = await startReceiver((_, index) => ({ status: index === 0 ? 500 : 204 }));
  const attempts: WebhookAttempt[] = [];
  const sandbox = await startTestSandbox({
    approvalDelayMs: 0,
    webhooks: [{ url: `${receiver.url}/paxos?secret=s3cr3t`, apiKey: { header: 'X-Paxos-Key', value: 'k-123' } }],
    onWebhookAttempt: (attempt) => attempts.push(attempt),
  });
  try {
    const token = await getToken(sandbox);
    const identityId = await approvedIdentity(sandbox, token);
    const [first, second] = await receiver.waitFor(2);
    assert.equal(second!.json, first!.json, 'the retry carries the same notification');
    const { id, type, source, time, object } = first!.json;
    assert.equal(Object.keys(first!.json).sort(), ['id', 'object', 'source', 'time', 'type']);
    assert.equal({ type, source, object }, { type: 'identity.approved', source: 'com.paxos', object: 'event' });
    assert.is(first!.headers['x-paxos-key'], 'k-123');
    assert.match(first!.headers['content-type'] ?? '', /^application\/json/);
    assert.is(first!.headers.authorization, undefined, 'no signature, no other credential');

    const event = expectOk(await call(sandbox, 'GET', `/v2/events/${id}`, { token }), 'Event');
    assert.is(event.created_at, time);
    assert.equal({ ...event.object, id: undefined }, {
      id: undefined, identity_id: identityId, old_summary_status: 'PENDING', new_summary_status: 'APPROVED',
    });
    await pollUntil(async () => (attempts.length === 2 ? true : undefined));
    assert.equal(attempts.map(({ outcome, status, attempt }) => [outcome, status, attempt]), [['failed', 500, 1], ['delivered', 204, 2]]);
    assert.ok(attempts[0]!.retry_in_ms! > 0 && attempts[0]!.retry_in_ms! <= 1000, 'the first retry comes within a second');
    assert.is(attempts[0]!.url, `${receiver.url}/paxos`, 'reports leave the query string out');
    assert.is(expectOk(await call(sandbox, 'GET', `/v2/events/${id}`, { token }), 'Event').undelivered_webhooks, 0);
  } finally {
    await sandbox.close();
    await receiver.close();
  }
});

webhooks('undelivered_webhooks counts pending deliveries; events about one identity arrive in order', async () => {
  let down = true;
  const receiver = await startReceiver(() => ({ status: down ? 503 : 200 }));
  const sandbox = await startTestSandbox({ approvalDelayMs: 0, webhooks: [`${receiver.url}/paxos`, `${receiver.url}/other`] });
  try {
    const token = await getToken(sandbox);
    const identityId = await approvedIdentity(sandbox, token);
    await receiver.waitFor(1);
    await call(sandbox, 'PUT', `/v2/identity/identities/${identityId}/sandbox-status`, { token, body: { user_disabled: { disabled: true } } });
    const pending = await eventsOf(sandbox, token);
    assert.equal(pending.map((event) => [event.type, event.undelivered_webhooks]), [['identity.approved', 2], ['identity.disabled', 2]]);
    down = false;
    const delivered = await pollUntil(async () => {
      const events = await eventsOf(sandbox, token);
      return events.every((event) => event.undelivered_webhooks === 0) ? events : undefined;
    }, 500);
    for (const path of ['/paxos', '/other']) {
      const types = receiver.received.filter((entry) => entry.path === path).map((entry) => entry.json.type);
      assert.is(types.at(-1), 'identity.disabled', `${path}: the later event comes last`);
      assert.is(types.indexOf('identity.disabled'), types.length - 1, `${path}: not sent before the earlier one was delivered`);
    }
    assert.is(delivered.length, 2);
  } finally {
    await sandbox.close();
    await receiver.close();
  }
});

webhooks('a consumer that does not answer is retried after the timeout, and the API answers meanwhile', async () => {
  const receiver = await startReceiver((_, index) => (index === 0 ? 'hang' : { status: 200 }));
  const attempts: WebhookAttempt[] = [];
  const sandbox = await startTestSandbox({
    approvalDelayMs: 0, webhooks: [{ url: `${receiver.url}/paxos`, timeoutMs: 150 }], onWebhookAttempt: (attempt) => attempts.push(attempt),
  });
  try {
    const token = await getToken(sandbox);
    await approvedIdentity(sandbox, token);
    await receiver.waitFor(1);
    assert.is((await eventsOf(sandbox, token))[0].undelivered_webhooks, 1, 'the API answers while the delivery hangs');
    const [first, second] = await receiver.waitFor(2);
    assert.is(second!.json.id, first!.json.id);
    await pollUntil(async () => (attempts.length === 2 ? true : undefined));
    assert.equal(attempts.map(({ outcome, error }) => [outcome, error]), [['failed', 'timeout'], ['delivered', undefined]]);
  } finally {
    await sandbox.close();
    await receiver.close();
  }
});

webhooks('OAuth mode: a client-credentials token from the consumer\'s endpoint is sent as a bearer token', async () => {
  const receiver = await startReceiver((request) =>
    request.path === '/token'
      ? { status: 200, body: { access_token: 'consumer-token', token_type: 'Bearer', expires_in: 3600 } }
      : { status: request.headers.authorization === 'Bearer consumer-token' ? 200 : 401 });
  const sandbox = await startTestSandbox({
    approvalDelayMs: 0,
    webhooks: [{ url: `${receiver.url}/paxos`, oauth: { tokenUrl: `${receiver.url}/token`, clientId: 'paxos', clientSecret: 'p@ss word', scope: 'webhooks' } }],
  });
  try {
    const token = await getToken(sandbox);
    await approvedIdentity(sandbox, token);
    const [delivery] = await receiver.waitFor(1);
    assert.is(delivery!.headers.authorization, 'Bearer consumer-token');
    const [tokenRequest] = await receiver.waitFor(1, '/token');
    const form = new URLSearchParams(tokenRequest!.body);
    assert.equal([form.get('grant_type'), form.get('client_id'), form.get('client_secret'), form.get('scope')],
      ['client_credentials', 'paxos', 'p@ss word', 'webhooks']);
    const basic = Buffer.from(String(tokenRequest!.headers.authorization).replace(/^Basic /, ''), 'base64').toString();
    assert.is(basic, 'paxos:p%40ss%20word');
  } finally {
    await sandbox.close();
    await receiver.close();
  }
});

webhooks('close() resolves with a retry pending and a delivery in flight', async () => {
  const receiver: Receiver = await startReceiver((_, index) => (index === 0 ? { status: 500 } : 'hang'));
  const sandbox = await startTestSandbox({ approvalDelayMs: 0, webhooks: [`${receiver.url}/paxos`] });
  const token = await getToken(sandbox);
  await approvedIdentity(sandbox, token);
  await receiver.waitFor(1);
  const snapshot = sandbox.snapshot();
  assert.is(snapshot.events[0]!.undelivered_webhooks, 1, 'the snapshot keeps the pending count');
  await sandbox.close();
  await receiver.close();

  const again = await startReceiver();
  const restored = await startTestSandbox({ snapshot, webhooks: [`${again.url}/paxos`] });
  try {
    const [redelivered] = await again.waitFor(1);
    assert.is(redelivered!.json.id, snapshot.events[0]!.id, 'a restored server delivers what was still undelivered');
  } finally {
    await restored.close();
    await again.close();
  }
});

webhooks('bad webhook options are refused with a RangeError naming the entry', async () => {
  const cases: Array<[unknown, RegExp]> = [
    ['ftp://example.com/x', /webhooks\[0\]\.url must be an http or https URL/],
    [{ url: 'http://127.0.0.1:1/x', rateLimit: 101 }, /webhooks\[0\]\.rateLimit must be a whole number from 1 to 100/],
    [{ url: 'http://127.0.0.1:1/x', rateLimit: 0 }, /rateLimit/],
    [{ url: 'http://127.0.0.1:1/x', apiKey: { header: 'Bad Header', value: 'v' } }, /apiKey\.header/],
    [{ url: 'http://127.0.0.1:1/x', apiKey: { header: 'X-Key', value: 'a\nb' } }, /apiKey\.value/],
    [{ url: 'http://127.0.0.1:1/x', apiKey: { header: 'X-Key', value: 'v' }, oauth: { tokenUrl: 'http://127.0.0.1:1/t', clientId: 'a', clientSecret: 'b' } }, /not both/],
    [{ url: 'http://127.0.0.1:1/x', oauth: { tokenUrl: 'nope', clientId: 'a', clientSecret: 'b' } }, /oauth\.tokenUrl/],
  ];
  for (const [entry, message] of cases) {
    try {
      await startTestSandbox({ webhooks: [entry as string] });
      assert.unreachable(`accepted ${JSON.stringify(entry)}`);
    } catch (error) {
      assert.instance(error, RangeError);
      assert.match((error as Error).message, message);
    }
  }
});

webhooks('a consumer that redirects is not followed, and an endless answer is not read past 64 KiB', async () => {
  const elsewhere = await startTestServer({});
  const streamed: Streamed[] = [];
  const consumer = await startTestServer({ '/moved': redirectTo(307, `${elsewhere.url}/paxos`), '/endless': hugeBody(64 * 1024 * 1024, streamed) });
  const attempts: WebhookAttempt[] = [];
  const sandbox = await startTestSandbox({
    approvalDelayMs: 0,
    webhooks: [`${consumer.url}/moved`, `${consumer.url}/endless`],
    onWebhookAttempt: (attempt) => attempts.push(attempt),
  });
  try {
    await approvedIdentity(sandbox, await getToken(sandbox));
    await pollUntil(async () => (attempts.some((a) => a.url.endsWith('/moved')) && attempts.some((a) => a.url.endsWith('/endless')) ? true : undefined));
    const first = (suffix: string) => attempts.find((attempt) => attempt.url.endsWith(suffix))!;
    assert.equal([first('/moved').outcome, first('/moved').status], ['failed', 307]);
    assert.equal([first('/endless').outcome, first('/endless').status], ['delivered', 200]);
    await streamed[0]!.over;
    assert.ok(streamed[0]!.cutOff, `the emulator hung up rather than read ${streamed[0]!.bytes} bytes`);
    assert.equal(elsewhere.hits, {}, 'the redirect was not followed');
  } finally {
    await sandbox.close();
    await consumer.close();
    await elsewhere.close();
  }
});

webhooks.run();
