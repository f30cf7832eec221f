import type { RunResult, StepResult, UnitInfo, UnitResult } from '../engine/results.js';
import { countSteps } from '../engine/results.js';
import { exchangeLine } from './console.js';
import { xmlAttributes, xmlText } from './xml.js';
import { failurePlace } from './place.js';

const SKIP_TEXT = { condition: 'condition false', previous_failure: 'an earlier step failed', interrupted: 'run interrupted' } as const;

const seconds = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(3);

/** `2024-05-01T12:00:00`: the JUnit schema's timestamp, in UTC, without zone or fraction. */
const junitTimestamp = (iso: string): string => new Date(iso).toISOString().slice(0, 19);

const where = (file: string, step: StepResult): string | undefined => {
  const at = failurePlace(step, file);
  return at.line === undefined ? undefined : `${at.file}:${at.line}:${at.col ?? 1}`;
};

const testcase = (file: string, step: StepResult, classname = file): string => {
  const attributes = xmlAttributes({
    classname,
    name: step.name ? `${step.id}: ${step.name}` : step.id,
    time: seconds(step.durationMs),
    // A step of a playbook is written in the playbook.
    file: step.file ?? file,
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

const suiteTotals = (result: RunResult) => {
  const counts = countSteps(result.steps);
  return { tests: result.steps.length, failures: counts.failed, errors: counts.interrupted, skipped: counts.skipped, time: seconds(result.durationMs) };
};

const propertyLines = (pairs: ReadonlyArray<readonly [string, string | number | undefined]>): string[] =>
  pairs.filter(([, value]) => value !== undefined).map(([name, value]) => `      <property${xmlAttributes({ name, value })}/>`);

/** Where a unit of a batch comes from, as suite properties. */
const unitProperties = (unit: UnitInfo | undefined): Array<readonly [string, string | number | undefined]> =>
  unit ? [['paxflow.unit', unit.label], ['paxflow.row', unit.row], ['paxflow.data_file', unit.dataFile], ['paxflow.data_line', unit.line]] : [];

/** The testsuite of one run, indented for its place inside `<testsuites>`. */
const runSuite = (result: RunResult, unit?: UnitInfo): string[] => {
  // Rows of one file would otherwise share every testcase's classname, and viewers merge them.
  const classname = unit?.row === undefined ? result.file : `${result.file} [row ${unit.row}]`;
  const name = unit?.row === undefined ? result.name : `${result.name} [row ${unit.row}]`;
  return [
    `  <testsuite${xmlAttributes({ name, ...suiteTotals(result), timestamp: junitTimestamp(result.startedAt), file: result.file })}>`,
    '    <properties>',
    ...propertyLines([['paxflow.run_id', result.runId], ['paxflow.target', result.target.name], ['paxflow.status', result.status], ...unitProperties(unit)]),
    '    </properties>',
    ...result.steps.map((step) => testcase(result.file, step, classname)),
    '  </testsuite>',
  ];
};

/**
 * JUnit XML for one (redacted) run, as Jenkins, GitLab and the GitHub test-report actions read it:
 * `<testsuites>` holding one `<testsuite>` per workflow run and one `<testcase>` per step, with
 * `<failure type=CODE>` for a failed step (also under continue_on_error), `<error>` for one that was
 * interrupted, and `<skipped/>`.
 */
export const junitXml = (result: RunResult): string =>
  [JUNIT_HEAD, `<testsuites${xmlAttributes({ name: 'paxflow', ...suiteTotals(result) })}>`, ...runSuite(result), '</testsuites>', ''].join('\n');

const JUNIT_HEAD = '<?xml version="1.0" encoding="UTF-8"?>';

/**
 * The JUnit document of a batch, in parts written as the batch goes, so that it never has to be held
 * whole: the start of `<testsuites` (its totals and `>` follow at the end, into room kept for them),
 * a `<testsuite>` per unit in unit order, the end. Each testsuite has its own totals too.
 */
export const junitBatch = {
  start: (): string => `${JUNIT_HEAD}\n<testsuites${xmlAttributes({ name: 'paxflow' })}`,
  /** Room for the totals' attributes: five counts of up to 12 digits and their names. */
  TOTALS_WIDTH: 128,
  /** The totals of the units so far, as `<testsuites>` attributes. */
  totals: () => {
    const sum = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    return {
      add(unit: UnitResult): void {
        if (!unit.result) {
          sum.tests += 1;
          sum.failures += 1;
          return;
        }
        const totals = suiteTotals(unit.result);
        sum.tests += totals.tests;
        sum.failures += totals.failures;
        sum.errors += totals.errors;
        sum.skipped += totals.skipped;
      },
      attributes: (durationMs: number): string => xmlAttributes({ ...sum, time: seconds(durationMs) }),
    };
  },
  unit: (unit: UnitResult): string => `${(unit.result ? runSuite(unit.result, unit.unit) : invalidSuite(unit)).join('\n')}\n`,
  end: (): string => '</testsuites>\n',
};

/** A unit that could not run: one testcase that fails with its problems. */
const invalidSuite = ({ unit, name, problems = [] }: UnitResult): string[] => {
  const first = problems[0] ?? { code: 'INVALID', message: 'the unit could not run' };
  const lines = problems.map((problem) => {
    const at = problem.file === undefined ? '' : ` at ${problem.file}${problem.line === undefined ? '' : `:${problem.line}:${problem.col ?? 1}`}`;
    return `${problem.code} ${problem.message}${at}`;
  });
  const suiteName = name === undefined ? unit.label : unit.row === undefined ? name : `${name} [row ${unit.row}]`;
  return [
    `  <testsuite${xmlAttributes({ name: suiteName, tests: 1, failures: 1, errors: 0, skipped: 0, time: seconds(0), file: unit.file })}>`,
    '    <properties>',
    ...propertyLines([['paxflow.status', 'invalid'], ...unitProperties(unit)]),
    '    </properties>',
    // Named by the row's number, as the suite is: a test-report viewer lists test cases by name.
    `    <testcase${xmlAttributes({ classname: unit.row === undefined ? unit.file : `${unit.file} [row ${unit.row}]`, name: unit.row === undefined ? 'validate' : `row ${unit.row}`, time: seconds(0), file: unit.file })}>`,
    `      <failure${xmlAttributes({ type: first.code, message: first.message })}>${xmlText(lines.join('\n'))}</failure>`,
    '    </testcase>',
    '  </testsuite>',
  ];
};
