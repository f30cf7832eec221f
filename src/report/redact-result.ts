import type { ExpectationResult, ResumeAdvice, RunEvent, RunResult, StepErrorInfo, StepResult, UnitInfo, UnitProblem, UnitResult } from '../engine/results.js';
import type { HttpExchange, PollAttempt, TargetInfo } from '../steps/define.js';
import type { JsonBatchReport, JsonReport } from './json.js';
import type { Redactor } from './redact.js';

/*
 * Copies of run data for reporters, field by field: a field the engine adds later stays out of every
 * report until it is listed here with its redaction, so nothing new can leak by default.
 */

const redactError = (error: StepErrorInfo, r: Redactor): StepErrorInfo => ({
  code: error.code,
  message: r.message(error.message),
  ...(error.status === undefined ? {} : { status: error.status }),
  ...(error.type === undefined ? {} : { type: r.text(error.type) }),
  ...(error.line === undefined ? {} : { line: error.line }),
  ...(error.col === undefined ? {} : { col: error.col }),
  ...(error.file === undefined ? {} : { file: r.text(error.file) }),
});

const redactExchange = (exchange: HttpExchange, r: Redactor): HttpExchange => ({
  method: exchange.method,
  path: r.message(exchange.path),
  ...(exchange.status === undefined ? {} : { status: exchange.status }),
  durationMs: Math.round(exchange.durationMs),
  ...(exchange.requestId === undefined ? {} : { requestId: r.text(exchange.requestId) }),
});

const redactPoll = (poll: PollAttempt, r: Redactor): PollAttempt => ({
  at: poll.at,
  ...(poll.status === undefined ? {} : { status: r.text(poll.status) }),
  ...(poll.error === undefined ? {} : { error: r.message(poll.error) }),
});

const redactExpectation = (expectation: ExpectationResult, r: Redactor): ExpectationResult => ({
  kind: expectation.kind,
  met: expectation.met,
  mismatches: expectation.mismatches.map((m) => ({ field: r.text(m.field), expected: r.message(m.expected), actual: r.message(m.actual) })),
  ...(expectation.actualError ? { actualError: redactError(expectation.actualError, r) } : {}),
});

const redactResume = (resume: ResumeAdvice, r: Redactor): ResumeAdvice => ({
  ...(resume.command === undefined ? {} : { command: r.text(resume.command) }),
  note: r.text(resume.note),
});

const redactTarget = (target: TargetInfo, r: Redactor): TargetInfo => ({
  name: target.name,
  apiUrl: r.text(target.apiUrl),
  ...(target.oauthUrl === undefined ? {} : { oauthUrl: r.text(target.oauthUrl) }),
});

/**
 * Sets `key` on `target` to `compute()`, computed when a reporter first reads it (the console reporter
 * never reads inputs and outputs, and `workflow:end` repeats every step). Redaction only ever masks more
 * as a run goes on, so computing later never shows more than computing now would.
 */
const lazily = (target: StepResult, key: 'input' | 'output', compute: () => unknown): void => {
  let done = false;
  let cached: unknown;
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get() {
      if (!done) {
        cached = compute();
        done = true;
      }
      return cached;
    },
  });
};

/** A step's result with its input and output field-masked and every text value-masked. */
export const redactStep = (step: StepResult, r: Redactor): StepResult => {
  const copy = copyStep(step, r);
  const { input, output } = step;
  if (input !== undefined) lazily(copy, 'input', () => r.value(input));
  if (output !== undefined) lazily(copy, 'output', () => r.value(output));
  return copy;
};

const copyStep = (step: StepResult, r: Redactor): StepResult => ({
  id: step.id,
  ...(step.name === undefined ? {} : { name: r.text(step.name) }),
  uses: step.uses,
  status: step.status,
  ...(step.skipReason === undefined ? {} : { skipReason: step.skipReason }),
  ...(step.line === undefined ? {} : { line: step.line }),
  ...(step.col === undefined ? {} : { col: step.col }),
  ...(step.file === undefined ? {} : { file: r.text(step.file) }),
  ...(step.cleanup === undefined ? {} : { cleanup: step.cleanup }),
  ...(step.startedAt === undefined ? {} : { startedAt: step.startedAt }),
  durationMs: Math.round(step.durationMs),
  attempts: step.attempts,
  // input and output: set by redactStep, in this place of the key order.
  ...(step.input === undefined ? {} : { input: undefined }),
  ...(step.output === undefined ? {} : { output: undefined }),
  ...(step.error === undefined ? {} : { error: redactError(step.error, r) }),
  ...(step.expectation === undefined ? {} : { expectation: redactExpectation(step.expectation, r) }),
  ...(step.allowedFailure === undefined ? {} : { allowedFailure: step.allowedFailure }),
  ...(step.restored === undefined ? {} : { restored: step.restored }),
  exchanges: step.exchanges.map((exchange) => redactExchange(exchange, r)),
  polls: step.polls.map((poll) => redactPoll(poll, r)),
});

