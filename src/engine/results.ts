import type { HttpExchange, PollAttempt, TargetInfo } from '../steps/define.js';

export type StepStatus = 'passed' | 'failed' | 'skipped' | 'interrupted';
export type RunStatus = 'passed' | 'failed' | 'interrupted';

/** Why a step did not run. */
export type SkipReason = 'condition' | 'previous_failure' | 'interrupted';

/** A step's failure, as reports show it: a stable code and a message that carries no secrets. */
export interface StepErrorInfo {
  code: string;
  message: string;
  /** HTTP status, for failures that came from an API response. */
  status?: number;
  /** Problem type slug (`insufficient-funds`), for Paxos API errors. */
  type?: string;
  /** Where in the workflow file the failure points, when more precise than the step (a template). */
  line?: number;
  col?: number;
  /** The file `line` and `col` are in, when it is not the step's (a playbook's outputs:). */
  file?: string;
}

/** One field of an `expect:` that did not hold. Both sides are text; personal data reads `[redacted]`. */
export interface ExpectationMismatch {
  /** The field as written under `expect:` (`by_asset.USD.available`), or `error.<field>`. */
  field: string;
  /** What was expected: `"FILLED"`, `gt "0"`, `one of ["OPEN","FILLED"]`. */
  expected: string;
  /** What the step gave, as JSON text, or `nothing`. */
  actual: string;
}

/** What a step's `expect:` found. */
export interface ExpectationResult {
  /** `output`: fields of the output were checked; `error`: the step had to fail in a given way. */
  kind: 'output' | 'error';
  met: boolean;
  /** Every field that did not hold; empty when met. */
  mismatches: ExpectationMismatch[];
  /** For `error`: how the step actually failed, when it did. */
  actualError?: StepErrorInfo;
}

export interface StepResult {
  id: string;
  name?: string;
  uses: string;
  status: StepStatus;
  skipReason?: SkipReason;
  /** Where the step is in the workflow file. */
  line?: number;
  col?: number;
  /** The playbook file the step is written in, for a step of a playbook call (id `onboard.identity`). */
  file?: string;
  /** A `finally:` step: it ran (or was skipped) after the steps of its file, whatever happened to them. */
  cleanup?: boolean;
  startedAt?: string;
  durationMs: number;
  /** Times the handler ran (1 without retries; 0 when skipped or stopped before the handler). */
  attempts: number;
  /** The input after rendering, when rendering got that far. */
  input?: unknown;
  output?: unknown;
  error?: StepErrorInfo;
  /** What `expect:` found, when the step has one and its outcome was judged. */
  expectation?: ExpectationResult;
  /** A failure that `continue_on_error` let the run go past. */
  allowedFailure?: boolean;
  /** Completed in an earlier attempt of a resumed run: taken from the journal, not run again. */
  restored?: boolean;
  exchanges: HttpExchange[];
  polls: PollAttempt[];
}

export interface RunResult {
  runId: string;
  file: string;
  name: string;
  target: TargetInfo;
  status: RunStatus;
  startedAt: string;
  durationMs: number;
  steps: StepResult[];
  /** The run continued an earlier attempt with the same run id (`--resume`). */
  resumed?: boolean;
}

/** How to continue a run that did not pass: the command, when there is one, and what to keep in mind. */
export interface ResumeAdvice {
  /** `paxflow run FILE --resume RUN_ID`; absent when the run cannot be resumed. */
  command?: string;
  /** With the command, what else to give it; without, why the run cannot be resumed and what to do instead. */
  note: string;
}

/** One run of a command that runs many (a file of a suite, a row of a data-driven run). */
export interface UnitInfo {
  /** 0-based, in the order the units were taken: files sorted, then rows in file order. */
  index: number;
  /** How reports name it: `row 3`, `order-beyond-funds`, `order-beyond-funds row 3`. */
  label: string;
  /** The workflow file. */
  file: string;
  /** The row's number (1-based), for a data-driven run. */
  row?: number;
  /** The data file and line the row starts on, where the format has lines (CSV, JSONL). */
  dataFile?: string;
  line?: number;
}

/** `invalid`: the unit could not start (its file does not validate, its row is bad); nothing was sent for it. */
export type UnitStatus = RunStatus | 'invalid';

/** A problem that kept a unit from running, with where it is when known. */
export interface UnitProblem {
  code: string;
  message: string;
  file?: string;
  line?: number;
  col?: number;
}

/** How one unit ended: its run's result, or the problems that kept it from running. */
export interface UnitResult {
  unit: UnitInfo;
  status: UnitStatus;
  /** The workflow's name, when the file could be read. */
  name?: string;
  result?: RunResult;
  problems?: UnitProblem[];
}

/** The end of a command that ran many units. */
export interface BatchSummary {
  status: RunStatus;
  startedAt: string;
  durationMs: number;
  /** Units by how they ended; those an interrupt kept from starting are not counted. */
  counts: Record<UnitStatus, number> & { total: number };
}

/** What the engine reports while it runs; reporters subscribe to these. */
export type RunEvent =
  /**
   * Many units are about to run (a suite, a data-driven run). Every unit's events follow, interleaved, but
   * not its `workflow:end`: its `unit:end` carries the run's result.
   */
  | { type: 'batch:start'; startedAt: string; target: TargetInfo; concurrency: number; dataFile?: string }
  /** A unit ended; sent in unit order (a unit's end waits for the units before it). */
  | { type: 'unit:end'; unit: UnitResult }
  | { type: 'batch:end'; summary: BatchSummary }
  | { type: 'workflow:start'; runId: string; file: string; name: string; target: TargetInfo; stepCount: number; unit?: UnitInfo }
  | { type: 'step:start'; runId: string; index: number; id: string; name?: string; uses: string }
  /** A waiting step checked once more: how many checks so far and what the last one saw. */
  | { type: 'step:progress'; runId: string; index: number; id: string; polls: number; last: PollAttempt }
  | { type: 'step:end'; runId: string; index: number; result: StepResult }
  /** The run ended; `resume` is added by the command that knows where the run's journal is. */
  | { type: 'workflow:end'; result: RunResult; resume?: ResumeAdvice };

/** Counts of step outcomes, for summaries. */
export const countSteps = (steps: readonly StepResult[]): Record<StepStatus, number> => {
  const counts: Record<StepStatus, number> = { passed: 0, failed: 0, skipped: 0, interrupted: 0 };
  for (const step of steps) counts[step.status] += 1;
  return counts;
};
