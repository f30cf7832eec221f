import { KNOWN_SCOPES, TokenStore } from './auth.js';
import { createSandboxServer } from './server.js';
import { createState } from './state-factory.js';
import type { ResolvedSandboxOptions, SandboxState } from './state.js';

export { KNOWN_SCOPES } from './auth.js';
export type { SandboxState } from './state.js';

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
  /** Clears pending approvals, drops open connections and resolves once the server is closed. */
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

/** Starts the Paxos sandbox emulator: one HTTP server answering `/oauth2/token` and `/v2/...`. */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const resolved = resolveOptions(options);
  const state = createState(resolved);
  const server = createSandboxServer(state, new TokenStore(state));

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
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
      for (const timer of state.timers) clearTimeout(timer);
      state.timers.clear();
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
    return closing;
  };

  return { url, apiUrl: `${url}/v2`, oauthUrl: `${url}/oauth2/token`, port: address.port, state, close };
}
