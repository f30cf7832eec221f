/** Loading and validating workflow files. */

export { DIAGNOSTIC_CODES, diagnosticCodeList } from './codes.js';
export type { DiagnosticCode } from './codes.js';
export { DURATION_PATTERN, MAX_DURATION_MS, parseDuration, tryParseDuration } from './duration.js';
export { DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, loadWorkflow } from './load.js';
export type { LoadedWorkflow, LoadOptions } from './load.js';
export { createLocator, pointerToPath, toPosition } from './locate.js';
export type { Locator, Target } from './locate.js';
export { MAX_PLAYBOOK_DEPTH, readWorkflowFile } from './read.js';
export { INPUT_TYPES, isPlaybookUses } from './schema-playbook.js';
export type { PlaybookInterface } from './rules/context.js';
export type { ReadWorkflowOptions } from './read.js';
export { buildWorkflowSchema, serializeWorkflowSchema, STEP_ID_PATTERN, VAR_NAME_PATTERN } from './schema.js';
export type { WorkflowSchemaOptions } from './schema.js';
export { closestMatch, didYouMean, editDistance } from '../util/suggest.js';
export type { DocPath, InputSpec, Position, RetrySpec, StepSpec, Workflow, WorkflowSpec } from './types.js';
export { validateWorkflow } from './validate.js';
export type { ValidateOptions, ValidationResult } from './validate.js';
