/** Reading a workflow file: the one effectful part of src/workflow. */

import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Diagnostic } from '../errors.js';
import { DEFAULT_MAX_BYTES, loadWorkflow } from './load.js';
import type { LoadOptions } from './load.js';
import { validateWorkflow } from './validate.js';
import type { ValidateOptions, ValidationResult } from './validate.js';

export interface ReadWorkflowOptions extends LoadOptions, ValidateOptions {
  /** Directory that a relative path is resolved against. @default process.cwd() */
  cwd?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads, loads and validates one workflow file. Problems with the file itself (missing, too large, not
 * UTF-8) are diagnostics too; this never throws for bad input. Diagnostics name the file as given.
 */
export const readWorkflowFile = async (file: string, options: ReadWorkflowOptions = {}): Promise<ValidationResult> => {
  const { cwd = process.cwd(), maxBytes = DEFAULT_MAX_BYTES } = options;
  const fail = (code: string, message: string): ValidationResult => ({ diagnostics: [{ code, message, file } satisfies Diagnostic] });
  const path = resolve(cwd, file);

  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (!info.isFile()) return fail('FILE_UNREADABLE', 'this is not a file');
    // Refuse before reading, so a huge file never reaches memory.
    if (info.size > maxBytes) return fail('FILE_TOO_LARGE', `the file has ${info.size} bytes; the limit is ${maxBytes}`);
    bytes = await readFile(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    return fail('FILE_UNREADABLE', `cannot read the file (${reason})`);
  }

  let source: string;
  try {
    source = utf8.decode(bytes);
  } catch {
    return fail('FILE_NOT_UTF8', 'the file is not UTF-8 text');
  }
  return validateWorkflow(loadWorkflow(source, file, options), file, options);
};
