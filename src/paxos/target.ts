import { UsageError } from '../errors.js';
import type { SandboxSnapshot } from '../sandbox/index.js';
import type { TargetInfo } from '../steps/define.js';
import { LOCAL_CREDENTIALS } from './credentials.js';
import type { PaxosCredentials } from './types.js';

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

export const REMOTE_TARGETS: Record<string, { apiUrl: string; oauthUrl: string }> = {
  sandbox: { apiUrl: 'https://api.sandbox.paxos.com/v2', oauthUrl: 'https://oauth.sandbox.paxos.com/oauth2/token' },
  production: { apiUrl: 'https://api.paxos.com/v2', oauthUrl: 'https://oauth.paxos.com/oauth2/token' },
};

const checkUrl = (flag: string, value: string): string => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError('BAD_ARGUMENTS', `${flag} must be an absolute http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError('BAD_ARGUMENTS', `${flag} must use http or https`);
  // Not echoed: the password is the point. A URL's credentials would be sent to whatever it names.
  if (url.username !== '' || url.password !== '') {
    throw new UsageError('BAD_ARGUMENTS', `${flag} holds a user name or password (user:password@host), which paxflow refuses; give the API credential with --client-id and --client-secret`);
  }
  return value.replace(/\/+$/, '');
};

/**
 * Resolves the target. `local` starts the embedded emulator in this process on a free port of
 * 127.0.0.1 (imported lazily, so other targets never load it), from `restoreFrom` when given;
 * `close()` stops it.
 */
export const openTarget = async (options: TargetOptions): Promise<OpenTarget> => {
  const name = options.apiUrl !== undefined ? 'custom' : (options.target ?? 'local');
  if (options.restoreFrom !== undefined && name !== 'local') {
    throw new UsageError('BAD_ARGUMENTS', `an emulator snapshot can only be restored into --target local, not ${name}`);
  }
  if (name === 'custom') {
    const apiUrl = checkUrl('--api-url', options.apiUrl!);
    const oauthUrl = options.oauthUrl === undefined ? undefined : checkUrl('--oauth-url', options.oauthUrl);
    return { info: { name, apiUrl, ...(oauthUrl ? { oauthUrl } : {}) }, close: async () => {} };
  }
  if (name === 'local') {
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
  }
  const remote = REMOTE_TARGETS[name];
  if (!remote) throw new UsageError('BAD_ARGUMENTS', `unknown --target '${name}'; use local, sandbox or production, or --api-url`);
  if (name === 'production' && !options.allowProduction) {
    throw new UsageError('PRODUCTION_NOT_ALLOWED', '--target production moves real money; add --allow-production if you mean it');
  }
  return { info: { name, ...remote }, close: async () => {} };
};
