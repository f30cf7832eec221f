import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Answers that a server paxflow talks to could give on purpose or by mistake, as handlers for
 * startTestServer: redirects, endless or huge bodies, garbage, and no answer at all.
 */

/** Redirects to `location` with `status` (307 and 308 ask the client to re-send the body). */
export const redirectTo = (status: number, location: string) => (_request: IncomingMessage, response: ServerResponse) => {
  response.writeHead(status, { location, 'content-type': 'text/plain' }).end('moved');
};

/** What a streaming answer sent before the client stopped reading it. */
export interface Streamed {
  bytes: number;
  /** The client closed the connection before the whole body was sent. */
  cutOff: boolean;
  /** Settles when the answer is over: sent in full, or cut off. */
  over: Promise<void>;
}

/**
 * A 200 JSON-ish answer of `total` bytes sent in 64 KiB pieces, as fast as the client reads them;
 * `streamed` records how much went out and whether the client hung up first.
 */
export const hugeBody = (total: number, streamed: Streamed[] = [], status = 200) => (_request: IncomingMessage, response: ServerResponse) => {
  let settle = (): void => undefined;
  const record: Streamed = { bytes: 0, cutOff: false, over: new Promise<void>((resolve) => (settle = resolve)) };
  streamed.push(record);
  const piece = Buffer.alloc(64 * 1024, 'a');
  response.writeHead(status, { 'content-type': 'application/json' });
  response.write('{"access_token":"');
  response.on('close', () => {
    if (!response.writableFinished) record.cutOff = true;
    settle();
  });
  const pump = (): void => {
    while (record.bytes < total && !response.destroyed) {
      record.bytes += piece.length;
      if (!response.write(piece)) return void response.once('drain', pump);
    }
    if (!response.destroyed) response.end('"}');
  };
  pump();
};

/** A small answer that says it is huge: the length alone must be enough to refuse it. */
export const declaredHuge = (_request: IncomingMessage, response: ServerResponse) => {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(600 * 1024 * 1024) });
  response.write('{"a":1}');
};

/** Bytes that are not JSON, with a JSON content type. */
export const garbage = (status = 200) => (_request: IncomingMessage, response: ServerResponse) => {
  response.writeHead(status, { 'content-type': 'application/json' }).end('<html>\u0000\u001b[31m{{not json');
};

/** Takes the request and never answers. */
export const stall = () => undefined;

/** How each hostile answer is asked for: the first path segment `t-<mode>` (token), `a-<mode>` (API) or `h-<mode>` (any URL). */
export const HOSTILE_MODES = ['ok', 'r307', 'r302', 'huge', 'declared', 'garbage', 'stall', 'echo', 's401', 's429', 'empty'] as const;
export type HostileMode = (typeof HOSTILE_MODES)[number];

/**
 * A server on 127.0.0.1 that answers by the mode named in the path's first segment, for property tests:
 * `/t-huge/oauth2/token`, `/a-r307/v2/identity/identities`, `/h-garbage/x`. Redirects point at `elsewhere`,
 * a second server that must never see a request. `ok` answers a token (`token`) or `{}`.
 */
export const startHostileServer = async (elsewhere: string, token: string) => {
  const streamed: Streamed[] = [];
  const open = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    open.add(response);
    response.on('close', () => open.delete(response));
    let body = '';
    request.on('data', (chunk: Buffer) => {
      if (body.length < 100_000) body += chunk;
    });
    request.on('end', () => {
      const [, segment = '', ...rest] = (request.url ?? '/').split('/');
      const mode = segment.slice(2) as HostileMode;
      const isToken = segment.startsWith('t-');
      const problem = (status: number, detail: string) =>
        response.writeHead(status, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ type: 'about:blank', title: 'Nope', status, detail }));
      switch (mode) {
        case 'ok':
          return void response
            .writeHead(200, { 'content-type': 'application/json' })
            .end(isToken ? JSON.stringify({ access_token: token, expires_in: 3600, scope: new URLSearchParams(body).get('scope') ?? '' }) : '{}');
        case 'r307':
          return redirectTo(307, `${elsewhere}/${rest.join('/')}`)(request, response);
        case 'r302':
          return redirectTo(302, `${elsewhere}/${rest.join('/')}`)(request, response);
        case 'huge':
          return hugeBody(isToken ? 4 * 1024 * 1024 : 40 * 1024 * 1024, streamed)(request, response);
        case 'declared':
          return declaredHuge(request, response);
        case 'garbage':
          return garbage(200)(request, response);
        case 'stall':
          return;
        // A server that puts the request (personal data, the client secret) into its error text.
        case 'echo':
          return problem(400, body.slice(0, 2000));
        case 's401':
          return problem(401, 'invalid_client');
        case 's429':
          return problem(429, 'slow down');
        case 'empty':
          return void response.writeHead(200, { 'content-type': 'application/json' }).end();
        default:
          return problem(404, 'no such mode');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    streamed,
    /** Ends every answer still open (stalled ones), as a client that gave up would find them. */
    reset: () => {
      for (const response of open) response.destroy();
      streamed.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
