import type { CliIO } from '../cli.js';
import { EXIT } from '../cli.js';
import { UsageError } from '../errors.js';
import { parseFaultSpec, startSandbox, type WebhookAttempt, type WebhookOptions } from '../sandbox/index.js';
import { parseCommandArgs } from './_args.js';

const integer = (flag: string, value: string | undefined, min: number, max: number): number | undefined => {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError('BAD_ARGUMENTS', `${flag} takes a whole number from ${min} to ${max}`);
  }
  return Number(value);
};

/** Why the server could not listen, as something the user can change; anything else stays a bug. */
const listenError = (error: unknown, port: number, host: string): unknown => {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') {
    return new UsageError('PORT_IN_USE', `port ${port} is in use on ${host}; stop what listens there, or give another --port (0 picks a free one)`);
  }
  if (code === 'EACCES') return new UsageError('PORT_NOT_ALLOWED', `listening on port ${port} is not allowed for this user (ports below 1024 usually need privileges); give another --port`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new UsageError('BAD_ARGUMENTS', `cannot listen on --host ${host} (${code}): give an address of this machine, such as 127.0.0.1`);
  }
  return error;
};

type WebhookFlags = Partial<Record<'webhook-header' | 'webhook-oauth-url' | 'webhook-client-id' | 'webhook-rate' | 'webhook-timeout', string>> & {
  webhook?: string[];
};

/**
 * The `--webhook URL` entries with the auth and limit flags, which apply to every one of them. Secrets come
 * from the environment, never the command line (other users can read it): the API-key header's value from
 * PAXFLOW_WEBHOOK_API_KEY, the OAuth client secret from PAXFLOW_WEBHOOK_CLIENT_SECRET.
 */
function webhookOptions(values: WebhookFlags, env: Record<string, string | undefined>): WebhookOptions[] {
  const urls = values.webhook ?? [];
  const header = values['webhook-header'];
  const oauthUrl = values['webhook-oauth-url'];
  const clientId = values['webhook-client-id'];
  if (urls.length === 0) {
    const stray = (['webhook-header', 'webhook-oauth-url', 'webhook-client-id', 'webhook-rate', 'webhook-timeout'] as const).find((flag) => values[flag] !== undefined);
    if (stray) throw new UsageError('BAD_ARGUMENTS', `--${stray} needs at least one --webhook URL`);
    return [];
  }
  if (header !== undefined && oauthUrl !== undefined) throw new UsageError('BAD_ARGUMENTS', '--webhook-header and --webhook-oauth-url are two kinds of auth: give one');
  if ((oauthUrl === undefined) !== (clientId === undefined)) throw new UsageError('BAD_ARGUMENTS', '--webhook-oauth-url and --webhook-client-id go together');
  const rateLimit = integer('--webhook-rate', values['webhook-rate'], 1, 100);
  const timeoutMs = integer('--webhook-timeout', values['webhook-timeout'], 1, 600_000);
  const shared: Omit<WebhookOptions, 'url'> = {
    ...(rateLimit === undefined ? {} : { rateLimit }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  };
  if (header !== undefined) {
    const value = env.PAXFLOW_WEBHOOK_API_KEY;
    if (!value) throw new UsageError('BAD_ARGUMENTS', '--webhook-header NAME sends the API key from the PAXFLOW_WEBHOOK_API_KEY environment variable, which is not set');
    shared.apiKey = { header, value };
  }
  if (oauthUrl !== undefined && clientId !== undefined) {
    const clientSecret = env.PAXFLOW_WEBHOOK_CLIENT_SECRET;
    if (!clientSecret) throw new UsageError('BAD_ARGUMENTS', '--webhook-oauth-url needs the client secret in the PAXFLOW_WEBHOOK_CLIENT_SECRET environment variable, which is not set');
    shared.oauth = { tokenUrl: oauthUrl, clientId, clientSecret };
  }
  return urls.map((url) => ({ url, ...shared }));
}

const FLAG_OF: Record<string, string> = {
  url: 'the URL', rateLimit: '--webhook-rate', timeoutMs: '--webhook-timeout', 'apiKey.header': '--webhook-header',
  'apiKey.value': 'PAXFLOW_WEBHOOK_API_KEY', 'oauth.tokenUrl': '--webhook-oauth-url',
};

// Never the user info or the query string: either may hold a credential.
const displayWebhook = (text: string): string => {
  const url = new URL(text);
  return `${url.protocol}//${url.host}${url.pathname}`;
};

function describeAttempt(attempt: WebhookAttempt): string {
  const answer = attempt.status === undefined ? attempt.error ?? 'no answer' : `HTTP ${attempt.status}`;
  const head = `webhook ${attempt.event_type} ${attempt.event_id} -> ${attempt.url}: ${answer}, attempt ${attempt.attempt}`;
  if (attempt.outcome === 'failed') return `${head}, retry in ${attempt.retry_in_ms} ms`;
  return attempt.outcome === 'gave-up' ? `${head}, gave up` : `${head}, delivered`;
}

export const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'approval-delay': { type: 'string' },
  seed: { type: 'string' },
  faults: { type: 'string' },
  'fault-seed': { type: 'string' },
  webhook: { type: 'string', multiple: true },
  'webhook-header': { type: 'string' },
  'webhook-oauth-url': { type: 'string' },
  'webhook-client-id': { type: 'string' },
  'webhook-rate': { type: 'string' },
  'webhook-timeout': { type: 'string' },
} as const;

