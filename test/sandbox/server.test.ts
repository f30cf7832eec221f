import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TokenStore } from '../../src/sandbox/auth.js';
import { Problem, type Route } from '../../src/sandbox/http-types.js';
import { createSandboxServer } from '../../src/sandbox/server.js';
import { expectOk, expectProblem } from './_expect.js';
import { call, getToken, guidePerson, startTestSandbox, type SandboxHandle } from './_helpers.js';

interface Context {
  sandbox: SandboxHandle;
  token: string;
}

const server = suite<Context>('sandbox server: auth, routing and bodies');

server.before(async (context) => {
  context.sandbox = await startTestSandbox();
  context.token = await getToken(context.sandbox);
});
server.after(async ({ sandbox }) => {
  await sandbox.close();
});

server('exposes url, apiUrl, oauthUrl and port of one listening server', async ({ sandbox }) => {
  assert.match(sandbox.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.is(sandbox.apiUrl, `${sandbox.url}/v2`);
  assert.is(sandbox.oauthUrl, `${sandbox.url}/oauth2/token`);
  assert.is(sandbox.url.endsWith(`:${sandbox.port}`), true);
});

server('401 without an Authorization header, with the Paxos problem body', async ({ sandbox }) => {
  const result = await call(sandbox, 'GET', '/v2/profiles');
  const problem = expectProblem(result, 401);
  assert.equal(problem, { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'no authorization header set' });
});

server('401 for an unknown token and for a non-Bearer header', async ({ sandbox }) => {
  expectProblem(await call(sandbox, 'GET', '/v2/profiles', { token: 'not-a-token' }), 401, 'invalid or expired token');
  const basic = await call(sandbox, 'GET', '/v2/profiles', { headers: { authorization: 'Basic abc' } });
  expectProblem(basic, 401);
});

server('403 names the granted scopes and the required one exactly', async ({ sandbox }) => {
  const token = await getToken(sandbox, ['identity:read_identity', 'funding:read_profile']);
  const result = await call(sandbox, 'GET', '/v2/events', { token });
  const problem = expectProblem(result, 403,
    "insufficient scopes: found 'identity:read_identity funding:read_profile', required one of '[events:read_event]'");
  assert.is(problem.title, 'Forbidden');
  const write = await call(sandbox, 'POST', '/v2/identity/identities', { token, body: guidePerson() });
  expectProblem(write, 403, /required one of '\[identity:write_identity\]'$/);
});

server('unknown paths are a bare 404 Problem', async ({ sandbox, token }) => {
  for (const path of ['/v2/nothing-here', '/v3/profiles', '/', '/v2/identity/identities/a/b/c']) {
    const result = await call(sandbox, 'GET', path, { token });
    assert.equal(expectProblem(result, 404), { type: 'about:blank', title: 'Not Found', status: 404 });
  }
});

server('a known path with the wrong method is 405 with Allow', async ({ sandbox, token }) => {
  const result = await call(sandbox, 'DELETE', '/v2/identity/identities', { token });
  expectProblem(result, 405);
  assert.is(result.headers.get('allow'), 'POST, GET');
});

server('malformed JSON is a 400 that does not quote the body', async ({ sandbox, token }) => {
  const result = await call(sandbox, 'POST', '/v2/profiles', {
    token,
    headers: { 'content-type': 'application/json' },
    body: undefined,
  });
  expectProblem(result, 400);
  const raw = await fetch(`${sandbox.apiUrl}/profiles`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{"nickname": "secret-123-45-6789",',
  });
  const body = (await raw.json()) as any;
  assert.is(raw.status, 400);
  assert.is(body.detail, 'request body is not valid JSON');
  assert.not.match(JSON.stringify(body), /123-45-6789/);
});

server('a body with another media type is 415', async ({ sandbox, token }) => {
  const result = await fetch(`${sandbox.apiUrl}/profiles`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
    body: '<nickname/>',
  });
  assert.is(result.status, 415);
  assert.match(result.headers.get('content-type') ?? '', /problem\+json/);
});

server('a body over 1 MiB is 413', async ({ sandbox, token }) => {
  const huge = JSON.stringify({ nickname: 'x'.repeat(1024 * 1024 + 10) });
  const result = await fetch(`${sandbox.apiUrl}/profiles`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: huge,
  });
  assert.is(result.status, 413);
  assert.is(((await result.json()) as any).title, 'Payload Too Large');
});

