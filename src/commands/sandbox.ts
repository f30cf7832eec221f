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

export const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'approval-delay': { type: 'string' },
  seed: { type: 'string' },
  faults: { type: 'string' },
  'fault-seed': { type: 'string' },
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

Example:
  paxflow sandbox --port 4010 --faults 500:0.05,latency:0.1@800ms
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
  const sandbox = await startSandbox({
    ...(port === undefined ? {} : { port }),
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(values['client-id'] === undefined ? {} : { clientId: values['client-id'] }),
    ...(values['client-secret'] === undefined ? {} : { clientSecret: values['client-secret'] }),
    ...(approvalDelayMs === undefined ? {} : { approvalDelayMs }),
    ...(seed === undefined ? {} : { seed }),
    ...(faults === undefined ? {} : { faults }),
    ...(faultSeed === undefined ? {} : { faultSeed }),
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
