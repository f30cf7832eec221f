import type { RunResult, StepStatus } from '../engine/results.js';
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
}

/** Builds the report document from a (redacted) run result. */
export const buildJsonReport = (result: RunResult, options: { pii: boolean }): JsonReport => {
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
    steps,
  };
};

/** The document as the file holds it: two-space JSON and a final newline. */
export const serializeJsonReport = (report: JsonReport): string => `${JSON.stringify(report, null, 2)}\n`;
