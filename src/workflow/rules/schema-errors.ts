/**
 * ajv errors to problems with friendly codes and messages. The messages name the field path and the
 * allowed values, never the value found (it may be personal data); ajv runs without `verbose`, so its
 * errors hold no data either.
 *
 * anyOf/oneOf failures are reduced to the errors of the alternative that fits the value's type, so a
 * user sees "must be at least 100" rather than one error per alternative.
 */

import type { ErrorObject } from 'ajv';
import type { JsonSchema } from '../../steps/define.js';
import { DURATION_PATTERN } from '../duration.js';
import { PATTERN_MESSAGES } from '../patterns.js';
import { ajvErrorTarget, pointerToPath } from '../locate.js';
import type { Target } from '../locate.js';
import { didYouMean } from '../../util/suggest.js';

export interface SchemaProblem {
  code: string;
  /** The ajv keyword behind the problem (after reduction), e.g. `enum`. */
  keyword: string;
  /** Path in the data that the problem points at; for an unknown key, the key itself. */
  path: string[];
  target: Target;
  message: string;
}

export interface DescribeOptions {
  /** The schema that was validated, to find property names for "did you mean". */
  schema: JsonSchema;
  /** The data that was validated; only its shape is read, never put in a message. */
  data: unknown;
  /** How a path is written in messages, e.g. `steps[0].with.amount`. */
  label: (path: readonly string[]) => string;
  /** Errors about a value for which this returns true are dropped (template strings, checked later). */
  exempt?: (path: readonly string[], value: unknown) => boolean;
}

/** An ajv error, or one made up while reducing anyOf/oneOf. */
type Err = Pick<ErrorObject, 'keyword' | 'instancePath' | 'schemaPath' | 'params'> & { alternatives?: string[][] };

const COMBINATORS = new Set(['anyOf', 'oneOf']);
const MAX_LISTED = 12;

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

export const valueAt = (data: unknown, path: readonly string[]): unknown => {
  let value = data;
  for (const segment of path) {
    if (Array.isArray(value)) value = value[Number(segment)];
    else if (isRecord(value) && Object.hasOwn(value, segment)) value = value[segment];
    else return undefined;
  }
  return value;
};

export const schemaAt = (schema: JsonSchema, schemaPath: string): unknown => {
  let node: unknown = schema;
  for (const raw of schemaPath.replace(/^#\/?/, '').split('/').filter((part) => part !== '')) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(part)];
    else if (isRecord(node)) node = node[part];
    else return undefined;
  }
  return node;
};

/** `steps[0].with.amount`; the empty path is `the workflow`. */
export const formatDataPath = (path: readonly string[], root = 'the workflow'): string => {
  if (path.length === 0) return root;
  return path
    .map((segment, index) => {
      if (/^(0|[1-9][0-9]*)$/.test(segment)) return `[${segment}]`;
      const name = /^[A-Za-z_$][\w$-]*$/.test(segment) ? segment : JSON.stringify(segment);
      return index === 0 ? name : `.${name}`;
    })
    .join('');
};

/** True for a name that looks like an identifier, so a message may repeat it; odd names may be data. */
export const isShowableName = (name: string): boolean => /^[\w$.-]{1,64}$/.test(name) && !/^[\d.-]+$/.test(name);

/** A name quoted for a message, or `fallback` when it is not showable. */
export const quoteName = (name: string, fallback = 'a key'): string => (isShowableName(name) ? `\`${name}\`` : fallback);

const kindOf = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
};

const TYPE_WORDS: Record<string, string> = {
  string: 'a string', integer: 'an integer', number: 'a number', boolean: 'true or false', array: 'a list', object: 'a mapping', null: 'null',
};

const typeList = (type: unknown): string[] =>
  (Array.isArray(type) ? type : String(type).split(',')).map((name) => String(name).trim()).filter((name) => name !== '');

