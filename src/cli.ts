import { UsageError, isInvalidInputError, isUsageError } from './errors.js';
import { formatError } from './report/format-error.js';
import { version } from './version.js';

/** Where the CLI reads and writes; the bin passes the process's, tests pass their own. */
export interface CliIO {
  stdout: { write(text: string): void; isTTY?: boolean };
  stderr: { write(text: string): void };
  env: Record<string, string | undefined>;
  cwd: string;
  /** Aborted on SIGINT/SIGTERM. */
  signal?: AbortSignal;
}

/** A command: parses its own arguments and returns the exit code. */
export type Command = (args: string[], io: CliIO) => Promise<number>;

export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

// Each command is imported only when called, so `--version` and `validate` never load ky or the emulator.
const commands: Record<string, () => Promise<{ command: Command }>> = {
  run: () => import('./commands/run.js'),
  validate: () => import('./commands/validate.js'),
  plan: () => import('./commands/plan.js'),
  steps: () => import('./commands/steps.js'),
  schema: () => import('./commands/schema.js'),
  sandbox: () => import('./commands/sandbox.js'),
  runs: () => import('./commands/runs.js'),
  report: () => import('./commands/report.js'),
};

export const HELP = `paxflow ${version}: run declarative YAML workflows against the Paxos v2 API

Usage:
  paxflow run FILE_OR_DIR... [--target T] [--var k=v]... [--vars-file F] [--env-file F]
                   [--reporter NAME[=PATH]]... [--verbose] [--no-redact-pii]
                   [--data F] [--concurrency N] [--grep PATTERN] [--rate-limit SPEC]
  paxflow validate FILE... [--data F]
                                  every problem, one per line: FILE:LINE:COL error CODE message
  paxflow plan FILE [--var k=v]... [--vars-file F] [--json]
                                  the resolved steps, playbooks expanded: values known now, the outputs
                                  the rest wait on, conditions, finally: steps, OAuth scopes; sends nothing
  paxflow steps [--json]          step types with inputs, outputs and scopes
  paxflow schema                  the workflow JSON Schema
  paxflow sandbox [--port N] [--host H] [--client-id ID] [--client-secret S]
                  [--approval-delay MS] [--seed N] [--faults SPEC] [--fault-seed N]
                  [--webhook URL]... [--webhook-header NAME | --webhook-oauth-url URL
                  --webhook-client-id ID] [--webhook-rate N] [--webhook-timeout MS]
                                  run the embedded Paxos sandbox emulator until Ctrl-C
  paxflow runs [--limit N] [--json] [--journal-dir DIR]
                                  recent runs, newest first, with their status and run id
  paxflow report FILE.json --reporter html[=OUT.html]
                                  render a JSON report kept from an earlier run as the HTML report
  paxflow --help | --version

Run options:
  --target local|sandbox|production   where requests go (default: local, the embedded emulator)
  --allow-production                  required with --target production
  --api-url URL, --oauth-url URL      a custom target
  --client-id ID, --client-secret S   credentials (else PAXOS_CLIENT_ID / PAXOS_CLIENT_SECRET)
  --env-file FILE                     read PAXOS_CLIENT_ID / PAXOS_CLIENT_SECRET from a .env file
  --var name=value                    override a variable declared under vars: (repeatable)
  --vars-file FILE                    variables from a YAML or JSON map
  --reporter NAME[=PATH]              pretty (default), json, junit, html or github; to PATH or stdout (repeatable);
                                      github is added by itself when GITHUB_ACTIONS=true
  --verbose                           also print each step's HTTP exchanges
  --no-redact-pii                     show personal data (secrets stay masked); local target only, never under CI
  --dry-run                           print the plan (known values filled in) and send nothing
  --resume RUN_ID                     continue an interrupted or failed run (id or a unique 6+ character prefix)
  --force                             with --resume: continue even though completed steps changed
  --journal-dir DIR                   where run journals go (default .paxflow/runs, or $PAXFLOW_HOME/runs)

Many runs in one command (a folder's *.yaml files, several files, --data or a matrix:):
  --data FILE                         run the workflow once per row of a .csv (header row), .jsonl or .json file,
                                      read as {{row.<column>}}; replaces the workflow's matrix:
  --concurrency N                     runs at once (default 4); each run has its own run id and journal
  --grep PATTERN                      run only the files whose workflow name matches (a regular expression,
                                      case-insensitive)
  --rate-limit SPEC                   paxos, off, or identity=10,token=1,default=50 (requests per second);
                                      default: the Paxos limits against sandbox and production, none elsewhere

Exit codes: 0 success, 1 a step failed (with many runs: a run failed or could not start), 2 invalid
workflow or arguments, 130 interrupted.
`;

/** The whole command line as a function: parses `argv` (without node and script), returns the exit code. */
export const cli = async (argv: string[], io: CliIO): Promise<number> => {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.stdout.write(HELP);
      return name === undefined ? EXIT.usage : EXIT.ok;
    }
    if (name === '--version' || name === '-v') {
      io.stdout.write(`${version}\n`);
      return EXIT.ok;
    }
    const load = commands[name];
    if (!load) throw new UsageError('UNKNOWN_COMMAND', `unknown command '${name}'; run paxflow --help for the list`);
    const { command } = await load();
    return await command(rest, io);
  } catch (error) {
    for (const line of formatError(error)) io.stderr.write(`${line}\n`);
    return isUsageError(error) || isInvalidInputError(error) ? EXIT.usage : EXIT.failed;
  }
};
