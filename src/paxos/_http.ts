import { setTimeout as sleep } from 'node:timers/promises';
import { byteSize, readBodyCapped } from '../util/read-body.js';
import { PaxosApiError, networkError, type PaxosRequestInfo } from './errors.js';

/**
 * What one HTTP attempt produced: a response (any status but a redirect), no response at all, or an
 * answer paxflow refuses to use (a redirect, a body over the size limit), which is never retried.
 */
export type AttemptResult =
  | { kind: 'response'; status: number; headers: Headers; text: string; durationMs: number }
  | { kind: 'failed'; error: PaxosApiError; durationMs: number }
  | { kind: 'refused'; status: number; headers: Headers; error: PaxosApiError; durationMs: number };

/** The most read of an API answer's body. @see AttemptOptions.maxBytes */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** What every request of one client shares. */
export interface HttpBase {
  /** Prepended to every relative `input`; ends with `/`. */
  prefixUrl?: string;
  /** Sent with every request, under the request's own. */
  headers?: Record<string, string>;
  /** Replaces the global `fetch`, which is otherwise looked up at each request. */
  fetch?: (input: Request | URL | string, init?: RequestInit) => Promise<Response>;
}

export interface AttemptOptions {
  method: string;
  /** Relative to the base's `prefixUrl`, or absolute when it has none. */
  input: string;
  searchParams?: URLSearchParams;
  headers: Record<string, string>;
  json?: unknown;
  body?: URLSearchParams;
  signal?: AbortSignal;
  timeoutMs: number;
  request: PaxosRequestInfo;
  /** The most read of the body; a larger one is `PAXOS_RESPONSE_TOO_LARGE`. @default MAX_RESPONSE_BYTES */
  maxBytes?: number;
  /** Who answers, for messages. @default 'the API' */
  server?: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Where a redirect pointed, as scheme and host only (a Location can carry a token in its query). */
const redirectOrigin = (location: string | null, base: string): string | undefined => {
  try {
    const url = new URL(location ?? '', base);
    return /^https?:$/.test(url.protocol) ? url.origin : undefined;
  } catch {
    return undefined;
  }
};

/**
 * A redirect is never followed: a 307 or 308 re-sends the body (a token request's client secret) and
 * every redirect the Authorization header, to wherever the answer points.
 */
export const redirectError = (request: PaxosRequestInfo, server: string, host: string, status: number, to: string | undefined): PaxosApiError =>
  new PaxosApiError({
    code: 'PAXOS_REDIRECT',
    problem: { type: 'about:blank', title: 'Redirect Refused', status, detail: undefined, meta: undefined },
    request,
    summary: `${server} at ${host} answered HTTP ${status}, a redirect${to ? ` to ${to}` : ''}; paxflow never follows redirects, so credentials go only to the host they were sent to: give the address that answers directly`,
  });

export const tooLargeError = (request: PaxosRequestInfo, server: string, host: string, status: number, maxBytes: number): PaxosApiError =>
  new PaxosApiError({
    code: 'PAXOS_RESPONSE_TOO_LARGE',
    problem: { type: 'about:blank', title: 'Response Too Large', status, detail: undefined, meta: undefined },
    request,
    summary: `${server} at ${host} answered HTTP ${status} with a body larger than ${byteSize(maxBytes)}, which paxflow does not read`,
  });

/** The system error code under undici's `TypeError: fetch failed` (ECONNRESET, ECONNREFUSED, ...). */
const networkReason = (error: unknown): string => {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
    current = current.cause;
  }
  return 'connection failed';
};

/** The error for a caller's signal that fired: a deadline (`TimeoutError` reason) or an interrupt. */
export const abortedError = (signal: AbortSignal, request: PaxosRequestInfo, summary?: string): PaxosApiError => {
  const reason: unknown = signal.reason;
  const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
  const text = summary ?? (timedOut ? 'the deadline passed before an answer arrived' : 'the request was aborted');
  return networkError(request, timedOut ? 'PAXOS_TIMEOUT' : 'PAXOS_ABORTED', text);
};

const TIMED_OUT = Symbol('timed out');

/**
 * Sends one request with `fetch` and never throws: a failure keeps only its kind, never the request
 * (body and Authorization header). The attempt's own timeout covers the answer and its body.
 */
