import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Test } from 'uvu';
import { clearTokenCache } from '../../src/paxos/index.js';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../src/sandbox/index.js';

/** What useProxiedSandbox puts in a suite's context. */
export interface ProxiedSandbox {
  sandbox: SandboxHandle;
  proxy: FaultProxy;
}

/**
 * What the proxy does with one matching request instead of a plain forward:
 * - `status`: answers at once without forwarding (the API never saw it).
 * - `reset`: drops the connection without forwarding.
 * - `commit-then-reset` / `commit-then-status` / `commit-then-hang`: forwards (the API processes it),
 *   then drops the connection, answers `status` instead of the real response, or never answers.
 */
export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: 'reset' }
  | { kind: 'commit-then-reset' }
  | { kind: 'commit-then-status'; status: number }
  | { kind: 'commit-then-hang' };

export interface SeenRequest {
  method: string;
  /** Path and query. */
  path: string;
  authorization: string | undefined;
  body: string;
  /** What the client got: a status, or the fault's kind. */
  outcome: number | Fault['kind'];
}

interface Rule {
  method: string | undefined;
  path: RegExp;
  faults: Fault[];
  /** Repeat the last fault forever. */
  sticky: boolean;
}

export interface FaultProxy {
  url: string;
  apiUrl: string;
  oauthUrl: string;
  seen: SeenRequest[];
  /** Queues faults for requests matching `method` and `path` (tested against path+query). */
  inject(match: { method?: string; path: RegExp }, faults: Fault[], options?: { sticky?: boolean }): void;
  clearFaults(): void;
  /** Requests seen whose path (without query) matches. */
  count(method: string, path: RegExp): number;
  tokenRequests(): number;
  close(): Promise<void>;
}

const readBody = (request: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });

interface Upstream {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const forward = (target: URL, request: IncomingMessage, body: Buffer): Promise<Upstream> =>
  new Promise((resolve, reject) => {
    const headers = { ...request.headers, host: target.host, 'content-length': String(body.length) };
    delete headers['transfer-encoding'];
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: request.method, path: request.url, headers, agent: false },
      (response) => {
        readBody(response).then((data) => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: data }), reject);
      },
    );
    upstream.on('error', reject);
    upstream.end(body);
  });

const sendJson = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  const payload = typeof body === 'string' ? body : JSON.stringify(body ?? { type: 'about:blank', title: 'Injected', status });
  response.writeHead(status, { 'content-type': 'application/problem+json', 'content-length': Buffer.byteLength(payload), ...headers });
  response.end(payload);
};

/** A real HTTP proxy on 127.0.0.1 in front of `upstreamUrl` that injects faults on command. */
export const startFaultProxy = async (upstreamUrl: string): Promise<FaultProxy> => {
  const target = new URL(upstreamUrl);
  const rules: Rule[] = [];
  const seen: SeenRequest[] = [];

  const takeFault = (method: string, path: string): Fault | undefined => {
    for (const rule of rules) {
      if (rule.method !== undefined && rule.method !== method) continue;
      if (!rule.path.test(path) || rule.faults.length === 0) continue;
      return rule.sticky && rule.faults.length === 1 ? rule.faults[0] : rule.faults.shift();
    }
    return undefined;
  };

  const server = createServer((request, response) => {
    void (async () => {
      const method = request.method ?? 'GET';
      const path = request.url ?? '/';
      const body = await readBody(request);
      const record: SeenRequest = { method, path, authorization: request.headers.authorization, body: body.toString('utf8'), outcome: 0 };
      seen.push(record);
      const fault = takeFault(method, path);
      if (fault?.kind === 'status') {
        record.outcome = fault.status;
        return sendJson(response, fault.status, fault.body, fault.headers);
      }
      if (fault?.kind === 'reset') {
        record.outcome = fault.kind;
        request.socket.destroy();
        return;
      }
      const upstream = await forward(target, request, body);
      if (fault?.kind === 'commit-then-reset') {
        record.outcome = fault.kind;
        request.socket.destroy();
        return;
      }
      if (fault?.kind === 'commit-then-hang') {
        record.outcome = fault.kind;
        return;
      }
      if (fault?.kind === 'commit-then-status') {
        record.outcome = fault.status;
        return sendJson(response, fault.status, '<html><body>Bad Gateway</body></html>', { 'content-type': 'text/html' });
      }
      record.outcome = upstream.status;
      const headers = { ...upstream.headers };
      delete headers['transfer-encoding'];
      delete headers.connection;
      response.writeHead(upstream.status, headers);
      response.end(upstream.body);
    })().catch(() => request.socket.destroy());
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    apiUrl: `${url}/v2`,
    oauthUrl: `${url}/oauth2/token`,
    seen,
    inject(match, faults, options = {}) {
      rules.push({ method: match.method, path: match.path, faults: [...faults], sticky: options.sticky ?? false });
    },
    clearFaults() {
      rules.length = 0;
    },
    count(method, path) {
      return seen.filter((request) => request.method === method && path.test(request.path.split('?')[0]!)).length;
    },
    tokenRequests() {
      return seen.filter((request) => request.path === '/oauth2/token').length;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
};

/**
 * Gives a suite an emulator with a fault proxy in front of it (`context.sandbox`, `context.proxy`), and
 * starts each test with no faults queued, no requests recorded and no cached token.
 */
export const useProxiedSandbox = (test: Test<ProxiedSandbox>, options: SandboxOptions = {}): void => {
  test.before(async (context) => {
    context.sandbox = await startSandbox({ port: 0, ...options });
    context.proxy = await startFaultProxy(context.sandbox.url);
  });
  test.after(async ({ sandbox, proxy }) => {
    await proxy.close();
    await sandbox.close();
  });
  test.before.each(({ proxy }) => {
    clearTokenCache();
    proxy.clearFaults();
    proxy.seen.length = 0;
  });
};
