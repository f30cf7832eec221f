import type { CliIO } from '../cli.js';
import { EXIT } from '../cli.js';
import { UsageError } from '../errors.js';
import { formatDiagnostic } from '../report/format-error.js';
import { readWorkflowFile } from '../workflow/index.js';
import { parseCommandArgs } from './_args.js';

/** `paxflow validate FILE...`: every problem of every file, one per line; exit 2 if any. */
export const command = async (args: string[], io: CliIO): Promise<number> => {
  const { positionals: files } = parseCommandArgs('validate', args, {});
  if (files.length === 0) throw new UsageError('BAD_ARGUMENTS', 'paxflow validate needs at least one FILE');
  let failed = false;
  for (const file of files) {
    const { workflow, diagnostics } = await readWorkflowFile(file, { cwd: io.cwd });
    for (const diagnostic of diagnostics) io.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
    if (!workflow || diagnostics.some((d) => (d.severity ?? 'error') === 'error')) failed = true;
    else io.stdout.write(`${file}: valid (${workflow.spec.steps.length} steps)\n`);
  }
  return failed ? EXIT.usage : EXIT.ok;
};
