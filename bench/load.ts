/**
 * A small HTTP load generator, run as its own process by emulator.ts so that it does not share a CPU
 * with the server it measures: `connections` keep-alive connections, each sending the next request as
 * soon as the previous answer is read, for a fixed time, then it exits by itself. 127.0.0.1 only.
 *
 * Usage: node --import tsx bench/load.ts '<json LoadSpec>'  ->  one line of JSON LoadResult on stdout.
 * `{{n}}` in the body becomes a number unique to each request (for ref_ids).
 */

import { Agent, request } from 'node:http';
import { pathToFileURL } from 'node:url';
import { percentile } from './_stats.js';

export interface LoadSpec {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  connections: number;
  /** Requests during this first period are sent but not counted. */
  warmupMs: number;
  durationMs: number;
}

export interface LoadResult {
  requests: number;
  /** Answers outside 2xx and failed connections. */
  errors: number;
  statuses: Record<string, number>;
  durationMs: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

const send = (agent: Agent, url: URL, spec: LoadSpec, body: string | undefined): Promise<number> =>
  new Promise((resolve) => {
    const headers = body === undefined ? spec.headers : { ...spec.headers, 'content-length': String(Buffer.byteLength(body)) };
    const req = request({ agent, host: url.hostname, port: url.port, path: url.pathname + url.search, method: spec.method, headers }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });

export const runLoad = async (spec: LoadSpec): Promise<LoadResult> => {
  const url = new URL(spec.url);
  if (url.hostname !== '127.0.0.1') throw new Error('load.ts sends to 127.0.0.1 only');
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const bodyParts = spec.body?.split('{{n}}');
  let counter = 0;
  const prefix = `${process.pid}-${Date.now()}`;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  const started = performance.now();
  const countFrom = started + spec.warmupMs;
  const end = countFrom + spec.durationMs;

  const worker = async () => {
    while (performance.now() < end) {
      counter += 1;
      const body = bodyParts?.join(`${prefix}-${counter}`);
      const sent = performance.now();
      const status = await send(agent, url, spec, body);
      const done = performance.now();
      if (sent < countFrom || done > end) continue;
      latencies.push(done - sent);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status < 200 || status > 299) errors += 1;
    }
  };
  await Promise.all(Array.from({ length: spec.connections }, worker));
  agent.destroy();
  return {
    requests: latencies.length,
    errors,
    statuses,
    durationMs: spec.durationMs,
    perSecond: latencies.length / (spec.durationMs / 1000),
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    p99Ms: percentile(latencies, 0.99),
  };
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
  process.stdout.write(`${JSON.stringify(await runLoad(spec))}\n`);
}
