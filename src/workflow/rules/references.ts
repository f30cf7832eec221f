/**
 * Static checks of template references: `steps.X` names an earlier step and, where X's step type
 * declares its output, a field that exists; `vars.X` is declared; `run.X` is id or started_at; `row` and
 * `inputs` are not available yet. `env.*` is not checked (it depends on the machine that runs).
 */

import type { JsonSchema, StepDefinition } from '../../steps/define.js';
import { didYouMean } from '../../util/suggest.js';
import { isRecord } from './context.js';
import { quoteName } from './schema-errors.js';

export interface ReferenceScope {
  /** Index of the step whose template holds the reference. */
  stepIndex: number;
  /** Index of the first step with each id. */
  stepIds: ReadonlyMap<string, number>;
  /** Step type of each step, where it is registered. */
  stepTypes: readonly (StepDefinition | undefined)[];
  declaredVars: ReadonlySet<string>;
  /** The reference is the first argument of `default`, so a missing variable is expected. */
  optional: boolean;
  /** Steps whose output is not their step type's: a step with `expect.error` outputs `{error}`. */
  outputOverrides?: ReadonlyMap<number, JsonSchema>;
}

export interface ReferenceProblem {
  code: string;
  message: string;
}

const RUN_FIELDS = ['id', 'started_at'];
const MAX_FIELDS_LISTED = 12;

const written = (path: readonly string[]): string => path.map((part) => (/^[\w$-]{1,64}$/.test(part) ? part : '…')).join('.');

export const fieldList = (names: string[]): string =>
  names.length <= MAX_FIELDS_LISTED ? names.join(', ') : `${names.slice(0, MAX_FIELDS_LISTED).join(', ')} and ${names.length - MAX_FIELDS_LISTED} more`;

/**
 * Follows `fields` through an output schema: `properties`, then `additionalProperties` when it is a schema
 * (a map), then `items` for numeric parts. An object that lists `properties` is taken to list every field
 * a workflow may read, even when it stays open to fields Paxos may add later: a typo such as
 * `steps.buy.order_id` must fail validation, not the run. Stops, accepting the rest, where the schema does
 * not describe the value (`http`'s `body`). Returns where a field is unknown and the fields that exist there.
 */
export const findUnknownField = (schema: JsonSchema, fields: readonly string[]): { index: number; known: string[] } | undefined => {
  let node: unknown = schema;
  for (const [index, field] of fields.entries()) {
    if (!isRecord(node)) return undefined;
    const properties = isRecord(node.properties) ? node.properties : undefined;
    if (properties && Object.hasOwn(properties, field)) node = properties[field];
    else if (isRecord(node.additionalProperties)) node = node.additionalProperties;
    else if (isRecord(node.items) && /^(0|[1-9][0-9]*)$/.test(field)) node = node.items;
    else if (properties) return { index, known: Object.keys(properties) };
    else return undefined;
  }
  return undefined;
};

const checkStepReference = (path: readonly string[], scope: ReferenceScope): ReferenceProblem | undefined => {
  const id = path[1];
  if (id === undefined) return undefined;
  const target = scope.stepIds.get(id);
  if (target === undefined) {
    const earlier = [...scope.stepIds].filter(([, index]) => index < scope.stepIndex).map(([name]) => name);
    return { code: 'REF_UNKNOWN_STEP', message: `${written(path)}: no step has the id ${quoteName(id, 'used here')}.${didYouMean(id, earlier)}` };
  }
  if (target >= scope.stepIndex) {
    const which = target === scope.stepIndex ? 'is this step' : 'runs later';
    return { code: 'REF_LATER_STEP', message: `${written(path)}: step ${quoteName(id, 'named here')} ${which}; a template can only read the output of earlier steps.` };
  }
  const definition = scope.stepTypes[target];
  if (!definition || scope.optional) return undefined;
  const override = scope.outputOverrides?.get(target);
  const unknown = findUnknownField(override ?? definition.output, path.slice(2));
  if (!unknown) return undefined;
  const field = path[2 + unknown.index]!;
  const kind = override ? `${definition.type} with expect.error` : definition.type;
  const where = unknown.index === 0 ? `the output of step ${quoteName(id, 'named here')} (${kind})` : written(path.slice(0, 2 + unknown.index));
  return {
    code: 'REF_UNKNOWN_FIELD',
    message: `${written(path)}: ${where} has no field ${quoteName(field, 'of that name')}.${didYouMean(field, unknown.known)} It has: ${fieldList(unknown.known)}.`,
  };
};

export const checkReference = (path: readonly string[], scope: ReferenceScope): ReferenceProblem | undefined => {
  const [root, name] = path;
  switch (root) {
    case 'steps':
      return checkStepReference(path, scope);
    case 'vars':
      if (name === undefined || scope.optional || scope.declaredVars.has(name)) return undefined;
      return {
        code: 'REF_UNKNOWN_VAR',
        message: `${written(path)}: the variable ${quoteName(name, 'named here')} is not declared under vars: (nor given with --var).${didYouMean(name, scope.declaredVars)}`,
      };
    case 'run':
      if (name === undefined || RUN_FIELDS.includes(name)) return undefined;
      return { code: 'REF_UNKNOWN_FIELD', message: `${written(path)}: run has no field ${quoteName(name, 'of that name')}.${didYouMean(name, RUN_FIELDS)} It has: ${RUN_FIELDS.join(', ')}.` };
    case 'row':
    case 'inputs':
      return { code: 'REF_UNAVAILABLE_SCOPE', message: `${written(path)}: ${root}.* is not available in this kind of run.` };
    default:
      return undefined;
  }
};