const orList = (words: string[]): string => (words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`);

const isUnder = (error: Err, combinator: Err): boolean =>
  error.schemaPath.startsWith(`${combinator.schemaPath}/`) &&
  (error.instancePath === combinator.instancePath || error.instancePath.startsWith(`${combinator.instancePath}/`));

/** An error, and for anyOf/oneOf the errors of its alternatives. */
interface ErrorNode {
  error: Err;
  inner: ErrorNode[];
}

/**
 * ajv reports the errors of a combinator's alternatives just before the combinator's own error, so one
 * pass with a stack nests them (linear, however many errors a hostile file produces).
 */
const nest = (errors: readonly Err[]): ErrorNode[] => {
  const stack: ErrorNode[] = [];
  for (const error of errors) {
    const node: ErrorNode = { error, inner: [] };
    if (COMBINATORS.has(error.keyword)) {
      while (stack.length > 0 && isUnder(stack[stack.length - 1]!.error, error)) node.inner.unshift(stack.pop()!);
    }
    stack.push(node);
  }
  return stack;
};

/** Drops exempt errors and replaces each failed anyOf/oneOf by the errors that matter. */
const reduce = (nodes: readonly ErrorNode[], exempt: ReadonlySet<Err>): Err[] => {
  // A loop, not flatMap: a large valid file has tens of thousands of (exempt) errors of template values.
  const kept: Err[] = [];
  for (const node of nodes) {
    if (COMBINATORS.has(node.error.keyword)) kept.push(...resolveCombinator(node, exempt));
    else if (!exempt.has(node.error)) kept.push(node.error);
  }
  return kept;
};

const resolveCombinator = ({ error: combinator, inner }: ErrorNode, exempt: ReadonlySet<Err>): Err[] => {
  if (exempt.has(combinator)) return [];
  if (inner.length === 0 || Array.isArray(combinator.params.passingSchemas)) return [combinator];
  const branches = new Map<string, ErrorNode[]>();
  for (const node of inner) {
    const branch = node.error.schemaPath.slice(combinator.schemaPath.length + 1).split('/')[0] ?? '';
    branches.set(branch, [...(branches.get(branch) ?? []), node]);
  }
  const reduced = [...branches].map(([branch, nodes]) => ({ branch, errors: reduce(nodes, exempt) }));
  // With its template values set aside, one alternative holds: the whole value is fine for now.
  if (reduced.some(({ errors }) => errors.length === 0)) return [];
  const atRoot = (error: Err) => error.instancePath === combinator.instancePath;
  if (reduced.every(({ errors }) => errors.every((error) => error.keyword === 'required' && atRoot(error)))) {
    const alternatives = reduced.map(({ errors }) => errors.map((error) => String(error.params.missingProperty)));
    return [{ ...combinator, keyword: 'required', params: {}, alternatives }];
  }
  const fitting = reduced.filter(({ branch, errors }) =>
    !errors.some((error) => error.keyword === 'type' && error.schemaPath === `${combinator.schemaPath}/${branch}/type`));
  if (fitting.length === 0) {
    const types = [...new Set(reduced.flatMap(({ errors }) => errors.filter((e) => e.keyword === 'type' && atRoot(e)).flatMap((e) => typeList(e.params.type))))];
    return [{ ...combinator, keyword: 'type', params: { type: types } }];
  }
  return fitting.reduce((best, candidate) => (candidate.errors.length < best.errors.length ? candidate : best)).errors;
};

/** Several missing keys of one mapping become one problem that lists them all. */
const mergeRequired = (errors: Err[]): Err[] => {
  const merged = new Map<string, Err>();
  return errors.flatMap((error) => {
    if (error.keyword !== 'required' || error.alternatives) return [error];
    const first = merged.get(error.instancePath);
    if (first) {
      (first.params.missingProperty as string[]).push(String(error.params.missingProperty));
      return [];
    }
    const copy: Err = { ...error, params: { ...error.params, missingProperty: [String(error.params.missingProperty)] } };
    merged.set(error.instancePath, copy);
    return [copy];
  });
};

const LIMIT_WORDS: Record<string, string> = { '>=': 'at least', '<=': 'at most', '>': 'greater than', '<': 'less than' };

const describe = (error: Err, options: DescribeOptions): SchemaProblem => {
  const { schema, data, label } = options;
  const { path, target } = ajvErrorTarget(error);
  const instance = pointerToPath(error.instancePath);
  const subject = label(instance);
  const value = valueAt(data, instance);
  const { params } = error;
  const problem = (code: string, message: string): SchemaProblem => ({ code, keyword: error.keyword, path, target, message });
  const count = (n: unknown, word: string) => `${String(n)} ${word}${n === 1 ? '' : 's'}`;

  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const parent = schemaAt(schema, error.schemaPath.replace(/\/additionalProperties$/, ''));
      const known = isRecord(parent) && isRecord(parent.properties) ? Object.keys(parent.properties) : [];
      const hint = known.length === 0 ? ' It takes no keys.' : didYouMean(key, known);
      return problem('UNKNOWN_KEY', `${subject} has an unknown key ${quoteName(key)}.${hint}`);
    }
    case 'required': {
      if (error.alternatives) {
        const options = error.alternatives.map((names) => names.map((name) => `\`${name}\``).join(' and '));
        return problem('MISSING_KEY', `${subject} needs ${orList(options)}.`);
      }
      const missing = Array.isArray(params.missingProperty) ? params.missingProperty.map(String) : [String(params.missingProperty)];
      const keys = missing.map((name) => `\`${name}\``);
      return problem('MISSING_KEY', `${subject} is missing the required key${keys.length === 1 ? '' : 's'} ${keys.join(', ')}.`);
    }
    case 'dependencies':
    case 'dependentRequired':
      return problem('MISSING_KEY', `${subject} needs \`${String(params.missingProperty)}\` when it has \`${String(params.property)}\`.`);
    case 'type': {
      const expected = typeList(params.type);
      const quote = expected.includes('string') && (typeof value === 'number' || typeof value === 'boolean') ? ' Put the value in quotes.' : '';
      const words = expected.map((t) => (t === 'boolean' && expected.length > 1 ? 'a boolean' : (TYPE_WORDS[t] ?? t)));
      return problem('WRONG_TYPE', `${subject} must be ${orList(words)}, not ${kindOf(value)}.${quote}`);
    }
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues.map((item) => String(item)) : [];
      const listed = allowed.length <= MAX_LISTED && allowed.join(', ').length <= 160;
      const hint = typeof value === 'string' ? didYouMean(value, allowed) : '';
      const which = listed ? `one of: ${allowed.join(', ')}` : `one of ${allowed.length} allowed values (see \`paxflow steps\`)`;
      return problem('BAD_VALUE', `${subject} must be ${which}.${hint}`);
    }
    case 'const':
      return problem('BAD_VALUE', `${subject} must be ${JSON.stringify(params.allowedValue)}.`);
    case 'pattern':
      if (params.pattern === DURATION_PATTERN) return problem('BAD_DURATION', `${subject} ${PATTERN_MESSAGES[DURATION_PATTERN]}.`);
      if (PATTERN_MESSAGES[String(params.pattern)] !== undefined) return problem('BAD_VALUE', `${subject} ${PATTERN_MESSAGES[String(params.pattern)]}.`);
      return problem('BAD_VALUE', `${subject} does not have the expected format (pattern \`${String(params.pattern)}\`).`);
    case 'format':
      return problem('BAD_VALUE', `${subject} must be a valid ${String(params.format)}.`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return problem('BAD_VALUE', `${subject} must be ${LIMIT_WORDS[String(params.comparison)] ?? String(params.comparison)} ${String(params.limit)}.`);
    case 'minLength':
      return problem('BAD_VALUE', `${subject} must be at least ${count(params.limit, 'character')} long.`);
    case 'maxLength':
      return problem('BAD_VALUE', `${subject} must be at most ${count(params.limit, 'character')} long.`);
    case 'minItems':
      return problem('BAD_VALUE', `${subject} must have at least ${count(params.limit, 'item')}.`);
    case 'maxItems':
      return problem('BAD_VALUE', `${subject} must have at most ${count(params.limit, 'item')}.`);
    case 'minProperties':
      return problem('BAD_VALUE', `${subject} must have at least ${count(params.limit, 'key')}.`);
    case 'maxProperties':
      return problem('BAD_VALUE', `${subject} must have at most ${count(params.limit, 'key')}.`);
    case 'uniqueItems':
      return problem('BAD_VALUE', `${subject} must not repeat items (items ${String(params.j)} and ${String(params.i)} are equal).`);
    case 'multipleOf':
      return problem('BAD_VALUE', `${subject} must be a multiple of ${String(params.multipleOf)}.`);
    case 'propertyNames': {
      const rule = schemaAt(schema, error.schemaPath);
      const known = isRecord(rule) && typeof rule.pattern === 'string' ? PATTERN_MESSAGES[rule.pattern] : undefined;
      const pattern = known !== undefined ? `: a name ${known}` : isRecord(rule) && typeof rule.pattern === 'string' ? ` (pattern \`${rule.pattern}\`)` : '';
      return problem('BAD_VALUE', `${subject} has a key ${quoteName(String(params.propertyName), '(not shown)')} that is not a valid name${pattern}.`);
    }
    case 'oneOf': {
      const branches = schemaAt(schema, error.schemaPath);
      const requiredOnly = Array.isArray(branches) && branches.every((b) => isRecord(b) && Object.keys(b).every((k) => k === 'required'));
      if (requiredOnly) {
        const names = branches.flatMap((b) => (isRecord(b) && Array.isArray(b.required) ? b.required.map((name) => `\`${String(name)}\``) : []));
        return problem('CONFLICTING_KEYS', `${subject} must have only one of ${orList(names)}.`);
      }
      return problem('BAD_VALUE', `${subject} matches more than one of the allowed forms; it must match exactly one.`);
    }
    case 'anyOf':
      return problem('BAD_VALUE', `${subject} does not match any of the allowed forms.`);
    case 'not':
      return problem('BAD_VALUE', `${subject} has a form that is not allowed here.`);
    default:
      // ajv's own messages name schema values only, never data.
      return problem('BAD_VALUE', `${subject} ${(error as Partial<ErrorObject>).message ?? 'is not valid'}.`);
  }
};

