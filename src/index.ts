/** paxflow's public API: the same functions the CLI is built from. */

export { cli, EXIT } from './cli.js';
export type { CliIO } from './cli.js';

export { loadWorkflow, readWorkflowFile, validateWorkflow, buildWorkflowSchema } from './workflow/index.js';
export type { Workflow, WorkflowSpec, StepSpec, LoadedWorkflow, ValidationResult } from './workflow/index.js';

export { planWorkflow } from './engine/plan.js';
export type { Plan, PlannedStep, PlanOptions } from './engine/plan.js';
export { runWorkflow } from './engine/run.js';
export type { RunOptions } from './engine/run.js';
export type { RunEvent, RunResult, StepResult, StepStatus, RunStatus, StepErrorInfo } from './engine/results.js';

export { defineStep } from './steps/define.js';
export type { StepDefinition, StepContext, JsonSchema, TargetInfo, HttpExchange, PollAttempt } from './steps/define.js';
export { stepRegistry, findStep } from './steps/registry.js';

export { renderValue, analyzeTemplate, templateHelpers } from './template/index.js';
export type { TemplateContext } from './template/index.js';

export { createPaxosClient, openTarget, resolveCredentials, PaxosApiError, isPaxosApiError } from './paxos/index.js';
export type { PaxosClient, PaxosApiClient, PaxosCredentials } from './paxos/index.js';

export { startSandbox } from './sandbox/index.js';
export type { SandboxOptions, SandboxHandle } from './sandbox/index.js';

export { createConsoleReporter } from './report/console.js';
export { formatDiagnostic, formatError } from './report/format-error.js';

export {
  PaxflowError,
  InvalidInputError,
  UsageError,
  StepFailedError,
  TemplateError,
  AbortedError,
  isPaxflowError,
  isInvalidInputError,
  isUsageError,
  isStepFailedError,
  isTemplateError,
  isAbortedError,
} from './errors.js';
export type { Diagnostic } from './errors.js';
