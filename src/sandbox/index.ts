import { KNOWN_SCOPES, TokenStore } from './auth.js';
import { FaultInjector, type FaultScope, type SandboxFaults } from './faults.js';
import { createSandboxServer } from './server.js';
import { SandboxSnapshotError, checkSnapshot, restoreSnapshot, takeSnapshot, type SandboxSnapshot } from './snapshot.js';
import { createState } from './state-factory.js';
import type { ResolvedSandboxOptions, SandboxState } from './state.js';
import { resolveWebhook, type WebhookAttempt, type WebhookOptions } from './webhook-options.js';
import { startWebhooks } from './webhooks.js';

export { KNOWN_SCOPES } from './auth.js';
export { FAULT_KINDS, parseFaultSpec } from './faults.js';
export type { FaultKind, FaultRule, FaultScope, SandboxFaults } from './faults.js';
export type { SandboxState } from './state.js';
export type { WebhookAttempt, WebhookOptions } from './webhook-options.js';
export { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, SandboxSnapshotError, isSandboxSnapshotError } from './snapshot.js';
export type { SandboxSnapshot, SnapshotBalance, SnapshotExecution, SnapshotOrder, SnapshotTrade } from './snapshot.js';

/** Options of {@link startSandbox}. Every field is optional. */
export interface SandboxOptions {
  /** TCP port; `0` picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** Client id the token endpoint accepts. @default 'sandbox-client' */
  clientId?: string;
  /** Client secret the token endpoint accepts. @default 'sandbox-secret' */
  clientSecret?: string;
  /** Scopes the credential may be granted. @default every scope in {@link KNOWN_SCOPES} */
  scopes?: string[];
  /**
   * Milliseconds before a complete passthrough person leaves `PENDING` (`APPROVED` or `DENIED`).
   * `0` decides on the next tick. @default 200
   */
  approvalDelayMs?: number;
  /** Seed of the deterministic price model. @default 1 */
  seed?: number;
  /** Lifetime of access tokens in whole seconds, reported as `expires_in`. @default 3599 */
  tokenTtlSeconds?: number;
  /**
   * Faults to inject, as comma-separated `KIND:PROBABILITY[@PARAM]` entries (see docs/emulator.md).
   * A bad spec throws a `RangeError` naming the entry. @default '' (none)
   * @example '500:0.05,429:0.03@2s,reset:0.02,latency:0.05@1500ms,commit-then-reset:0.03'
   */
  faults?: string;
  /** Seed of the fault roll: the same seed and the same requests in the same order get the same faults. @default seed */
  faultSeed?: number;
  /** HTTP methods faults apply to (`commit-then-*` only ever hits POST, PUT and DELETE). @default every method */
  faultMethods?: readonly string[];
  /** Path prefixes faults apply to; add `/oauth2/` to include the token endpoint. @default ['/v2/'] */
  faultPaths?: readonly string[];
  /**
   * A {@link SandboxSnapshot} to start from (as `snapshot()` returned it, or parsed from its JSON): the
   * server holds the same objects with the same ids and timestamps, and does the work that was pending.
   * Its `seed` is used (another `seed` is an error) and its approval delay unless `approvalDelayMs` is given.
   * A snapshot that is not one, of another version or inconsistent throws a {@link SandboxSnapshotError}.
   * @default none: the server starts empty
   */
  snapshot?: unknown;
  /**
   * Webhook consumers: each event the emulator records is POSTed to each of them as the reduced Paxos
   * notification `{id, type, source: "com.paxos", time, object: "event"}`, off the request path, retried
   * with backoff until delivered (see docs/emulator.md). A URL alone means no authentication, 10 per second.
   * A bad entry throws a `RangeError` naming it. @default [] (none)
   * @example ['http://localhost:3000/paxos']
   */
  webhooks?: ReadonlyArray<string | WebhookOptions>;
  /** Called after each delivery attempt (delivered, failed with the next retry, or given up). */
  onWebhookAttempt?: (attempt: WebhookAttempt) => void;
}

/** Options of {@link SandboxHandle.setFaults}; what is left out stays as it was. */
export interface SetFaultsOptions extends FaultScope {
  /** Restart the roll from this seed instead of the current one. */
  seed?: number;
}

/** A running emulator. */
export interface SandboxHandle {
  /** `http://host:port`, no trailing slash. */
  url: string;
  /** REST base, `url + '/v2'`. */
  apiUrl: string;
  /** Token endpoint, `url + '/oauth2/token'`. */
  oauthUrl: string;
  port: number;
  /** The server's data; tests may read it (and replace `now` to move the clock). */
  state: SandboxState;
  /** The fault spec in force and how many of each fault were injected. */
  faults: SandboxFaults;
  /**
   * Replaces the fault spec on the running server (`''` turns faults off) and restarts the seeded roll;
   * counts keep adding up. A bad spec throws a `RangeError` and changes nothing.
   */
  setFaults(spec: string, options?: SetFaultsOptions): void;
  /**
   * The whole state as plain JSON (see {@link SandboxSnapshot}), for `startSandbox({ snapshot })` in a later
   * process. Synchronous and copied: it reflects every request answered so far. Tokens are not included.
   */
  snapshot(): SandboxSnapshot;
  /** Clears pending approvals, webhook retries and held answers, drops open connections and resolves once the server is closed. */
  close(): Promise<void>;
}

