import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { StepDefinition } from '../../src/steps/define.js';
import { compileSchema, compileWorkflowSchema } from '../../src/workflow/ajv.js';
import { loadWorkflow } from '../../src/workflow/load.js';
import { schemaAt } from '../../src/workflow/rules/schema-errors.js';
import { buildWorkflowSchema } from '../../src/workflow/schema.js';
import { reshapeValidatorCode, validatorSchema } from '../../src/workflow/schema-validator.js';
import { validateWorkflow } from '../../src/workflow/validate.js';

const step = (type: string, properties: Record<string, unknown>): StepDefinition => ({
  type,
  description: `The ${type} step.`,
  input: { type: 'object', additionalProperties: false, properties },
  output: { type: 'object' },
  scopes: [],
  sandboxOnly: false,
  retrySafe: true,
  run: async () => ({}),
});

const registry: readonly StepDefinition[] = [
  step('alpha', { amount: { type: 'string', pattern: '^[0-9]+$', description: 'An amount.' }, kind: { enum: ['A', 'B'], description: 'A kind.' } }),
  step('beta', { size: { type: 'integer', minimum: 1, description: 'A size.' } }),
];

type Schema = Record<string, any>;

const shape = suite('workflow validator: the schema ajv compiles');

shape('each step type input sits once under definitions, and its then refers to it', () => {
  const original = buildWorkflowSchema(registry, { editor: false }) as Schema;
  const before = JSON.stringify(original);
  const schema = validatorSchema(original) as Schema;
  assert.is(JSON.stringify(original), before, 'the schema it was given is left as it was');
  const [alpha, beta, unknown] = schema.definitions.step.else.allOf as Schema[];
  assert.equal(alpha!.then.properties.with, { $ref: '#/definitions/input_alpha' });
  assert.equal(beta!.then.properties.with, { $ref: '#/definitions/input_beta' });
  assert.equal(schema.definitions.input_alpha, original.definitions.step.else.allOf[0].then.properties.with);
  assert.equal(unknown, original.definitions.step.else.allOf[2], 'a uses that names no type has no input');
  assert.equal(schema.properties, original.properties);
});

shape('ajv compiles the step once and each input once, as functions of their own', () => {
  const validate = compileWorkflowSchema(validatorSchema(buildWorkflowSchema(registry, { editor: false })));
  const functions = Object.entries(validate.schemaEnv.refs).filter(([, ref]) => typeof ref === 'object' && ref !== null && 'validate' in ref);
  assert.equal(functions.map(([ref]) => ref).sort(), ['#/definitions/input_alpha', '#/definitions/input_beta', '#/definitions/step']);
});

shape('ajv reports what it reports for the inline schema, in the same order; schema paths start at the root', () => {
  const inline = buildWorkflowSchema(registry, { editor: false });
  const schema = validatorSchema(inline);
  const data = {
    version: 1,
    name: 'n',
    steps: [
      { id: 'a', uses: 'alpha', with: { amount: 'x', kind: 'C' } },
      { id: 'b', uses: 'beta', with: { size: 0 }, timout: '1s' },
      { id: 'c', uses: 'gamma' },
    ],
    finally: [{ id: 'd', uses: 'alpha', with: { amout: '1' } }],
  };
  const errorsOf = (validate: ReturnType<typeof compileSchema>, root: Schema) => {
    assert.not.ok(validate(data));
    return (validate.errors ?? []).map(({ instancePath, keyword, params, schemaPath }) => ({ instancePath, keyword, params, rule: JSON.stringify(schemaAt(root, schemaPath)) }));
  };
  const expected = errorsOf(compileSchema(inline), inline);
  assert.equal(errorsOf(compileWorkflowSchema(schema), schema), expected);
  assert.ok(expected.length >= 6, 'every kind of error is there');
  const validate = compileWorkflowSchema(schema);
  validate(data);
  const paths = (validate.errors ?? []).filter((error) => error.keyword !== 'if').map((error) => `${error.instancePath} ${error.schemaPath}`);
  assert.ok(paths.includes('/steps/0/with/kind #/definitions/input_alpha/properties/kind/enum'), paths.join('\n'));
  assert.ok(paths.includes('/steps/1 #/definitions/step/else/additionalProperties'), paths.join('\n'));
  assert.ok(paths.includes('/finally/0/with #/definitions/input_alpha/additionalProperties'), paths.join('\n'));
});

shape('the messages that look the schema up are the same in steps: and finally:', () => {
  const source = (list: string) => `version: 1\nname: n\nsteps:\n  - id: a\n    uses: beta\n${list === 'finally' ? 'finally:\n' : ''}  - id: b\n    uses: alpha\n    timout: 1s\n    with: { amout: "1", kind: nothing }\n`;
  const messages = (list: string) =>
    validateWorkflow(loadWorkflow(source(list), 'w.yaml'), 'w.yaml', { registry }).diagnostics.map((d) => d.message.replace(/^(steps|finally)\[\d\]/, 'X'));
  const inSteps = messages('steps');
  assert.equal(inSteps, [
    'X has an unknown key `timout`. Did you mean `timeout`?',
    'X.with has an unknown key `amout`. Did you mean `amount`?',
    'X.with.kind must be one of: A, B.',
  ]);
  assert.equal(messages('finally'), inSteps);
});

const code = suite('workflow validator: the code ajv writes');

const root = { definitions: { step: { type: 'object' } } };
const called = { schema: root.definitions.step, root: { schema: root } };

code("ajv's join of a called function's errors becomes an append in place", () => {
  const join = 'if(!(validate3(data))){vErrors = vErrors === null ? validate3.errors : vErrors.concat(validate3.errors);errors = vErrors.length;}';
  const { code: out, joins } = reshapeValidatorCode(join, { schema: root, root: { schema: root } });
  assert.is(joins, 1);
  assert.not.ok(out.includes('concat'));
  assert.ok(out.includes('for(const err of validate3.errors){vErrors.push(err);}'));
});

code('a called function gets schema paths from the root; the root keeps its own', () => {
  const error = 'const err0 = {instancePath,schemaPath:"#/type",keyword:"type"};';
  assert.ok(reshapeValidatorCode(error, called).code.includes('schemaPath:"#/definitions/step/type"'));
  assert.is(reshapeValidatorCode(error, { schema: root, root: { schema: root } }).code, error);
});

code('code of another shape is refused rather than left quadratic or relative', () => {
  assert.throws(() => reshapeValidatorCode('vErrors = vErrors.concat(validate3.errors);', called), /joins the errors/);
  assert.throws(() => reshapeValidatorCode('const err0 = {instancePath,schemaPath:path0};', called), /not a literal/);
  assert.throws(() => reshapeValidatorCode('', { schema: { type: 'string' }, root: { schema: root } }), /not one of/);
});

shape.run();
code.run();
