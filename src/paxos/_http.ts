import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { byteSize } from '../util/read-body.js';
import { PaxosApiError, networkError, type PaxosRequestInfo } from './errors.js';
import { ACCEPT_ENCODING, send } from './_transport.js';

/** An answer's headers, names in lower case. */
export type ResponseHeaders = IncomingHttpHeaders;

/**
 * What one HTTP attempt produced: a response (any status but a redirect), no response at all, or an
 * answer paxflow refuses to use (a redirect, a body over the size limit), which is never retried.
 */
export type AttemptResult =
  | { kind: 'response'; status: number; headers: ResponseHeaders; text: string; durationMs: number }
  | { kind: 'failed'; error: PaxosApiError; durationMs: number }
  | { kind: 'refused'; status: number; headers: ResponseHeaders; error: PaxosApiError; durationMs: number };

/** The most read of an API answer's body. @see AttemptOptions.maxBytes */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export interface AttemptOptions {
  method: string;
  /** The whole URL, query included: http or https. */
  url: URL;
  /** Sent as given, after `accept-encoding` (and `content-type` for a body, unless given here). */
  headers: Record<string, string>;
  json?: unknown;
  /** A form body (`application/x-www-form-urlencoded`), as the token request sends. */
  form?: URLSearchParams;
  signal?: AbortSignal;
  timeoutMs: number;
  request: PaxosRequestInfo;
  /** The most read of the body; a larger one is `PAXOS_RESPONSE_TOO_LARGE`. @default MAX_RESPONSE_BYTES */
  maxBytes?: number;
  /** Who answers, for messages. @default 'the API' */
  server?: string;
}

/** One header's value; a repeated header reads as its values joined by `, `. */
export const headerOf = (headers: ResponseHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

/** Where a redirect pointed, as scheme and host only (a Location can carry a token in its query). */
const redirectOrigin = (location: string | undefined, base: URL): string | undefined => {
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

/** The system error code of a failed request (ECONNRESET, ECONNREFUSED, ENOTFOUND, a TLS code, ...). */
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

/** A body that is not valid UTF-8 reads with replacement characters, and a leading BOM is dropped (as `fetch` did). */
const decodeText = (body: Buffer): string => {
  const text = body.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
};

/**
 * Sends one request and never throws: a failure keeps only its kind, never the request (body and
 * Authorization header). The attempt's own timeout covers the answer and its body.
 */
export const attempt = async (options: AttemptOptions): Promise<AttemptResult> => {
  const started = performance.now();
  const { url, request, signal, timeoutMs, maxBytes = MAX_RESPONSE_BYTES, server = 'the API' } = options;
  const headers: Record<string, string> = { 'accept-encoding': ACCEPT_ENCODING, ...options.headers };
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form !== undefined) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
    body = options.form.toString();
  }
  const sent = await send({ method: options.method, url, headers, ...(body === undefined ? {} : { body }), maxBytes, signal, timeoutMs });
  const durationMs = performance.now() - started;
  switch (sent.kind) {
    case 'answer':
      return { kind: 'response', status: sent.status, headers: sent.headers, text: decodeText(sent.body), durationMs };
    case 'redirect': {
      const error = redirectError(request, server, url.host, sent.status, redirectOrigin(headerOf(sent.headers, 'location'), url));
      return { kind: 'refused', status: sent.status, headers: sent.headers, error, durationMs };
    }
    case 'too-large':
      return { kind: 'refused', status: sent.status, headers: sent.headers, error: tooLargeError(request, server, url.host, sent.status, maxBytes), durationMs };
    default:
      // The caller's abort wins over whatever the cut connection reported.
      if (signal?.aborted) return { kind: 'failed', error: abortedError(signal, request), durationMs };
      if (sent.kind === 'timeout') return { kind: 'failed', error: networkError(request, 'PAXOS_TIMEOUT', `no answer within ${timeoutMs} ms`), durationMs };
      return { kind: 'failed', error: networkError(request, 'PAXOS_NETWORK_ERROR', `network error (${sent.kind === 'error' ? networkReason(sent.error) : 'connection failed'})`), durationMs };
  }
};

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export const parseRetryAfter = (value: string | null | undefined, now = Date.now()): number | undefined => {
  if (value === null || value === undefined) return undefined;
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
export const requestIdOf = (headers: ResponseHeaders): string | undefined =>
  headerOf(headers, 'x-request-id') ?? headerOf(headers, 'request-id') ?? headerOf(headers, 'x-paxos-request-id');
