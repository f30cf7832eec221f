import type { Ledger } from './ledger.js';
import type { TradingState } from './trading-state.js';

/** Options of `startSandbox` and `paxflow sandbox`, resolved with their defaults. */
export interface ResolvedSandboxOptions {
  host: string;
  port: number;
  clientId: string;
  clientSecret: string;
  /** Scopes the built-in credential may be granted. */
  allowedScopes: readonly string[];
  /** Delay before a complete passthrough identity leaves PENDING. */
  approvalDelayMs: number;
  /** Seed of the deterministic price model. */
  seed: number;
  /** Lifetime of issued access tokens. */
  tokenTtlSeconds: number;
}

/** The identity fields other parts of the emulator rely on; the full record is the Paxos Identity. */
export interface IdentityRecord {
  id: string;
  type: 'PERSON' | 'INSTITUTION';
  summary_status: 'PENDING' | 'ERROR' | 'APPROVED' | 'DENIED' | 'DISABLED';
  ref_id?: string;
  [field: string]: unknown;
}

export interface AccountRecord {
  id: string;
  identity_id: string;
  profile_id?: string;
  ref_id?: string;
  [field: string]: unknown;
}

export interface ProfileRecord {
  id: string;
  nickname: string;
  type: 'NORMAL' | 'DEFAULT';
  account_id?: string;
  description?: string;
}

export interface EventRecord {
  id: string;
  type: string;
  object_type: string;
  object: Record<string, unknown>;
  created_at: string;
  undelivered_webhooks: number;
}

/** Everything the emulator holds; one per running server, so parallel test suites never share data. */
export interface SandboxState {
  readonly options: ResolvedSandboxOptions;
  now(): Date;
  newId(): string;
  identities: Map<string, IdentityRecord>;
  accounts: Map<string, AccountRecord>;
  /** Includes the DEFAULT profile, reachable by its id and by the alias `default`. */
  profiles: Map<string, ProfileRecord>;
  events: EventRecord[];
  ledger: Ledger;
  trading: TradingState;
  /** Timers (approval delays) to clear on close. */
  timers: Set<NodeJS.Timeout>;
}
