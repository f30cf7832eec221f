/**
 * Checks the values known before a run against the step fields they reach, so that a value that cannot
 * work (a YAML number where a decimal string goes) stops the run before its first request, not at the
 * step that receives it, after earlier steps have created identities and moved money. Pure: no I/O.
 *
 * Known are literals, `vars.*` (the workflow's defaults, `--vars-file`, `--var`), a playbook's inputs
 * when its call gives them from known values, and a data row's values. A string leaf that is exactly
 * one expression of those (`"{{vars.quantity}}"`) yields the value with its type, as rendering does;
 * that is what can change a type. Other templates render to text and are checked when the step runs.
 */

import type { Diagnostic } from '../errors.js';
import { compileSchema, compileStepInput } from '../workflow/ajv.js';
import { describeSchemaErrors, formatDataPath } from '../workflow/rules/schema-errors.js';
import type { JsonSchema } from '../steps/define.js';
import { lookupPath } from '../template/scope.js';
import type { Plan, PlannedStep, SourcePosition } from './plan.js';

/** Where a known value was given: a place in a file, a flag, a data row. */
export interface ValueOrigin {
  /** How the message names it: `--var quantity`, `vars.yaml`, `row 3`. */
  label: string;
  file?: string;
  line?: number;
  col?: number;
  /** The value comes from a data row (its problems fail the row alone). */
  row?: boolean;
}

/** The values known before a run and where each came from. */
export interface KnownValues {
  /** The plan's own `vars.*` origins by name; a var without one is placed at its `vars:` default. */
  varOrigins?: Record<string, ValueOrigin>;
  /** A data row's values, for `row.*`. */
  row?: Record<string, unknown>;
  /** Where the row is: `row 3 (line 4) of customers.csv`. */
  rowOrigin?: ValueOrigin;
  /**
   * Only the problems of the row's values (those of the vars were reported for the file): for the check
   * each row gets before it starts, which then looks only at steps that can read the row.
   */
  rowOnly?: boolean;
}

/** A value known before the run, or `undefined` when it is not (a template that reads steps, env, ...). */
interface Known {
  value: unknown;
  origin: ValueOrigin;
  /** Paths inside `value` that hold templates not known before the run (a mapping given to an input). */
  unknown?: string[][];
}

/** One frame's known scopes: `vars`, `inputs` (inside a playbook) and `row`. */
interface Scope {
  vars: Record<string, Known>;
  inputs: Record<string, Known | undefined>;
  row?: Record<string, unknown>;
  rowOrigin?: ValueOrigin;
}

const WHOLE_EXPRESSION = /^\{\{~?\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+)+)\s*~?\}\}$/;

/** The value a whole-expression leaf yields when its scope is known before the run. */
const resolveLeaf = (text: string, scope: Scope): Known | undefined => {
  const path = WHOLE_EXPRESSION.exec(text)?.[1]?.split('.');
  if (path === undefined) return undefined;
  const [root, name, ...rest] = path as [string, string, ...string[]];
  let base: Known | undefined;
  if (root === 'vars') base = Object.hasOwn(scope.vars, name) ? scope.vars[name] : undefined;
  else if (root === 'inputs') base = Object.hasOwn(scope.inputs, name) ? scope.inputs[name] : undefined;
  else if (root === 'row' && scope.row !== undefined && scope.rowOrigin !== undefined) {
    const found = lookupPath(scope.row, [name]);
    base = found.found ? { value: found.value, origin: { ...scope.rowOrigin, label: `${scope.rowOrigin.label}, column ${name}` } } : undefined;
  }
  if (base === undefined) return undefined;
  if (rest.length === 0) return base;
  const found = lookupPath(base.value, rest);
  if (!found.found) return undefined;
  const unknown = (base.unknown ?? []).filter((path) => rest.every((part, i) => path[i] === part)).map((path) => path.slice(rest.length));
  return unknown.some((path) => path.length === 0) ? undefined : { value: found.value, origin: base.origin, ...(unknown.length > 0 ? { unknown } : {}) };
};

