import { randomInt, randomUUID } from 'node:crypto';
import { TemplateError } from '../errors.js';
import { compareDecimals, isDecimalString } from '../util/decimal.js';
import type { TemplatePosition } from './ast.js';
import { kindOf } from './scope.js';

/** A template helper as the README and `paxflow steps` list it. */
export interface TemplateHelperInfo {
  readonly name: string;
  /** How it is called, e.g. `default value fallback`. */
  readonly signature: string;
  readonly description: string;
}

/** A helper: its arity, the hash keys it takes, and what it does with arguments that are all defined. */
export interface HelperDefinition extends TemplateHelperInfo {
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly hashKeys: readonly string[];
  /** Only `default` may be given a missing first argument. */
  readonly acceptsMissingFirst?: boolean;
  readonly run: (args: unknown[], hash: Record<string, unknown>, at: TemplatePosition) => unknown;
}

function argumentError(helper: string, message: string, at: TemplatePosition): TemplateError {
  return new TemplateError('TEMPLATE_HELPER_ARGUMENT', `${helper}: ${message}`, at);
}

/** Handlebars' truthiness, as `#if` uses it: false, null, "", 0 and an empty list are false. */
export function isTruthy(value: unknown, includeZero = false): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value) || (includeZero && value === 0);
}

const isDecimalLike = (value: unknown): value is string | number =>
  (typeof value === 'number' && Number.isFinite(value)) || isDecimalString(value);

function compareArguments(helper: string, [a, b]: unknown[], at: TemplatePosition): -1 | 0 | 1 {
  if (isDecimalLike(a) && isDecimalLike(b)) return compareDecimals(a, b);
  const bad = isDecimalLike(a) ? 2 : 1;
  const value = bad === 1 ? a : b;
  const what = typeof value === 'string' ? 'a string that is not a decimal number' : kindOf(value);
  throw argumentError(helper, `compares numbers or decimal strings, but argument ${bad} is ${what}`, at);
}

function equals(helper: string, [a, b]: unknown[], at: TemplatePosition): boolean {
  if (isDecimalLike(a) && isDecimalLike(b)) return compareDecimals(a, b) === 0;
  for (const [index, value] of [a, b].entries()) {
    if (value !== null && typeof value === 'object') {
      throw argumentError(helper, `compares text, numbers, booleans and null, but argument ${index + 1} is ${kindOf(value)}`, at);
    }
  }
  return a === b;
}

const OFFSET_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function now([offset]: unknown[], _hash: Record<string, unknown>, at: TemplatePosition): string {
  if (offset === undefined) return new Date().toISOString();
  const match = typeof offset === 'string' ? /^([+-]?)(\d+)(ms|s|m|h|d)$/.exec(offset) : null;
  if (!match) throw argumentError('now', 'the offset must look like "-1h", "+30m", "2d", "500ms"', at);
  const [, sign, amount = '0', unit = 'ms'] = match;
  const milliseconds = Number(amount) * (OFFSET_UNITS[unit] ?? 1) * (sign === '-' ? -1 : 1);
  return new Date(Date.now() + milliseconds).toISOString();
}

// Areas 900-999 are never issued as SSNs. Groups 01-49 stay clear of the ITIN groups (50-65, 70-88,
// 90-92, 94-99), which are issued, and serial 0000 is avoided. A random start per process and a counter
// make numbers unique within a process and unlikely to repeat across processes. The start is drawn by
// the first call, not when the module loads: a command that renders none (validate) draws nothing.
const SERIALS = 9999;
const GROUPS = 49;
const SSN_SPACE = 100 * GROUPS * SERIALS;
let nextSsn: number | undefined;
let ssnsIssued = 0;

function testSsn(_args: unknown[], hash: Record<string, unknown>, at: TemplatePosition): string {
  const format = hash.format ?? 'dashed';
  if (format !== 'dashed' && format !== 'plain') throw argumentError('test_ssn', 'format must be "dashed" or "plain"', at);
  if (ssnsIssued >= SSN_SPACE) throw argumentError('test_ssn', 'every test number has been used in this process', at);
  const n = (nextSsn ??= randomInt(SSN_SPACE));
  nextSsn = (n + 1) % SSN_SPACE;
  ssnsIssued += 1;
  const area = String(900 + Math.floor(n / (GROUPS * SERIALS)));
  const group = String((Math.floor(n / SERIALS) % GROUPS) + 1).padStart(2, '0');
  const serial = String((n % SERIALS) + 1).padStart(4, '0');
  return format === 'plain' ? `${area}${group}${serial}` : `${area}-${group}-${serial}`;
}

