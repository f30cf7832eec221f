import { setTimeout as sleep } from 'node:timers/promises';
import { TimeoutError, type KyInstance } from 'ky';
import { networkError, type PaxosApiError, type PaxosRequestInfo } from './errors.js';

/** What one HTTP attempt produced: a response (any status) or no response at all. */
export type AttemptResult =
  | { kind: 'response'; status: number; headers: Headers; text: string; durationMs: number }
  | { kind: 'failed'; error: PaxosApiError; durationMs: number };

export interface AttemptOptions {
  method: string;
  /** Relative to the ky instance's `prefixUrl`, or absolute when it has none. */
  input: string;
  searchParams?: URLSearchParams;
  headers: Record<string, string>;
  json?: unknown;
  body?: URLSearchParams;
  signal?: AbortSignal;
  timeoutMs: number;
  request: PaxosRequestInfo;
}

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

/**
 * Sends one request and never throws: ky's own errors hold the request (body and Authorization
 * header), so only the kind of failure is kept and the original is dropped.
 */
export const attempt = async (http: KyInstance, options: AttemptOptions): Promise<AttemptResult> => {
  const started = performance.now();
  const { request, signal } = options;
  try {
    const response = await http(options.input, {
      method: options.method,
      headers: options.headers,
      ...(options.searchParams && options.searchParams.size > 0 ? { searchParams: options.searchParams } : {}),
      ...(options.json === undefined ? {} : { json: options.json }),
      ...(options.body === undefined ? {} : { body: options.body }),
      ...(signal ? { signal } : {}),
      timeout: options.timeoutMs,
      retry: 0,
      throwHttpErrors: false,
    });
    const text = await response.text();
    return { kind: 'response', status: response.status, headers: response.headers, text, durationMs: performance.now() - started };
  } catch (error) {
    const durationMs = performance.now() - started;
    if (signal?.aborted) return { kind: 'failed', error: abortedError(signal, request), durationMs };
    if (error instanceof TimeoutError) {
      return { kind: 'failed', error: networkError(request, 'PAXOS_TIMEOUT', `no answer within ${options.timeoutMs} ms`), durationMs };
    }
    return { kind: 'failed', error: networkError(request, 'PAXOS_NETWORK_ERROR', `network error (${networkReason(error)})`), durationMs };
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