/**
 * A value given to a playbook input: its known leaves resolved, and the paths of those that are not
 * (`{{steps.x.id}}`, or text around an expression), which are checked when the step runs.
 */
const resolveGiven = (value: unknown, scope: Scope, origin: ValueOrigin): Known | undefined => {
  const unknown: string[][] = [];
  const walk = (item: unknown, path: string[]): unknown => {
    if (typeof item === 'string') {
      if (!item.includes('{{')) return item;
      const known = resolveLeaf(item, scope);
      if (known === undefined) unknown.push(path);
      else for (const inner of known.unknown ?? []) unknown.push([...path, ...inner]);
      return known === undefined ? item : known.value;
    }
    if (Array.isArray(item)) return item.map((entry, index) => walk(entry, [...path, String(index)]));
    if (item !== null && typeof item === 'object') return Object.fromEntries(Object.entries(item).map(([key, entry]) => [key, walk(entry, [...path, key])]));
    return item;
  };
  // A whole expression keeps where its value came from (a vars file), not the call's line.
  if (typeof value === 'string' && value.includes('{{')) return resolveLeaf(value, scope);
  const resolved = walk(value, []);
  return unknown.some((path) => path.length === 0) ? undefined : { value: resolved, origin, ...(unknown.length > 0 ? { unknown } : {}) };
};

/** `value` with every known whole-expression leaf replaced by its value, and where each replacement is. */
const substitute = (value: unknown, scope: Scope, path: string[], found: Array<{ path: string[]; known: Known }>): unknown => {
  // Literals were checked by validation, and templates that stay text are checked when the step runs.
  if (typeof value === 'string') {
    const known = value.includes('{{') ? resolveLeaf(value, scope) : undefined;
    if (known === undefined) return value;
    found.push({ path, known });
    return known.value;
  }
  // A part without a known template is kept as it is, not copied: every batch row walks the steps.
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const next = substitute(item, scope, [...path, String(index)], found);
      if (next !== item) (copy ??= [...value])[index] = next;
    });
    return copy ?? value;
  }
  if (value !== null && typeof value === 'object') {
    let copy: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(value)) {
      const next = substitute(item, scope, [...path, key], found);
      if (next !== item) (copy ??= Object.fromEntries(Object.entries(value)))[key] = next;
    }
    return copy ?? value;
  }
  return value;
};

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;

const place = (position: SourcePosition | undefined, file: string): string =>
  position === undefined ? file : `${position.file ?? file}:${position.line}:${position.col}`;

/**
 * Every problem of a known value with the step field it reaches, one diagnostic each, placed where the
 * value was given (the vars file's line and column, or naming the flag). Messages name the value's kind
 * (a number), never the value.
 */
