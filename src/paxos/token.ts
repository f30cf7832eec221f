import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';
import { version } from '../version.js';
import { abortedError, attempt, pause, raceSignal } from './_http.js';
import { PaxosApiError, isPaxosApiError, statusTitle } from './errors.js';
import type { RateLimiter } from './rate-limit.js';
import type { PaxosCredentials } from './types.js';

/** An access token and when to stop using it. Times are on the manager's clock. */
export interface AccessToken {
  value: string;
  expiresAt: number;
  /** `expiresAt` minus the leeway: from here on the next caller fetches a new token. */
  refreshAt: number;
  scopes: ReadonlySet<string>;
}

/** Options of {@link createTokenManager}. */
export interface TokenManagerOptions {
  tokenUrl: string;
  credentials: PaxosCredentials;
  /** Exactly the scopes to request; the granted set must cover them. */
  scopes: readonly string[];
  /** `local`, `sandbox`, `production` or `custom`: picks the hint on how to grant missing scopes. */
  targetName: string;
  /** Per token request. @default 30000 */
  timeoutMs?: number;
  /** The most a token is refreshed early; it is also never more than 10% of `expires_in`. @default 60000 */
  leewayMs?: number;
  /**
   * Least time between two token requests of one credential (Paxos allows about 1/s per IP).
   * @default 1000
   */
  minIntervalMs?: number;
  /** Milliseconds since the epoch; replace it in tests to move time. @default Date.now */
  clock?: () => number;
  /** Keeps token requests within the token endpoint's rate limit, across every credential. @default none */
  limiter?: RateLimiter;
}

export interface TokenManager {
  /**
   * A token valid for a while yet. `stale` names a token the API just refused with 401: a cached
   * token with that value is replaced, one fetched meanwhile by another call is reused.
   */
  get(signal?: AbortSignal, stale?: string): Promise<AccessToken>;
}

/** A token request under way, shared by every caller that waits for it. */
interface Flight {
  promise: Promise<AccessToken>;
  /** Aborts the request once no caller waits for it any more (each one's signal aborted). */
  stop: AbortController;
  waiters: number;
}

interface Slot {
  token?: AccessToken;
  inflight?: Flight;
  /** `performance.now()` of the last token request. */
  lastRequestAt?: number;
}

/** A token answer is a few hundred bytes of JSON; anything near this is not one. */
const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;

/** One slot per token URL, client id, secret and scope set, shared by every client of the process. */
const slots = new Map<string, Slot>();

/** Forgets every cached token (for tests, and after credentials change in a long-lived process). */
export const clearTokenCache = (): void => slots.clear();

const slotKey = (url: string, credentials: PaxosCredentials, scopes: readonly string[]): string => {
  const secret = createHash('sha256').update(credentials.clientSecret).digest('base64url');
  return JSON.stringify([url, credentials.clientId, secret, [...new Set(scopes)].sort()]);
};

const GRANT_HINTS: Record<string, string> = {
  sandbox: 'grant them to this API credential in the Paxos sandbox Dashboard (https://dashboard.sandbox.paxos.com → Admin → API Management)',
  production: 'grant them to this API credential in the Paxos Dashboard (https://dashboard.paxos.com → Admin → API Management)',
  local: 'the built-in emulator grants every scope unless it was started with fewer',
};
const grantHint = (targetName: string): string =>
  GRANT_HINTS[targetName] ?? 'grant them to this API credential (for Paxos: Dashboard → Admin → API Management)';

const oauthErrorName = (body: Record<string, unknown>): string | undefined =>
  typeof body.error === 'string' && /^[a-z_]{1,40}$/.test(body.error) ? body.error : undefined;

