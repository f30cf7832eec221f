import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { StepDefinition } from '../../src/steps/define.js';
import { httpStep } from '../../src/steps/http.js';
import { compileSchema, sharedAjv } from '../../src/workflow/ajv.js';
import { checkStepInput, compileStepInput } from '../../src/workflow/step-input.js';

const ajv = suite('ajv: the shared instance');

ajv('there is one instance, and a schema object is compiled once', () => {
  assert.is(sharedAjv(), sharedAjv());
  const schema = { type: 'object', properties: { a: { type: 'string' } } };
  assert.is(compileSchema(schema), compileSchema(schema));
  assert.is(compileStepInput(httpStep), compileStepInput(httpStep));
});

ajv('x-sensitive is an annotation; other unknown keywords are refused (strict)', () => {
  assert.ok(compileSchema({ type: 'string', 'x-sensitive': true })('x'));
  assert.throws(() => compileSchema({ type: 'string', 'x-secret': true }), /unknown keyword/);
});

ajv('no type coercion, formats are known, errors carry no data', () => {
  const validate = compileSchema({ type: 'object', properties: { n: { type: 'integer' }, d: { type: 'string', format: 'date' } } });
  assert.not.ok(validate({ n: '1', d: '987-65-4321' }));
  assert.is(validate.errors!.length, 2);
  for (const error of validate.errors!) {
    assert.is((error as { data?: unknown }).data, undefined);
    assert.not.ok(JSON.stringify(error).includes('987-65-4321'));
  }
});

const input = suite('ajv: step input validators for the engine');

const person: StepDefinition = {
  type: 'person',
  description: 'A test step.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['cip_id'],
    properties: {
      cip_id: { type: 'string', pattern: '^[0-9]{9}$', 'x-sensitive': true, description: 'Id.' },
      address: {
        type: 'object',
        additionalProperties: false,
        properties: { city: { type: 'string', description: 'City.' } },
        description: 'Address.',
      },
    },
  },
  output: {},
  scopes: [],
  sandboxOnly: false,
  retrySafe: true,
  run: async () => ({}),
};

input('a valid input has no problems', () => {
  assert.equal(checkStepInput(httpStep, { path: '/markets', method: 'GET' }), []);
  assert.equal(compileStepInput(person)({ cip_id: '123456789' }), []);
});

input('problems name the field path under `with` and never the value', () => {
  const problems = compileStepInput(person)({ cip_id: '987-65-4321', address: { city: 987654321, town: 'x' } });
  assert.equal(problems.map((p) => `${p.code} ${p.path}`).sort(), ['BAD_VALUE with.cip_id', 'UNKNOWN_KEY with.address.town', 'WRONG_TYPE with.address.city']);
  for (const problem of problems) {
    const parent = problem.path.slice(0, problem.path.lastIndexOf('.'));
    assert.ok(problem.message.includes(problem.code === 'UNKNOWN_KEY' ? parent : problem.path), problem.message);
    assert.not.ok(problem.message.includes('987-65-4321'));
    assert.not.ok(problem.message.includes('987654321'));
  }
});

input('rendered strings are checked as they are: a leftover {{ is no excuse', () => {
  const messages = checkStepInput(httpStep, { path: '/x', method: '{{vars.method}}' });
  assert.equal(messages.length, 1);
  assert.match(messages[0]!, /with\.method must be one of: GET, POST, PUT, PATCH, DELETE/);
});

input('alternatives are reduced to the one that fits: one message per mistake', () => {
  assert.equal(compileStepInput(httpStep)({ path: '/x', expect_status: 99 }).map((p) => `${p.code} ${p.path}`), ['BAD_VALUE with.expect_status']);
  assert.equal(compileStepInput(httpStep)({ path: '/x', expect_status: [200, 700] }).map((p) => `${p.code} ${p.path}`), ['BAD_VALUE with.expect_status[1]']);
  assert.equal(compileStepInput(httpStep)({ path: '/x', expect_status: 'ok' }).map((p) => `${p.code} ${p.path}`), ['WRONG_TYPE with.expect_status']);
  assert.equal(compileStepInput(httpStep)({ method: 'GET' }).map((p) => `${p.code} ${p.path}`), ['MISSING_KEY with']);
  assert.equal(compileStepInput(httpStep)({ path: '/x', url: 'https://x' }).map((p) => `${p.code} ${p.path}`), ['CONFLICTING_KEYS with']);
  assert.equal(compileStepInput(httpStep)([]).map((p) => `${p.code} ${p.path}`), ['WRONG_TYPE with']);
});

ajv.run();
input.run();
