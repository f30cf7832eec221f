/**
 * The workflow validator as ajv compiles it, shaped for start-up and for large files, the same way when
 * ajv compiles it at run time (the source, a registry of your own) and in the code the build writes ahead
 * of time (scripts/_workflow-validator.ts), so that both say exactly what the inline schema says.
 *
 * - Each step type's input moves from its `then` to `definitions` (`validatorSchema`), and ajv compiles
 *   with `inlineRefs: false`: one function per input and one for the step (shared by steps: and
 *   finally:), where inlining copied every input into each list. The JavaScript engine compiles a
 *   function only when it first runs, so a file pays for the step types it uses.
 * - A called function's errors are appended in place. ajv joins them with `vErrors.concat(...)`, which
 *   copies every error so far on each call: quadratic in a file of 10,000 steps, where even a valid one
 *   has an (exempt) error per template value in a typed field.
 * - The schema paths of a called function's errors start at the root (`#/definitions/step/else/...`), as
 *   those of an inlined reference do, not at the referenced schema (`#/else/...`): messages look the
 *   schema up there (the keys a mapping takes, for "did you mean").
 */

import type { Options } from 'ajv';
import type { JsonSchema } from '../steps/define.js';

type Schema = Record<string, unknown>;

const isSchema = (value: unknown): value is Schema => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A name that needs no escaping in a JSON pointer or a URI fragment; a type of other characters goes by its place. */
const inputName = (type: string, index: number): string => (/^\w+$/.test(type) ? `input_${type}` : `input.${index}`);

/**
 * The schema of `buildWorkflowSchema(registry, { editor: false })` with each step type's input under
 * `definitions`, referred to from its `then`. The same checks; only where ajv's code for them sits changes.
 */
export const validatorSchema = (schema: JsonSchema): JsonSchema => {
  const definitions = schema.definitions;
  const step = isSchema(definitions) ? definitions.step : undefined;
  const known = isSchema(step) ? step.else : undefined;
  if (!isSchema(definitions) || !isSchema(step) || !isSchema(known) || !Array.isArray(known.allOf)) {
    throw new Error('validatorSchema: the workflow schema has no definitions.step.else.allOf');
  }
  const inputs: Schema = {};
  const allOf = known.allOf.map((condition: unknown, index) => {
    const then = isSchema(condition) ? condition.then : undefined;
    const properties = isSchema(then) ? then.properties : undefined;
    const uses = isSchema(properties) && isSchema(properties.uses) ? properties.uses.const : undefined;
    // The branch of a `uses` that names no step type has no input of its own.
    if (!isSchema(condition) || !isSchema(then) || !isSchema(properties) || !isSchema(properties.with) || typeof uses !== 'string') return condition;
    const name = inputName(uses, index);
    inputs[name] = properties.with;
    return { ...condition, then: { ...then, properties: { ...properties, with: { $ref: `#/definitions/${name}` } } } };
  });
  return { ...schema, definitions: { ...definitions, step: { ...step, else: { ...known, allOf } }, ...inputs } };
};

/** What `code.process` gets from ajv about the schema being compiled (its SchemaEnv). */
interface CompiledSchema {
  schema: unknown;
  root: { schema: unknown };
}

// ajv 8's join of a called function's errors (lib/vocabularies/core/ref.ts, `addErrorsFrom`).
const JOIN = /vErrors = vErrors === null \? ([\w$.]+)\.errors : vErrors\.concat\(\1\.errors\);/g;
const SCHEMA_PATH = 'schemaPath:"#';

const escapePointer = (key: string): string => encodeURIComponent(key.replace(/~/g, '~0').replace(/\//g, '~1'));

/** `#/definitions/<name>` of a referenced schema, or '' for the root schema itself. */
const pointerOf = ({ schema, root }: CompiledSchema): string => {
  if (schema === root.schema) return '';
  const definitions = isSchema(root.schema) && isSchema(root.schema.definitions) ? root.schema.definitions : {};
  const name = Object.keys(definitions).find((key) => definitions[key] === schema);
  if (name === undefined) throw new Error("validator code: a referenced schema is not one of its root schema's definitions");
  return `#/definitions/${escapePointer(name)}`;
};

/**
 * One function's code, changed as the module comment says; `joins` counts the calls whose errors it
 * appends. Throws when ajv's code is not as expected (another ajv version) rather than silently keep
 * the quadratic join or the relative schema paths.
 */
export const reshapeValidatorCode = (code: string, compiled: CompiledSchema): { code: string; joins: number } => {
  let joins = 0;
  let out = code.replace(JOIN, (_join, source: string) => {
    joins += 1;
    return `if(vErrors === null){vErrors = ${source}.errors;}else{for(const err of ${source}.errors){vErrors.push(err);}}`;
  });
  if (out.includes('vErrors.concat(')) throw new Error('validator code: ajv joins the errors of a called function in a way paxflow does not know');
  const pointer = pointerOf(compiled);
  if (pointer !== '') {
    if (out.split(SCHEMA_PATH).length !== out.split('schemaPath:').length) throw new Error('validator code: ajv wrote a schema path that is not a literal');
    out = out.replaceAll(SCHEMA_PATH, `schemaPath:"${pointer}`);
  }
  return { code: out, joins };
};

/** The ajv options of the workflow validator, at run time and at build time alike. */
export const validatorAjvOptions = (): Options => ({
  inlineRefs: false,
  code: { process: (code, compiled) => (compiled === undefined ? code : reshapeValidatorCode(code, compiled).code) },
});
