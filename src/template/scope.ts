import { formatPath } from './ast.js';

/** The names a template path can start with at the top level of a template. */
export const TEMPLATE_SCOPES = ['vars', 'env', 'steps', 'run', 'row', 'inputs'] as const;

export type TemplateScope = (typeof TEMPLATE_SCOPES)[number];

export function isTemplateScope(name: string | undefined): name is TemplateScope {
  return (TEMPLATE_SCOPES as readonly string[]).includes(name ?? '');
}

/** The result of following a path: the value, or where it stopped and what was there. */
export type Lookup =
  | { found: true; value: unknown }
  | { found: false; /** index of the first part that does not exist */ missingAt: number; parent: unknown };

/**
 * Follows `parts` from `base`. Only own properties of objects and arrays (indexes and `length`) are
 * followed: never a prototype, and never a property of a string, so `{{x.ssn.length}}` is a missing value
 * rather than a way to read the string. A property whose value is `undefined` does not exist.
 */
export function lookupPath(base: unknown, parts: readonly string[]): Lookup {
  let value = base;
  for (const [index, part] of parts.entries()) {
    const next = childOf(value, part);
    if (next === undefined) return { found: false, missingAt: index, parent: value };
    value = next;
  }
  return { found: true, value };
}

function childOf(value: unknown, key: string): unknown {
  if (Array.isArray(value)) {
    if (key === 'length') return value.length;
    return /^(0|[1-9]\d*)$/.test(key) ? value[Number(key)] : undefined;
  }
  if (value !== null && typeof value === 'object' && Object.hasOwn(value, key)) {
    return (value as Record<string, unknown>)[key];
  }
  return undefined;
}

const MAX_KEYS_LISTED = 20;

/**
 * Says what exists where a path stopped: the keys of an object, the length of a list, or the kind of
 * value. Never a value itself.
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'is null';
  if (Array.isArray(value)) return `is a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value).filter((key) => (value as Record<string, unknown>)[key] !== undefined);
    if (keys.length === 0) return 'has no fields';
    const more = keys.length > MAX_KEYS_LISTED ? ` (and ${keys.length - MAX_KEYS_LISTED} more)` : '';
    return `has: ${keys.slice(0, MAX_KEYS_LISTED).join(', ')}${more}`;
  }
  return `is ${kindOf(value)}, not an object`;
}

/** `a string`, `a number`, `a list`, `an object`, `null`, ... for messages that must not show the value. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'not defined';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/**
 * The message for a path that does not exist, e.g.
 * `steps.identity.idd is not defined; steps.identity has: id, summary_status, ref_id`.
 * `label` is the path as the user wrote it; `lookup` came from following `label.slice(offset)`;
 * `base` names what the path starts from when its first part is the one missing.
 */
export function missingValueMessage(label: readonly string[], offset: number, lookup: Lookup & { found: false }, base: string): string {
  const stop = offset + lookup.missingAt;
  const where = stop === 0 ? base : formatPath(label.slice(0, stop));
  return `${formatPath(label)} is not defined; ${where} ${describeValue(lookup.parent)}`;
}

/** The message for a scope that the context does not hold (e.g. `row` outside a data-driven run). */
export function missingScopeMessage(scope: string, context: Record<string, unknown>): string {
  const available = TEMPLATE_SCOPES.filter((name) => context[name] !== undefined);
  return `${scope} is not available here; the template can read: ${available.join(', ')}`;
}

/** Follows a path from the top of the template context (`steps.identity.id`), with the message if it is missing. */
export function lookupInContext(context: Record<string, unknown>, parts: readonly string[]): { found: true; value: unknown } | { found: false; message: string } {
  const lookup = lookupPath(context, parts);
  if (lookup.found) return lookup;
  if (lookup.missingAt === 0) {
    return { found: false, message: `${formatPath(parts)} is not defined: ${missingScopeMessage(parts[0] ?? '', context)}` };
  }
  return { found: false, message: missingValueMessage(parts, 0, lookup, 'the template context') };
}
