import type { RunResult, StepResult } from '../engine/results.js';
import { countSteps } from '../engine/results.js';
import { exchangeLine } from './console.js';
import { xmlAttributes, xmlText } from './xml.js';

const SKIP_TEXT = { condition: 'condition false', previous_failure: 'an earlier step failed', interrupted: 'run interrupted' } as const;

const seconds = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(3);

/** `2024-05-01T12:00:00`: the JUnit schema's timestamp, in UTC, without zone or fraction. */
const junitTimestamp = (iso: string): string => new Date(iso).toISOString().slice(0, 19);

const where = (file: string, step: StepResult): string | undefined => {
  const line = step.error?.line ?? step.line;
  const col = step.error?.line === undefined ? step.col : step.error.col;
  return line === undefined ? undefined : `${file}:${line}:${col ?? 1}`;
};

const testcase = (file: string, step: StepResult): string => {
  const attributes = xmlAttributes({
    classname: file,
    name: step.name ? `${step.id}: ${step.name}` : step.id,
    time: seconds(step.durationMs),
    file,
    line: step.line,
  });
  const body: string[] = [];
  if (step.status === 'skipped') {
    body.push(`      <skipped${xmlAttributes({ message: SKIP_TEXT[step.skipReason ?? 'previous_failure'] })}/>`);
  } else if (step.error && (step.status === 'failed' || step.status === 'interrupted')) {
    const element = step.status === 'failed' ? 'failure' : 'error';
    const { code, message } = step.error;
    const details = [`${code} ${message}`, where(file, step) && `at ${where(file, step)}`, step.allowedFailure && 'continue_on_error: the run went on']
      .filter(Boolean)
      .join('\n');
    body.push(`      <${element}${xmlAttributes({ type: code, message })}>${xmlText(details)}</${element}>`);
  }
  if (step.exchanges.length > 0) {
    body.push(`      <system-out>${xmlText(step.exchanges.map(exchangeLine).join('\n'))}</system-out>`);
  }
  return body.length === 0 ? `    <testcase${attributes}/>` : [`    <testcase${attributes}>`, ...body, '    </testcase>'].join('\n');
};

/**
 * JUnit XML for one (redacted) run, as Jenkins, GitLab and the GitHub test-report actions read it:
 * `<testsuites>` holding one `<testsuite>` per workflow run and one `<testcase>` per step, with
 * `<failure type=CODE>` for a failed step (also under continue_on_error), `<error>` for one that was
 * interrupted, and `<skipped/>`.
 */
export const junitXml = (result: RunResult): string => {
  const counts = countSteps(result.steps);
  const totals = {
    tests: result.steps.length,
    failures: counts.failed,
    errors: counts.interrupted,
    skipped: counts.skipped,
    time: seconds(result.durationMs),
  };
  const properties = [
    ['paxflow.run_id', result.runId],
    ['paxflow.target', result.target.name],
    ['paxflow.status', result.status],
  ].map(([name, value]) => `      <property${xmlAttributes({ name, value })}/>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${xmlAttributes({ name: 'paxflow', ...totals })}>`,
    `  <testsuite${xmlAttributes({ name: result.name, ...totals, timestamp: junitTimestamp(result.startedAt), file: result.file })}>`,
    '    <properties>',
    ...properties,
    '    </properties>',
    ...result.steps.map((step) => testcase(result.file, step)),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
};
