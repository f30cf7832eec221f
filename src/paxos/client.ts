import { UsageError } from '../errors.js';
import type { HttpExchange, TargetInfo } from '../steps/define.js';
import { version } from '../version.js';
import { DEFAULT_RETRY, abortedError, attempt, headerOf, parseRetryAfter, pause, requestIdOf, retryDelay, type RetryPolicy } from './_http.js';
import { PaxosApiError, parseProblem } from './errors.js';
import { endpointClass, sharedRateLimiter, type RateLimiter, type RateLimits } from './rate-limit.js';
import { createTokenManager, type TokenManager } from './token.js';
import type { PaxosCallOptions, PaxosClient, PaxosCredentials } from './types.js';

/** Options of {@link createPaxosClient}. */
export interface PaxosClientOptions {
  /** Where requests go; without `oauthUrl` no token is requested and no Authorization header is sent. */
  target: TargetInfo;
  /** Required when the target has an `oauthUrl`. */
  credentials?: PaxosCredentials;
  /** Exactly the scopes to request: those the workflow's steps declare. */
  scopes: readonly string[];
  /** Per HTTP attempt; an attempt that takes longer counts as a network failure. @default 30000 */
  timeoutMs?: number;
  /** How GETs are retried on network errors, 429 and 5xx. @default {limit: 3, baseDelayMs: 250, maxDelayMs: 4000, maxRetryAfterMs: 30000} */
  retry?: Partial<RetryPolicy>;
  /** The most a token is refreshed before it expires (never more than 10% of its lifetime). @default 60000 */
  tokenLeewayMs?: number;
  /** Least time between two token requests of one credential. @default 1000 */
  tokenMinIntervalMs?: number;
  /** Milliseconds since the epoch, for token expiry; tests replace it to move time. @default Date.now */
  clock?: () => number;
  /**
   * Keeps requests below the Paxos rate limits (identity 10/s, token 1/s, others 50/s, per IP), shared by
   * every client of the process that talks to the same API with the same limits: limits per class
   * (missing classes keep the Paxos limit), `false` for none. @default the Paxos limits for the
   * `sandbox` and `production` targets, none for others (the embedded emulator has no rate limits)
   */
  rateLimit?: Partial<RateLimits> | false;
  /** A limiter of your own (tests give one with a fake clock); wins over `rateLimit`. */
  rateLimiter?: RateLimiter;
  /**
   * Called with every secret the client holds: the client secret at once, and each access token
   * before it is first sent, so that reports can mask them. It may be called again with the same value.
   */
  onSecret?: (value: string) => void;
}

/** The client the CLI builds once per run: {@link PaxosClient} plus an up-front credential check. */
export interface PaxosApiClient extends PaxosClient {
  readonly target: TargetInfo;
  readonly retry: RetryPolicy;
  /**
   * Fetches the token now and checks that every requested scope was granted, so a missing scope or
   * a rejected credential fails (`MISSING_SCOPES`, `CREDENTIALS_REJECTED`, exit 2) before the first
   * step. Does nothing for a target without a token URL.
   */
  authorize(signal?: AbortSignal): Promise<void>;
}

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

const toSearchParams = (query: PaxosCallOptions['query']): URLSearchParams => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  return params;
};

