/** paxflow's public API: the same functions the CLI is built from. */

export { cli, EXIT } from './cli.js';
export type { CliIO } from './cli.js';

export { loadWorkflow, readWorkflowFile, validateWorkflow, buildWorkflowSchema } from './workflow/index.js';
export type { Workflow, WorkflowSpec, StepSpec, LoadedWorkflow, ValidationResult } from './workflow/index.js';

export { planWorkflow } from './engine/plan.js';
export type { Plan, PlannedCall, PlannedStep, PlanOptions, SourcePosition } from './engine/plan.js';
export { describePlan } from './engine/plan-view.js';
export type { PlanCondition, PlanLeaf, PlanView, PlanViewStep } from './engine/plan-view.js';
export { formatPlan } from './commands/plan.js';
export type { FormatPlanOptions } from './commands/plan.js';
export { runWorkflow } from './engine/run.js';
export type { RunOptions } from './engine/run.js';
export type { RunEvent, RunResult, StepResult, StepStatus, RunStatus, StepErrorInfo } from './engine/results.js';
export type { BatchSummary, UnitInfo, UnitProblem, UnitResult, UnitStatus } from './engine/results.js';
export { runPool } from './engine/batch.js';
export type { PoolOptions, PoolOutcome } from './engine/batch.js';
export { openDataSource } from './data/index.js';
export type { DataFormat, DataRow, DataSource, RowProblem } from './data/index.js';

export { defineStep } from './steps/define.js';
export type { StepDefinition, StepContext, JsonSchema, TargetInfo, HttpExchange, PollAttempt } from './steps/define.js';
export { stepRegistry, findStep } from './steps/registry.js';

export { renderValue, analyzeTemplate, templateHelpers } from './template/index.js';
export type { TemplateContext } from './template/index.js';

export { createPaxosClient, openTarget, resolveCredentials, PaxosApiError, isPaxosApiError } from './paxos/index.js';
export type { PaxosClient, PaxosApiClient, PaxosCredentials } from './paxos/index.js';
export { PAXOS_RATE_LIMITS, createRateLimiter, parseRateLimits } from './paxos/index.js';
export type { EndpointClass, RateLimiter, RateLimits } from './paxos/index.js';

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
