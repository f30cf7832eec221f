import type { BatchSummary, ResumeAdvice, RunResult, RunStatus, StepStatus, UnitProblem, UnitResult, UnitStatus } from '../engine/results.js';
import type { TargetInfo } from '../steps/define.js';
import { countSteps } from '../engine/results.js';
import { version } from '../version.js';

/** The version of the JSON report's format (`schemas/report.schema.json`); it changes only when a field changes meaning or goes away. */
export const REPORT_VERSION = 1;

/**
 * The `json` reporter's document: the whole run result, as `schemas/report.schema.json` describes it.
 * Inputs, outputs and messages in it are already redacted.
 */
export interface JsonReport extends RunResult {
  reportVersion: typeof REPORT_VERSION;
  paxflowVersion: string;
  finishedAt: string;
  summary: Record<StepStatus, number> & { total: number };
  /** `pii: false` when the run used --no-redact-pii (secrets are masked regardless). */
  redaction: { pii: boolean };
  /** How to continue the run, for one that did not pass. */
  resume?: ResumeAdvice;
}

/** Builds the report document from a (redacted) run result. */
export const buildJsonReport = (result: RunResult, options: { pii: boolean; resume?: ResumeAdvice }): JsonReport => {
  const { runId, file, name, target, status, startedAt, durationMs, resumed, steps } = result;
  return {
    reportVersion: REPORT_VERSION,
    paxflowVersion: version,
    runId,
    file,
    name,
    target,
    status,
    startedAt,
    finishedAt: new Date(Date.parse(startedAt) + durationMs).toISOString(),
    durationMs,
    summary: { total: steps.length, ...countSteps(steps) },
    redaction: { pii: options.pii },
    ...(resumed === undefined ? {} : { resumed }),
    ...(options.resume === undefined ? {} : { resume: options.resume }),
    steps,
  };
};

/** The document as the file holds it: two-space JSON and a final newline. */
export const serializeJsonReport = (report: JsonReport): string => `${JSON.stringify(report, null, 2)}\n`;

/** One unit of a batch in the JSON report: its run (without the target, which the batch gives once), or why it could not run. */
export interface JsonBatchRun {
  label: string;
  file: string;
  row?: number;
  dataFile?: string;
  line?: number;
  status: UnitStatus;
  name?: string;
  runId?: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  summary?: Record<StepStatus, number> & { total: number };
  resumed?: boolean;
  steps?: RunResult['steps'];
  problems?: UnitProblem[];
}

/** The `json` reporter's document for a command that ran many units (schemas/report.schema.json, `kind: batch`). */
export interface JsonBatchReport {
  reportVersion: typeof REPORT_VERSION;
  paxflowVersion: string;
  kind: 'batch';
  startedAt: string;
  target: TargetInfo;
  concurrency: number;
  dataFile?: string;
  redaction: { pii: boolean };
  runs: JsonBatchRun[];
  status: RunStatus;
  finishedAt: string;
  durationMs: number;
  summary: BatchSummary['counts'];
}

/** A unit as the batch document lists it. */
export const buildJsonBatchRun = ({ unit, status, name, result, problems }: UnitResult): JsonBatchRun => {
  const where = {
    label: unit.label,
    file: unit.file,
    ...(unit.row === undefined ? {} : { row: unit.row }),
    ...(unit.dataFile === undefined ? {} : { dataFile: unit.dataFile }),
    ...(unit.line === undefined ? {} : { line: unit.line }),
    status,
  };
  if (!result) return { ...where, ...(name === undefined ? {} : { name }), problems: problems ?? [] };
  const run = buildJsonReport(result, { pii: true });
  return {
    ...where,
    name: run.name,
    runId: run.runId,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs: run.durationMs,
    summary: run.summary,
    ...(run.resumed === undefined ? {} : { resumed: run.resumed }),
    steps: run.steps,
  };
};

/** What a batch's start says about it. */
export type BatchStartEvent = { startedAt: string; target: TargetInfo; concurrency: number; dataFile?: string };

/** The batch document's members before its runs, known when the batch starts. */
export type JsonBatchHead = Pick<JsonBatchReport, 'reportVersion' | 'paxflowVersion' | 'kind' | 'startedAt' | 'target' | 'concurrency' | 'dataFile' | 'redaction'>;

/** The batch document's members after its runs, known when it ends. */
export type JsonBatchTail = Pick<JsonBatchReport, 'status' | 'finishedAt' | 'durationMs' | 'summary'>;

export const jsonBatchHead = (event: BatchStartEvent, options: { pii: boolean }): JsonBatchHead => ({
  reportVersion: REPORT_VERSION,
  paxflowVersion: version,
  kind: 'batch',
  startedAt: event.startedAt,
  target: event.target,
  concurrency: event.concurrency,
  ...(event.dataFile === undefined ? {} : { dataFile: event.dataFile }),
  redaction: { pii: options.pii },
});

export const jsonBatchTail = (summary: BatchSummary): JsonBatchTail => ({
  status: summary.status,
  finishedAt: new Date(Date.parse(summary.startedAt) + summary.durationMs).toISOString(),
  durationMs: Math.round(summary.durationMs),
  summary: summary.counts,
});

const indent = (text: string, spaces: number): string => text.replace(/\n/g, `\n${' '.repeat(spaces)}`);
const members = (object: Record<string, unknown>): string =>
  Object.entries(object)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `  ${JSON.stringify(key)}: ${indent(JSON.stringify(value, null, 2), 2)}`)
    .join(',\n');

/**
 * The batch document in three parts written as the batch goes, so that it is never held whole: the
 * start (up to `"runs": [`), each run in unit order, the end. Together they are exactly
 * `JSON.stringify(report, null, 2)` of a {@link JsonBatchReport}, with a final newline.
 */
export const jsonBatch = {
  start: (event: BatchStartEvent, options: { pii: boolean }): string => `{\n${members({ ...jsonBatchHead(event, options) })},\n  "runs": [`,
  unit: (unit: UnitResult, first: boolean): string => `${first ? '\n' : ',\n'}    ${indent(JSON.stringify(buildJsonBatchRun(unit), null, 2), 4)}`,
  end: (summary: BatchSummary, any: boolean): string => `${any ? '\n  ' : ''}],\n${members({ ...jsonBatchTail(summary) })}\n}\n`,
};
