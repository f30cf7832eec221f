/**
 * One base error class, a subclass per kind, and a guard per class.
 *
 * Messages never contain user data that may be sensitive (request bodies, tokens, SSNs): they name
 * fields, codes and positions instead. The underlying error, if any, is kept as `cause` and never printed.
 */

/** A problem found in user input (a workflow file, a data row, an argument), located where possible. */
import type { StepFailureCode } from './step-codes.js';
export interface Diagnostic {
  /** Stable machine-readable code, e.g. `UNKNOWN_KEY`. Tests assert on it, never on the wording. */
  code: string;
  /** What is wrong and, where it helps, what to do about it. */
  message: string;
  /** The file the problem is in, as the user named it. */
  file?: string;
  /** 1-based line of the offending key or value. */
  line?: number;
  /** 1-based column of the offending key or value. */
  col?: number;
  /** `error` stops the run; `warning` is printed but does not. */
  severity?: 'error' | 'warning';
}

/** The base of every error paxflow raises on purpose. */
export class PaxflowError extends Error {
  override name = 'PaxflowError';
  /** Stable machine-readable code. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** User input is invalid; carries every problem found, not just the first. Exit code 2. */
export class InvalidInputError extends PaxflowError {
  override name = 'InvalidInputError';
  readonly diagnostics: Diagnostic[];

  constructor(diagnostics: Diagnostic[]) {
    const first = diagnostics[0];
    super(first?.code ?? 'INVALID_INPUT', first?.message ?? 'invalid input');
    this.diagnostics = diagnostics;
  }
}

/** Bad command-line arguments or missing configuration such as credentials. Exit code 2. */
export class UsageError extends PaxflowError {
  override name = 'UsageError';
}

/** A step failed at run time. `status`/`type` are filled in for Paxos API errors. Exit code 1. */
export class StepFailedError extends PaxflowError {
  override name = 'StepFailedError';
  /** HTTP status of the response the failure is about, if any (`expect: {error: {status}}` matches it). */
  readonly status: number | undefined;

  constructor(code: StepFailureCode, message: string, options: { cause?: unknown; status?: number } = {}) {
    super(code, message, 'cause' in options ? { cause: options.cause } : undefined);
    this.status = options.status;
  }
}

/**
 * A template could not be rendered: a missing value, a wrong helper argument, an object where text
 * belongs. `line`/`col` are 1-based inside the template string; the engine adds the file position.
 */
export class TemplateError extends PaxflowError {
  override name = 'TemplateError';
  readonly line: number | undefined;
  readonly col: number | undefined;
  /** Where the failing string sits inside the rendered value (keys and indexes), when known. */
  readonly path: ReadonlyArray<string | number> | undefined;

  constructor(
    code: string,
    message: string,
    position: { line?: number; col?: number; path?: ReadonlyArray<string | number> } = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.line = position.line;
    this.col = position.col;
    this.path = position.path;
  }
}

/** The run was cancelled (Ctrl-C, SIGTERM) or a step ran past its timeout. */
export class AbortedError extends PaxflowError {
  override name = 'AbortedError';
}

export const isPaxflowError = (error: unknown): error is PaxflowError => error instanceof PaxflowError;
export const isInvalidInputError = (error: unknown): error is InvalidInputError => error instanceof InvalidInputError;
export const isUsageError = (error: unknown): error is UsageError => error instanceof UsageError;
export const isStepFailedError = (error: unknown): error is StepFailedError => error instanceof StepFailedError;
export const isTemplateError = (error: unknown): error is TemplateError => error instanceof TemplateError;
export const isAbortedError = (error: unknown): error is AbortedError => error instanceof AbortedError;
