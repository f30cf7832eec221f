import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliIO } from '../cli.js';
import { EXIT } from '../cli.js';
import { UsageError } from '../errors.js';
import { formatDiagnostics } from '../report/format-error.js';
import { createRedactor, secretEnvValues } from '../report/redact.js';
import { openDataSource } from '../data/index.js';
import { sensitiveFieldNames } from '../steps/sensitive.js';
import { readWorkflowFile } from '../workflow/index.js';
import { checkKnownInputs } from '../engine/known-inputs.js';
import { planWorkflow, type Plan } from '../engine/plan.js';
import type { DataSource } from '../data/index.js';
import type { Diagnostic } from '../errors.js';
import { expandMatrix } from '../workflow/matrix.js';
import type { Workflow } from '../workflow/index.js';
import { requiredWithoutValue } from '../engine/playbook.js';
import { parseCommandArgs } from './_args.js';
import { collectVars } from './_workflow.js';

export const OPTIONS = {
  data: { type: 'string' },
  var: { type: 'string', multiple: true },
  'vars-file': { type: 'string' },
} as const;

export const help = `Usage: paxflow validate FILE... [--data F] [--var name=value]... [--vars-file F]

Checks each workflow file and every playbook it calls without running anything: YAML, keys, step inputs,
templates and their references. Prints every problem, one per line, as FILE:LINE:COL error CODE message
(the codes are listed in docs/error-codes.md); exits 2 if there is any.

Options:
  --data FILE    check row.* references against the columns of this .csv, .jsonl or .json file,
                 and every row's values against the step fields they reach, as paxflow run --data would
  --var name=value, --vars-file FILE
                 check the values these give (over the vars: defaults) against the step fields they
                 reach, as paxflow run does before its first request

Example:
  paxflow validate workflows/*.yaml
`;

/** The rows of `--data` whose values do not fit the step fields they reach, as a run would find them row by row. */
const rowProblems = async (plan: Plan, data: DataSource): Promise<Diagnostic[]> => {
  const found: Diagnostic[] = [];
  for await (const row of data.rows()) {
    if (!row.values) continue;
    const at = { file: data.file, ...(row.line === undefined ? {} : { line: row.line, col: 1 }) };
    const label = row.line === undefined ? `row ${row.number}` : `row ${row.number} (line ${row.line})`;
    const problems = checkKnownInputs(plan, { row: row.values, rowOrigin: { label, row: true, ...at }, rowOnly: true });
    found.push(...problems);
  }
  return found;
};

/** The same for the rows of `matrix:`, placed at the row in the workflow (a list) or at `matrix:` (combinations). */
const matrixProblems = (plan: Plan, workflow: Workflow): Diagnostic[] => {
  const { matrix } = workflow.spec;
  if (matrix === undefined) return [];
  let number = 0;
  const found: Diagnostic[] = [];
  for (const values of expandMatrix(matrix)) {
    number += 1;
    const at = workflow.locate(Array.isArray(matrix) ? ['matrix', number - 1] : ['matrix']);
    const origin = { label: `matrix row ${number}`, row: true, file: workflow.file, ...(at ? { line: at.line, col: at.col } : {}) };
    found.push(...checkKnownInputs(plan, { row: values, rowOrigin: origin, rowOnly: true }));
  }
  return found;
};

/**
 * `paxflow validate FILE... [--data F] [--var k=v]... [--vars-file F]`: every problem of every file, one
 * per line; exit 2 if any. With `--data`, `row.*` is checked against the data file's columns, as
 * `paxflow run --data` would. Every value known before a run (vars with `--var` and `--vars-file` over
 * the defaults, playbook inputs) is checked against the step fields it reaches, as `paxflow run` does.
 */
export const command = async (args: string[], io: CliIO): Promise<number> => {
  const { values, positionals: files } = parseCommandArgs('validate', args, OPTIONS);
  if (files.length === 0) throw new UsageError('BAD_ARGUMENTS', 'paxflow validate needs at least one FILE');
  const data = values.data === undefined ? undefined : await openDataSource(values.data, io.cwd);
  const rowColumns = data ? { rowColumns: data.columns ?? ('any' as const) } : {};
  const vars = await collectVars(values['vars-file'], values.var ?? [], io.cwd);
  // Messages never quote values; the redactor makes sure, with the sensitive values written in each file.
  const redactor = createRedactor({ fields: sensitiveFieldNames(), secrets: secretEnvValues(io.env) });
  let failed = false;
  const declaredSomewhere = new Set<string>();
  for (const file of files) {
    const read = await readWorkflowFile(file, { cwd: io.cwd, ...rowColumns });
    const { workflow } = read;
    const diagnostics = [...read.diagnostics];
    if (workflow && !diagnostics.some((d) => (d.severity ?? 'error') === 'error')) {
      // Each file takes the variables it declares, as in a run of several files.
      const declared = workflow.spec.vars ?? {};
      for (const name of Object.keys(declared)) declaredSomewhere.add(name);
      const own = Object.fromEntries(Object.entries(vars.values).filter(([name]) => name in declared));
      // A playbook with required inputs cannot be planned alone (a run of it is refused), yet it is valid.
      const plannable = requiredWithoutValue(workflow.spec.inputs ?? {}, {}).length === 0;
      if (plannable) {
        const plan = planWorkflow(workflow, { vars: own });
        diagnostics.push(...checkKnownInputs(plan, { varOrigins: vars.origins }));
        if (data) diagnostics.push(...(await rowProblems(plan, data)));
        else if (workflow.spec.matrix !== undefined) diagnostics.push(...matrixProblems(plan, workflow));
      }
    }
    if (diagnostics.length > 0 && !diagnostics.some((d) => d.code.startsWith('FILE_'))) {
      redactor.captureText(await readFile(resolve(io.cwd, file), 'utf8').catch(() => ''));
    }
    for (const line of formatDiagnostics(diagnostics, redactor)) io.stderr.write(`${line}\n`);
    if (!workflow || diagnostics.some((d) => (d.severity ?? 'error') === 'error')) failed = true;
    else io.stdout.write(redactor.text(`${file}: valid (${workflow.spec.steps.length} steps)\n`));
  }
  const unknown = Object.keys(vars.values).filter((name) => !declaredSomewhere.has(name));
  if (unknown.length > 0 && !failed) {
    throw new UsageError('UNKNOWN_VAR', `unknown variable ${unknown.map((name) => `'${name}'`).join(', ')}: no workflow declares it under vars:`);
  }
  return failed ? EXIT.usage : EXIT.ok;
};
