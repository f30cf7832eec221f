/**
 * `expect:` on a step, judged once its handler has ended. Pure: the rendered expectation and the step's
 * outcome in, the verdict out. Values are compared by assert's `evaluateCheck`, so `expect:` and the
 * assert step agree on what equals, gt or matches mean.
 */

import type { StepFailureCode } from '../step-codes.js';
import { problemSlug } from '../paxos/errors.js';
import { checkOperators, evaluateCheck } from '../steps/assert.js';
import { splitFieldPath } from '../workflow/rules/expect.js';
import type { ErrorExpectation, ExpectSpec } from '../workflow/types.js';
import type { ExpectationMismatch, ExpectationResult, StepErrorInfo } from './results.js';

/** How a step's work ended: with an output, or with an error. */
export type StepOutcome = { ok: true; output: unknown } | { ok: false; error: StepErrorInfo };

/** The step's status once its expectation is applied to the outcome. */
export type Verdict =
  | { status: 'passed'; output: unknown; expectation?: ExpectationResult }
  | { status: 'failed'; error: StepErrorInfo; output?: unknown; expectation?: ExpectationResult };

export interface JudgeOptions {
  /** Field names that hold personal data: values under them are shown as `[redacted]`. @default none */
  sensitive?: ReadonlySet<string>;
}

type Operator = keyof typeof checkOperators;

const OPERATORS = Object.keys(checkOperators) as Operator[];
const ERROR_FIELDS = ['code', 'status', 'type'] as const;
const REDACTED = '[redacted]';
const MAX_SHOWN = 200;

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

const show = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
};

/** `{ gt: "0" }` is gt "0"; any other value is compared as equals. */
const operatorOf = (spec: unknown): { operator: Operator; expected: unknown } => {
  if (isRecord(spec)) {
    const [only, ...rest] = Object.keys(spec);
    if (only !== undefined && rest.length === 0 && (OPERATORS as string[]).includes(only)) return { operator: only as Operator, expected: spec[only] };
  }
  return { operator: 'equals', expected: spec };
};

const expectedText = (operator: Operator, expected: unknown): string => {
  switch (operator) {
    case 'equals':
      return show(expected);
    case 'not_equals':
      return `anything but ${show(expected)}`;
    case 'matches':
      return `text matching /${String(expected)}/`;
    case 'in':
      return `one of ${show(expected)}`;
    case 'exists':
      return expected ? 'a value' : 'nothing';
    default:
      return `${operator} ${show(expected)}`;
  }
};

/** A malformed operand (a template that rendered to no decimal, a bad pattern, `in` without a list) never holds. */
const holds = (operator: Operator, actual: unknown, expected: unknown): boolean => {
  try {
    return evaluateCheck(operator, actual, expected) === undefined;
  } catch {
    return false;
  }
};

/** The value at `parts` below `value`, reading own fields and list items only. */
const readField = (value: unknown, parts: readonly string[]): unknown => {
  let node = value;
  for (const part of parts) {
    if (Array.isArray(node) && /^(0|[1-9][0-9]*)$/.test(part)) node = node[Number(part)];
    else if (isRecord(node) && Object.hasOwn(node, part)) node = node[part];
    else return undefined;
  }
  return node;
};

const outputMismatches = (spec: ExpectSpec, output: unknown, sensitive: ReadonlySet<string>): ExpectationMismatch[] =>
  Object.entries(spec).flatMap(([field, value]) => {
    if (field === 'error') return [];
    const parts = splitFieldPath(field);
    const { operator, expected } = operatorOf(value);
    const actual = readField(output, parts);
    if (holds(operator, actual, expected)) return [];
    const hidden = parts.some((part) => sensitive.has(part));
    return [{
      field,
      expected: hidden && operator !== 'exists' ? REDACTED : expectedText(operator, expected),
      actual: hidden && actual !== undefined && actual !== null ? REDACTED : show(actual),
    }];
  });

