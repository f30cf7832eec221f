/**
 * Validation of a loaded workflow: the schema built from the step registry, then rules across steps and
 * templates. Pure. Every problem is collected, placed at the offending key or value, and sorted by position.
 */

import type { Diagnostic } from '../errors.js';
import type { StepDefinition } from '../steps/define.js';
import { stepRegistry } from '../steps/registry.js';
import type { LoadedWorkflow } from './load.js';
import { lazyLocator } from './locate.js';
import type { Finding, PlaybookInterface, RuleContext } from './rules/context.js';
import { checkMatrix } from './matrix.js';
import { checkExpectations } from './rules/expect.js';
import { checkInputDeclarations, checkPlaybookCalls } from './rules/playbooks.js';
import { checkSchema } from './rules/schema.js';
import { checkAssertOperators, checkDuplicateStepIds, checkDurations, checkRetrySafety } from './rules/steps.js';
import { checkTemplates } from './rules/templates.js';
import { findUnquotedTemplates } from './rules/unquoted-template.js';
import { checkUploadFiles } from './rules/uploads.js';
import type { DocumentFileFacts } from '../util/document-file.js';
import type { Workflow, WorkflowSpec } from './types.js';

export interface ValidateOptions {
  /** Step types to validate against. @default the registry of src/steps */
  registry?: readonly StepDefinition[];
  /** Variable names that will be given outside the file (`--var`, `--vars-file`), so `vars.X` may use them. @default [] */
  extraVars?: readonly string[];
  /**
   * What the playbooks this file calls declare, by `uses:` as written (readWorkflowFile reads them). A
   * call whose playbook is not here is not checked. @default none
   */
  playbooks?: ReadonlyMap<string, PlaybookInterface>;
  /**
   * The rows the command gives (`--data`), which replace the file's `matrix:`: their columns when known
   * before the run (a CSV header), so `row.X` must name one, or `any` when known only per row (JSONL,
   * JSON). @default the columns of the file's `matrix:`; without one, `row.*` is not available
   */
  rowColumns?: readonly string[] | 'any';
  /**
   * What each file that a step uploads is, by its path as written (readWorkflowFile inspects them). A file
   * not here is not checked before the run; the step checks it when it runs. @default none
   */
  uploadFiles?: ReadonlyMap<string, DocumentFileFacts>;
}

export interface ValidationResult {
  /** Present only when there is no error. */
  workflow?: Workflow;
  /** Every problem, the loader's included, sorted by line and column. */
  diagnostics: Diagnostic[];
}

const RULES: readonly ((context: RuleContext) => Finding[])[] = [
  checkSchema,
  checkDuplicateStepIds,
  checkRetrySafety,
  checkDurations,
  checkAssertOperators,
  checkTemplates,
  checkExpectations,
  checkPlaybookCalls,
  checkInputDeclarations,
  checkMatrix,
  checkUploadFiles,
];

const byPosition = (a: Diagnostic, b: Diagnostic): number =>
  (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0) || a.code.localeCompare(b.code);

/** Validates what `loadWorkflow` returned. Never throws for bad input. */
export const validateWorkflow = (loaded: LoadedWorkflow, file: string, options: ValidateOptions = {}): ValidationResult => {
  const { registry = stepRegistry, extraVars = [], playbooks = new Map() } = options;
  // `document` is not read here: the loader may build it only when a problem needs placing.
  const { value, source } = loaded;
  const diagnostics = [...loaded.diagnostics];
  if (!value) return { diagnostics: diagnostics.sort(byPosition) };

  const locator = lazyLocator(loaded);
  const context: RuleContext = {
    data: value,
    source,
    locator,
    registry,
    extraVars: new Set(extraVars),
    suppressed: (loaded.unquotedTemplates ?? findUnquotedTemplates(loaded.document!, source)).map(({ path }) => path),
    playbooks,
    ...(options.rowColumns === undefined ? {} : { rowColumns: options.rowColumns }),
    ...(options.uploadFiles === undefined ? {} : { uploadFiles: options.uploadFiles }),
  };
  // The same problem can be found twice (a template analysed through two aliases of one anchor).
  const seen = new Set<string>();
  for (const finding of RULES.flatMap((rule) => rule(context))) {
    const position = locator.position(finding.offset);
    const key = `${finding.code} ${position.line}:${position.col} ${finding.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push({ code: finding.code, message: finding.message, file, ...position });
  }
  diagnostics.sort(byPosition);

  if (diagnostics.some((d) => (d.severity ?? 'error') === 'error')) return { diagnostics };
  return {
    workflow: {
      file,
      spec: value as unknown as WorkflowSpec,
      locate: loaded.locate ?? locator.locate,
      ...(options.uploadFiles === undefined ? {} : { uploadFiles: options.uploadFiles }),
    },
    diagnostics,
  };
};
