import { UsageError } from '../errors.js';
import { LOCAL_CREDENTIALS, remoteTarget } from '../paxos/index.js';
import type { PaxosCredentials } from '../paxos/index.js';
import type { SandboxSnapshot } from '../sandbox/index.js';
import type { TargetInfo } from '../steps/define.js';

/** How the user chose where requests go. */
export interface TargetOptions {
  /** `local` (default), `sandbox` or `production`. */
  target?: string;
  /** A custom API base URL (ending in /v2); overrides the target's. */
  apiUrl?: string;
  /** A custom token URL; overrides the target's. */
  oauthUrl?: string;
  /** Required for `production`. */
  allowProduction?: boolean;
  /** The credential the `local` emulator accepts (`--client-id`/`--client-secret`). @default LOCAL_CREDENTIALS */
  localCredentials?: PaxosCredentials;
  /**
   * `local` only: the emulator snapshot of the run being resumed (`readRunSnapshot` in src/journal), so that
   * the emulator starts with everything that run made. A snapshot that cannot be restored is a
   * `RESUME_SNAPSHOT_INVALID` usage error. @default none: the emulator starts empty
   */
  restoreFrom?: unknown;
}

/** An opened target: where to send requests, and how to release what opening it started. */
export interface OpenTarget {
  info: TargetInfo;
  /** `local` only: the credential its emulator accepts. Kept out of `info`, which goes into reports. */
  defaultCredentials?: PaxosCredentials;
  /**
   * `local` only: the emulator's whole state now, as plain JSON, for `openRunJournal({ snapshot })`, which
   * keeps it beside the journal so that the run can be resumed in another process.
   */
  snapshot?: () => SandboxSnapshot;
  close(): Promise<void>;
}

/**
 * Resolves the target. `local` starts the embedded emulator in this process on a free port of
 * 127.0.0.1 (imported lazily, so other targets never load it), from `restoreFrom` when given;
 * `close()` stops it. The emulator is started here, by the layer that opens a session, so that the
 * Paxos client in src/paxos knows nothing of it.
 */
export const openTarget = async (options: TargetOptions): Promise<OpenTarget> => {
  const name = options.apiUrl !== undefined ? 'custom' : (options.target ?? 'local');
  if (options.restoreFrom !== undefined && name !== 'local') {
    throw new UsageError('BAD_ARGUMENTS', `an emulator snapshot can only be restored into --target local, not ${name}`);
  }
  if (name !== 'local') return { info: remoteTarget(options), close: async () => {} };
  const { startSandbox, isSandboxSnapshotError } = await import('../sandbox/index.js');
  const credentials = options.localCredentials ?? LOCAL_CREDENTIALS;
  const sandbox = await startSandbox({
    port: 0,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    ...(options.restoreFrom === undefined ? {} : { snapshot: options.restoreFrom }),
  }).catch((error: unknown) => {
    if (!isSandboxSnapshotError(error)) throw error;
    throw new UsageError('RESUME_SNAPSHOT_INVALID', `the embedded emulator cannot be restored from the run's snapshot: ${error.message}`, { cause: error });
  });
  return {
    info: { name, apiUrl: sandbox.apiUrl, oauthUrl: sandbox.oauthUrl },
    defaultCredentials: { ...credentials },
    snapshot: () => sandbox.snapshot(),
    close: () => sandbox.close(),
  };
};
