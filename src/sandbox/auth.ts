import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Problem, forbidden } from './http-types.js';
import type { SandboxState } from './state.js';

/** Every OAuth scope of the Paxos v2 API; the emulator's credential may be granted any of them by default. */
export const KNOWN_SCOPES: readonly string[] = [
  'conversion:read_conversion_stablecoin', 'conversion:write_conversion_stablecoin',
  'events:read_event',
  'exchange:historical_prices', 'exchange:read_order', 'exchange:read_quote', 'exchange:read_quote_execution',
  'exchange:write_order', 'exchange:write_quote_execution',
  'fee:write_crypto_withdrawal_fee',
  'funding:read_profile', 'funding:write_profile',
  'identity:read_account', 'identity:read_identity', 'identity:write_account', 'identity:write_identity',
  'settlement:read_transaction', 'settlement:write_transaction',
  'tax:read_tax_form', 'tax:read_tax_lot', 'tax:write_tax_lot',
  'transfer:read_deposit_address', 'transfer:read_fiat_account', 'transfer:read_fiat_deposit_instructions',
  'transfer:read_transfer', 'transfer:read_transfer_limit', 'transfer:reject_crypto_deposit',
  'transfer:update_crypto_deposit', 'transfer:write_crypto_withdrawal', 'transfer:write_deposit_address',
  'transfer:write_fiat_account', 'transfer:write_fiat_deposit_instructions', 'transfer:write_fiat_withdrawal',
  'transfer:write_internal_transfer', 'transfer:write_sandbox_fiat_deposit',
];

interface IssuedToken {
  scopes: readonly string[];
  /** Milliseconds since the epoch, on the state's clock. */
  expiresAt: number;
}

/** Access tokens of one server: random opaque strings with their scopes and expiry. */
export class TokenStore {
  readonly #state: SandboxState;
  readonly #tokens = new Map<string, IssuedToken>();

  constructor(state: SandboxState) {
    this.#state = state;
  }

  issue(scopes: readonly string[]): { token: string; expiresIn: number } {
    const now = this.#state.now().getTime();
    for (const [token, issued] of this.#tokens) if (issued.expiresAt <= now) this.#tokens.delete(token);
    const token = randomBytes(32).toString('base64url');
    const expiresIn = this.#state.options.tokenTtlSeconds;
    this.#tokens.set(token, { scopes: [...scopes], expiresAt: now + expiresIn * 1000 });
    return { token, expiresIn };
  }

  /** The token's scopes, or `undefined` when it is unknown or expired. */
  scopesOf(token: string): readonly string[] | undefined {
    const issued = this.#tokens.get(token);
    if (!issued) return undefined;
    if (issued.expiresAt <= this.#state.now().getTime()) {
      this.#tokens.delete(token);
      return undefined;
    }
    return issued.scopes;
  }
}

const unauthorized = (detail: string) => new Problem(401, 'Unauthorized', detail);

/**
 * Checks the bearer token of a request against the scopes a route accepts ("required one of") and
 * returns the token's scopes. Throws the 401 or 403 Problem Paxos sends.
 */
export function authorize(headers: IncomingHttpHeaders, required: readonly string[], tokens: TokenStore): ReadonlySet<string> {
  const header = headers.authorization;
  if (header === undefined || header.trim() === '') throw unauthorized('no authorization header set');
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  if (!match?.[1]) throw unauthorized('authorization header must be of the form: Bearer <token>');
  const scopes = tokens.scopesOf(match[1]);
  if (scopes === undefined) throw unauthorized('invalid or expired token');
  if (required.length > 0 && !required.some((scope) => scopes.includes(scope))) {
    throw forbidden(`insufficient scopes: found '${scopes.join(' ')}', required one of '[${required.join(' ')}]'`);
  }
  return new Set(scopes);
}
