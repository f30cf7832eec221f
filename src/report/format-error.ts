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

/**
 * One or more lines describing any thrown value, redacted like {@link formatDiagnostic}. Never prints a
 * raw error object or a stack trace: errors from libraries can carry request bodies and tokens, so for
 * those only the class is named.
 */
export const formatError = (error: unknown, redactor: Redactor = basicRedactor()): string[] => {
  if (isInvalidInputError(error)) return error.diagnostics.map((diagnostic) => formatDiagnostic(diagnostic, redactor));
  if (isPaxflowError(error)) return [redactor.text(`error ${error.code} ${redactor.message(error.message)}`)];
  const kind = error instanceof Error ? error.name : typeof error;
  return [`error INTERNAL_ERROR paxflow hit an unexpected ${kind}; this is a bug, please report it with the command you ran`];
};
