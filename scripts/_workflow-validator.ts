/**
 * Generates the standalone code of the workflow validator for `scripts/build.mjs`: the schema
 * `checkSchema` uses for the built-in registry, compiled with the options and the code changes of
 * src/workflow/schema-validator.ts. Its function for each step type's input is also the engine's
 * input validator of that type (`prebuiltInputValidators`).
 */

import type { SchemaEnv } from 'ajv/dist/compile/index.js';
import { stringify } from 'ajv/dist/compile/codegen/code.js';
import type { ValueScopeName } from 'ajv/dist/compile/codegen/scope.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { stepRegistry } from '../src/steps/registry.js';
import { createAjv } from '../src/workflow/ajv.js';
import { reshapeValidatorCode, validatorAjvOptions, validatorSchema } from '../src/workflow/schema-validator.js';
import { buildWorkflowSchema } from '../src/workflow/schema.js';

export const workflowValidatorCode = (): string => {
  const options = validatorAjvOptions();
  const ajv = createAjv({ ...options, code: { ...options.code, source: true, esm: true } });
  const validate = ajv.compile(validatorSchema(buildWorkflowSchema(stepRegistry, { editor: false })));
  // `code.process` changed the code ajv runs here; the module is written from each function's own source,
  // so the same change is made to that: the root's, the step's and each step type input's.
  const root = validate.schemaEnv;
  const compiled = [root, ...Object.values(root.refs).filter((ref): ref is SchemaEnv => typeof ref === 'object' && ref !== null && 'validate' in ref)];
  let joins = 0;
  for (const env of compiled) {
    const source = env.validate?.source;
    if (source === undefined) throw new Error('workflow validator: ajv kept no source of a function');
    const reshaped = reshapeValidatorCode(source.validateCode, env);
    source.validateCode = reshaped.code;
    joins += reshaped.joins;
  }
  // steps: and finally: call the step, and the step calls the input of each type: any other count means ajv
  // compiled the schema in a way this file does not expect.
  if (compiled.length !== stepRegistry.length + 2 || joins !== stepRegistry.length + 2) {
    throw new Error(`workflow validator: expected ${stepRegistry.length + 2} functions and calls, ajv wrote ${compiled.length} functions and ${joins} calls`);
  }
  pruneSchemaLiterals(compiled);
  // Each input's function doubles as the step type's input validator for the engine (src/workflow/step-input.ts):
  // the same schema, compiled with the same options, so the bundle holds that code once.
  const conditions = (validate.schema as { definitions: { step: { else: { allOf: Array<{ then?: { properties?: Record<string, Record<string, unknown>> } }> } } } })
    .definitions.step.else.allOf;
  const inputs = stepRegistry.map((definition, index) => {
    const properties = conditions[index]?.then?.properties;
    const ref = properties?.uses?.const === definition.type ? properties.with?.$ref : undefined;
    const env = typeof ref === 'string' ? root.refs[ref] : undefined;
    if (!compiled.includes(env as SchemaEnv)) throw new Error(`workflow validator: no function of its own for the input of ${definition.type}`);
    return `${JSON.stringify(definition.type)}: ${String((env as SchemaEnv).validateName)}`;
  });
  return `${standaloneCode.default(ajv, validate)}\nexport const prebuiltValidator = validate;\nexport const prebuiltInputValidators = { ${inputs.join(', ')} };\n`;
};

type Key = string | number;

// How ajv's code reads a schema value: schema7.else.allOf[18].then.properties, schema3["x-y"].
const ACCESS = String.raw`(?:\.[A-Za-z_$][\w$]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])*`;
const STEP = /\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;

const keysOf = (access: string): Key[] =>
  [...access.matchAll(STEP)].map(([, name, index, quoted]) => name ?? (index !== undefined ? Number(index) : (JSON.parse(quoted!) as string)));

/** What of `value` the paths reach: each path's end whole, only the keys on the way above it; undefined when a path does not fit. */
const pick = (value: unknown, paths: Key[][]): unknown => {
  if (paths.some((path) => path.length === 0)) return value;
  if (value === null || typeof value !== 'object') return undefined;
  const heads = new Map<Key, Key[][]>();
  for (const [head, ...rest] of paths) heads.set(head!, [...(heads.get(head!) ?? []), rest]);
  const out = (Array.isArray(value) ? new Array<unknown>(value.length).fill(null) : {}) as Record<Key, unknown>;
  for (const [head, rest] of heads) {
    if (Array.isArray(value) !== (typeof head === 'number') || !Object.hasOwn(value, head)) return undefined;
    const picked = pick((value as Record<Key, unknown>)[head], rest);
    if (picked === undefined) return undefined;
    out[head] = picked;
  }
  return out;
};

/**
 * ajv writes a literal copy of a function's whole schema when its code reads any of it (an enum's values
 * for an error, the keys of a mapping with more than 8 properties), and a copy of the workflow's root
 * schema held every step type's input: about 120 kB parsed and built at every start. Each copy keeps only
 * what the code reads; a copy read in a way not understood here is kept whole.
 */
const pruneSchemaLiterals = (compiled: SchemaEnv[]): void => {
  const code = compiled.map((env) => env.validate!.source!.validateCode).join('\n');
  for (const env of compiled) {
    for (const name of (env.validate!.source!.scopeValues.schema ?? []) as Iterable<ValueScopeName>) {
      const reads = [...code.matchAll(new RegExp(String.raw`\b${name.str}(?![\w$])(${ACCESS})`, 'g'))].map((match) => keysOf(match[1]!));
      const picked = pick(name.value!.ref, reads);
      if (picked !== undefined) name.value!.code = stringify(picked);
    }
  }
};
