import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIO } from '../cli.js';
import { EXIT } from '../cli.js';
import { InvalidInputError, UsageError, type Diagnostic } from '../errors.js';
import { makeDirectory } from '../util/make-directory.js';
import { parseCommandArgs } from './_args.js';
import { JsoncSyntaxError, addSchemaMapping } from './_jsonc.js';

export const OPTIONS = { force: { type: 'boolean' } } as const;

export const help = `Usage: paxflow init [DIR] [--force]

Starts a folder of workflows in the current project (DIR, default workflows/):
  DIR/onboard-and-trade.yaml     the Paxos onboarding guide end to end: identity, approval, account,
                                 funding, a buy and a sell, then exact balance checks
  DIR/order-beyond-funds.yaml    a negative scenario: an order beyond the funds is refused, nothing moves
each opening with a yaml-language-server comment that points at the installed package's schema; maps
DIR's files to that schema under yaml.schemas in .vscode/settings.json (added to an existing file, whose
comments and other settings stay as they are); adds .paxflow/ (run journals) to .gitignore.

It never overwrites a file: when a workflow file is there already, it names each one and exits 2.

Options:
  --force    overwrite the two workflow files (settings.json and .gitignore are only ever added to)

Example:
  npm install --save-dev paxflow && npx paxflow init && npx paxflow run workflows
`;

/** Where the package's own files are: the folder of the nearest package.json named paxflow above this module. */
const packageRoot = async (): Promise<string> => {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth += 1) {
    const manifest = await readFile(join(folder, 'package.json'), 'utf8').catch(() => undefined);
    if (manifest !== undefined && (JSON.parse(manifest) as { name?: unknown }).name === 'paxflow') return folder;
    folder = dirname(folder);
  }
  throw new Error('paxflow cannot find its own package folder');
};

/** The starter files: examples shipped in the package, each with the schema comment for its new place. */
const STARTERS = [
  { from: 'workflows/onboard-and-trade.yaml', name: 'onboard-and-trade.yaml' },
  { from: 'workflows/scenarios/order-beyond-funds.yaml', name: 'order-beyond-funds.yaml' },
] as const;

const SCHEMA_IN_PROJECT = 'node_modules/paxflow/schemas/workflow.schema.json';
const SCHEMA_COMMENT = /^# yaml-language-server: \$schema=.*$/m;
const posix = (path: string): string => path.split(sep).join('/');

/** Line and column (1-based) of an offset. */
const position = (text: string, offset: number): { line: number; col: number } => {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, col: before.at(-1)!.length + 1 };
};

