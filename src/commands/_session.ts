import type { CliIO } from '../cli.js';
import { UsageError } from '../errors.js';
import { createPaxosClient, parseRateLimits, resolveCredentials } from '../paxos/index.js';
import type { PaxosApiClient, PaxosCredentials } from '../paxos/index.js';
import type { Redactor } from '../report/redact.js';
import { openTarget, type OpenTarget } from './_target.js';

/** The flags of `paxflow run` that say where requests go and as whom. */
export interface SessionFlags {
  target?: string | undefined;
  'api-url'?: string | undefined;
  'oauth-url'?: string | undefined;
  'allow-production'?: boolean | undefined;
  'client-id'?: string | undefined;
  'client-secret'?: string | undefined;
  'env-file'?: string | undefined;
  'rate-limit'?: string | undefined;
}

/** What every run of one command shares: the target (one emulator for `local`) and one client, so one token per credential. */
export interface Session {
  target: OpenTarget;
  paxos: PaxosApiClient;
  credentials?: PaxosCredentials;
  /** Stops the emulator of `local`. */
  close(): Promise<void>;
}

export const refusePiiOff = (why: string): UsageError =>
  new UsageError('REDACTION_REQUIRED', `--no-redact-pii is for local debugging only and is refused ${why}`);

/** The target's name as the flags give it, before anything is opened. */
export const targetNameOf = (values: SessionFlags): string => (values['api-url'] === undefined ? (values.target ?? 'local') : 'custom');

/**
 * Opens the target (for `local`, from an emulator snapshot when `restoreFrom` is given), resolves the
 * credentials and builds the client that asks for `scopes`. Secrets
 * (the client secret, each token) go to `redactor` before they can appear anywhere. The caller closes it.
 */
export const openSession = async (
  values: SessionFlags,
  io: CliIO,
  redactor: Redactor,
  scopes: readonly string[],
  restoreFrom?: unknown,
): Promise<Session> => {
  // Checked before the target opens, so a bad flag starts nothing.
  const rateLimit = values['rate-limit'] === undefined ? undefined : parseRateLimits(values['rate-limit']);
  const flags = {
    ...(values['client-id'] === undefined ? {} : { clientId: values['client-id'] }),
    ...(values['client-secret'] === undefined ? {} : { clientSecret: values['client-secret'] }),
  };
  const target = await openTarget({
    ...(values.target === undefined ? {} : { target: values.target }),
    ...(values['api-url'] === undefined ? {} : { apiUrl: values['api-url'] }),
    ...(values['oauth-url'] === undefined ? {} : { oauthUrl: values['oauth-url'] }),
    allowProduction: values['allow-production'] ?? false,
    ...(restoreFrom === undefined ? {} : { restoreFrom }),
    ...(flags.clientId !== undefined && flags.clientSecret !== undefined
      ? { localCredentials: { clientId: flags.clientId, clientSecret: flags.clientSecret } }
      : {}),
  });
  try {
    const credentials = await resolveCredentials({
      targetName: target.info.name,
      hasOAuth: target.info.oauthUrl !== undefined,
      flags,
      env: io.env,
      ...(values['env-file'] === undefined ? {} : { envFile: values['env-file'] }),
      cwd: io.cwd,
      ...(target.defaultCredentials ? { localDefaults: target.defaultCredentials } : {}),
    });
    // `id:secret` too: its base64 is what an HTTP Basic header would carry.
    if (credentials) redactor.addSecret([credentials.clientSecret, `${credentials.clientId}:${credentials.clientSecret}`]);
    const paxos = createPaxosClient({
      target: target.info,
      ...(credentials ? { credentials } : {}),
      scopes,
      onSecret: (secret) => redactor.addSecret(secret),
      ...(rateLimit === undefined ? {} : { rateLimit }),
    });
    return { target, paxos, ...(credentials ? { credentials } : {}), close: () => target.close() };
  } catch (error) {
    await target.close();
    throw error;
  }
};
