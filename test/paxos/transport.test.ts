import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPaxosClient, isPaxosApiError, type PaxosApiError, type PaxosClientOptions } from '../../src/paxos/index.js';
import type { HttpExchange } from '../../src/steps/define.js';

// What the client does on node:http where fetch did it for us: connections the server closes (idle, or
// in the middle of an answer), an abort or a timeout in the middle of a body, compressed answers, and
// https (the scheme picks node:https with the default CA store and SNI). Real servers on 127.0.0.1.

type Handler = (request: IncomingMessage, response: ServerResponse, count: number) => void;
interface TestServer {
  url: string;
  /** Requests per path. */
  hits: Record<string, number>;
  /** Connections the server accepted. */
  connections: Socket[];
  close(): Promise<void>;
}
const transport = suite('paxos: the node:http transport');

/**
 * A server of its own per test: the client's keep-alive pool is per host and port, so no test meets
 * another's connections. Unknown paths answer 200 with the path and the accept-encoding they were sent.
 */
const serve = async (routes: Record<string, Handler>): Promise<TestServer> => {
  const hits: Record<string, number> = {};
  const connections: Socket[] = [];
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    hits[path] = (hits[path] ?? 0) + 1;
    request.resume();
    request.on('end', () => {
      const handler = routes[path];
      if (handler) return handler(request, response, hits[path]!);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path, encoding: request.headers['accept-encoding'] ?? null }));
    });
  });
  server.on('connection', (socket: Socket) => connections.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** Runs `test` with a server of its own, closed after. */
const withServer = (routes: Record<string, Handler>, test: (server: TestServer) => Promise<void>) => async () => {
  const server = await serve(routes);
  try {
    await test(server);
  } finally {
    await server.close();
  }
};

const clientOf = (url: string, options: Partial<PaxosClientOptions> = {}) =>
  createPaxosClient({ target: { name: 'custom', apiUrl: `${url}/v2` }, scopes: [], retry: { baseDelayMs: 1, maxDelayMs: 1 }, ...options });

const failure = async (work: () => Promise<unknown>): Promise<PaxosApiError> => {
  try {
    await work();
  } catch (error) {
    assert.ok(isPaxosApiError(error), `a PaxosApiError, not ${String(error)}`);
    return error;
  }
  throw new Error('expected a failure');
};

const closed = (socket: Socket): Promise<void> => (socket.destroyed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve())));
const turns = async (count: number) => {
  for (let index = 0; index < count; index += 1) await new Promise((resolve) => setImmediate(resolve));
};

/** Answers 200 saying 1,000 bytes follow, sends the first ten, and then does `then`. */
const partial = (then: (response: ServerResponse) => void): Handler => (_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
  response.write('{"items":[', () => then(response));
};

const closesAfterAnswer: Handler = (request, response) => {
  const { socket } = request;
  // Closed from the server's side once the answer is out, as a server's keep-alive timeout would.
  response.on('finish', () => socket.end());
  response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
};

transport('an idle connection the server closed is not reused; an open one is', withServer({ '/v2/first': closesAfterAnswer }, async ({ url, connections }) => {
  const client = clientOf(url, { retry: { limit: 0 } });
  await client.call({ method: 'GET', path: '/first', signal: AbortSignal.timeout(5000) });
  await closed(connections[0]!);
  await turns(5);
  const statuses: Array<number | undefined> = [];
  const onExchange = (exchange: HttpExchange) => statuses.push(exchange.status);
  await client.call({ method: 'GET', path: '/second', signal: AbortSignal.timeout(5000), onExchange });
  await client.call({ method: 'POST', path: '/third', json: {}, signal: AbortSignal.timeout(5000), onExchange });
  assert.equal(statuses, [200, 200], 'no attempt met the closed connection');
  assert.is(connections.length, 2, 'a new connection after the closed one, then that one again');
}));

const dropsSecondAndFourth: Handler = (request, response, count) => {
  if (count === 2 || count === 4) return void request.socket.destroy();
  response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
};

