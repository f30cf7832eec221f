import type { HttpExchange } from '../steps/define.js';

export type QueryValue = string | number | boolean;

/** One call to the Paxos API. */
export interface PaxosCallOptions {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the API base, e.g. `/identity/identities` (the base already ends in `/v2`). */
  path: string;
  /** Query parameters; an array repeats the key (`assets=BTC&assets=USD`). */
  query?: Record<string, QueryValue | readonly QueryValue[] | undefined>;
  /** JSON body. */
  json?: unknown;
  /** The step's signal: aborts the call (and its retries) on timeout or interrupt. */
  signal: AbortSignal;
  /** Called once per HTTP exchange, retries included, for reports. */
  onExchange?: (exchange: HttpExchange) => void;
}

/**
 * The authenticated Paxos API, shared by every step of a run (and every row of a batch): one token per
 * credential, refreshed before expiry and once on a 401. Errors are `PaxosApiError`s.
 */
export interface PaxosClient {
  /** Sends one call. GETs are retried on network errors, 429 and 5xx; other methods are sent once. */
  call<T = unknown>(options: PaxosCallOptions): Promise<T>;
  /** The `Authorization` header value for the target, fetching or refreshing the token as needed. */
  authorization(signal?: AbortSignal): Promise<string | undefined>;
}

/** An API credential (client_credentials grant). The secret is never printed. */
export interface PaxosCredentials {
  clientId: string;
  clientSecret: string;
}

/** A GET bound to one create's signal and exchange recorder, for its `lookup`/`fetchExisting`. */
export type PaxosGet = <R = unknown>(path: string, query?: PaxosCallOptions['query']) => Promise<R>;

/** One idempotent create; see `createWithRefId`. */
export interface PaxosCreateOptions<T> {
  /** POST path below the API base, e.g. `/profiles/{id}/orders`. */
  path: string;
  /** The create body, sent unchanged on every attempt. */
  json: Record<string, unknown>;
  /**
   * The idempotency key, fixed before the first send and never changed. @default `json.ref_id`
   * Give it when the body nests the key, as Create Account does (`{ create_profile, account: { ref_id } }`).
   */
  refId?: string;
  /** Bounds the whole create, reconciliation included (the step's deadline). */
  signal: AbortSignal;
  onExchange?: (exchange: HttpExchange) => void;
  /**
   * Is this existing object (found by `ref_id` or named by a 409 `already-exists`) the same intent
   * as this request? `false` fails with `REF_ID_CONFLICT` instead of adopting it.
   */
  matches: (existing: T) => boolean;
  /**
   * Finds the object by `ref_id` after an unknown outcome (orders: `GET /orders?ref_ids=...`);
   * `undefined` when there is none. Without it, the create is re-sent with the same `ref_id`.
   */
  lookup?: (refId: string, get: PaxosGet) => Promise<T | undefined>;
  /** Fetches the full object by the id in a 409's `meta.existing` (which may hold only the id). */
  fetchExisting?: (id: string, get: PaxosGet) => Promise<T>;
  /** Sends (and lookups) before giving up with `PAXOS_OUTCOME_UNKNOWN`, within the signal. @default 5 */
  maxAttempts?: number;
}

/** What an idempotent create ended with. */
export interface PaxosCreateResult<T> {
  value: T;
  refId: string;
  /** The object already existed (409 or lookup) and was adopted after `matches` confirmed it. */
  adopted: boolean;
  /** At least one send had an unknown outcome (timeout, reset, 5xx) and was reconciled. */
  recovered: boolean;
}