/** `insufficient-funds` matches the slug, the full Problem URI and any case; `about:blank` matches itself. */
const sameProblemType = (expected: unknown, actual: string | undefined): boolean => {
  if (typeof expected !== 'string' || actual === undefined) return false;
  const wanted = expected.includes('/') ? (problemSlug(expected) ?? expected) : expected;
  return wanted.toLowerCase() === actual.toLowerCase();
};

const errorMismatches = (spec: ErrorExpectation, error: StepErrorInfo): ExpectationMismatch[] =>
  ERROR_FIELDS.flatMap((field) => {
    const expected = spec[field];
    if (expected === undefined) return [];
    const actual = error[field];
    const ok = field === 'type' ? sameProblemType(expected, error.type) : holds('equals', actual, expected);
    return ok ? [] : [{ field: `error.${field}`, expected: show(expected), actual: show(actual) }];
  });

const describeErrorSpec = (spec: ErrorExpectation): string =>
  ERROR_FIELDS.filter((field) => spec[field] !== undefined).map((field) => `${field} ${show(spec[field])}`).join(', ') || 'an error';

const listMismatches = (mismatches: readonly ExpectationMismatch[]): string =>
  mismatches.map(({ field, expected, actual }) => `${field}: expected ${expected}, got ${actual}`).join('; ');

/** What later steps read as `steps.<id>.error`: the failure without its position in the file. */
const errorOutput = ({ code, message, status, type }: StepErrorInfo) => ({
  error: { code, message, ...(status === undefined ? {} : { status }), ...(type === undefined ? {} : { type }) },
});

/**
 * Applies `expect:` to a step's outcome. Without an expectation, an output passes and an error fails.
 * With `expect.error`, the step passes when it failed that way (its output becomes `{error}`), fails with
 * `UNEXPECTED_SUCCESS` when it succeeded and with `EXPECTATION_FAILED` when it failed another way. With
 * output fields, a failure stays the failure it was, and an output passes when every field holds, else
 * `EXPECTATION_FAILED` lists expected vs actual per field.
 */
export const judgeOutcome = (spec: ExpectSpec | undefined, outcome: StepOutcome, options: JudgeOptions = {}): Verdict => {
  const { sensitive = new Set<string>() } = options;
  if (spec === undefined) return outcome.ok ? { status: 'passed', output: outcome.output } : { status: 'failed', error: outcome.error };

  if (spec.error !== undefined) {
    const wanted = describeErrorSpec(spec.error);
    if (outcome.ok) {
      const mismatches = [{ field: 'error', expected: wanted, actual: 'success' }];
      return {
        status: 'failed',
        error: { code: 'UNEXPECTED_SUCCESS' satisfies StepFailureCode, message: `expected the step to fail with ${wanted}, but it succeeded` },
        output: outcome.output,
        expectation: { kind: 'error', met: false, mismatches },
      };
    }
    const mismatches = errorMismatches(spec.error, outcome.error);
    const expectation: ExpectationResult = { kind: 'error', met: mismatches.length === 0, mismatches, actualError: outcome.error };
    if (mismatches.length === 0) return { status: 'passed', output: errorOutput(outcome.error), expectation };
    const message = `the step failed, but not as expected: ${listMismatches(mismatches)}. It failed with ${outcome.error.code} ${outcome.error.message}`;
    return { status: 'failed', error: { code: 'EXPECTATION_FAILED' satisfies StepFailureCode, message }, expectation };
  }

  if (!outcome.ok) return { status: 'failed', error: outcome.error };
  const mismatches = outputMismatches(spec, outcome.output, sensitive);
  const expectation: ExpectationResult = { kind: 'output', met: mismatches.length === 0, mismatches };
  if (mismatches.length === 0) return { status: 'passed', output: outcome.output, expectation };
  return { status: 'failed', error: { code: 'EXPECTATION_FAILED' satisfies StepFailureCode, message: listMismatches(mismatches) }, output: outcome.output, expectation };
};