transport('a connection the server drops as the next request arrives: a GET is retried, a POST reports ECONNRESET once', withServer({ '/v2/dropped': dropsSecondAndFourth }, async ({ url, hits }) => {
  const client = clientOf(url);
  const statuses: Array<number | undefined> = [];
  const onExchange = (exchange: HttpExchange) => statuses.push(exchange.status);
  await client.call({ method: 'GET', path: '/dropped', signal: AbortSignal.timeout(5000), onExchange });
  await client.call({ method: 'GET', path: '/dropped', signal: AbortSignal.timeout(5000), onExchange });
  assert.equal(statuses, [200, undefined, 200]);
  const error = await failure(() => client.call({ method: 'POST', path: '/dropped', json: { a: 1 }, signal: AbortSignal.timeout(5000) }));
  assert.is(error.code, 'PAXOS_NETWORK_ERROR');
  assert.match(error.title, /\bECONNRESET\b/);
  assert.is(hits['/v2/dropped'], 4, 'the POST was sent once');
}));

const cutsAllButSecond: Handler = (request, response, count) => {
  if (count === 2) return void response.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}');
  partial(() => request.socket.destroy())(request, response, count);
};

transport('a server that closes the connection mid-body: a GET is retried, a POST fails with PAXOS_NETWORK_ERROR', withServer({ '/v2/cut': cutsAllButSecond }, async ({ url, hits }) => {
  const statuses: Array<number | undefined> = [];
  const body = await clientOf(url).call({ method: 'GET', path: '/cut', signal: AbortSignal.timeout(5000), onExchange: (e) => statuses.push(e.status) });
  assert.equal(body, { items: [] });
  assert.equal(statuses, [undefined, 200], 'the cut answer counts as no answer');
  const error = await failure(() => clientOf(url).call({ method: 'POST', path: '/cut', json: {}, signal: AbortSignal.timeout(5000) }));
  assert.is(error.code, 'PAXOS_NETWORK_ERROR');
  assert.is(error.status, undefined);
  assert.is(hits['/v2/cut'], 3);
}));

const controller = new AbortController();
let hungUp: Promise<void> = Promise.resolve();
const abortsMidBody = partial((response) => {
  hungUp = new Promise((resolve) => response.on('close', () => resolve()));
  controller.abort();
});

transport('an abort in the middle of a body ends the call at once and hangs up; so does the attempt timeout', withServer({ '/v2/slow': abortsMidBody }, async ({ url }) => {
  const aborted = await failure(() => clientOf(url).call({ method: 'GET', path: '/slow', signal: controller.signal }));
  assert.is(aborted.code, 'PAXOS_ABORTED');
  await hungUp;
  const timedOut = await failure(() => clientOf(url, { timeoutMs: 100 }).call({ method: 'POST', path: '/slow', json: {}, signal: AbortSignal.timeout(5000) }));
  assert.is(timedOut.code, 'PAXOS_TIMEOUT');
}));

const json = Buffer.from(JSON.stringify({ items: ['é', 'a'.repeat(2000)] }));
const compressed = (encoding: string, body: () => Buffer): Handler => (_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding }).end(body());
};
const encoded = {
  '/v2/gzip': compressed('gzip', () => gzipSync(json)),
  '/v2/deflate': compressed('deflate', () => deflateSync(json)),
  '/v2/raw-deflate': compressed('deflate', () => deflateRawSync(json)),
  '/v2/bomb': compressed('gzip', () => gzipSync(Buffer.alloc(17 * 1024 * 1024, ' '))),
};

