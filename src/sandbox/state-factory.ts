import { randomUUID } from 'node:crypto';
import { Ledger } from './ledger.js';
import { DEFAULT_PROFILE_ALIAS, addProfile } from './profiles.js';
import type { ResolvedSandboxOptions, SandboxState } from './state.js';
import { createTradingState } from './trading-state.js';

/** A fresh, empty emulator state holding only the DEFAULT profile (nickname `default`). */
export function createState(options: ResolvedSandboxOptions): SandboxState {
  const state: SandboxState = {
    options,
    now: () => new Date(),
    newId: () => randomUUID(),
    identities: new Map(),
    accounts: new Map(),
    profiles: new Map(),
    events: [],
    ledger: new Ledger(),
    trading: createTradingState(options.seed),
    timers: new Set(),
  };
  addProfile(state, { nickname: DEFAULT_PROFILE_ALIAS, type: 'DEFAULT' });
  return state;
}