/** Turns ajv errors into problems: one per real mistake, in ajv's order. */
export const describeSchemaErrors = (errors: readonly ErrorObject[] | null | undefined, options: DescribeOptions): SchemaProblem[] => {
  const kept: Err[] = (errors ?? []).filter(
    // discriminator errors repeat what `required`/`type`/`enum` on the tag say; `if` errors repeat their `then`;
    // errors inside propertyNames are summed up by the propertyNames error itself.
    (error) => error.keyword !== 'discriminator' && error.keyword !== 'if' && error.propertyName === undefined,
  );
  const isExempt = (error: Err): boolean => {
    if (!options.exempt || error.keyword === 'additionalProperties') return false;
    const path = pointerToPath(error.instancePath);
    return options.exempt(path, valueAt(options.data, path));
  };
  let unexempt: Err[];
  if (kept.some((error) => COMBINATORS.has(error.keyword))) {
    const exempt = new Set(kept.filter(isExempt));
    unexempt = reduce(nest(kept), exempt);
  } else {
    // Without anyOf/oneOf nothing nests, and reducing only drops the exempt errors. A large valid file has
    // tens of thousands of them (template values in typed fields), so they are dropped at once (issue 8).
    unexempt = kept.filter((error) => !isExempt(error));
  }
  const reduced = mergeRequired(unexempt);
  // A value of the wrong type fails other keywords too (oneOf of `required` passes twice on a list): the
  // type error says it all.
  const typed = new Set(reduced.filter((error) => error.keyword === 'type').map((error) => error.instancePath));
  const reported = new Set<string>();
  return reduced
    .filter((error) => {
      if (!typed.has(error.instancePath)) return true;
      if (error.keyword !== 'type' || reported.has(error.instancePath)) return false;
      reported.add(error.instancePath);
      return true;
    })
    .map((error) => describe(error, options));
};
