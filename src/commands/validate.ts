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
import { parseCommandArgs } from './_args.js';

export const OPTIONS = { data: { type: 'string' } } as const;

export const help = `Usage: paxflow validate FILE... [--data F]

Checks each workflow file and every playbook it calls without running anything: YAML, keys, step inputs,
templates and their references. Prints every problem, one per line, as FILE:LINE:COL error CODE message
(the codes are listed in docs/error-codes.md); exits 2 if there is any.

Options:
  --data FILE    check row.* references against the columns of this .csv, .jsonl or .json file,
                 as paxflow run --data would

Example:
  paxflow validate workflows/*.yaml
`;

/**
 * `paxflow validate FILE... [--data F]`: every problem of every file, one per line; exit 2 if any. With
 * `--data`, `row.*` is checked against the data file's columns, as `paxflow run --data` would.
 */
export const command = async (args: string[], io: CliIO): Promise<number> => {
  const { values, positionals: files } = parseCommandArgs('validate', args, OPTIONS);
  if (files.length === 0) throw new UsageError('BAD_ARGUMENTS', 'paxflow validate needs at least one FILE');
  const data = values.data === undefined ? undefined : await openDataSource(values.data, io.cwd);
  const rowColumns = data ? { rowColumns: data.columns ?? ('any' as const) } : {};
  // Messages never quote values; the redactor makes sure, with the sensitive values written in each file.
  const redactor = createRedactor({ fields: sensitiveFieldNames(), secrets: secretEnvValues(io.env) });
  let failed = false;
  for (const file of files) {
    const { workflow, diagnostics } = await readWorkflowFile(file, { cwd: io.cwd, ...rowColumns });
    if (diagnostics.length > 0 && !diagnostics.some((d) => d.code.startsWith('FILE_'))) {
      redactor.captureText(await readFile(resolve(io.cwd, file), 'utf8').catch(() => ''));
    }
    for (const line of formatDiagnostics(diagnostics, redactor)) io.stderr.write(`${line}\n`);
    if (!workflow || diagnostics.some((d) => (d.severity ?? 'error') === 'error')) failed = true;
    else io.stdout.write(redactor.text(`${file}: valid (${workflow.spec.steps.length} steps)\n`));
  }
  return failed ? EXIT.usage : EXIT.ok;
};