const checkPath = (path: string): string => {
  const relative = path.replace(/^\/+/, '');
  // Most paths hold no dot at all, so the segments are split only when one could be a dot segment.
  if (/[?#]/.test(relative) || (relative.includes('.') && relative.split('/').some((segment) => segment === '.' || segment === '..'))) {
    throw new UsageError('BAD_API_PATH', 'a Paxos API path holds no query, fragment or dot segments; pass the query as `query`');
  }
  return relative;
};

/**
 * The Paxos API client: `node:http`/`node:https` with keep-alive connections under `target.apiUrl`, one OAuth token per credential (cached process-wide,
 * refreshed before expiry and once on a 401), GETs retried with backoff, every failure a
 * {@link PaxosApiError} with no request data in it.
 *
 * @example
 * const paxos = createPaxosClient({ target: opened.info, credentials, scopes: plan.scopes });
 * await paxos.authorize(); // MISSING_SCOPES / CREDENTIALS_REJECTED before any step runs
 * const identity = await paxos.call<Identity>({ method: 'GET', path: `/identity/identities/${id}`, signal });
 */
export const createPaxosClient = (options: PaxosClientOptions): PaxosApiClient => {
  const { target, credentials, scopes, timeoutMs = 30_000 } = options;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  if (!Number.isInteger(retry.limit) || retry.limit < 0) throw new RangeError('retry.limit must be a whole number, 0 or more');
  const apiBase = new URL(target.apiUrl.replace(/\/+$/, '') + '/');
  const limiter = chooseLimiter(options, apiBase.origin);
  const userAgent = `paxflow/${version}`;

  let tokens: TokenManager | undefined;
  if (credentials) options.onSecret?.(credentials.clientSecret);
  if (target.oauthUrl !== undefined) {
    if (!credentials) {
      throw new UsageError('MISSING_CREDENTIALS', `target '${target.name}' needs API credentials (PAXOS_CLIENT_ID and PAXOS_CLIENT_SECRET)`);
    }
    const manager = createTokenManager({
      tokenUrl: target.oauthUrl,
      credentials,
      scopes,
      targetName: target.name,
      timeoutMs,
      ...(options.tokenLeewayMs === undefined ? {} : { leewayMs: options.tokenLeewayMs }),
      ...(options.tokenMinIntervalMs === undefined ? {} : { minIntervalMs: options.tokenMinIntervalMs }),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(limiter ? { limiter } : {}),
    });
    tokens = {
      async get(signal, stale) {
        const token = await manager.get(signal, stale);
        options.onSecret?.(token.value);
        return token;
      },
    };
  }

  const call = async <T>(callOptions: PaxosCallOptions): Promise<T> => {
    const { method, query, json, signal, onExchange } = callOptions;
    const input = checkPath(callOptions.path);
    const searchParams = toSearchParams(query);
    const search = searchParams.size > 0 ? `?${searchParams}` : '';
    // Appended, not resolved against the base: a path such as `x:y` or `//host` stays a path under it.
    const url = new URL(apiBase.href + input + search);
    const request = { method, path: url.pathname };
    const shownPath = url.pathname + search;
    let stale: string | undefined;
    let refreshed = false;
    let lastStatus: number | undefined;
    for (let attemptNo = 1; ; ) {
      if (signal.aborted) throw abortedError(signal, request, gaveUp(attemptNo - 1, lastStatus));
      const headers: Record<string, string> = { accept: 'application/json', 'user-agent': userAgent };
      let token: string | undefined;
      if (tokens) {
        token = (await tokens.get(signal, stale)).value;
        headers.authorization = `Bearer ${token}`;
      }
      if (limiter && !(await limiter.acquire(endpointClass(input), signal))) throw abortedError(signal, request, gaveUp(attemptNo - 1, lastStatus));
      const result = await attempt({ method, url, headers, json, signal, timeoutMs, request });
      const exchange: HttpExchange = { method, path: shownPath, durationMs: Math.round(result.durationMs) };
      if (result.kind !== 'failed') {
        exchange.status = result.status;
        const requestId = requestIdOf(result.headers);
        if (requestId) exchange.requestId = requestId;
      }
      onExchange?.(exchange);

      let error: PaxosApiError;
      // A redirect or an oversized body is the same answer again on a retry.
      if (result.kind === 'refused') throw result.error;
      if (result.kind === 'failed') {
        if (signal.aborted) throw abortedError(signal, request, gaveUp(attemptNo, lastStatus));
        error = result.error;
      } else if (result.status >= 200 && result.status < 300) {
        return parseBody<T>(result.text, result.status, request);
      } else if (result.status === 401 && token !== undefined && !refreshed) {
        // The API did not process a request it refused with 401, so re-sending it with a new token is safe.
        refreshed = true;
        stale = token;
        continue;
      } else {
        lastStatus = result.status;
        const requestId = requestIdOf(result.headers);
        const retryAfterMs = parseRetryAfter(headerOf(result.headers, 'retry-after'));
        error = new PaxosApiError({
          problem: parseProblem(result.status, result.text),
          request,
          ...(requestId ? { requestId } : {}),
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        });
        if (!RETRYABLE_STATUS.has(result.status)) throw error;
      }
      if (method !== 'GET' || attemptNo > retry.limit) throw error;
      const delay = retryDelay(retry, attemptNo, error.retryAfterMs);
      if (delay === undefined) throw error;
      if (!(await pause(delay, signal))) throw abortedError(signal, request, gaveUp(attemptNo, lastStatus));
      attemptNo += 1;
    }
  };

  return {
    target,
    retry,
    call,
    async authorization(signal) {
      return tokens ? `Bearer ${(await tokens.get(signal)).value}` : undefined;
    },
    async authorize(signal) {
      await tokens?.get(signal);
    },
  };
};

/** Real Paxos keeps a 5-minute lockout for an IP that goes over a limit; elsewhere there is nothing to keep to unless asked. */
const chooseLimiter = (options: PaxosClientOptions, origin: string): RateLimiter | undefined => {
  if (options.rateLimiter) return options.rateLimiter;
  const { rateLimit } = options;
  if (rateLimit === false) return undefined;
  if (rateLimit === undefined && options.target.name !== 'sandbox' && options.target.name !== 'production') return undefined;
  return sharedRateLimiter(origin, rateLimit ?? {});
};

const gaveUp = (attempts: number, lastStatus: number | undefined): string =>
  attempts === 0
    ? 'aborted before the request was sent'
    : `gave up when the signal aborted after ${attempts} attempt${attempts === 1 ? '' : 's'}${lastStatus === undefined ? '' : `, the last answered HTTP ${lastStatus}`}`;

const parseBody = <T>(text: string, status: number, request: { method: string; path: string }): T => {
  if (text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new PaxosApiError({
      code: 'PAXOS_BAD_RESPONSE',
      problem: { type: 'about:blank', title: 'Bad Response', status, detail: undefined, meta: undefined },
      request,
      summary: `the API answered HTTP ${status} with a body that is not JSON`,
    });
  }
};
