import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { stepRegistry } from '../../src/steps/registry.js';
import type { StepDefinition } from '../../src/steps/define.js';
import { compileSchema } from '../../src/workflow/ajv.js';
import { buildWorkflowSchema, serializeWorkflowSchema } from '../../src/workflow/schema.js';

const SCHEMA_FILE = new URL('../../schemas/workflow.schema.json', import.meta.url);
const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Every schema under a `properties` map, with its path, except inside if/then/else/not (they refine). */
const propertySchemas = (schema: unknown, path = '#'): [string, unknown][] => {
  if (Array.isArray(schema)) return schema.flatMap((item, index) => propertySchemas(item, `${path}/${index}`));
  if (!isRecord(schema)) return [];
  const found: [string, unknown][] = [];
  for (const [key, value] of Object.entries(schema)) {
    if (['if', 'then', 'else', 'not', 'enum', 'const'].includes(key)) continue;
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

generated('every property has a description (editor hover text)', () => {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
  // A step item is a playbook call (then) or a step type (else), chosen by its uses:.
  const item = (schema.definitions as Record<string, Record<string, unknown>>).step!;
  const properties = [...propertySchemas(schema), ...propertySchemas(item.then, '#/definitions/step/then'), ...propertySchemas(item.else, '#/definitions/step/else')];
  assert.ok(properties.length > 100);
  const missing = properties.filter(([, property]) => !isRecord(property) || typeof property.description !== 'string' || property.description === '');
  assert.equal(missing.map(([path]) => path), []);
});

generated('every object is closed, except maps and outputs', () => {
  const schema = buildWorkflowSchema(stepRegistry, { templates: false });
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

built('uses is an enum of the registry, and each type has a discriminated branch', () => {
  const registry = [fakeStep('alpha', { type: 'object' }), fakeStep('beta', { type: 'object' })];
  const step = (buildWorkflowSchema(registry).definitions as Record<string, Record<string, unknown>>).step!.else as Record<string, unknown>;
  const uses = (step.properties as Record<string, Record<string, unknown>>).uses!;
  assert.equal(uses.enum, ['alpha', 'beta']);
  assert.equal(step.discriminator, { propertyName: 'uses' });
  const branches = step.oneOf as Record<string, Record<string, Record<string, unknown>>>[];
  assert.equal(branches.map((branch) => branch.properties!.uses!.const), ['alpha', 'beta']);
  assert.ok(branches.every((branch) => (branch.required as unknown as string[]).includes('uses')));
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
  const text = JSON.stringify(buildWorkflowSchema(stepRegistry, { templates: false }));
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

generated.run();
built.run();
