/**
 * Records every request that goes through `globalThis.fetch` while a log is active. paxflow's client (ky)
 * looks up `globalThis.fetch` per request and the baseline calls it directly, so both pass through the
 * same wrapper and pay the same (tiny) cost for it.
 */

import { baselineGap } from './baseline.js';

let active: string[] | undefined;
let original: typeof fetch | undefined;

export const installFetchLog = (): void => {
  if (original) return;
  const inner = globalThis.fetch;
  original = inner;
  globalThis.fetch = (input: Request | URL | string, init?: RequestInit) => {
    if (active) {
      const request = input instanceof Request ? input : undefined;
      const url = new URL(request ? request.url : String(input));
      active.push(`${request?.method ?? init?.method ?? 'GET'} ${url.pathname}${url.search}`);
    }
    return inner(input, init);
  };
};

export const uninstallFetchLog = (): void => {
  if (original) globalThis.fetch = original;
  original = undefined;
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