export const checkKnownInputs = (plan: Plan, known: KnownValues = {}): Diagnostic[] => {
  const calls = new Map(plan.steps.flatMap((step) => (step.call ? [[step.call.frame, step] as const] : [])));
  const scopes = new Map<string, Scope>();
  const rowPart = known.row !== undefined && known.rowOrigin !== undefined ? { row: known.row, rowOrigin: known.rowOrigin } : {};

  const rootScope = (): Scope => {
    const vars: Record<string, Known> = {};
    for (const [name, value] of Object.entries(plan.vars)) {
      const origin = known.varOrigins?.[name] ?? placed(`vars.${name} in ${plan.file}`, plan.file, () => plan.locate(['vars', name]));
      vars[name] = { value, origin };
    }
    const inputs: Record<string, Known> = {};
    for (const [name, value] of Object.entries(plan.inputs ?? {})) inputs[name] = { value, origin: { label: `the default of input ${name} in ${plan.file}`, file: plan.file } };
    return { vars, inputs, ...rowPart };
  };

  const scopeOf = (frame: string): Scope => {
    let scope = scopes.get(frame);
    if (scope !== undefined) return scope;
    const callStep = calls.get(frame);
    if (frame === '' || callStep?.call === undefined) scope = rootScope();
    else {
      const { call } = callStep;
      const parent = scopeOf(callStep.frame);
      const vars: Record<string, Known> = {};
      const inPlaybook = (path: string[], label: string): ValueOrigin => placed(label, call.file, () => call.inPlaybook(path));
      for (const [name, value] of Object.entries(call.vars)) vars[name] = { value, origin: inPlaybook(['vars', name], `vars.${name} in ${call.file}`) };
      const inputs: Record<string, Known | undefined> = {};
      for (const [name, spec] of Object.entries(call.inputs)) {
        if (Object.hasOwn(call.with, name)) {
          const origin = placed(`input ${name} of ${callStep.id}`, plan.file, () => call.where(['with', name]));
          inputs[name] = resolveGiven(call.with[name], parent, origin);
        } else if ('default' in spec) inputs[name] = { value: spec.default, origin: inPlaybook(['inputs', name, 'default'], `the default of input ${name} in ${call.file}`) };
      }
      scope = { vars, inputs, ...rowPart };
    }
    scopes.set(frame, scope);
    return scope;
  };

  const diagnostics: Diagnostic[] = [];
  for (const step of known.rowOnly ? rowReaders(plan) : plan.steps) {
    if (step.call) continue;
    const found: Array<{ path: string[]; known: Known }> = [];
    const probe = substitute(step.with, scopeOf(step.frame), [], found);
    if (known.rowOnly) found.splice(0, found.length, ...found.filter((entry) => entry.known.origin.row));
    if (found.length === 0) continue;
    const fieldProblems = checkFields(step, found);
    if (fieldProblems !== undefined) {
      for (const { entry, problem } of fieldProblems) diagnostics.push(diagnosticOf(step, plan, entry.path, entry.known.value, entry.known.origin, problem));
      continue;
    }
    // ajv's own errors first: most probes fail only on the templates left in them (a uuid field holding
    // "{{steps.x.id}}"), and describing those errors costs more than finding them, for every batch row.
    const validate = compileSchema(step.definition.input);
    if (validate(probe)) continue;
    const pointers = found.map(({ path }) => `/${path.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`);
    const near = (validate.errors ?? []).some(({ instancePath }) => pointers.some((pointer) => instancePath === pointer || instancePath.startsWith(`${pointer}/`)));
    if (!near) continue;
    const problems = compileStepInput(step.definition)(probe);
    const under = (path: string, label: string) => path === label || path.startsWith(`${label}.`) || path.startsWith(`${label}[`);
    for (const { path, known: { value, origin, unknown = [] } } of found) {
      const label = formatDataPath(['with', ...path]);
      const open = unknown.map((inner) => formatDataPath(['with', ...path, ...inner]));
      for (const problem of problems) {
        if (!under(problem.path, label) || open.some((inner) => under(problem.path, inner))) continue;
        diagnostics.push(diagnosticOf(step, plan, path, value, origin, problem));
      }
    }
  }
  return diagnostics;
};

/**
 * An origin placed in a file, the position looked up only when a problem is reported: every batch row
 * builds its scopes, and locating a key reads the file's text.
 */
const placed = (label: string, file: string, locate: () => SourcePosition | undefined): ValueOrigin => {
  let at: SourcePosition | undefined | null = null;
  const position = () => (at === null ? (at = locate()) : at);
  return {
    label,
    get file() {
      return position()?.file ?? file;
    },
    get line() {
      return position()?.line;
    },
    get col() {
      return position()?.col;
    },
  };
};

/** Whether a schema's combinators can say what its fields are (not only which of them are required). */
const shapesFields = (schema: JsonSchema): boolean =>
  '$ref' in schema ||
  'if' in schema ||
  ['anyOf', 'oneOf', 'allOf'].some((key) =>
    ((schema[key] as JsonSchema[] | undefined) ?? []).some((branch) => Object.keys(branch).some((name) => name !== 'required' && name !== 'description')),
  );

