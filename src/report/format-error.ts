import type { Diagnostic } from '../errors.js';
import { isInvalidInputError, isPaxflowError } from '../errors.js';
import { createRedactor, type Redactor } from './redact.js';

let basic: Redactor | undefined;
/** For output outside a run: the personal-data fields and patterns, no run secrets. */
const basicRedactor = (): Redactor => (basic ??= createRedactor());

/**
 * `FILE:LINE:COL error CODE message`, the one format for every problem in user input. The message
 * passes through `redactor` (by default one that knows the personal-data fields but no run secrets).
 */
export const formatDiagnostic = (diagnostic: Diagnostic, redactor: Redactor = basicRedactor()): string => {
  const where = [diagnostic.file, diagnostic.line, diagnostic.col].filter((part) => part !== undefined).join(':');
  const severity = diagnostic.severity ?? 'error';
  return redactor.text(`${where ? `${where} ` : ''}${severity} ${diagnostic.code} ${redactor.message(diagnostic.message)}`);
};

/** How many problems of one command are printed; thousands of lines of the same mistake help no one. */
export const MAX_PRINTED_DIAGNOSTICS = 100;

/**
 * {@link formatDiagnostic} for each problem, the first {@link MAX_PRINTED_DIAGNOSTICS} of them, then one
 * line that counts the rest by code, so nothing is left out without saying so.
 */
export const formatDiagnostics = (diagnostics: readonly Diagnostic[], redactor: Redactor = basicRedactor()): string[] => {
  const lines = diagnostics.slice(0, MAX_PRINTED_DIAGNOSTICS).map((diagnostic) => formatDiagnostic(diagnostic, redactor));
  const rest = diagnostics.slice(MAX_PRINTED_DIAGNOSTICS);
  if (rest.length === 0) return lines;
  const counts = new Map<string, number>();
  for (const { code } of rest) counts.set(code, (counts.get(code) ?? 0) + 1);
  const byCode = [...counts].sort(([, a], [, b]) => b - a).map(([code, count]) => `${code} x${count.toLocaleString('en-US')}`);
  lines.push(`... and ${rest.length.toLocaleString('en-US')} more problems not shown (${byCode.join(', ')}); fix the ones above and run again`);
  return lines;
};

/**
 * One or more lines describing any thrown value, redacted like {@link formatDiagnostic}. Never prints a
 * raw error object or a stack trace: errors from libraries can carry request bodies and tokens, so for
 * those only the class is named.
 */
export const formatError = (error: unknown, redactor: Redactor = basicRedactor()): string[] => {
  if (isInvalidInputError(error)) return formatDiagnostics(error.diagnostics, redactor);
  if (isPaxflowError(error)) return [redactor.text(`error ${error.code} ${redactor.message(error.message)}`)];
  const kind = error instanceof Error ? error.name : typeof error;
  return [`error INTERNAL_ERROR paxflow hit an unexpected ${kind}; this is a bug, please report it with the command you ran`];
};
