import { badRequest } from './http-types.js';
import { isRealDate, parseTimestamp } from './time.js';

/**
 * Collects rule violations as `path: rule` lines. Messages name the field and the rule, never the
 * submitted value: request bodies carry SSNs and other personal data.
 */
export class Issues {
  readonly list: string[] = [];

  add(path: string, rule: string): void {
    this.list.push(`${path}: ${rule}`);
  }

  /** Throws a 400 Bad Request Problem listing every issue, if there are any. */
  throwIfAny(): void {
    if (this.list.length > 0) throw badRequest(this.list.join('; '));
  }
}

/**
 * What a check accepts, kept on the check so the request rules can be walked as data (the property test
 * sends every field null, empty and of the wrong type).
 */
export type Shape =
  | { kind: 'object'; fields: Readonly<Record<string, Check>>; required: readonly string[] }
  | { kind: 'list'; item: Check }
  | { kind: 'map' }
  | { kind: 'string' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'boolean' }
  | { kind: 'ignored' };

/** Checks one value at `path`; `undefined` and `null` mean "not sent" and are never passed in. */
export type Check = ((value: unknown, path: string, issues: Issues) => void) & { shape?: Shape };

/** Attaches the shape a check accepts. */
export const shaped = (check: Check, shape: Shape): Check => Object.assign(check, { shape });

export const join = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;

/** A field name fit to print: bounded and free of control characters. */
export const safeKey = (key: string): string => key.replace(/[^\x20-\x7e]/g, '?').slice(0, 64);

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const isPresent = (value: unknown): boolean => value !== undefined && value !== null;

const TEXT_PATTERN = /^[0-9A-Za-z /?:().,&'+-]+$/;
const TEXT_RULE = "may only contain letters, digits, spaces and / ? : ( ) . , & ' + -";

export function str(options: { maxLength?: number; pattern?: 'text' } = {}): Check {
  return shaped((value, path, issues) => {
    if (typeof value !== 'string') return issues.add(path, 'must be a string');
    if (options.maxLength !== undefined && value.length > options.maxLength) {
      issues.add(path, `must be at most ${options.maxLength} characters`);
    } else if (options.pattern === 'text' && !TEXT_PATTERN.test(value)) {
      issues.add(path, value === '' ? 'must not be empty' : TEXT_RULE);
    }
  }, { kind: 'string' });
}

/** Name-like text: the Paxos character set, at most `maxLength` characters. */
export const text = (maxLength: number): Check => str({ maxLength, pattern: 'text' });

export function oneOf(values: readonly string[], rule = `must be one of ${values.join(', ')}`): Check {
  const allowed = new Set(values);
  return shaped((value, path, issues) => {
    if (typeof value !== 'string' || !allowed.has(value)) issues.add(path, rule);
  }, { kind: 'enum', values });
}

export function listOf(item: Check, options: { nonEmpty?: boolean } = {}): Check {
  return shaped((value, path, issues) => {
    if (!Array.isArray(value)) return issues.add(path, 'must be an array');
    if (options.nonEmpty && value.length === 0) return issues.add(path, 'must have at least one entry');
    value.forEach((entry, index) => {
      if (isPresent(entry)) item(entry, join(path, index), issues);
      else issues.add(join(path, index), 'must not be null');
    });
  }, { kind: 'list', item });
}

export const bool: Check = shaped((value, path, issues) => {
  if (typeof value !== 'boolean') issues.add(path, 'must be true or false');
}, { kind: 'boolean' });

export const dateOnly: Check = shaped((value, path, issues) => {
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (!match) return issues.add(path, 'must be a date in the form YYYY-MM-DD');
  if (!isRealDate(Number(match[1]), Number(match[2]), Number(match[3]))) issues.add(path, 'must be a real calendar date');
}, { kind: 'string' });

export const dateTime: Check = shaped((value, path, issues) => {
  if (typeof value !== 'string' || parseTimestamp(value) === undefined) {
    issues.add(path, 'must be an RFC3339 timestamp such as 2006-01-02T15:04:05Z');
  }
}, { kind: 'string' });

export const alpha3: Check = shaped((value, path, issues) => {
  if (typeof value !== 'string' || !/^[A-Z]{3}$/.test(value)) issues.add(path, 'must be an ISO 3166-1 alpha-3 country code such as USA');
}, { kind: 'string' });

export const uuid: Check = shaped((value, path, issues) => {
  if (typeof value !== 'string' || !isUuid(value)) issues.add(path, 'must be a UUID');
}, { kind: 'string' });

export const isUuid = (value: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/** `metadata`: an object whose values are strings. */
export const stringMap: Check = shaped((value, path, issues) => {
  if (!isPlainObject(value)) return issues.add(path, 'must be an object of string values');
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') issues.add(join(path, safeKey(key)), 'must be a string');
  }
}, { kind: 'map' });

/** A field that is accepted but never stored (values Paxos sets itself). */
export const ignored: Check = shaped(() => {}, { kind: 'ignored' });

export interface ObjectRules {
  fields: Record<string, Check>;
  required?: readonly string[];
  /** Overrides the rule text for a field that may not be sent. */
  forbidden?: Record<string, string>;
}

/** A closed object: unknown fields are reported by name, required ones when missing. */
export function objectOf(rules: ObjectRules): Check {
  return shaped((value, path, issues) => {
    if (!isPlainObject(value)) return issues.add(path || 'body', 'must be a JSON object');
    for (const [key, entry] of Object.entries(value)) {
      const forbidden = rules.forbidden?.[key];
      if (forbidden !== undefined) {
        issues.add(join(path, key), forbidden);
        continue;
      }
      const check = Object.hasOwn(rules.fields, key) ? rules.fields[key] : undefined;
      if (check === undefined) issues.add(join(path, safeKey(key)), 'unknown field');
      else if (isPresent(entry)) check(entry, join(path, key), issues);
    }
    for (const key of rules.required ?? []) {
      if (!isPresent(value[key])) issues.add(join(path, key), 'required');
    }
  }, { kind: 'object', fields: rules.fields, required: rules.required ?? [] });
}

/** Runs `check` on a request body and throws one 400 Problem listing every issue. */
export function checkBody(check: Check, body: unknown): void {
  const issues = new Issues();
  if (!isPresent(body)) issues.add('body', 'a JSON object is required');
  else check(body, '', issues);
  issues.throwIfAny();
}