export const attempt = async (http: HttpBase, options: AttemptOptions): Promise<AttemptResult> => {
  const started = performance.now();
  const { request, signal, timeoutMs, maxBytes = MAX_RESPONSE_BYTES, server = 'the API' } = options;
  let url = http.prefixUrl === undefined ? options.input : http.prefixUrl + options.input;
  if (options.searchParams && options.searchParams.size > 0) url += `?${options.searchParams}`;
  const headers: Record<string, string> = { ...http.headers, ...options.headers };
  let body: string | URLSearchParams | undefined = options.body;
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.json);
  }
  // One controller for the caller's signal and the attempt's timeout: cheaper than AbortSignal.any per request.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(TIMED_OUT), timeoutMs);
  const forward = (): void => controller.abort(signal?.reason);
  if (signal?.aborted) forward();
  else signal?.addEventListener('abort', forward, { once: true });
  try {
    const send = http.fetch ?? globalThis.fetch;
    const init: RequestInit = { method: options.method, headers, redirect: 'manual', signal: controller.signal };
    if (body !== undefined) init.body = body;
    const response = await send(url, init);
    const { status } = response;
    const host = new URL(url).host;
    if (REDIRECTS.has(status)) {
      await response.body?.cancel().catch(() => undefined);
      const error = redirectError(request, server, host, status, redirectOrigin(response.headers.get('location'), url));
      return { kind: 'refused', status, headers: response.headers, error, durationMs: performance.now() - started };
    }
    const read = await readBodyCapped(response, maxBytes);
    if (read.tooLarge) {
      const error = tooLargeError(request, server, host, status, maxBytes);
      return { kind: 'refused', status, headers: response.headers, error, durationMs: performance.now() - started };
    }
    return { kind: 'response', status, headers: response.headers, text: read.text, durationMs: performance.now() - started };
  } catch (error) {
    const durationMs = performance.now() - started;
    if (signal?.aborted) return { kind: 'failed', error: abortedError(signal, request), durationMs };
    if (controller.signal.reason === TIMED_OUT) {
      return { kind: 'failed', error: networkError(request, 'PAXOS_TIMEOUT', `no answer within ${timeoutMs} ms`), durationMs };
    }
    return { kind: 'failed', error: networkError(request, 'PAXOS_NETWORK_ERROR', `network error (${networkReason(error)})`), durationMs };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', forward);
  }
};

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export const parseRetryAfter = (value: string | null, now = Date.now()): number | undefined => {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
};

/** How GETs (and create reconciliation) wait between attempts. */
export interface RetryPolicy {
  /** Retries after the first attempt. @default 3 */
  limit: number;
  /** First backoff; doubles per retry. @default 250 */
  baseDelayMs: number;
  /** Backoff ceiling. @default 4000 */
  maxDelayMs: number;
  /** A longer `Retry-After` than this is not waited for: the call fails at once. @default 30000 */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { limit: 3, baseDelayMs: 250, maxDelayMs: 4000, maxRetryAfterMs: 30_000 };

/**
 * The wait before retry number `retry` (1-based): the server's `Retry-After` when it sent one, else
 * exponential backoff with "equal jitter" (half fixed, half random) so parallel rows spread out.
 * `undefined` means the server asked for a longer wait than the policy allows.
 */
export const retryDelay = (policy: RetryPolicy, retry: number, retryAfterMs?: number): number | undefined => {
  if (retryAfterMs !== undefined) return retryAfterMs > policy.maxRetryAfterMs ? undefined : retryAfterMs;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
};

/** Waits, or returns `false` as soon as the signal aborts. */
export const pause = async (ms: number, signal?: AbortSignal): Promise<boolean> => {
  if (signal?.aborted) return false;
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
    return true;
  } catch {
    return false;
  }
};

/** Awaits a shared promise, but lets this caller stop waiting when its own signal aborts. */
export const raceSignal = <T>(promise: Promise<T>, signal: AbortSignal | undefined, onAbort: () => Error): Promise<T> => {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
};

/** The first request-id header a response carries. */
export const requestIdOf = (headers: Headers): string | undefined =>
  headers.get('x-request-id') ?? headers.get('request-id') ?? headers.get('x-paxos-request-id') ?? undefined;