/**
 * The schema of the field at `path` of a step input, following `properties`, `items` and
 * `additionalProperties`; undefined where a combinator or a condition on the way decides what a field
 * is (the whole input is then validated instead).
 */
const fieldSchema = (schema: JsonSchema, path: readonly string[]): JsonSchema | undefined => {
  let current: JsonSchema | undefined = schema;
  for (const part of path) {
    if (current === undefined || shapesFields(current)) return undefined;
    const properties = current.properties as Record<string, JsonSchema> | undefined;
    if (properties && Object.hasOwn(properties, part)) current = properties[part];
    else if (current.items && typeof current.items === 'object' && /^(0|[1-9][0-9]*)$/.test(part)) current = current.items as JsonSchema;
    else if (current.additionalProperties && typeof current.additionalProperties === 'object') current = current.additionalProperties as JsonSchema;
    else return undefined;
  }
  return current;
};

type Found = { path: string[]; known: Known };

/**
 * Checks each known value against its own field's schema, which for a batch row is much cheaper than
 * validating whole inputs still holding templates; undefined when a field's schema cannot be isolated.
 */
const checkFields = (step: PlannedStep, found: readonly Found[]): Array<{ entry: Found; problem: { code: string; message: string } }> | undefined => {
  const problems: Array<{ entry: Found; problem: { code: string; message: string } }> = [];
  for (const entry of found) {
    const schema = fieldSchema(step.definition.input, entry.path);
    if (schema === undefined) return undefined;
    const validate = compileSchema(schema);
    if (validate(entry.known.value)) continue;
    const label = (inner: readonly string[]) => formatDataPath(['with', ...entry.path, ...inner]);
    const open = (entry.known.unknown ?? []).map((inner) => label(inner));
    for (const problem of describeSchemaErrors(validate.errors, { schema, data: entry.known.value, label })) {
      const at = label(problem.path);
      if (open.some((inner) => at === inner || at.startsWith(`${inner}.`) || at.startsWith(`${inner}[`))) continue;
      problems.push({ entry, problem: { code: problem.code, message: problem.message } });
    }
  }
  return problems;
};

const readers = new WeakMap<Plan, PlannedStep[]>();

/**
 * The steps that may read a row's values, directly (`row.x`) or through a playbook's inputs: every
 * batch row is checked, so the steps that cannot are left out once per plan.
 */
const rowReaders = (plan: Plan): PlannedStep[] => {
  let steps = readers.get(plan);
  if (steps === undefined) {
    const mentions = (value: unknown): boolean => {
      if (typeof value === 'string') return value.includes('{{') && (value.includes('row.') || value.includes('inputs.'));
      if (Array.isArray(value)) return value.some(mentions);
      return value !== null && typeof value === 'object' && Object.values(value).some(mentions);
    };
    steps = plan.steps.filter((step) => !step.call && mentions(step.with));
    readers.set(plan, steps);
  }
  return steps;
};

const diagnosticOf = (
  step: PlannedStep,
  plan: Plan,
  path: string[],
  value: unknown,
  origin: ValueOrigin,
  problem: { code: string; message: string },
): Diagnostic => {
  // A number never becomes text on its way: quoting it where it is given is the fix, and keeps 1.50 exact.
  const quote = typeof value === 'number' && problem.code === 'WRONG_TYPE' && !/quotes/.test(problem.message) ? ' Quote the number where it is given.' : '';
  const at = place(step.where(['with', ...path]), plan.file);
  const message = `${origin.label} is ${describe(value)}, which step ${step.id} (${at}) cannot take: ${problem.message}${quote}`;
  return {
    code: origin.row ? 'ROW_INVALID_VALUE' : 'KNOWN_VALUE_INVALID',
    message,
    ...(origin.file === undefined ? {} : { file: origin.file }),
    ...(origin.line === undefined ? {} : { line: origin.line, col: origin.col ?? 1 }),
  };
};
