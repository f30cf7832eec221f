import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { authorize, type TokenStore } from './auth.js';
import { parseJsonBody, readRawBody } from './body.js';
import { ClosingProblem, UPLOAD_PATH_PREFIX, receiveUpload } from './documents.js';
import type { FaultInjector } from './faults.js';
import { Problem, notFound, type Route, type SandboxRequest } from './http-types.js';
import { handleTokenRequest } from './oauth.js';
import { Router } from './router.js';
import { allRoutes } from './routes.js';
import type { SandboxState } from './state.js';

const TOKEN_PATH = '/oauth2/token';

function send(response: ServerResponse, status: number, body: unknown, contentType: string, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': `${contentType}; charset=utf-8`,
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(payload);
}

function sendProblem(response: ServerResponse, problem: Problem, headers: Record<string, string> = {}): void {
  send(response, problem.status, problem.toJSON(), 'application/problem+json', headers);
}

/** Builds the emulator's HTTP server for one state; `startSandbox` makes it listen. */
export function createSandboxServer(state: SandboxState, tokens: TokenStore, routes: readonly Route[] = allRoutes, faults?: FaultInjector): Server {
  const router = new Router(routes);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sandbox.invalid');
    const method = request.method ?? 'GET';

    if (url.pathname === TOKEN_PATH) {
      if (method !== 'POST') {
        return sendProblem(response, new Problem(405, 'Method Not Allowed', `${method} is not supported on ${TOKEN_PATH}`), { allow: 'POST' });
      }
      const raw = await readRawBody(request);
      const reply = handleTokenRequest(request.headers, raw, state.options, tokens);
      return send(response, reply.status, reply.body, 'application/json', { pragma: 'no-cache', ...reply.headers });
    }

    if (url.pathname.startsWith(UPLOAD_PATH_PREFIX)) {
      if (method !== 'POST') {
        return sendProblem(response, new Problem(405, 'Method Not Allowed', `${method} is not supported on an upload URL`), { allow: 'POST' });
      }
      const reply = await receiveUpload(request, url, state);
      return send(response, reply.status ?? 200, reply.body, 'application/json');
    }

    const match = router.match(method, url.pathname);
    if (match.kind === 'none') return sendProblem(response, notFound());
    if (match.kind === 'wrong-method') {
      const problem = new Problem(405, 'Method Not Allowed', `${method} is not supported on this path`);
      return sendProblem(response, problem, { allow: match.allow.join(', ') });
    }

    const raw = await readRawBody(request);
    const { route, params } = match;
    const scopes = route.scopes === 'public' ? new Set<string>() : authorize(request.headers, route.scopes, tokens);
    const sandboxRequest: SandboxRequest = {
      method,
      path: url.pathname,
      params,
      query: url.searchParams,
      body: method === 'GET' ? undefined : parseJsonBody(raw, request.headers['content-type']),
      headers: request.headers,
      scopes,
    };
    const reply = await route.handle(sandboxRequest, state);
    send(response, reply.status ?? 200, reply.body, 'application/json');
  }

  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent || response.destroyed || request.socket.destroyed) {
        response.destroy();
        return;
      }
      if (error instanceof ClosingProblem) {
        // The rest of the body is not read: the connection closes once the answer is out.
        response.once('finish', () => request.destroy());
        return sendProblem(response, error, { connection: 'close' });
      }
      if (error instanceof Problem) {
        return sendProblem(response, error);
      }
      // Only the error's class is reported: messages and stacks may quote the request body.
      const kind = error instanceof Error ? error.name : typeof error;
      process.stderr.write(`paxflow sandbox: unexpected ${kind} while handling ${request.method ?? '?'} ${safePath(request.url)}\n`);
      sendProblem(response, new Problem(500, 'Internal Server Error'));
    });
  };
  return createServer(faults ? faults.wrap(listener) : listener);
}

const safePath = (url: string | undefined): string => (url ?? '/').split('?')[0]!.replace(/[^\x21-\x7e]/g, '?').slice(0, 200);
