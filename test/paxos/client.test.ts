import { inspect } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isUsageError } from '../../src/errors.js';
import { createPaxosClient, isPaxosApiError, type PaxosApiError, type PaxosClientOptions } from '../../src/paxos/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import type { HttpExchange } from '../../src/steps/define.js';
import { startFaultProxy, useProxiedSandbox, type FaultProxy, type ProxiedSandbox } from './_proxy.js';

const CREDENTIALS = { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' };
const SCOPES = ['identity:read_identity', 'identity:write_identity'];
const IDENTITIES = /^\/v2\/identity\/identities$/;

const Client = suite<ProxiedSandbox>('paxos client', {} as never);

useProxiedSandbox(Client);

const clientFor = (proxy: FaultProxy, options: Partial<PaxosClientOptions> = {}) =>
  createPaxosClient({
    target: { name: 'local', apiUrl: proxy.apiUrl, oauthUrl: proxy.oauthUrl },
    credentials: CREDENTIALS,
    scopes: SCOPES,
    tokenMinIntervalMs: 0,
    retry: { baseDelayMs: 10, maxDelayMs: 40 },
    ...options,
  });

let serial = 0;
const person = (refId: string) => ({
  ref_id: refId,
  person_details: { first_name: 'Test', last_name: `Person${(serial += 1)}` },
});

const failure = async (run: () => Promise<unknown>): Promise<PaxosApiError> => {
  try {
    await run();
  } catch (error) {
    assert.ok(isPaxosApiError(error), `expected a PaxosApiError, got ${String(error)}`);
    return error;
  }
  throw new Error('expected the call to fail');
};

const get = (client: ReturnType<typeof clientFor>, path: string, extra: { onExchange?: (e: HttpExchange) => void; signal?: AbortSignal } = {}) =>
  client.call({ method: 'GET', path, signal: extra.signal ?? AbortSignal.timeout(5000), ...(extra.onExchange ? { onExchange: extra.onExchange } : {}) });

Client('sends JSON and returns the parsed body, recording each exchange', async ({ proxy }) => {
  const client = clientFor(proxy);
  const exchanges: HttpExchange[] = [];
  const created = await client.call<{ id: string; ref_id: string }>({
    method: 'POST',
    path: '/identity/identities',
    json: person('client-json-1'),
    signal: AbortSignal.timeout(5000),
    onExchange: (exchange) => exchanges.push(exchange),
  });
  assert.is(created.ref_id, 'client-json-1');
  assert.is(exchanges.length, 1);
  assert.is(exchanges[0]!.method, 'POST');
  assert.is(exchanges[0]!.path, '/v2/identity/identities');
  assert.is(exchanges[0]!.status, 200);
  assert.type(exchanges[0]!.durationMs, 'number');
});

Client('puts the query on the URL, repeating array keys and skipping undefined', async ({ proxy }) => {
  const client = clientFor(proxy);
  const exchanges: HttpExchange[] = [];
  await client.call({
    method: 'GET',
    path: '/identity/identities',
    query: { limit: 2, order: 'DESC', summary_status: undefined, type: ['PERSON'] },
    signal: AbortSignal.timeout(5000),
    onExchange: (exchange) => exchanges.push(exchange),
  });
  assert.is(exchanges[0]!.path, '/v2/identity/identities?limit=2&order=DESC&type=PERSON');
  assert.is(proxy.seen.at(-1)!.path, '/v2/identity/identities?limit=2&order=DESC&type=PERSON');
});

Client('a 404 Problem becomes PAXOS_NOT_FOUND with METHOD and path in the message', async ({ proxy }) => {
  const error = await failure(() => get(clientFor(proxy), '/identity/identities/00000000-0000-4000-8000-000000000000'));
  assert.is(error.code, 'PAXOS_NOT_FOUND');
  assert.is(error.status, 404);
  assert.is(error.type, 'about:blank');
  assert.is(error.title, 'Not Found');
  assert.match(error.message, 'GET /v2/identity/identities/00000000-0000-4000-8000-000000000000');
});

Client('a 403 for a missing scope becomes PAXOS_FORBIDDEN with the detail', async ({ proxy }) => {
  const error = await failure(() => get(clientFor(proxy), '/identity/accounts'));
  assert.is(error.code, 'PAXOS_FORBIDDEN');
  assert.is(error.status, 403);
  assert.match(error.detail ?? '', /^insufficient scopes: found '.*', required one of '\[identity:read_account\]'$/);
});

Client('a 409 already-exists keeps its type, slug and meta.existing', async ({ proxy }) => {
  const client = clientFor(proxy);
  const body = person('client-dup-1');
  const first = await client.call<{ id: string }>({ method: 'POST', path: '/identity/identities', json: body, signal: AbortSignal.timeout(5000) });
  const error = await failure(() => client.call({ method: 'POST', path: '/identity/identities', json: body, signal: AbortSignal.timeout(5000) }));
  assert.is(error.code, 'PAXOS_ALREADY_EXISTS');
  assert.is(error.status, 409);
  assert.is(error.slug, 'already-exists');
  assert.is(error.type, 'https://developer.paxos.com/docs/v2/problems/already-exists');
  assert.equal(error.meta, { existing: { id: first.id } });
});

Client('typed problems get PAXOS_<SLUG> codes, from application/json bodies too', async ({ proxy }) => {
  proxy.inject({ method: 'POST', path: IDENTITIES }, [
    {
      kind: 'status',
      status: 403,
      headers: { 'content-type': 'application/json' },
      body: {
        type: 'https://developer.paxos.com/docs/v2/problems/insufficient-funds',
        title: 'Insufficient Funds',
        status: 403,
        meta: { asset: 'USD', available: '50', needed: '100' },
      },
    },
  ]);
  const error = await failure(() => clientFor(proxy).call({ method: 'POST', path: '/identity/identities', json: {}, signal: AbortSignal.timeout(5000) }));
  assert.is(error.code, 'PAXOS_INSUFFICIENT_FUNDS');
  assert.is(error.slug, 'insufficient-funds');
  assert.is(error.title, 'Insufficient Funds');
  assert.is(error.detail, undefined);
  assert.equal(error.meta, { asset: 'USD', available: '50', needed: '100' });
});

Client('a non-JSON error body still gives a coded error with the status title', async ({ proxy }) => {
  proxy.inject({ method: 'POST', path: IDENTITIES }, [{ kind: 'commit-then-status', status: 502 }]);
  const error = await failure(() =>
    clientFor(proxy).call({ method: 'POST', path: '/identity/identities', json: person('client-html-1'), signal: AbortSignal.timeout(5000) }),
  );
  assert.is(error.code, 'PAXOS_SERVER_ERROR');
  assert.is(error.status, 502);
  assert.is(error.title, 'Bad Gateway');
  assert.not.match(error.message, 'html');
});

Client('errors never show the request body, query values, token or secret', async ({ proxy }) => {
  const secretCanary = 'canary-secret-0b7d4e';
  const sandbox = await startSandbox({ port: 0, clientSecret: secretCanary });
  const ownProxy = await startFaultProxy(sandbox.url);
  try {
    const client = clientFor(ownProxy, { credentials: { clientId: 'sandbox-client', clientSecret: secretCanary } });
    const token = (await client.authorization())!.replace(/^Bearer /, '');
    const bodyCanary = '999-41-7302';
    const queryCanary = 'canary-email@example.org';
    const body = { ...person('client-canary-1'), person_details: { first_name: 'A', last_name: 'B', cip_id: bodyCanary, date_of_birth: 'not-a-date' } };
    ownProxy.inject({ method: 'POST', path: IDENTITIES }, [{ kind: 'status', status: 500 }, { kind: 'reset' }]);
    const errors = [
      await failure(() => client.call({ method: 'POST', path: '/identity/identities', json: body, signal: AbortSignal.timeout(5000) })),
      await failure(() => client.call({ method: 'POST', path: '/identity/identities', json: body, signal: AbortSignal.timeout(5000) })),
      await failure(() => client.call({ method: 'POST', path: '/identity/identities', json: body, signal: AbortSignal.timeout(5000) })),
      await failure(() => client.call({ method: 'GET', path: '/identity/accounts', query: { email: queryCanary }, signal: AbortSignal.timeout(5000) })),
    ];
    assert.equal(errors.map((error) => error.code), ['PAXOS_SERVER_ERROR', 'PAXOS_NETWORK_ERROR', 'PAXOS_BAD_REQUEST', 'PAXOS_FORBIDDEN']);
    for (const error of errors) {
      const shown = `${error.message}\n${inspect(error, { depth: 20, showHidden: true })}\n${JSON.stringify(error)}`;
      for (const canary of [secretCanary, token, bodyCanary, queryCanary, 'Bearer', 'authorization']) assert.not.match(shown, canary);
      assert.is(error.cause, undefined);
    }
  } finally {
    await ownProxy.close();
    await sandbox.close();
  }
  void proxy;
});

Client('GETs are retried on 5xx and network errors until they succeed', async ({ proxy }) => {
  proxy.inject({ method: 'GET', path: IDENTITIES }, [{ kind: 'status', status: 503 }, { kind: 'reset' }, { kind: 'status', status: 500 }]);
  const statuses: Array<number | undefined> = [];
  const result = await get(clientFor(proxy), '/identity/identities', { onExchange: (e) => statuses.push(e.status) });
  assert.ok(result);
  assert.equal(statuses, [503, undefined, 500, 200]);
  assert.is(proxy.count('GET', IDENTITIES), 4);
});

Client('a GET whose attempt times out is retried', async ({ proxy }) => {
  proxy.inject({ method: 'GET', path: IDENTITIES }, [{ kind: 'commit-then-hang' }]);
  const result = await get(clientFor(proxy, { timeoutMs: 200 }), '/identity/identities');
  assert.ok(result);
  assert.is(proxy.count('GET', IDENTITIES), 2);
});

Client('a 429 is retried after its Retry-After seconds', async ({ proxy }) => {
  proxy.inject({ method: 'GET', path: IDENTITIES }, [
    { kind: 'status', status: 429, headers: { 'retry-after': '1' }, body: { type: 'about:blank', title: 'Too Many Requests', status: 429 } },
  ]);
  const statuses: Array<number | undefined> = [];
  await get(clientFor(proxy), '/identity/identities', { onExchange: (e) => statuses.push(e.status) });
  assert.equal(statuses, [429, 200]);
});

Client('a Retry-After beyond the cap fails at once with PAXOS_RATE_LIMITED', async ({ proxy }) => {
  proxy.inject({ method: 'GET', path: IDENTITIES }, [{ kind: 'status', status: 429, headers: { 'retry-after': '3600' } }]);
  const error = await failure(() => get(clientFor(proxy), '/identity/identities'));
  assert.is(error.code, 'PAXOS_RATE_LIMITED');
  assert.is(error.retryAfterMs, 3_600_000);
  assert.is(proxy.count('GET', IDENTITIES), 1);
});

Client('GET retries are bounded by the retry limit', async ({ proxy }) => {
  proxy.inject({ method: 'GET', path: IDENTITIES }, [{ kind: 'status', status: 500 }], { sticky: true });
  const error = await failure(() => get(clientFor(proxy, { retry: { limit: 2, baseDelayMs: 5 } }), '/identity/identities'));
  assert.is(error.code, 'PAXOS_SERVER_ERROR');
  assert.is(proxy.count('GET', IDENTITIES), 3);
});

Client('GET retries stop when the caller signal reaches its deadline', async ({ proxy }) => {
  proxy.inject({ method: 'GET', path: IDENTITIES }, [{ kind: 'status', status: 503 }], { sticky: true });
  const client = clientFor(proxy, { retry: { limit: 1_000_000, baseDelayMs: 20, maxDelayMs: 40 } });
  const exchanges: HttpExchange[] = [];
  const error = await failure(() => get(client, '/identity/identities', { signal: AbortSignal.timeout(300), onExchange: (e) => exchanges.push(e) }));
  assert.is(error.code, 'PAXOS_TIMEOUT');
  assert.match(error.message, 'HTTP 503');
  assert.ok(exchanges.length >= 2);
  // Every answered attempt reached the server; the one the deadline cut may or may not have (a race
  // between the abort and the request reaching the proxy), so it is not counted either way.
  const answered = exchanges.filter((exchange) => exchange.status === 503).length;
  const seen = proxy.count('GET', IDENTITIES);
  assert.ok(seen >= answered && seen <= exchanges.length, `${seen} requests seen, ${answered} answered of ${exchanges.length}`);
});

Client('an aborted signal stops the call before it is sent', async ({ proxy }) => {
  const controller = new AbortController();
  controller.abort();
  const error = await failure(() => get(clientFor(proxy), '/identity/identities', { signal: controller.signal }));
  assert.is(error.code, 'PAXOS_ABORTED');
  assert.is(proxy.count('GET', IDENTITIES), 0);
});

Client('a POST is sent once on 5xx, 429, reset and timeout', async ({ sandbox, proxy }) => {
  const client = clientFor(proxy, { timeoutMs: 200 });
  const faults = [
    { kind: 'status', status: 503 },
    { kind: 'status', status: 429, headers: { 'retry-after': '0' } },
    { kind: 'reset' },
    { kind: 'commit-then-hang' },
  ] as const;
  const codes: string[] = [];
  for (const [index, fault] of faults.entries()) {
    proxy.seen.length = 0;
    proxy.inject({ method: 'POST', path: IDENTITIES }, [fault]);
    const error = await failure(() =>
      client.call({ method: 'POST', path: '/identity/identities', json: person(`client-once-${index}`), signal: AbortSignal.timeout(5000) }),
    );
    codes.push(error.code);
    assert.is(proxy.count('POST', IDENTITIES), 1);
  }
  assert.equal(codes, ['PAXOS_SERVER_ERROR', 'PAXOS_RATE_LIMITED', 'PAXOS_NETWORK_ERROR', 'PAXOS_TIMEOUT']);
  // The committed-then-hung create exists once: the client did not send it again.
  assert.is([...sandbox.state.identities.values()].filter((identity) => identity.ref_id === 'client-once-3').length, 1);
});

Client('a path with a query or dot segments is refused before sending', async ({ proxy }) => {
  const client = clientFor(proxy);
  for (const path of ['/identity/identities?limit=1', '/identity/../../oauth2/token']) {
    try {
      await get(client, path);
      assert.unreachable('should fail');
    } catch (error) {
      assert.ok(isUsageError(error));
      assert.is(error.code, 'BAD_API_PATH');
    }
  }
  assert.is(proxy.seen.filter((request) => request.path.startsWith('/v2')).length, 0);
});

Client('a 2xx body that is not JSON is PAXOS_BAD_RESPONSE', async ({ proxy }) => {
  proxy.inject({ method: 'GET', path: IDENTITIES }, [{ kind: 'status', status: 200, headers: { 'content-type': 'text/plain' }, body: 'hello' }]);
  const error = await failure(() => get(clientFor(proxy), '/identity/identities'));
  assert.is(error.code, 'PAXOS_BAD_RESPONSE');
});

Client.run();