/** Node timers fire at once when given more than this. */
const MAX_TIMER_MS = 2_147_483_647;

function resolveOptions(options: SandboxOptions): ResolvedSandboxOptions {
  const {
    port = 0,
    host = '127.0.0.1',
    clientId = 'sandbox-client',
    clientSecret = 'sandbox-secret',
    scopes = [...KNOWN_SCOPES],
    approvalDelayMs = 200,
    seed = 1,
    tokenTtlSeconds = 3599,
  } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError('sandbox port must be an integer from 0 to 65535');
  if (!Number.isFinite(approvalDelayMs) || approvalDelayMs < 0 || approvalDelayMs > MAX_TIMER_MS) {
    throw new RangeError(`sandbox approvalDelayMs must be from 0 to ${MAX_TIMER_MS}`);
  }
  if (!Number.isInteger(tokenTtlSeconds) || tokenTtlSeconds < 1) throw new RangeError('sandbox tokenTtlSeconds must be a whole number of seconds, 1 or more');
  if (!Number.isFinite(seed)) throw new RangeError('sandbox seed must be a number');
  if (clientId === '' || clientSecret === '') throw new RangeError('sandbox credentials must not be empty');
  return { host, port, clientId, clientSecret, allowedScopes: [...new Set(scopes)], approvalDelayMs, seed, tokenTtlSeconds };
}

/**
 * Starts the Paxos sandbox emulator: one HTTP server answering `/oauth2/token` and `/v2/...`, on a free
 * port of 127.0.0.1 unless `port`/`host` say otherwise. Resolves once it listens; `close()` stops it.
 *
 * @example
 * const sandbox = await startSandbox({ approvalDelayMs: 0 });
 * // point your code at sandbox.apiUrl and sandbox.oauthUrl, as client 'sandbox-client' / 'sandbox-secret'
 * await sandbox.close();
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const snapshot = options.snapshot === undefined ? undefined : checkSnapshot(options.snapshot);
  if (snapshot && options.seed !== undefined && options.seed !== snapshot.options.seed) {
    throw new SandboxSnapshotError(`the snapshot was taken with seed ${snapshot.options.seed}, not ${options.seed}: its books and prices follow from it`);
  }
  const resolved = resolveOptions(
    snapshot
      ? { ...options, seed: snapshot.options.seed, approvalDelayMs: options.approvalDelayMs ?? snapshot.options.approval_delay_ms }
      : options,
  );
  const webhooks = (options.webhooks ?? []).map(resolveWebhook);
  const state = createState(resolved);
  // Subscribed before the restore, which may make due decisions and so record events.
  const delivery = startWebhooks(state, webhooks, options.onWebhookAttempt ?? (() => {}));
  if (snapshot) {
    restoreSnapshot(state, snapshot);
    const undelivered = new Set(snapshot.events.filter((event) => event.undelivered_webhooks > 0).map((event) => event.id));
    if (webhooks.length > 0) delivery.redeliver(state.events.filter((event) => undelivered.has(event.id)));
  }
  const { faults: spec = '', faultSeed = resolved.seed, faultMethods, faultPaths } = options;
  const faults = new FaultInjector(state.timers, spec, faultSeed, {
    ...(faultMethods === undefined ? {} : { methods: faultMethods }),
    ...(faultPaths === undefined ? {} : { paths: faultPaths }),
  });
  const server = createSandboxServer(state, new TokenStore(state), undefined, faults);

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => {
      // A restored state may have scheduled work already; it must not outlive a server that never started.
      delivery.close();
      for (const timer of state.timers) clearTimeout(timer);
      state.timers.clear();
      reject(error);
    };
    server.once('error', onError);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', onError);
      resolve();
    });
  });

  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('sandbox server has no TCP address');
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${hostPart}:${address.port}`;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve, reject) => {
      delivery.close();
      for (const timer of state.timers) clearTimeout(timer);
      state.timers.clear();
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
    return closing;
  };

  const setFaults = (faultSpec: string, { seed, ...scope }: SetFaultsOptions = {}) => faults.set(faultSpec, scope, seed);
  const snapshotNow = () => takeSnapshot(state);
  return { url, apiUrl: `${url}/v2`, oauthUrl: `${url}/oauth2/token`, port: address.port, state, faults, setFaults, snapshot: snapshotNow, close };
}