server('a streamed body without Content-Length that grows over 1 MiB is 413 too', async ({ sandbox, token }) => {
  const chunk = new TextEncoder().encode(' '.repeat(64 * 1024));
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= 20) return controller.close();
      sent += 1;
      controller.enqueue(chunk);
    },
  });
  const result = await fetch(`${sandbox.apiUrl}/profiles`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: stream,
    duplex: 'half',
  } as RequestInit);
  assert.is(result.status, 413);
  assert.is(((await result.json()) as any).status, 413);
});

server('JSON sent as curl --data sends it (form content type, raw JSON) is read as JSON', async ({ sandbox, token }) => {
  const result = await call(sandbox, 'POST', '/v2/profiles', {
    token,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: { nickname: 'curl-style', description: 'sent like curl --data' },
  });
  assert.is(expectOk(result, 'Profile').nickname, 'curl-style');
});

server.run();

const internal = suite('sandbox server: unexpected errors');

internal('an exception becomes a 500 Problem without stack, message or body in the response or the log', async () => {
  const failing: Route = {
    method: 'POST',
    path: '/v2/explode',
    scopes: 'public',
    handle(request) {
      throw new TypeError(`cannot handle ${JSON.stringify(request.body)}`);
    },
  };
  const sandbox = await startTestSandbox();
  const httpServer = createSandboxServer(sandbox.state, new TokenStore(sandbox.state), [failing]);
  httpServer.listen(0, '127.0.0.1');
  await once(httpServer, 'listening');
  const { port } = httpServer.address() as AddressInfo;

  const written: string[] = [];
  const originalWrite = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    const response = await fetch(`http://127.0.0.1:${port}/v2/explode`, { method: 'POST', body: '{"cip_id":"987-65-4321"}' });
    const text = await response.text();
    assert.is(response.status, 500);
    assert.equal(JSON.parse(text), { type: 'about:blank', title: 'Internal Server Error', status: 500 });
    assert.not.match(text, /987-65-4321|TypeError|at /);
  } finally {
    process.stderr.write = originalWrite;
    httpServer.closeAllConnections();
    httpServer.close();
    await sandbox.close();
  }
  assert.not.match(written.join(''), /987-65-4321/);
});

internal('close() resolves with a keep-alive connection open and is idempotent', async () => {
  const sandbox = await startTestSandbox();
  const token = await getToken(sandbox);
  assert.is((await call(sandbox, 'GET', '/v2/profiles', { token })).status, 200);
  await sandbox.close();
  await sandbox.close();
  let failed = false;
  try {
    await fetch(`${sandbox.apiUrl}/profiles`);
  } catch {
    failed = true;
  }
  assert.ok(failed);
});

internal('each server has its own state', async () => {
  const first = await startTestSandbox();
  const second = await startTestSandbox();
  try {
    const token = await getToken(first);
    await call(first, 'POST', '/v2/profiles', { token, body: { nickname: 'only-in-first' } });
    assert.is(first.state.profiles.size, 2);
    assert.is(second.state.profiles.size, 1);
    expectProblem(await call(second, 'GET', '/v2/profiles', { token }), 401);
  } finally {
    await first.close();
    await second.close();
  }
});

internal('rejects invalid options', async () => {
  const { startSandbox } = await import('../../src/sandbox/index.js');
  for (const options of [{ port: -1 }, { approvalDelayMs: -5 }, { tokenTtlSeconds: 0 }, { clientSecret: '' }]) {
    let error: unknown;
    try {
      await startSandbox(options);
    } catch (caught) {
      error = caught;
    }
    assert.instance(error, RangeError);
  }
});

internal('Problem serialises only the Paxos fields', () => {
  const problem = new Problem(409, 'Already Exists', 'duplicate ref_id provided', { slug: 'already-exists', meta: { existing: { id: 'x' } } });
  assert.equal(problem.toJSON(), {
    type: 'https://developer.paxos.com/docs/v2/problems/already-exists',
    title: 'Already Exists',
    status: 409,
    detail: 'duplicate ref_id provided',
    meta: { existing: { id: 'x' } },
  });
});

internal.run();
