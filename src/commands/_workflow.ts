import { resolve } from 'node:path';
import { InvalidInputError, UsageError } from '../errors.js';
import type { ValueOrigin } from '../engine/known-inputs.js';
import { readFailure, readTextFile } from '../util/read-text-file.js';
import { DEFAULT_MAX_BYTES, loadWorkflow, readWorkflowFile } from '../workflow/index.js';
import type { Workflow } from '../workflow/index.js';
import { lazyLocator } from '../workflow/locate.js';
import { parseVarFlags } from './_args.js';

/** Reads and validates one workflow, or throws every problem found (exit 2). */
export const loadValidWorkflow = async (file: string, cwd: string): Promise<Workflow> => {
  const { workflow, diagnostics } = await readWorkflowFile(file, { cwd });
  const errors = diagnostics.filter((d) => (d.severity ?? 'error') === 'error');
  if (!workflow || errors.length > 0) throw new InvalidInputError(errors);
  return workflow;
};

/** Variables given on the command line, and where each value came from (for problems found before the run). */
export interface CommandVars {
  values: Record<string, unknown>;
  /** By name: the value's line and column in the vars file, or the `--var` flag. */
  origins: Record<string, ValueOrigin>;
}

/** Variables from `--vars-file` (a YAML or JSON map) and then `--var`, which wins. */
export const collectVars = async (varsFile: string | undefined, pairs: readonly string[], cwd: string): Promise<CommandVars> => {
  let fromFile: Record<string, unknown> = {};
  const origins: Record<string, ValueOrigin> = {};
  if (varsFile !== undefined) {
    let text: string;
    try {
      text = await readTextFile(resolve(cwd, varsFile), DEFAULT_MAX_BYTES);
    } catch (error) {
      throw new UsageError('VARS_FILE_UNREADABLE', `cannot read --vars-file ${varsFile} (${readFailure(error, DEFAULT_MAX_BYTES)})`);
    }
    // The workflow loader's guards (size, depth, aliases, forbidden keys) apply to vars files too.
    const loaded = loadWorkflow(text, varsFile);
    if (loaded.diagnostics.length > 0 || !loaded.value) throw new InvalidInputError(loaded.diagnostics);
    fromFile = loaded.value;
    // Placed only when asked: yaml's document is built for a vars file with a problem, not for every run.
    const locator = lazyLocator(loaded);
    for (const name of Object.keys(fromFile)) {
      let at: { line: number; col: number } | undefined;
      const origin: ValueOrigin = {
        label: `vars.${name} from --vars-file ${varsFile}`,
        file: varsFile,
        get line() {
          at ??= locator.position(locator.offset([name], 'value') ?? 0);
          return at.line;
        },
        get col() {
          at ??= locator.position(locator.offset([name], 'value') ?? 0);
          return at.col;
        },
      };
      origins[name] = origin;
    }
  }
  const fromFlags = parseVarFlags(pairs);
  for (const name of Object.keys(fromFlags)) origins[name] = { label: `vars.${name} from --var ${name}` };
  return { values: { ...fromFile, ...fromFlags }, origins };
};