const parseObject = (text: string): Record<string, unknown> => {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

/** Fetches, caches and refreshes OAuth client_credentials tokens for one credential and scope set. */
export const createTokenManager = (options: TokenManagerOptions): TokenManager => {
  const {
    tokenUrl,
    credentials,
    scopes,
    targetName,
    timeoutMs = 30_000,
    leewayMs = 60_000,
    minIntervalMs = 1000,
    clock = Date.now,
  } = options;
  const url = new URL(tokenUrl);
  const request = { method: 'POST', path: url.pathname };
  const requested = [...new Set(scopes)];
  const headers = { accept: 'application/json', 'user-agent': `paxflow/${version}` };
  const key = slotKey(tokenUrl, credentials, requested);

  const missingScopes = (missing: readonly string[]): UsageError =>
    new UsageError(
      'MISSING_SCOPES',
      `the API credential '${credentials.clientId}' lacks the scope${missing.length === 1 ? '' : 's'} ${missing.join(', ')} that this workflow needs; ${grantHint(targetName)}`,
    );

  const fetchOnce = async (signal: AbortSignal): Promise<AccessToken> => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
    });
    if (requested.length > 0) form.set('scope', requested.join(' '));
    if (options.limiter && !(await options.limiter.acquire('token', signal))) throw abortedError(signal, request);
    const issuedAt = clock();
    const result = await attempt({
      method: 'POST',
      url,
      headers,
      form,
      timeoutMs,
      request,
      maxBytes: MAX_TOKEN_RESPONSE_BYTES,
      server: 'the token endpoint',
      signal,
    });
    if (result.kind === 'refused') throw result.error;
    if (signal.aborted) throw abortedError(signal, request);
    if (result.kind === 'failed') {
      throw new PaxosApiError({
        code: 'PAXOS_TOKEN_UNREACHABLE',
        problem: { type: 'about:blank', title: 'Token Endpoint Unreachable', status: undefined, detail: undefined, meta: undefined },
        request,
        summary: `cannot reach the token endpoint at ${url.host} (${result.error.title})`,
      });
    }
    const fields = parseObject(result.text);
    if (result.status === 200) {
      const value = fields.access_token;
      if (typeof value !== 'string' || value === '') {
        throw new PaxosApiError({
          code: 'PAXOS_BAD_RESPONSE',
          problem: { type: 'about:blank', title: 'Bad Response', status: 200, detail: undefined, meta: undefined },
          request,
          summary: `the token endpoint at ${url.host} answered without an access_token`,
        });
      }
      const granted = new Set(typeof fields.scope === 'string' ? fields.scope.split(/\s+/).filter(Boolean) : requested);
      const missing = requested.filter((scope) => !granted.has(scope));
      if (missing.length > 0) throw missingScopes(missing);
      const expiresIn = typeof fields.expires_in === 'number' && fields.expires_in > 0 ? fields.expires_in : 3599;
      const expiresAt = issuedAt + expiresIn * 1000;
      return { value, expiresAt, refreshAt: expiresAt - Math.min(leewayMs, expiresIn * 100), scopes: granted };
    }
    const error = oauthErrorName(fields);
    if (error === 'invalid_scope') throw missingScopes(requested);
    if (error === 'invalid_client' || error === 'unauthorized_client' || result.status === 401) {
      throw new UsageError(
        'CREDENTIALS_REJECTED',
        `the token endpoint at ${url.host} rejected the API credential '${credentials.clientId}'; check PAXOS_CLIENT_ID and PAXOS_CLIENT_SECRET (sandbox and production credentials differ)`,
      );
    }
    const problem = { type: 'about:blank', title: statusTitle(result.status), status: result.status, detail: undefined, meta: undefined };
    const code = result.status === 429 ? 'PAXOS_RATE_LIMITED' : result.status >= 500 ? 'PAXOS_SERVER_ERROR' : 'PAXOS_TOKEN_ERROR';
    const why = result.status === 429 ? '; Paxos throttles the IP for 5 minutes, wait before running again' : '';
    throw new PaxosApiError({
      code,
      problem,
      request,
      summary: `the token endpoint at ${url.host} answered HTTP ${result.status}${error ? ` ${error}` : ''}${why}`,
    });
  };

  const transient = (error: unknown): boolean =>
    isPaxosApiError(error) && (error.code === 'PAXOS_TOKEN_UNREACHABLE' || error.code === 'PAXOS_SERVER_ERROR');

  const spaced = async (slot: Slot, signal: AbortSignal): Promise<AccessToken> => {
    const wait = slot.lastRequestAt === undefined ? 0 : slot.lastRequestAt + minIntervalMs - performance.now();
    if (wait > 0 && !(await pause(wait, signal))) throw abortedError(signal, request);
    slot.lastRequestAt = performance.now();
    return fetchOnce(signal);
  };

  // One retry for a dropped connection or a 5xx; a 429 is not retried (the IP is throttled for minutes).
  const fetchToken = async (slot: Slot, signal: AbortSignal): Promise<AccessToken> => {
    try {
      return await spaced(slot, signal);
    } catch (error) {
      if (!transient(error) || signal.aborted) throw error;
      return spaced(slot, signal);
    }
  };

  /** Waits for the slot's request; the last caller to stop waiting (its signal aborted) stops the request too. */
  const waitFor = (flight: Flight, signal: AbortSignal | undefined): Promise<AccessToken> => {
    flight.waiters += 1;
    return raceSignal(flight.promise, signal, () => {
      flight.waiters -= 1;
      if (flight.waiters === 0) flight.stop.abort(signal!.reason);
      return abortedError(signal!, request);
    });
  };

  return {
    get(signal, stale) {
      let slot = slots.get(key);
      if (!slot) {
        slot = {};
        slots.set(key, slot);
      }
      const current = slot.token;
      // A request stopped because its callers left is not joined: it is about to fail with their abort.
      if (!slot.inflight || slot.inflight.stop.signal.aborted) {
        if (current && current.value !== stale && clock() < current.refreshAt) return Promise.resolve(current);
        const owner = slot;
        const stop = new AbortController();
        const promise = fetchToken(owner, stop.signal)
          .then((token) => {
            owner.token = token;
            return token;
          })
          .catch((error: unknown) => {
            // A failed early refresh keeps using the old token while it is still valid.
            if (current && current.value !== stale && clock() < current.expiresAt && transient(error)) return current;
            if (owner.token === current) delete owner.token;
            throw error;
          })
          .finally(() => {
            if (owner.inflight === flight) delete owner.inflight;
          });
        promise.catch(() => undefined);
        const flight: Flight = { promise, stop, waiters: 0 };
        owner.inflight = flight;
      }
      return waitFor(slot.inflight!, signal);
    },
  };
};
