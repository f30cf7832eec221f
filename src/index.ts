/**
 * paxflow's public API, for embedding it in your own test suites: start the emulator, run a workflow,
 * validate a file, or run the whole command line. Everything else is internal and may change.
 * See docs/library.md.
 */

export { startSandbox } from './sandbox/index.js';
export type { SandboxHandle, SandboxOptions, SandboxSnapshot, SetFaultsOptions } from './sandbox/index.js';

export { runWorkflow } from './library/run.js';
export type { RunWorkflowOptions, WorkflowRun, WorkflowSource } from './library/run.js';
export type { RunResult, RunStatus, StepErrorInfo, StepResult, StepStatus } from './engine/results.js';
export type { HttpExchange, PollAttempt, TargetInfo } from './steps/define.js';

export { validateWorkflowFile } from './library/validate.js';
export type { ValidateWorkflowFileOptions, WorkflowValidation } from './library/validate.js';

export { cli, EXIT } from './cli.js';
export type { CliIO } from './cli.js';

export { PaxflowError, isInvalidInputError, isPaxflowError, isUsageError } from './errors.js';
export type { Diagnostic, InvalidInputError, UsageError } from './errors.js';
