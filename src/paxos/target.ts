import { UsageError } from '../errors.js';
import type { TargetInfo } from '../steps/define.js';

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

/** Where requests go, for every target but `local` (whose emulator the session layer starts). */
export interface RemoteTargetOptions {
  /** `sandbox` or `production`; ignored when `apiUrl` is given. */
  target?: string;
  /** A custom API base URL (ending in /v2); overrides the target's. */
  apiUrl?: string;
  /** A custom token URL; overrides the target's. */
  oauthUrl?: string;
  /** Required for `production`. */
  allowProduction?: boolean;
}

/**
 * The API and token URLs of a remote or custom target, checked: an unknown name, a bad URL or
 * production without `allowProduction` is a usage error. Pure: it opens nothing.
 */
export const remoteTarget = (options: RemoteTargetOptions): TargetInfo => {
  if (options.apiUrl !== undefined) {
    const apiUrl = checkUrl('--api-url', options.apiUrl);
    const oauthUrl = options.oauthUrl === undefined ? undefined : checkUrl('--oauth-url', options.oauthUrl);
    return { name: 'custom', apiUrl, ...(oauthUrl ? { oauthUrl } : {}) };
  }
  const name = options.target ?? 'local';
  const remote = REMOTE_TARGETS[name];
  if (!remote) throw new UsageError('BAD_ARGUMENTS', `unknown --target '${name}'; use local, sandbox or production, or --api-url`);
  if (name === 'production' && !options.allowProduction) {
    throw new UsageError('PRODUCTION_NOT_ALLOWED', '--target production moves real money; add --allow-production if you mean it');
  }
  return { name, ...remote };
};