transport('gzip and deflate answers are decoded; one over the limit once decoded is PAXOS_RESPONSE_TOO_LARGE', withServer(encoded, async ({ url }) => {
  const client = clientOf(url);
  const get = (path: string) => client.call({ method: 'GET', path, signal: AbortSignal.timeout(5000) });
  for (const path of ['/gzip', '/deflate', '/raw-deflate']) assert.equal(await get(path), JSON.parse(json.toString('utf8')), path);
  assert.equal(await get('/plain'), { path: '/v2/plain', encoding: 'gzip, deflate' }, 'asks for what fetch asked for');
  const error = await failure(() => get('/bomb'));
  assert.is(error.code, 'PAXOS_RESPONSE_TOO_LARGE');
}));

transport('a port where nothing listens is PAXOS_NETWORK_ERROR (ECONNREFUSED), and the token PAXOS_TOKEN_UNREACHABLE', async () => {
  const idle = createServer();
  await new Promise<void>((resolve) => idle.listen(0, '127.0.0.1', resolve));
  const free = `http://127.0.0.1:${(idle.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => idle.close(() => resolve()));
  const error = await failure(() => clientOf(free, { retry: { limit: 0 } }).call({ method: 'GET', path: '/x', signal: AbortSignal.timeout(5000) }));
  assert.is(error.code, 'PAXOS_NETWORK_ERROR');
  assert.match(error.title, /\bECONNREFUSED\b/);
  const credentials = { clientId: 'id-unreachable', clientSecret: 'secret' };
  const token = await failure(() =>
    createPaxosClient({ target: { name: 'custom', apiUrl: `${free}/v2`, oauthUrl: `${free}/oauth2/token` }, credentials, scopes: [], tokenMinIntervalMs: 0 }).authorize(
      AbortSignal.timeout(5000),
    ),
  );
  assert.is(token.code, 'PAXOS_TOKEN_UNREACHABLE');
});

transport('https: the default CA store decides (a self-signed server is refused), with SNI; idle connections keep no process alive', async () => {
  const names: Array<string | false> = [];
  let requests = 0;
  const tls = createTlsServer(
    { key: readFileSync('test/fixtures/tls/localhost.key'), cert: readFileSync('test/fixtures/tls/localhost.crt') },
    (request, response) => {
      requests += 1;
      request.resume();
      const token = request.url === '/oauth2/token';
      response.writeHead(200, { 'content-type': 'application/json' }).end(token ? '{"access_token":"tls-token","expires_in":3600}' : '{"ok":true}');
    },
  );
  tls.on('secureConnection', (socket: TLSSocket) => names.push((socket as TLSSocket & { servername: string | false }).servername));
  tls.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
  const base = `https://localhost:${(tls.address() as AddressInfo).port}`;
  try {
    const refused = await failure(() => clientOf(base, { retry: { limit: 0 } }).call({ method: 'GET', path: '/x', signal: AbortSignal.timeout(5000) }));
    assert.is(refused.code, 'PAXOS_NETWORK_ERROR');
    assert.match(refused.title, /CERT/);
    assert.is(requests, 0, 'nothing was sent over the unverified connection');

    // The same certificate trusted as Node trusts any extra CA: a child process started with NODE_EXTRA_CA_CERTS.
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/paxos/_https-child.ts', `${base}/v2`, `${base}/oauth2/token`], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_EXTRA_CA_CERTS: 'test/fixtures/tls/localhost.crt', PAXFLOW_HTTPS_CHILD: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const [code] = await new Promise<[number | null]>((resolve) => child.on('close', (exit) => resolve([exit])));
    clearTimeout(guard);
    assert.is(code, 0, stderr);
    const outcome = JSON.parse(stdout) as { body: unknown; active: string[] };
    assert.equal(outcome.body, { ok: true });
    assert.ok(names.length >= 1 && names.every((name) => name === 'localhost'), `SNI names: ${JSON.stringify(names)}`);
    assert.is(requests, 2, 'the token and the call');
    assert.equal(outcome.active.filter((kind) => /TCP|TLS/i.test(kind)), [], 'the open keep-alive connection does not hold the process');
  } finally {
    tls.closeAllConnections();
    await new Promise<void>((resolve) => tls.close(() => resolve()));
  }
});

transport.run();
