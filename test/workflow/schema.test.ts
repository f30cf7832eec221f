import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, parseAllDocuments } from 'yaml';
import { stepRegistry } from '../../src/steps/registry.js';
import type { StepDefinition } from '../../src/steps/define.js';
import { compileSchema } from '../../src/workflow/ajv.js';
import { buildWorkflowSchema, serializeWorkflowSchema } from '../../src/workflow/schema.js';
import { isTemplateInInput } from '../../src/workflow/rules/schema.js';
import { describeSchemaErrors, formatDataPath } from '../../src/workflow/rules/schema-errors.js';

const SCHEMA_FILE = new URL('../../schemas/workflow.schema.json', import.meta.url);
const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Every schema under a `properties` map, with its path, except inside if/not (they only test). */
const propertySchemas = (schema: unknown, path = '#'): [string, unknown][] => {
  if (Array.isArray(schema)) return schema.flatMap((item, index) => propertySchemas(item, `${path}/${index}`));
  if (!isRecord(schema)) return [];
  const found: [string, unknown][] = [];
  for (const [key, value] of Object.entries(schema)) {
    if (['if', 'not', 'enum', 'const'].includes(key)) continue;
    if (key === 'properties' && isRecord(value)) {
      for (const [name, property] of Object.entries(value)) found.push([`${path}/properties/${name}`, property]);
    }
    found.push(...propertySchemas(value, `${path}/${key}`));
  }
  return found;
};

const generated = suite('workflow schema: the checked-in file');

generated('schemas/workflow.schema.json is up to date with the step registry', () => {
  const expected = serializeWorkflowSchema(buildWorkflowSchema(stepRegistry));
  const actual = readFileSync(SCHEMA_FILE, 'utf8');
  assert.ok(actual === expected, 'schemas/workflow.schema.json is stale: run `npm run generate`');
});

