import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { DataRow, DataSource } from '../data/index.js';
import { planWorkflow, type Plan } from '../engine/plan.js';
import type { UnitProblem } from '../engine/results.js';
import { checkKnownInputs, type ValueOrigin } from '../engine/known-inputs.js';
import { rowNeeds, type RowNeed } from '../engine/row-check.js';
import { InvalidInputError, UsageError, isUsageError } from '../errors.js';
import type { Redactor } from '../report/redact.js';
import { loadWorkflow, readWorkflowFile, type Workflow } from '../workflow/index.js';
import { expandMatrix } from '../workflow/matrix.js';
import { declaredRedaction, teachRedactor, type DeclaredRedaction } from './_redaction.js';
import { sandboxOnlyProblems } from './_session.js';
import type { CommandVars } from './_workflow.js';

/** One workflow file of a batch, loaded once for all its rows: its plan, or why it cannot run. */
export interface Source {
  file: string;
  /** How reports name its units: the file name without `.yaml` (the path when two files share a name). */
  label: string;
  /** The workflow's name, when the file could be read. */
  name?: string;
  workflow?: Workflow;
  plan?: Plan;
  /** What it and the playbooks it calls declare secret or redacted, for each unit's redactor and journal. */
  declared?: DeclaredRedaction;
  /** The `row.*` values its steps need, checked on every row before it runs. */
  needs?: RowNeed[];
  /** Where each of its vars came from, for the problems of a row's values with the fields they reach. */
  varOrigins?: Record<string, ValueOrigin>;
  /** Why no unit of it can run; absent when it can. */
  problems?: UnitProblem[];
  /** The same as the error a run of this one file stops with (exit 2), for a command that names only it. */
  error?: Error;
}

/** One run to make: a file, or a row of a file. */
export interface Unit {
  source: Source;
  row?: DataRow;
  label: string;
}

/**
 * The workflow files the positionals name: a file as it is, a folder as its `*.yaml` files sorted by
 * name (not its sub-folders). A path that does not exist stays, to be reported as unreadable.
 */
export const expandWorkflowPaths = async (positionals: readonly string[], cwd: string): Promise<{ files: string[]; folders: number }> => {
  const files: string[] = [];
  let folders = 0;
  for (const path of positionals) {
    const info = await stat(resolve(cwd, path)).catch(() => undefined);
    if (!info?.isDirectory()) {
      files.push(path);
      continue;
    }
    folders += 1;
    const entries = await readdir(resolve(cwd, path), { withFileTypes: true });
    const names = entries.filter((entry) => entry.isFile() && entry.name.endsWith('.yaml')).map((entry) => entry.name);
    files.push(...names.sort().map((name) => join(path, name)));
  }
  return { files: [...new Set(files)], folders };
};

/** Options of {@link loadSources}. */
export interface LoadSourcesOptions {
  cwd: string;
  /** The columns of `--data` (`any` for JSONL and JSON); undefined without it. */
  rowColumns?: readonly string[] | 'any';
  /** Keeps the files whose workflow name matches (the file path, for a file too broken to have a name). */
  grep?: RegExp;
  /** `--var` and `--vars-file`: each file takes those it declares. */
  vars: CommandVars;
  /** Learns each file's secrets and sensitive values, before anything about the file is printed. */
  redactor: Redactor;
  targetName: string;
}

const problemOf = (diagnostic: { code: string; message: string; file?: string; line?: number; col?: number }, file: string): UnitProblem => ({
  code: diagnostic.code,
  message: diagnostic.message,
  file: diagnostic.file ?? file,
  ...(diagnostic.line === undefined ? {} : { line: diagnostic.line }),
  ...(diagnostic.col === undefined ? {} : { col: diagnostic.col }),
});

/** The name written in a file that does not validate, when it can be read at all. */
const nameOf = (text: string, file: string): string | undefined => {
  const name = loadWorkflow(text, file).value?.name;
  return typeof name === 'string' && name !== '' ? name : undefined;
};

