import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Diagnostic } from '../errors.js';
import { formatDiagnostics } from '../report/format-error.js';
import { createRedactor, secretEnvValues, type Redactor } from '../report/redact.js';
import { sensitiveFieldNames } from '../steps/sensitive.js';
import { readWorkflowFile } from '../workflow/index.js';
import type { Workflow } from '../workflow/index.js';

/** Options of {@link validateWorkflowFile}. */
export interface ValidateWorkflowFileOptions {
  /** The folder a relative path starts from. @default process.cwd() */
  cwd?: string;
  /** Secret values to mask in messages: those of names like `*_SECRET`, `*_TOKEN`. @default process.env */
  env?: Record<string, string | undefined>;
}

/** What {@link validateWorkflowFile} found. */
export interface WorkflowValidation {
  /** No error (warnings allowed): `paxflow run` would start it. */
  valid: boolean;
  /** Every problem of the file and of the playbooks it calls, with code, file, line and column. */
  diagnostics: Diagnostic[];
  /** The problems as `paxflow validate` prints them, one line each (`FILE:LINE:COL error CODE message`). */
  text: string;
}

/** Masks, in diagnostics, any sensitive value written in the workflow's text (messages should hold none). */
export const redactDiagnostics = (diagnostics: readonly Diagnostic[], source: string, redactor: Redactor): Diagnostic[] => {
  if (diagnostics.length === 0) return [];
  redactor.captureText(source);
  return diagnostics.map((diagnostic) => ({ ...diagnostic, message: redactor.text(diagnostic.message) }));
};

/** The redactor `paxflow validate` uses. */
export const validationRedactor = (env: Record<string, string | undefined>): Redactor =>
  createRedactor({ fields: sensitiveFieldNames(), secrets: secretEnvValues(env) });

/**
 * Reads and validates a workflow file and every playbook it calls, as `paxflow validate` does; sends
 * nothing. Never rejects for a bad file: an unreadable, too large or broken one is a diagnostic too.
 *
 * @example
 * const { valid, text } = await validateWorkflowFile('workflows/onboard.yaml');
 * if (!valid) throw new Error(text);
 */
export const validateWorkflowFile = async (file: string, options: ValidateWorkflowFileOptions = {}): Promise<WorkflowValidation> => {
  const { cwd = process.cwd(), env = process.env } = options;
  const result: { workflow?: Workflow; diagnostics: Diagnostic[] } = await readWorkflowFile(file, { cwd });
  const unreadable = result.diagnostics.some((d) => d.code.startsWith('FILE_'));
  const source = unreadable ? '' : await readFile(resolve(cwd, file), 'utf8').catch(() => '');
  const redactor = validationRedactor(env);
  const diagnostics = redactDiagnostics(result.diagnostics, source, redactor);
  const lines = formatDiagnostics(diagnostics, redactor);
  return {
    valid: result.workflow !== undefined && !diagnostics.some((d) => (d.severity ?? 'error') === 'error'),
    diagnostics,
    text: lines.map((line) => `${line}\n`).join(''),
  };
};