generated('it is draft-07 and compiles in ajv', () => {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
  assert.is(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.type(compileSchema(schema), 'function');
});

const described = (schema: unknown): boolean => isRecord(schema) && typeof schema.description === 'string' && schema.description !== '';

generated('every property has a description (editor hover text)', () => {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
  const properties = propertySchemas(schema);
  assert.ok(properties.length > 100);
  // A step's own uses and with have none: the editor's hover shows the first description it meets, and
  // the step type's condition (or the unknown-type one) gives them theirs.
  const own = /^#\/definitions\/step\/else\/properties\/(uses|with)$/;
  // Conditions inside an input only add constraints to properties described beside them.
  const refinement = /\/properties\/with\/.*\/(then|else)\//;
  const missing = properties.filter(([path, property]) => !described(property) && !own.test(path) && !refinement.test(path));
  assert.equal(missing.map(([path]) => path), []);
  const conditions = ((schema.definitions as Record<string, Record<string, Record<string, unknown>>>).step!.else!.allOf as Record<string, Record<string, Record<string, unknown>>>[]);
  assert.is(conditions.length, stepRegistry.length + 1);
  for (const condition of conditions) {
    assert.ok(described(condition.then!.properties!.uses) && described(condition.then!.properties!.with), JSON.stringify(condition.if));
  }
});

/** Every schema object in `schema` with its path, except inside `if` (a test, never reported). */
const schemaObjects = (schema: unknown, path = '#'): [string, Record<string, unknown>][] => {
  if (Array.isArray(schema)) return schema.flatMap((item, index) => schemaObjects(item, `${path}/${index}`));
  if (!isRecord(schema)) return [];
  return [[path, schema], ...Object.entries(schema).flatMap(([key, value]) => (['if', 'enum', 'const'].includes(key) ? [] : schemaObjects(value, `${path}/${key}`)))];
};

generated('every pattern has a readable message, and no description with `code` lacks its Markdown', () => {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
  const objects = schemaObjects(schema);
  // The template alternative's pattern is never the one reported: the other alternative is closer.
  const patterns = objects.filter(([, node]) => typeof node.pattern === 'string' && node.pattern !== '\\{\\{');
  assert.ok(patterns.length > 20);
  const raw = patterns.filter(([, node]) => typeof node.patternErrorMessage !== 'string');
  assert.equal(raw.map(([path, node]) => `${path}: ${String(node.pattern)}`), [], 'add the pattern to PATTERN_MESSAGES in src/workflow/patterns.ts');
  const code = objects.filter(([, node]) => typeof node.description === 'string' && node.description.includes('`'));
  assert.ok(code.length > 5);
  assert.ok(code.every(([, node]) => typeof node.markdownDescription === 'string'));
});

generated('every object is closed, except maps and outputs', () => {
  const schema = buildWorkflowSchema(stepRegistry, { editor: false });
  const item = (schema.definitions as Record<string, Record<string, Record<string, unknown>>>).step!;
  assert.is(schema.additionalProperties, false);
  assert.is(item.else!.additionalProperties, false);
  assert.is(item.then!.additionalProperties, false, 'a playbook call is closed too');
  const retry = (item.else!.properties as Record<string, Record<string, unknown>>).retry!;
  assert.is(retry.additionalProperties, false);
});

const built = suite('workflow schema: buildWorkflowSchema');

const fakeStep = (type: string, input: Record<string, unknown>): StepDefinition => ({
  type,
  description: `The ${type} step.`,
  input,
  output: { type: 'object' },
  scopes: [],
  sandboxOnly: false,
  retrySafe: true,
  run: async () => ({}),
});

type Schema = Record<string, any>;

built('each step type has an if/then on uses that gives its input; a uses that names none must name one', () => {
  const registry = [fakeStep('alpha', { type: 'object', description: 'Alpha input.' }), fakeStep('beta', { type: 'object' })];
  for (const editor of [true, false]) {
    const step = (buildWorkflowSchema(registry, { editor }).definitions as Schema).step.else as Schema;
    assert.equal(step.properties.uses, { type: 'string' });
    assert.is(step.discriminator, undefined);
    const [alpha, beta, unknown] = step.allOf as Schema[];
    assert.equal(alpha!.if, { type: 'object', required: ['uses'], properties: { uses: { const: 'alpha' } } });
    assert.equal(alpha!.then.properties.uses, { const: 'alpha', description: 'The alpha step.' });
    assert.is(alpha!.then.properties.with.description, 'Alpha input.');
    assert.is(beta!.then.properties.with.description, 'Input of beta: The beta step.');
    assert.equal(unknown!.if.properties.uses.not, { enum: ['alpha', 'beta'] });
    if (!editor) assert.equal(unknown!.then.properties.uses.enum, ['alpha', 'beta']);
  }
});

built('only the named step type checks with:, and an unknown one is the only error', () => {
  const registry = [
    fakeStep('alpha', { type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } }),
    fakeStep('beta', { type: 'object', additionalProperties: false, required: ['b'], properties: { b: { type: 'integer' } } }),
  ];
  const validate = compileSchema(buildWorkflowSchema(registry, { editor: false }));
  const run = (uses: string, input: unknown) => {
    validate({ version: 1, name: 'n', steps: [{ id: 's', uses, with: input }] });
    return (validate.errors ?? []).filter((error) => error.keyword !== 'if').map((error) => `${error.instancePath} ${error.keyword}`);
  };
  assert.equal(run('alpha', { a: 'x' }), []);
  assert.equal(run('beta', { b: 1 }), []);
  assert.equal(run('alpha', { b: 1 }), ['/steps/0/with additionalProperties']);
  assert.equal(run('beta', {}), ['/steps/0/with required']);
  assert.equal(run('gamma', { anything: 1 }), ['/steps/0/uses enum']);
});

built('a misspelt step type is told the nearest one in the editor schema', () => {
  const registry = [fakeStep('createIdentity', { type: 'object' }), fakeStep('createAccount', { type: 'object' })];
  const validate = compileSchema(buildWorkflowSchema(registry));
  const errorsFor = (uses: string) => {
    validate({ version: 1, name: 'n', steps: [{ id: 's', uses }] });
    return (validate.errors ?? []).filter((error) => error.keyword !== 'if').map((error) => `${error.keyword} ${JSON.stringify(error.params)}`);
  };
  for (const typo of ['createIdentiy', 'createIdentitty', 'craeteIdentity', 'createidentity', 'createIdentityy', 'createIdxntity']) {
    assert.equal(errorsFor(typo), ['const {"allowedValue":"createIdentity"}'], typo);
  }
  assert.equal(errorsFor('createAcount'), ['const {"allowedValue":"createAccount"}']);
  assert.equal(errorsFor('frobnicate').map((error) => error.split(' ')[0]), ['enum']);
});

