import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
}

/** How the receiver answers the n-th request (0-based) on a path; `hang` never answers. */
export type Answer = { status: number; body?: unknown } | 'hang';

/** A webhook consumer as an integrator writes one: a real node:http server on 127.0.0.1. */
export interface Receiver {
  url: string;
  received: Received[];
  /** Resolves once `count` requests on `path` arrived (checked every 20 ms, at most 10 s). */
  waitFor(count: number, path?: string): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(answer: (request: Received, index: number) => Answer = () => ({ status: 200 })): Promise<Receiver> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const entry: Received = { path: (request.url ?? '/').split('?')[0]!, headers: request.headers, body, json };
      const index = received.filter((other) => other.path === entry.path).length;
      received.push(entry);
      const reply = answer(entry, index);
      if (reply === 'hang') return;
      response.writeHead(reply.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(reply.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const waitFor = async (count: number, path = '/paxos') => {
    for (let i = 0; i < 500; i += 1) {
      const matching = received.filter((entry) => entry.path === path);
      if (matching.length >= count) return matching;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`the receiver got ${received.filter((entry) => entry.path === path).length} of ${count} requests on ${path}`);
  };
  const close = () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  return { url: `http://127.0.0.1:${port}`, received, waitFor, close };
}