const comparison = (name: string, description: string, test: (order: number) => boolean): HelperDefinition => ({
  name,
  signature: `${name} a b`,
  description,
  minArgs: 2,
  maxArgs: 2,
  hashKeys: [],
  run: (args, _hash, at) => test(compareArguments(name, args, at)),
});

const definitions: HelperDefinition[] = [
  { name: 'uuid', signature: 'uuid', description: 'A random version 4 UUID.', minArgs: 0, maxArgs: 0, hashKeys: [], run: () => randomUUID() },
  {
    name: 'now',
    signature: 'now [offset]',
    description: 'The current time as an ISO 8601 UTC timestamp, optionally shifted by an offset such as "-1h" or "+30m".',
    minArgs: 0,
    maxArgs: 1,
    hashKeys: [],
    run: now,
  },
  {
    name: 'test_ssn',
    signature: 'test_ssn [format="plain"]',
    description: 'A test SSN of the form 9XX-XX-XXXX, which is never issued to a person; unique within the process. format="plain" drops the dashes.',
    minArgs: 0,
    maxArgs: 0,
    hashKeys: ['format'],
    run: testSsn,
  },
  {
    name: 'json',
    signature: 'json value',
    description: 'The value as compact JSON text; the way to put an object or a list into a longer string.',
    minArgs: 1,
    maxArgs: 1,
    hashKeys: [],
    run: ([value]) => JSON.stringify(value),
  },
  {
    name: 'default',
    signature: 'default value fallback',
    description: 'The value if it exists and is not null, otherwise the fallback. The only helper that accepts a missing value.',
    minArgs: 2,
    maxArgs: 2,
    hashKeys: [],
    acceptsMissingFirst: true,
    run: ([value, fallback]) => value ?? fallback,
  },
  {
    name: 'eq',
    signature: 'eq a b',
    description: 'True when a equals b; numbers and decimal strings compare as exact decimals ("10.50" eq "10.5").',
    minArgs: 2,
    maxArgs: 2,
    hashKeys: [],
    run: (args, _hash, at) => equals('eq', args, at),
  },
  {
    name: 'ne',
    signature: 'ne a b',
    description: 'True when a does not equal b, compared as eq does.',
    minArgs: 2,
    maxArgs: 2,
    hashKeys: [],
    run: (args, _hash, at) => !equals('ne', args, at),
  },
  comparison('gt', 'True when a > b; both must be numbers or decimal strings, compared exactly.', (order) => order > 0),
  comparison('gte', 'True when a >= b; both must be numbers or decimal strings, compared exactly.', (order) => order >= 0),
  comparison('lt', 'True when a < b; both must be numbers or decimal strings, compared exactly.', (order) => order < 0),
  comparison('lte', 'True when a <= b; both must be numbers or decimal strings, compared exactly.', (order) => order <= 0),
  {
    name: 'and',
    signature: 'and a b ...',
    description: 'True when every argument is truthy (as #if sees it: false, null, "", 0 and [] are not).',
    minArgs: 2,
    maxArgs: Infinity,
    hashKeys: [],
    run: (args) => args.every((value) => isTruthy(value)),
  },
  {
    name: 'or',
    signature: 'or a b ...',
    description: 'True when any argument is truthy (as #if sees it).',
    minArgs: 2,
    maxArgs: Infinity,
    hashKeys: [],
    run: (args) => args.some((value) => isTruthy(value)),
  },
  { name: 'not', signature: 'not a', description: 'True when a is not truthy (as #if sees it).', minArgs: 1, maxArgs: 1, hashKeys: [], run: ([value]) => !isTruthy(value) },
];

const byName = new Map(definitions.map((definition) => [definition.name, definition]));

/** The helpers a template can call, in the order the documentation lists them. */
export const templateHelpers: ReadonlyArray<TemplateHelperInfo> = Object.freeze(
  definitions.map(({ name, signature, description }) => Object.freeze({ name, signature, description })),
);

export function helperDefinition(name: string): HelperDefinition | undefined {
  return byName.get(name);
}

/**
 * Calls a helper after rejecting missing arguments: Handlebars would pass them on silently, while paxflow
 * treats a missing value as an error everywhere except in the first argument of `default`.
 */
export function callHelper(helper: HelperDefinition, args: unknown[], hash: Record<string, unknown>, at: TemplatePosition): unknown {
  args.forEach((value, index) => {
    if (value === undefined && !(index === 0 && helper.acceptsMissingFirst)) {
      throw new TemplateError('TEMPLATE_MISSING_VALUE', `${helper.name}: argument ${index + 1} is not defined`, at);
    }
  });
  for (const [key, value] of Object.entries(hash)) {
    if (value === undefined) throw new TemplateError('TEMPLATE_MISSING_VALUE', `${helper.name}: ${key}= is not defined`, at);
  }
  return helper.run(args, hash, at);
}
