import type { CliIO } from '../cli.js';
import type { Diagnostic } from '../errors.js';
import { isInvalidInputError, isPaxflowError } from '../errors.js';
import type { UnitProblem } from '../engine/results.js';
import { formatError } from '../report/format-error.js';
import { openReports } from '../report/output.js';
import type { Redactor } from '../report/redact.js';
import type { ReporterChoice } from '../report/reporters.js';

/** `--dry-run` sends nothing and writes no report file; it says so rather than leave a stale file looking fresh. */
export const noReportsOnDryRun = (choices: readonly ReporterChoice[], io: CliIO): void => {
  const files = choices.flatMap((choice) => (choice.path === undefined ? [] : [`${choice.definition.name}=${choice.path}`]));
  if (files.length > 0) io.stderr.write(`--dry-run writes no report files: ${files.join(', ')} not written\n`);
};

/** The problems of an error that stops a workflow before it runs, as a unit's problems. */
export const problemsOf = (error: unknown, file: string): UnitProblem[] => {
  if (isInvalidInputError(error)) {
    return error.diagnostics.map((d: Diagnostic) => ({
      code: d.code,
      message: d.message,
      file: d.file ?? file,
      ...(d.line === undefined ? {} : { line: d.line }),
      ...(d.col === undefined ? {} : { col: d.col }),
    }));
  }
  return isPaxflowError(error) ? [{ code: error.code, message: error.message, file }] : [];
};

/**
 * A workflow that cannot run still gets its report files (and GitHub annotations), so CI never finds
 * "no report" where a failure should be: the JUnit file holds one failed test case with the problems,
 * the JSON report one unit with `status: invalid`. Nothing goes to stdout but annotations: the problems
 * are printed on stderr as always. A report that cannot be written is said on stderr; the command's own
 * error still decides the exit code.
 */
export const writeInvalidReports = async (options: {
  choices: readonly ReporterChoice[];
  file: string;
  name?: string;
  problems: UnitProblem[];
  io: CliIO;
  redactor: Redactor;
  target: string;
}): Promise<void> => {
  const { file, name, problems, io, redactor } = options;
  const choices = options.choices.filter((choice) => (choice.path !== undefined && choice.definition.document) || choice.definition.name === 'github');
  if (choices.length === 0 || problems.length === 0) return;
  try {
    const reports = await openReports({ choices, redactor, stdout: io.stdout, env: io.env, cwd: io.cwd });
    const startedAt = new Date().toISOString();
    const unit = { index: 0, label: file, file };
    reports.onEvent({ type: 'batch:start', startedAt, target: { name: options.target, apiUrl: '' }, concurrency: 1 });
    reports.onEvent({ type: 'unit:end', unit: { unit, status: 'invalid', ...(name === undefined ? {} : { name }), problems } });
    const counts = { passed: 0, failed: 0, interrupted: 0, invalid: 1, total: 1 };
    reports.onEvent({ type: 'batch:end', summary: { status: 'failed', startedAt, durationMs: 0, counts } });
    await reports.finish();
  } catch (error) {
    for (const line of formatError(error, redactor)) io.stderr.write(`${line}\n`);
  }
};
