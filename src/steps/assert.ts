import { isDeepStrictEqual } from 'node:util';
import { StepFailedError } from '../errors.js';
import { compareDecimals, isDecimalString } from '../util/decimal.js';
import { defineStep } from './define.js';

/** One comparison: `actual` and exactly one operator. */
export interface Check {
  label?: string;
  actual?: unknown;
  equals?: unknown;
  not_equals?: unknown;
  matches?: string;
  in?: unknown[];
  exists?: boolean;
  gt?: string | number;
  gte?: string | number;
  lt?: string | number;
  lte?: string | number;
}

type Operator = Exclude<keyof Check, 'label' | 'actual'>;

const decimalOperand = {
  description: 'A decimal, compared exactly (never as a binary float). Quote it: "1810.25".',
  anyOf: [{ type: 'string', pattern: '^-?([0-9]+\\.?[0-9]*|\\.[0-9]+)$' }, { type: 'integer' }],
};

/** The operator keywords and their schemas; shared with `expect:` so both read the same. */
export const checkOperators = {
  equals: { description: 'Equal to this value. Two decimal strings are equal when their values are ("10.50" equals "10.5").' },
  not_equals: { description: 'Not equal to this value (same rules as equals).' },
  matches: { type: 'string', description: 'A regular expression (JavaScript syntax) the text must match.' },
  in: { type: 'array', description: 'One of these values.' },
  exists: { type: 'boolean', description: 'true: the value is present and not null; false: absent or null.' },
  gt: decimalOperand,
  gte: decimalOperand,
  lt: decimalOperand,
  lte: decimalOperand,
} as const;

const operatorNames = Object.keys(checkOperators) as Operator[];

/** Equality that treats two decimal strings (or a decimal string and a number) as numbers. */
const sameValue = (a: unknown, b: unknown): boolean => {
  const numeric = (v: unknown) => (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && isDecimalString(v));
  if (numeric(a) && numeric(b)) return compareDecimals(a as string | number, b as string | number) === 0;
  return isDeepStrictEqual(a, b);
};

const describe = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

/** Returns why the check failed, or undefined when it holds. */
export const evaluateCheck = (operator: Operator, actual: unknown, expected: unknown): string | undefined => {
  switch (operator) {
    case 'equals':
      return sameValue(actual, expected) ? undefined : `expected ${describe(expected)}, got ${describe(actual)}`;
    case 'not_equals':
      return sameValue(actual, expected) ? `expected anything but ${describe(expected)}` : undefined;
    case 'matches':
      if (typeof actual !== 'string') return `expected text matching /${expected}/, got ${describe(actual)}`;
      return new RegExp(expected as string).test(actual) ? undefined : `expected text matching /${expected}/, got ${describe(actual)}`;
    case 'in':
      return (expected as unknown[]).some((item) => sameValue(actual, item))
        ? undefined
        : `expected one of ${describe(expected)}, got ${describe(actual)}`;
    case 'exists': {
      const present = actual !== undefined && actual !== null;
      return present === expected ? undefined : expected ? 'expected a value, got nothing' : `expected nothing, got ${describe(actual)}`;
    }
    default: {
      const numeric = (typeof actual === 'string' && isDecimalString(actual)) || (typeof actual === 'number' && Number.isFinite(actual));
      if (!numeric) return `expected a decimal to compare with ${operator} ${describe(expected)}, got ${describe(actual)}`;
      const order = compareDecimals(actual as string | number, expected as string | number);
      const holds = { gt: order > 0, gte: order >= 0, lt: order < 0, lte: order <= 0 }[operator];
      return holds ? undefined : `expected ${operator} ${describe(expected)}, got ${describe(actual)}`;
    }
  }
};

export const assertStep = defineStep<{ checks: Check[] }, { passed: number }>({
  type: 'assert',
  description: 'Compares values (usually outputs of earlier steps) and fails with expected vs actual for every check that does not hold.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['checks'],
    properties: {
      checks: {
        description: 'The comparisons; each has `actual` and exactly one operator.',
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          additionalProperties: false,
          properties: {
            label: { type: 'string', description: 'Name of the check in reports.' },
            actual: { description: 'The value under test, usually a template such as "{{steps.order.status}}".' },
            ...checkOperators,
          },
          minProperties: 2,
          maxProperties: 3,
        },
      },
    },
  },
  output: {
    type: 'object',
    additionalProperties: false,
    properties: { passed: { type: 'integer', description: 'Number of checks that held.' } },
  },
  scopes: [],
  sandboxOnly: false,
  retrySafe: true,
  local: true,
  async run({ checks }) {
    const failures: string[] = [];
    checks.forEach((check, index) => {
      const operators = operatorNames.filter((name) => name in check);
      if (operators.length !== 1) {
        failures.push(`checks[${index}]: needs exactly one operator (${operatorNames.join(', ')})`);
        return;
      }
      const operator = operators[0]!;
      const problem = evaluateCheck(operator, check.actual, check[operator]);
      if (problem) failures.push(`checks[${index}]${check.label ? ` (${check.label})` : ''}: ${problem}`);
    });
    if (failures.length > 0) throw new StepFailedError('ASSERTION_FAILED', failures.join('; '));
    return { passed: checks.length };
  },
});
