import type { Diagnostic } from '../errors.js';
import { isInvalidInputError, isPaxflowError } from '../errors.js';

/** `FILE:LINE:COL error CODE message`, the one format for every problem in user input. */
export const formatDiagnostic = (diagnostic: Diagnostic): string => {
  const where = [diagnostic.file, diagnostic.line, diagnostic.col].filter((part) => part !== undefined).join(':');
  const severity = diagnostic.severity ?? 'error';
  return `${where ? `${where} ` : ''}${severity} ${diagnostic.code} ${diagnostic.message}`;
};

/**
 * One or more lines describing any thrown value. Never prints a raw error object or a stack trace:
 * errors from libraries can carry request bodies and tokens, so for those only the class is named.
 */
export const formatError = (error: unknown): string[] => {
  if (isInvalidInputError(error)) return error.diagnostics.map(formatDiagnostic);
  if (isPaxflowError(error)) return [`error ${error.code} ${error.message}`];
  const kind = error instanceof Error ? error.name : typeof error;
  return [`error INTERNAL_ERROR paxflow hit an unexpected ${kind}; this is a bug, please report it with the command you ran`];
};
