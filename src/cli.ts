import { UsageError, isInvalidInputError, isUsageError } from './errors.js';
import { formatError } from './report/format-error.js';
import { guardWriter } from './util/safe-write.js';
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

/** The exit codes: 0 success, 1 a step (or a run) failed, 2 invalid workflow or arguments, 130 interrupted. */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** What each file of src/commands exports: the command, and its help (usage, options, an example). */
interface CommandModule {
  command: Command;
  help: string;
}

// Each command is imported only when called, so `--version` and `validate` never load ky or the emulator.
const commands: Record<string, () => Promise<CommandModule>> = {
  init: () => import('./commands/init.js'),
  run: () => import('./commands/run.js'),
  validate: () => import('./commands/validate.js'),
  plan: () => import('./commands/plan.js'),
  steps: () => import('./commands/steps.js'),
  schema: () => import('./commands/schema.js'),
  sandbox: () => import('./commands/sandbox.js'),
  runs: () => import('./commands/runs.js'),
  report: () => import('./commands/report.js'),
};

/** The names of the commands, in the order `paxflow --help` lists them. */
export const commandNames = Object.keys(commands);

export const HELP = `paxflow ${version}: run declarative YAML workflows against the Paxos v2 API

Usage: paxflow COMMAND [options]

Commands:
  init [DIR]             start a workflows folder in this project (default workflows/): a first workflow,
                         a negative scenario, the editor's schema mapping and .gitignore
  run FILE_OR_DIR...     run workflows; by default against the embedded emulator of the Paxos sandbox
  validate FILE...       every problem of each file, one per line: FILE:LINE:COL error CODE message
  plan FILE              the resolved steps, which outputs feed which inputs, the OAuth scopes; sends nothing
  steps [--json]         the step types with their inputs, outputs and scopes
  schema                 the workflow JSON Schema
  sandbox                run the embedded Paxos sandbox emulator as a server until Ctrl-C
  runs                   recent runs, newest first, with their status and run id
  report FILE.json       a JSON report kept from an earlier run as the HTML report
  help COMMAND           a command's usage, options and an example (the same as paxflow COMMAND --help)

  paxflow --help | --version

Exit codes: 0 success, 1 a step failed, 2 invalid workflow or arguments, 130 interrupted.

Example:
  paxflow init && paxflow run workflows
`;

// The suggestion's code is loaded only for a mistyped command: the bin's start stays as small as it was.
const unknownCommand = async (name: string): Promise<UsageError> => {
  const { closestMatch } = await import('./util/suggest.js');
  const near = closestMatch(name, commandNames);
  return new UsageError('UNKNOWN_COMMAND', `unknown command '${name}'${near ? ` (did you mean '${near}'?)` : ''}; run paxflow --help for the list`);
};

/** `-h`/`--help` among a command's arguments (before a `--`, after which everything is a positional). */
const asksForHelp = (args: readonly string[]): boolean => {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
};

/**
 * The whole command line as a function: parses `argv` (without node and script), writes to `io` and
 * resolves with the exit code ({@link EXIT}); it never calls `process.exit`.
 *
 * @example
 * const code = await cli(['validate', 'workflows/onboard.yaml'], { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
 */
export const cli = async (argv: string[], given: CliIO): Promise<number> => {
  const [name, ...rest] = argv;
  // A writer that throws (a closed pipe) loses the output, never the work: a run goes on to its end.
  const io: CliIO = { ...given, stdout: guardWriter(given.stdout), stderr: guardWriter(given.stderr) };
  try {
    if (name === undefined || name === '--help' || name === '-h' || (name === 'help' && (rest.length === 0 || (rest.length === 1 && rest[0] === 'help')))) {
      io.stdout.write(HELP);
      return name === undefined ? EXIT.usage : EXIT.ok;
    }
    if (name === '--version' || name === '-v') {
      io.stdout.write(`${version}\n`);
      return EXIT.ok;
    }
    if (name === 'help') {
      if (rest.length > 1) throw new UsageError('BAD_ARGUMENTS', 'paxflow help takes one COMMAND');
      const load = commands[rest[0]!];
      if (!load) throw await unknownCommand(rest[0]!);
      io.stdout.write((await load()).help);
      return EXIT.ok;
    }
    const load = commands[name];
    if (!load) throw await unknownCommand(name);
    const { command, help } = await load();
    if (asksForHelp(rest)) {
      io.stdout.write(help);
      return EXIT.ok;
    }
    return await command(rest, io);
  } catch (error) {
    for (const line of formatError(error)) io.stderr.write(`${line}\n`);
    return isUsageError(error) || isInvalidInputError(error) ? EXIT.usage : EXIT.failed;
  }
};
