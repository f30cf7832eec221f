import { resolve } from 'node:path';
import { InvalidInputError, UsageError } from '../errors.js';
import { readFailure, readTextFile } from '../util/read-text-file.js';
import { DEFAULT_MAX_BYTES, loadWorkflow, readWorkflowFile } from '../workflow/index.js';
import type { Workflow } from '../workflow/index.js';
import { parseVarFlags } from './_args.js';

/** Reads and validates one workflow, or throws every problem found (exit 2). */
export const loadValidWorkflow = async (file: string, cwd: string): Promise<Workflow> => {
  const { workflow, diagnostics } = await readWorkflowFile(file, { cwd });
  const errors = diagnostics.filter((d) => (d.severity ?? 'error') === 'error');
  if (!workflow || errors.length > 0) throw new InvalidInputError(errors);
  return workflow;
};

/** Variables from `--vars-file` (a YAML or JSON map) and then `--var`, which wins. */
export const collectVars = async (varsFile: string | undefined, pairs: readonly string[], cwd: string) => {
  let fromFile: Record<string, unknown> = {};
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
  }
  return { ...fromFile, ...parseVarFlags(pairs) };
};
