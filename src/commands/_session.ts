import type { CliIO } from '../cli.js';
import type { Plan } from '../engine/plan.js';
import { UsageError, type Diagnostic } from '../errors.js';
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
  'credentials-file'?: string | undefined;
  /** Refused: Node 20 claims it (see {@link checkSessionFlags}). */
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

/**
 * Refuses flags that do not say one thing, before anything is read or opened: a custom target is both
 * URLs (an API URL alone would send unauthenticated requests, a token URL alone would be ignored), and
 * it replaces `--target`. `--env-file` is Node's own option: Node 20 reads it anywhere on the command line,
 * so `paxflow run --env-file x.env` stops in Node (exit 9) when x.env is missing, and never reaches paxflow.
 */
export const checkSessionFlags = (values: SessionFlags): void => {
  if (values['env-file'] !== undefined) {
    throw new UsageError(
      'BAD_ARGUMENTS',
      "--env-file is Node.js's own option (Node 20 takes it from anywhere on the command line); give the credentials file with --credentials-file FILE",
    );
  }
  const api = values['api-url'] !== undefined;
  const oauth = values['oauth-url'] !== undefined;
  if (api && !oauth) {
    throw new UsageError('BAD_ARGUMENTS', '--api-url needs --oauth-url URL too, the token endpoint of that API; without it no request would be authenticated');
  }
  if (oauth && !api) throw new UsageError('BAD_ARGUMENTS', '--oauth-url goes with --api-url URL, the API its tokens are for; a named --target has its own token URL');
  if (api && values.target !== undefined) {
    throw new UsageError('BAD_ARGUMENTS', `--api-url and --oauth-url make a custom target: drop --target ${values.target}, or drop the two URLs to use that target`);
  }
};

/**
 * Against production, one problem per step whose type exists only in the sandbox, at the step: what it
 * is (id and type) and where (file, line, column). None for other targets.
 */
export const sandboxOnlyProblems = (plan: Plan, targetName: string): Diagnostic[] =>
  targetName !== 'production'
    ? []
    : plan.steps
        .filter((step) => step.definition.sandboxOnly)
        .map((step) => ({
          code: 'SANDBOX_ONLY_STEP',
          message: `step '${step.id}' (${step.uses}) exists only in the Paxos sandbox and cannot run against production; run it with --target sandbox, or remove the step`,
          file: step.file ?? plan.file,
          ...(step.line === undefined ? {} : { line: step.line, col: step.col! }),
        }));

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
      ...(values['credentials-file'] === undefined ? {} : { envFile: values['credentials-file'] }),
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
