import type { CliIO } from '../cli.js';
import { EXIT } from '../cli.js';
import { UsageError } from '../errors.js';
import { parseFaultSpec, startSandbox } from '../sandbox/index.js';
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

/** `paxflow sandbox`: the emulator as a standalone server until SIGINT/SIGTERM. */
export const command = async (args: string[], io: CliIO): Promise<number> => {
  const { values } = parseCommandArgs(
    'sandbox',
    args,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'approval-delay': { type: 'string' },
      seed: { type: 'string' },
      faults: { type: 'string' },
      'fault-seed': { type: 'string' },
    },
    false,
  );
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
  const sandbox = await startSandbox({
    ...(port === undefined ? {} : { port }),
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(values['client-id'] === undefined ? {} : { clientId: values['client-id'] }),
    ...(values['client-secret'] === undefined ? {} : { clientSecret: values['client-secret'] }),
    ...(approvalDelayMs === undefined ? {} : { approvalDelayMs }),
    ...(seed === undefined ? {} : { seed }),
    ...(faults === undefined ? {} : { faults }),
    ...(faultSeed === undefined ? {} : { faultSeed }),
  }).catch((error: unknown) => {
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