built('a step input schema with $ref is refused at build time', () => {
  const registry = [fakeStep('gamma', { type: 'object', properties: { a: { $ref: '#/definitions/a' } } })];
  assert.throws(() => buildWorkflowSchema(registry), /gamma.*\$ref/);
});

built('the editor schema accepts template strings where the input wants another type', () => {
  const validate = compileSchema(buildWorkflowSchema(stepRegistry));
  const workflow = (withValue: Record<string, unknown>) => ({ version: 1, name: 'n', steps: [{ id: 'a', uses: 'http', with: withValue }] });
  assert.ok(validate(workflow({ path: '/x', method: '{{vars.method}}', expect_status: '{{vars.status}}' })));
  assert.ok(validate(workflow({ path: '{{vars.base}}/x' })));
  assert.not.ok(validate(workflow({ path: '/x', method: 'GTE' })), 'a plain wrong value is still wrong');
  assert.not.ok(validate(workflow({ path: '/x', expect_status: 'often' })), 'a string without {{ is not a template');
});

built('the validator schema has no template alternatives', () => {
  const text = JSON.stringify(buildWorkflowSchema(stepRegistry, { editor: false }));
  assert.not.ok(text.includes('\\\\{\\\\{'));
});

built('serialization is stable: sorted keys, two-space indent, trailing newline', () => {
  const text = serializeWorkflowSchema({ b: 1, a: { d: 2, c: [3, { f: 1, e: 2 }] } });
  assert.is(text, '{\n  "a": {\n    "c": [\n      3,\n      {\n        "e": 2,\n        "f": 1\n      }\n    ],\n    "d": 2\n  },\n  "b": 1\n}\n');
});

built('the example workflow in workflows/ passes the editor schema', () => {
  const data = parse(readFileSync(new URL('../../workflows/onboard-and-trade.yaml', import.meta.url), 'utf8')) as unknown;
  const validate = compileSchema(buildWorkflowSchema(stepRegistry));
  assert.ok(validate(data), JSON.stringify(validate.errors?.slice(0, 3)));
});

const agree = suite('workflow schema: the editor and the validator agree');

const yamlFiles = (folder: string): string[] =>
  readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return entry.name.endsWith('.yaml') ? [path] : [];
  });

agree('every fixture and example is accepted by both schemas or by neither', () => {
  const editor = compileSchema(buildWorkflowSchema(stepRegistry));
  const validatorSchema = buildWorkflowSchema(stepRegistry, { editor: false });
  const validator = compileSchema(validatorSchema);
  /** As the validator decides: its schema, with errors about template values in inputs set aside. */
  const validatorAccepts = (data: unknown): boolean =>
    validator(data) || describeSchemaErrors(validator.errors, { schema: validatorSchema, data, label: formatDataPath, exempt: isTemplateInInput }).length === 0;
  const files = [...yamlFiles('test/fixtures'), ...yamlFiles('workflows')];
  let accepted = 0;
  let rejected = 0;
  for (const file of files) {
    const documents = parseAllDocuments(readFileSync(file, 'utf8'), { logLevel: 'error' });
    if (!Array.isArray(documents) || documents.length !== 1 || documents[0]!.errors.length > 0) continue;
    let data: unknown;
    try {
      data = documents[0]!.toJS({ maxAliasCount: 100 });
    } catch {
      continue;
    }
    const verdict = validatorAccepts(data);
    assert.is(editor(data), verdict, `${file}: the validator ${verdict ? 'accepts' : 'rejects'} it, the editor schema does not`);
    if (verdict) accepted += 1;
    else rejected += 1;
  }
  // Both verdicts are exercised, many times.
  assert.ok(accepted > 50 && rejected > 20, `${accepted} accepted, ${rejected} rejected`);
});

generated.run();
built.run();
agree.run();