const loadSource = async (file: string, options: LoadSourcesOptions): Promise<Source | undefined> => {
  const { cwd, rowColumns, grep, vars, redactor } = options;
  const { workflow, diagnostics } = await readWorkflowFile(file, { cwd, ...(rowColumns === undefined ? {} : { rowColumns }) });
  const errors = diagnostics.filter((d) => (d.severity ?? 'error') === 'error');
  if (!workflow || errors.length > 0) {
    const unreadable = errors.some((d) => d.code.startsWith('FILE_'));
    const text = unreadable ? '' : await readFile(resolve(cwd, file), 'utf8').catch(() => '');
    const name = nameOf(text, file);
    if (grep && !grep.test(name ?? file)) return undefined;
    redactor.captureText(text);
    return { file, label: '', ...(name === undefined ? {} : { name }), problems: errors.map((d) => problemOf(d, file)), error: new InvalidInputError(errors) };
  }
  const { spec } = workflow;
  if (grep && !grep.test(spec.name)) return undefined;
  const declaredVars = spec.vars ?? {};
  const plan = planWorkflow(workflow, { vars: Object.fromEntries(Object.entries(vars.values).filter(([name]) => Object.hasOwn(declaredVars, name))) });
  const base = { file, label: '', name: spec.name };
  const known = checkKnownInputs(plan, { varOrigins: vars.origins });
  if (known.length > 0) return { ...base, problems: known.map((d) => problemOf(d, file)), error: new InvalidInputError(known) };
  let declared: DeclaredRedaction;
  try {
    declared = declaredRedaction(workflow, plan);
  } catch (error) {
    if (!isUsageError(error)) throw error;
    return { ...base, problems: [{ code: error.code, message: error.message, file }], error };
  }
  const sandboxOnly = sandboxOnlyProblems(plan, options.targetName);
  if (sandboxOnly.length > 0) return { ...base, problems: sandboxOnly, error: new InvalidInputError(sandboxOnly) };
  teachRedactor(redactor, declared, plan);
  return { ...base, workflow, plan, declared, needs: rowNeeds(plan), varOrigins: vars.origins };
};

/**
 * Loads and validates every file, and keeps those `--grep` selects. A file that does not validate is
 * kept with its problems (it fails alone); a `--var` that no file declares is an error for the command.
 */
export const loadSources = async (files: readonly string[], options: LoadSourcesOptions): Promise<Source[]> => {
  const sources: Source[] = [];
  for (const file of files) {
    const source = await loadSource(file, options);
    if (source) sources.push(source);
  }
  const valid = sources.filter((source) => source.workflow);
  const unknown = Object.keys(options.vars.values).filter((name) => !valid.some((source) => Object.hasOwn(source.workflow!.spec.vars ?? {}, name)));
  if (valid.length > 0 && unknown.length > 0) {
    throw new UsageError('UNKNOWN_VAR', `unknown variable ${unknown.map((name) => `'${name}'`).join(', ')}: no workflow declares it under vars:`);
  }
  const stem = (file: string): string => basename(file, extname(file));
  for (const source of sources) {
    source.label = sources.filter((other) => stem(other.file) === stem(source.file)).length > 1 ? source.file : stem(source.file);
  }
  return sources;
};

/**
 * The units to run, in order: each file in turn, once, or once per row of `--data` (read afresh for
 * each file) or of its `matrix:`. Rows are pulled one at a time, as the pool asks for them.
 */
export async function* unitsOf(sources: readonly Source[], data: DataSource | undefined, suite: boolean): AsyncGenerator<Unit> {
  for (const source of sources) {
    const matrix = source.workflow?.spec.matrix;
    const rows = !source.plan ? undefined : data ? data.rows() : matrix === undefined ? undefined : matrixRows(matrix);
    if (!rows) {
      yield { source, label: source.label };
      continue;
    }
    for await (const row of rows) yield { source, row, label: suite ? `${source.label} row ${row.number}` : `row ${row.number}` };
  }
}

function* matrixRows(matrix: NonNullable<Workflow['spec']['matrix']>): Generator<DataRow> {
  let number = 0;
  for (const values of expandMatrix(matrix)) {
    number += 1;
    yield { number, values };
  }
}
