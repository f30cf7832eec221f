import { inspect } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isUsageError } from '../../src/errors.js';
import { createPaxosClient, isPaxosApiError, type PaxosClientOptions } from '../../src/paxos/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { startFaultProxy, useProxiedSandbox, type FaultProxy, type ProxiedSandbox } from './_proxy.js';

const CREDENTIALS = { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' };
const READ = ['identity:read_identity'];

const Token = suite<ProxiedSandbox>('paxos tokens', {} as never);

// A 100 s lifetime makes the leeway 10 s (10% of expires_in), below the 60 s cap.
useProxiedSandbox(Token, { tokenTtlSeconds: 100 });

const clientFor = (proxy: FaultProxy, options: Partial<PaxosClientOptions> = {}) =>
  createPaxosClient({
    target: { name: 'local', apiUrl: proxy.apiUrl, oauthUrl: proxy.oauthUrl },
    credentials: CREDENTIALS,
    scopes: READ,
    tokenMinIntervalMs: 0,
    ...options,
  });

const list = (client: ReturnType<typeof clientFor>) =>
  client.call<{ items: unknown[] }>({ method: 'GET', path: '/identity/identities', signal: AbortSignal.timeout(5000) });

const apiRequests = (proxy: FaultProxy) => proxy.seen.filter((request) => request.path.startsWith('/v2/')).length;

Token('fetches one token and reuses it across calls and clients of the same credential', async ({ proxy }) => {
  const client = clientFor(proxy);
  await list(client);
  await list(client);
  await list(clientFor(proxy));
  assert.is(proxy.tokenRequests(), 1);
  const tokens = new Set(proxy.seen.filter((request) => request.path.startsWith('/v2/')).map((request) => request.authorization));
  assert.is(tokens.size, 1);
  assert.match([...tokens][0]!, /^Bearer \S+$/);
});

Token('requests exactly the given scopes, space-separated', async ({ proxy }) => {
  await clientFor(proxy, { scopes: ['identity:read_identity', 'exchange:read_order'] }).authorize();
  const form = new URLSearchParams(proxy.seen[0]!.body);
  assert.is(form.get('grant_type'), 'client_credentials');
  assert.is(form.get('scope'), 'identity:read_identity exchange:read_order');
});

Token('shares one in-flight token request among 20 concurrent calls', async ({ proxy }) => {
  const client = clientFor(proxy);
  const results = await Promise.all(Array.from({ length: 20 }, () => list(client)));
  assert.is(results.length, 20);
  assert.is(proxy.tokenRequests(), 1);
  assert.is(apiRequests(proxy), 20);
});

Token('refreshes within the leeway before expiry (10% of expires_in), not before', async ({ proxy }) => {
  let offset = 0;
  const client = clientFor(proxy, { clock: () => Date.now() + offset });
  await list(client);
  offset = 89_000;
  await list(client);
  assert.is(proxy.tokenRequests(), 1);
  offset = 91_000;
  await list(client);
  assert.is(proxy.tokenRequests(), 2);
  const used = proxy.seen.filter((request) => request.path.startsWith('/v2/')).map((request) => request.authorization);
  assert.is(used[0], used[1]);
  assert.is.not(used[1], used[2]);
});

Token('refreshes once on a 401 and re-sends the request', async ({ sandbox, proxy }) => {
  const client = clientFor(proxy);
  await list(client);
  const realNow = sandbox.state.now;
  // The emulator's clock jumps past the token's expiry: the cached token is now refused with 401.
  sandbox.state.now = () => new Date(Date.now() + 3_600_000);
  try {
    const exchanges: Array<number | undefined> = [];
    await client.call({ method: 'GET', path: '/identity/identities', signal: AbortSignal.timeout(5000), onExchange: (e) => exchanges.push(e.status) });
    assert.equal(exchanges, [401, 200]);
    assert.is(proxy.tokenRequests(), 2);
  } finally {
    sandbox.state.now = realNow;
  }
});

Token('refreshes at most once per request when the API keeps answering 401', async ({ proxy }) => {
  const client = clientFor(proxy);
  await client.authorize();
  proxy.inject({ path: /^\/v2\/identity\/identities/ }, [{ kind: 'status', status: 401, body: { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'invalid or expired token' } }], { sticky: true });
  try {
    await list(client);
    assert.unreachable('should fail');
  } catch (error) {
    assert.ok(isPaxosApiError(error));
    assert.is(error.code, 'PAXOS_UNAUTHORIZED');
    assert.is(error.status, 401);
  }
  assert.is(apiRequests(proxy), 2);
  assert.is(proxy.tokenRequests(), 2);
});

Token('a scope the credential may not request fails with MISSING_SCOPES before any API request', async () => {
  const narrow = await startSandbox({ port: 0, scopes: ['identity:read_identity'] });
  const proxy = await startFaultProxy(narrow.url);
  try {
    const client = clientFor(proxy, { scopes: ['identity:read_identity', 'exchange:write_order'] });
    for (const run of [() => client.authorize(), () => list(client)]) {
      try {
        await run();
        assert.unreachable('should fail');
      } catch (error) {
        assert.ok(isUsageError(error));
        assert.is(error.code, 'MISSING_SCOPES');
        assert.match(error.message, 'exchange:write_order');
      }
    }
    assert.is(apiRequests(proxy), 0);
  } finally {
    await proxy.close();
    await narrow.close();
  }
});

Token('a granted scope set without a requested scope fails with MISSING_SCOPES naming it', async ({ proxy }) => {
  proxy.inject({ path: /^\/oauth2\/token$/ }, [
    { kind: 'status', status: 200, body: { access_token: 'tok', token_type: 'bearer', expires_in: 3599, scope: 'identity:read_identity' } },
  ]);
  const client = clientFor(proxy, { scopes: ['identity:read_identity', 'funding:read_profile'] });
  try {
    await client.authorize();
    assert.unreachable('should fail');
  } catch (error) {
    assert.ok(isUsageError(error));
    assert.is(error.code, 'MISSING_SCOPES');
    assert.match(error.message, 'funding:read_profile');
    assert.not.match(error.message, 'identity:read_identity');
  }
});

Token('the hint on granting scopes names the Dashboard for the Paxos sandbox', async ({ proxy }) => {
  proxy.inject({ path: /^\/oauth2\/token$/ }, [{ kind: 'status', status: 400, body: { error: 'invalid_scope' } }]);
  const client = createPaxosClient({
    target: { name: 'sandbox', apiUrl: proxy.apiUrl, oauthUrl: proxy.oauthUrl },
    credentials: CREDENTIALS,
    scopes: READ,
  });
  try {
    await client.authorize();
    assert.unreachable('should fail');
  } catch (error) {
    assert.ok(isUsageError(error));
    assert.is(error.code, 'MISSING_SCOPES');
    assert.match(error.message, 'API Management');
  }
});

Token('a wrong secret fails with CREDENTIALS_REJECTED and never shows the secret', async ({ proxy }) => {
  const canary = 'canary-secret-5f2c91';
  const client = clientFor(proxy, { credentials: { clientId: 'sandbox-client', clientSecret: canary } });
  try {
    await client.authorize();
    assert.unreachable('should fail');
  } catch (error) {
    assert.ok(isUsageError(error));
    assert.is(error.code, 'CREDENTIALS_REJECTED');
    assert.not.match(error.message, canary);
    assert.not.match(inspect(error, { depth: 10 }), canary);
  }
  assert.is(proxy.tokenRequests(), 1);
});

Token('an unreachable token URL fails with a coded error naming its host', async () => {
  const client = createPaxosClient({
    target: { name: 'custom', apiUrl: 'http://127.0.0.1:9/v2', oauthUrl: 'http://127.0.0.1:9/oauth2/token' },
    credentials: CREDENTIALS,
    scopes: READ,
    tokenMinIntervalMs: 0,
  });
  try {
    await client.authorize();
    assert.unreachable('should fail');
  } catch (error) {
    assert.ok(isPaxosApiError(error));
    assert.is(error.code, 'PAXOS_TOKEN_UNREACHABLE');
    assert.match(error.message, '127.0.0.1:9');
    assert.not.match(inspect(error), 'sandbox-secret');
  }
});

Token('a target without a token URL sends no Authorization header', async ({ proxy }) => {
  const client = createPaxosClient({ target: { name: 'custom', apiUrl: proxy.apiUrl }, scopes: READ });
  await client.authorize();
  assert.is(await client.authorization(), undefined);
  const markets = await client.call<{ markets: unknown[] }>({ method: 'GET', path: '/markets', signal: AbortSignal.timeout(5000) });
  assert.ok(Array.isArray(markets.markets));
  assert.is(proxy.tokenRequests(), 0);
  assert.is(proxy.seen[0]!.authorization, undefined);
});

Token('authorization() gives the bearer header of the shared token', async ({ proxy }) => {
  const client = clientFor(proxy);
  const header = await client.authorization();
  await list(client);
  assert.is(proxy.seen.at(-1)!.authorization, header);
  assert.is(proxy.tokenRequests(), 1);
});

Token.run();
