/**
 * Records the line of every HTTP request the process starts while a log is active, from Node's own
 * diagnostics channels: `undici:request:create` for `fetch` (the baseline) and `http.client.request.start`
 * for `node:http` (paxflow's client). Both are published when a request is made, so each side pays the
 * same (tiny) cost for being recorded, and neither side's code is changed for it.
 */

import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { baselineGap } from './baseline.js';

let active: string[] | undefined;
let installed = false;

interface FetchRequestMessage {
  request: { method: string; path: string };
}
interface HttpRequestMessage {
  request: { method: string; path: string };
}

const onFetch = (message: unknown): void => {
  const { request } = message as FetchRequestMessage;
  active?.push(`${request.method} ${request.path}`);
};
const onHttp = (message: unknown): void => {
  const { request } = message as HttpRequestMessage;
  active?.push(`${request.method} ${request.path}`);
};

export const installRequestLog = (): void => {
  if (installed) return;
  installed = true;
  subscribe('undici:request:create', onFetch);
  subscribe('http.client.request.start', onHttp);
};

export const uninstallRequestLog = (): void => {
  if (installed) {
    unsubscribe('undici:request:create', onFetch);
    unsubscribe('http.client.request.start', onHttp);
  }
  installed = false;
  active = undefined;
};

/** Runs `work` and returns the requests it sent, as `METHOD /path?query`. */
export const logRequests = async (work: () => Promise<void>): Promise<string[]> => {
  const log: string[] = [];
  active = log;
  try {
    await work();
  } finally {
    active = undefined;
  }
  return log;
};

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * The request sequence with ids replaced by `{id}` and the repeats of a poll folded into one entry, so
 * two runs that polled a different number of times still compare equal. Token requests are left out:
 * both sides fetch one token per process.
 */
export const normaliseSequence = (log: readonly string[]): string[] => {
  const out: string[] = [];
  for (const entry of log) {
    if (entry.includes('/oauth2/token')) continue;
    const shown = entry.replace(UUID, '{id}');
    if (!(shown.startsWith('GET ') && out[out.length - 1] === shown)) out.push(shown);
  }
  return out;
};

/**
 * Milliseconds a run spent on purpose between the checks of its polls: every immediate repeat of the
 * same GET is one wait of the default poll schedule (20 ms, then 3x per check, at most 5 s).
 */
export const scheduledWaitMs = (log: readonly string[]): number => {
  let total = 0;
  let checks = 1;
  for (let index = 1; index < log.length; index += 1) {
    const entry = log[index]!;
    if (entry.startsWith('GET ') && entry === log[index - 1]) {
      total += baselineGap(checks);
      checks += 1;
    } else {
      checks = 1;
    }
  }
  return total;
};