/** The values under sensitive fields of what a step received and returned, so they are masked anywhere after. */
export const captureStep = (step: StepResult, r: Redactor): void => {
  r.capture(step.input);
  r.capture(step.output);
};

export const redactRun = (result: RunResult, r: Redactor): RunResult => {
  for (const step of result.steps) captureStep(step, r);
  return {
    runId: result.runId,
    file: r.text(result.file),
    name: r.text(result.name),
    target: redactTarget(result.target, r),
    status: result.status,
    startedAt: result.startedAt,
    durationMs: Math.round(result.durationMs),
    ...(result.resumed === undefined ? {} : { resumed: result.resumed }),
    steps: result.steps.map((step) => redactStep(step, r)),
  };
};

const redactUnitInfo = (unit: UnitInfo, r: Redactor): UnitInfo => ({
  index: unit.index,
  label: r.text(unit.label),
  file: r.text(unit.file),
  ...(unit.row === undefined ? {} : { row: unit.row }),
  ...(unit.dataFile === undefined ? {} : { dataFile: r.text(unit.dataFile) }),
  ...(unit.line === undefined ? {} : { line: unit.line }),
});

const redactProblem = (problem: UnitProblem, r: Redactor): UnitProblem => ({
  code: problem.code,
  message: r.message(problem.message),
  ...(problem.file === undefined ? {} : { file: r.text(problem.file) }),
  ...(problem.line === undefined ? {} : { line: problem.line }),
  ...(problem.col === undefined ? {} : { col: problem.col }),
});

export const redactUnit = (unit: UnitResult, r: Redactor): UnitResult => ({
  unit: redactUnitInfo(unit.unit, r),
  status: unit.status,
  ...(unit.name === undefined ? {} : { name: r.text(unit.name) }),
  ...(unit.result === undefined ? {} : { result: redactRun(unit.result, r) }),
  ...(unit.problems === undefined ? {} : { problems: unit.problems.map((problem) => redactProblem(problem, r)) }),
});

/** What reporters receive instead of the engine's event: the same event with its data redacted. */
export const redactEvent = (event: RunEvent, r: Redactor): RunEvent => {
  switch (event.type) {
    case 'workflow:start':
      return {
        ...event,
        file: r.text(event.file),
        name: r.text(event.name),
        target: redactTarget(event.target, r),
        ...(event.unit === undefined ? {} : { unit: redactUnitInfo(event.unit, r) }),
      };
    case 'step:start':
      return { type: event.type, runId: event.runId, index: event.index, id: event.id, uses: event.uses, ...(event.name === undefined ? {} : { name: r.text(event.name) }) };
    case 'step:progress':
      return { ...event, last: redactPoll(event.last, r) };
    case 'step:end':
      captureStep(event.result, r);
      return { ...event, result: redactStep(event.result, r) };
    case 'workflow:end':
      return {
        type: event.type,
        result: redactRun(event.result, r),
        ...(event.resume === undefined ? {} : { resume: redactResume(event.resume, r) }),
      };
    case 'batch:start':
      return { ...event, target: redactTarget(event.target, r), ...(event.dataFile === undefined ? {} : { dataFile: r.text(event.dataFile) }) };
    case 'unit:end':
      return { type: event.type, unit: redactUnit(event.unit, r) };
    case 'batch:end':
      return event;
  }
};

/**
 * A JSON report document read back from a file (`paxflow report`), redacted again field by field as a
 * run's data is: what the file holds is shown only through the same masks as every other output.
 */
export const redactReportDocument = (report: JsonReport | JsonBatchReport, r: Redactor): JsonReport | JsonBatchReport => {
  if ('kind' in report && report.kind === 'batch') {
    for (const run of report.runs) for (const step of run.steps ?? []) captureStep(step, r);
    return {
      ...report,
      target: redactTarget(report.target, r),
      ...(report.dataFile === undefined ? {} : { dataFile: r.text(report.dataFile) }),
      runs: report.runs.map((run) => ({
        ...run,
        label: r.text(run.label),
        file: r.text(run.file),
        ...(run.dataFile === undefined ? {} : { dataFile: r.text(run.dataFile) }),
        ...(run.name === undefined ? {} : { name: r.text(run.name) }),
        ...(run.steps === undefined ? {} : { steps: run.steps.map((step) => redactStep(step, r)) }),
        ...(run.problems === undefined ? {} : { problems: run.problems.map((problem) => redactProblem(problem, r)) }),
      })),
    };
  }
  const run = report as JsonReport;
  const { resume } = run;
  return {
    ...run,
    ...redactRun(run, r),
    ...(resume === undefined ? {} : { resume: redactResume(resume, r) }),
  };
};