/** The text of a file, or undefined when there is none. */
const readIfThere = async (path: string): Promise<string | undefined> => {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError('INIT_UNREADABLE', `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
};

const mentionsJournal = (gitignore: string): boolean =>
  gitignore.split(/\r?\n/).some((line) => ['.paxflow', '.paxflow/', '/.paxflow', '/.paxflow/'].includes(line.trim()));

/**
 * `paxflow init [DIR]`: the starter workflows, the editor's schema mapping and the .gitignore entry. Every
 * check comes first; a problem (a file there already, settings.json that cannot be read) writes nothing.
 */
export const command = async (args: string[], io: CliIO): Promise<number> => {
  const { values, positionals } = parseCommandArgs('init', args, OPTIONS);
  if (positionals.length > 1) throw new UsageError('BAD_ARGUMENTS', 'paxflow init takes at most one DIR');
  const folder = resolve(io.cwd, positionals[0] ?? 'workflows');
  const shown = posix(relative(io.cwd, folder));
  if (shown.startsWith('..') || isAbsolute(shown)) throw new UsageError('BAD_ARGUMENTS', 'paxflow init puts DIR inside the current project: give a folder below it');
  if ((await stat(folder).catch(() => undefined))?.isFile()) throw new UsageError('BAD_ARGUMENTS', `${shown} is a file, not a folder`);
  const glob = shown === '' ? '**/*.yaml' : `${shown}/**/*.yaml`;
  const label = shown === '' ? '.' : shown;

  const root = await packageRoot();
  const schemaComment = `# yaml-language-server: $schema=${posix(relative(folder, join(io.cwd, SCHEMA_IN_PROJECT)))}`;
  const problems: Diagnostic[] = [];
  const writes: Array<{ path: string; text: string; note: string }> = [];

  for (const starter of STARTERS) {
    const path = join(folder, starter.name);
    const name = posix(relative(io.cwd, path));
    if (existsSync(path) && !values.force) {
      problems.push({ code: 'INIT_FILE_EXISTS', message: 'is there already; paxflow init never overwrites a file: move it away, or add --force', file: name });
      continue;
    }
    const text = (await readFile(join(root, starter.from), 'utf8')).replace(SCHEMA_COMMENT, schemaComment);
    writes.push({ path, text, note: `created ${name}` });
  }

  const settingsPath = join(io.cwd, '.vscode', 'settings.json');
  const existing = await readIfThere(settingsPath);
  const settings = existing ?? '';
  try {
    const outcome = addSchemaMapping(settings, `./${SCHEMA_IN_PROJECT}`, glob);
    if (outcome.kind === 'refused') {
      problems.push({ code: 'INIT_SETTINGS_UNEDITABLE', message: `${outcome.reason}; add "yaml.schemas": { "./${SCHEMA_IN_PROJECT}": ["${glob}"] } by hand`, file: '.vscode/settings.json', ...position(settings, outcome.offset) });
    } else if (outcome.kind === 'added') {
      writes.push({ path: settingsPath, text: outcome.text, note: `${existing === undefined ? 'created' : 'updated'} .vscode/settings.json: yaml.schemas maps ${glob} to paxflow's schema` });
    }
  } catch (error) {
    if (!(error instanceof JsoncSyntaxError)) throw error;
    problems.push({ code: 'INIT_SETTINGS_UNEDITABLE', message: `cannot be read as JSON with comments (${error.message}), so it is left as it is; fix it and run paxflow init again`, file: '.vscode/settings.json', ...position(settings, error.offset) });
  }

  const gitignorePath = join(io.cwd, '.gitignore');
  const gitignore = await readIfThere(gitignorePath);
  if (gitignore === undefined || !mentionsJournal(gitignore)) {
    const before = gitignore === undefined || gitignore === '' || gitignore.endsWith('\n') ? (gitignore ?? '') : `${gitignore}\n`;
    writes.push({ path: gitignorePath, text: `${before}.paxflow/\n`, note: `${gitignore === undefined ? 'created' : 'updated'} .gitignore: .paxflow/ (run journals)` });
  }

  if (problems.length > 0) throw new InvalidInputError(problems);
  const cannotWrite = (path: string, error: unknown): UsageError => {
    const code = (error as { code?: unknown } | null)?.code;
    return new UsageError('INIT_UNWRITABLE', `cannot write ${relative(io.cwd, path) || path} (${typeof code === 'string' ? code : 'error'}); check the folder and its permissions`);
  };
  // Every folder first, one mkdir at a time, so that a path that cannot be made stops init before any file is written.
  for (const { path } of writes) {
    try {
      makeDirectory(dirname(path));
    } catch (error) {
      throw cannotWrite(path, error);
    }
  }
  for (const { path, text, note } of writes) {
    await writeFile(path, text).catch((error: unknown) => {
      throw cannotWrite(path, error);
    });
    io.stdout.write(`${note}\n`);
  }
  if (!existsSync(join(io.cwd, SCHEMA_IN_PROJECT))) {
    io.stdout.write(`note: ${SCHEMA_IN_PROJECT} is not there yet: npm install --save-dev paxflow gives the editor its schema\n`);
  }
  io.stdout.write(`\nNext: npx paxflow run ${label}\n`);
  return EXIT.ok;
};
