/**
 * Static checks of template references: `steps.X` names an earlier step and, where X's step type
 * declares its output, a field that exists (for a playbook call, an output the playbook declares);
 * `vars.X` is declared; `run.X` is id, started_at or status; `inputs.X` is a declared input of the
 * playbook; `row.X` is a column of the rows (`matrix:` or `--data`). `env.*` is not checked (it depends on the machine that runs).
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
  /** Steps that call a playbook: its file and the outputs it declares, which are all a caller can read. */
  playbookOutputs?: ReadonlyMap<number, { file: string; outputs: readonly string[] }>;
  /** The inputs the file declares, when it is a playbook (has `inputs:`); undefined otherwise. */
  declaredInputs?: ReadonlySet<string>;
  /** The reference is in a playbook's `outputs:`, rendered after its steps: and before its finally: steps. */
  inOutputs?: boolean;
  /** What `row.*` may read: the rows' columns, `any` when known only per row, undefined when the run has no rows. */
  rowColumns?: ReadonlySet<string> | 'any';
}

export interface ReferenceProblem {
  code: string;
  message: string;
}

const RUN_FIELDS = ['id', 'started_at', 'status'];
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
  if (target >= scope.stepIndex && scope.inOutputs) {
    return { code: 'REF_LATER_STEP', message: `${written(path)}: step ${quoteName(id, 'named here')} is a finally: step; outputs: are rendered before those run, so they read only the steps: list.` };
  }
  if (target >= scope.stepIndex) {
    const which = target === scope.stepIndex ? 'is this step' : 'runs later';
    return { code: 'REF_LATER_STEP', message: `${written(path)}: step ${quoteName(id, 'named here')} ${which}; a template can only read the output of earlier steps.` };
  }
  const call = scope.playbookOutputs?.get(target);
  if (call) return checkOutputReference(path, id, call);
  const definition = scope.stepTypes[target];
  // `default` allows the step to be missing (skipped, failed), not a field its type never outputs.
  if (!definition) return undefined;
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

/** `steps.<call>.<output>`: a caller reads what the playbook declares under outputs:, and nothing of its steps. */
const checkOutputReference = (path: readonly string[], id: string, call: { file: string; outputs: readonly string[] }): ReferenceProblem | undefined => {
  const output = path[2];
  if (output === undefined || call.outputs.includes(output)) return undefined;
  const has = call.outputs.length === 0 ? 'It declares no outputs.' : `It has: ${fieldList([...call.outputs])}.`;
  return {
    code: 'REF_UNKNOWN_FIELD',
    message: `${written(path)}: the playbook ${call.file} (step ${quoteName(id, 'named here')}) has no output ${quoteName(output, 'of that name')}.${didYouMean(output, call.outputs)} ${has}`,
  };
};

/** `row.X`: X must be a column of the rows, unless it is the first argument of `default` (a column some data may lack). */
const checkRowReference = (path: readonly string[], scope: ReferenceScope): ReferenceProblem | undefined => {
  const { rowColumns } = scope;
  const name = path[1];
  if (rowColumns === undefined) {
    return { code: 'REF_UNAVAILABLE_SCOPE', message: `${written(path)}: row.* exists only in a data-driven run: give the rows with --data FILE, or declare them under matrix:.` };
  }
  if (name === undefined || rowColumns === 'any' || scope.optional || rowColumns.has(name)) return undefined;
  return {
    code: 'REF_UNKNOWN_COLUMN',
    message: `${written(path)}: the rows have no column ${quoteName(name, 'named here')}.${didYouMean(name, rowColumns)} They have: ${fieldList([...rowColumns])}.`,
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
    case 'inputs':
      if (scope.declaredInputs === undefined) {
        return { code: 'REF_UNAVAILABLE_SCOPE', message: `${written(path)}: inputs.* exists only in a playbook; declare the inputs under inputs: to make this file one.` };
      }
      // Also under `default`: an input the caller may leave out must still be declared.
      if (name === undefined || scope.declaredInputs.has(name)) return undefined;
      return {
        code: 'REF_UNKNOWN_INPUT',
        message: `${written(path)}: the input ${quoteName(name, 'named here')} is not declared under inputs:.${didYouMean(name, scope.declaredInputs)}`,
      };
    case 'row':
      return checkRowReference(path, scope);
    default:
      return undefined;
  }
};