export const help = `Usage: paxflow sandbox [options]

Runs the embedded emulator of the Paxos sandbox as a server until Ctrl-C, for your own code or another
paxflow (paxflow run --api-url URL/v2 --oauth-url URL/oauth2/token). Prints its URLs when it listens.

Options:
  --port N                    TCP port (default 0: a free one)
  --host H                    interface to listen on (default 127.0.0.1)
  --client-id ID              the client id it accepts (default sandbox-client)
  --client-secret S           the client secret it accepts (default sandbox-secret)
  --approval-delay MS         milliseconds before a complete person is approved or denied (default 200)
  --seed N                    seed of the deterministic price model (default 1)
  --faults SPEC               faults to inject: KIND:PROBABILITY[@PARAM],... (see docs/emulator.md)
  --fault-seed N              seed of the fault roll (default: --seed)

Webhooks (each event it records is POSTed to every URL; each attempt is printed):
  --webhook URL               a consumer of the event notifications (repeatable)
  --webhook-header NAME       send the API key from PAXFLOW_WEBHOOK_API_KEY in this header
  --webhook-oauth-url URL     or authenticate with OAuth client credentials at this token URL,
  --webhook-client-id ID      as this client, with the secret from PAXFLOW_WEBHOOK_CLIENT_SECRET
  --webhook-rate N            deliveries per second to each URL, 1 to 100 (default 10)
  --webhook-timeout MS        how long one delivery or token request may take (default 5000)

Example:
  paxflow sandbox --port 4010 --faults 500:0.05,latency:0.1@800ms --webhook http://127.0.0.1:3000/paxos
`;

/** `paxflow sandbox`: the emulator as a standalone server until SIGINT/SIGTERM. */
export const command = async (args: string[], io: CliIO): Promise<number> => {
  const { values } = parseCommandArgs('sandbox', args, OPTIONS, false);
  const port = integer('--port', values.port, 0, 65535);
  const approvalDelayMs = integer('--approval-delay', values['approval-delay'], 0, 3_600_000);
  const seed = integer('--seed', values.seed, 0, 2 ** 31 - 1);
  const faultSeed = integer('--fault-seed', values['fault-seed'], 0, 2 ** 31 - 1);
  const faults = values.faults;
  try {
    if (faults !== undefined) parseFaultSpec(faults);
  } catch (error) {
    throw new UsageError('BAD_ARGUMENTS', `--faults: ${error instanceof Error ? error.message : 'invalid spec'}`);
  }
  const webhooks = webhookOptions(values, io.env);
  const sandbox = await startSandbox({
    ...(port === undefined ? {} : { port }),
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(values['client-id'] === undefined ? {} : { clientId: values['client-id'] }),
    ...(values['client-secret'] === undefined ? {} : { clientSecret: values['client-secret'] }),
    ...(approvalDelayMs === undefined ? {} : { approvalDelayMs }),
    ...(seed === undefined ? {} : { seed }),
    ...(faults === undefined ? {} : { faults }),
    ...(faultSeed === undefined ? {} : { faultSeed }),
    ...(webhooks.length === 0 ? {} : { webhooks, onWebhookAttempt: (attempt) => io.stdout.write(`${describeAttempt(attempt)}\n`) }),
  }).catch((error: unknown) => {
    // Bad webhook entries are RangeErrors naming the entry and the field, never its value.
    if (error instanceof RangeError && /^sandbox webhooks\[(\d+)\]/.test(error.message)) {
      const message = error.message.replace(/^sandbox webhooks\[(\d+)\]\.?/, (_, index: string) => `--webhook ${Number(index) + 1}: `);
      throw new UsageError('BAD_ARGUMENTS', message.replace(/: (rateLimit|timeoutMs|apiKey\.header|apiKey\.value|oauth\.tokenUrl|url)/, (_, field: string) => `: ${FLAG_OF[field] ?? field}`));
    }
    throw listenError(error, port ?? 0, values.host ?? '127.0.0.1');
  });
  const custom = values['client-secret'] !== undefined;
  io.stdout.write(
    [
      'paxflow sandbox emulator is running',
      `  API:        ${sandbox.apiUrl}`,
      `  OAuth:      ${sandbox.oauthUrl}`,
      `  client id:  ${values['client-id'] ?? 'sandbox-client'}`,
      // A secret given on the command line is the user's own; we do not print it back.
      `  secret:     ${custom ? '(as given with --client-secret)' : 'sandbox-secret'}`,
      ...(sandbox.faults.spec === '' ? [] : [`  faults:     ${sandbox.faults.spec} (seed ${sandbox.faults.seed})`]),
      ...webhooks.map((webhook) => `  webhook:    ${displayWebhook(webhook.url)}`),
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    if (!io.signal || io.signal.aborted) return resolve();
    io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await sandbox.close();
  if (sandbox.faults.spec !== '') {
    const injected = Object.entries(sandbox.faults.counts).filter(([, count]) => count > 0).map(([kind, count]) => `${kind} ${count}`);
    io.stdout.write(`faults injected: ${injected.join(', ') || 'none'} (${sandbox.faults.requests} requests in scope)\n`);
  }
  io.stdout.write('sandbox stopped\n');
  return EXIT.ok;
};
