import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { StepDefinition } from '../../src/steps/define.js';
import { loadWorkflow } from '../../src/workflow/load.js';
import { findUnknownField } from '../../src/workflow/rules/references.js';
import { validateWorkflow } from '../../src/workflow/validate.js';
import type { ValidateOptions } from '../../src/workflow/validate.js';

const validate = (source: string, options: ValidateOptions = {}) => validateWorkflow(loadWorkflow(source, 'w.yaml'), 'w.yaml', options);
const found = (source: string, options: ValidateOptions = {}) => validate(source, options).diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`);
const messages = (source: string, options: ValidateOptions = {}) => validate(source, options).diagnostics.map((d) => d.message);

const step = (fields: Partial<StepDefinition> & { type: string }): StepDefinition => ({
  description: `The ${fields.type} step.`,
  input: { type: 'object', additionalProperties: false, properties: {} },
  output: { type: 'object' },
  scopes: [],
  sandboxOnly: false,
  retrySafe: true,
  run: async () => ({}),
  ...fields,
});

/** A registry of made-up step types, so these tests do not depend on the real ones. */
const registry: readonly StepDefinition[] = [
  step({
    type: 'makeThing',
    retrySafe: false,
    input: {
      type: 'object',
      additionalProperties: false,
      required: ['amount'],
      properties: {
        amount: { type: 'string', pattern: '^[0-9]+$', description: 'An amount.' },
        size: { type: 'integer', minimum: 1, description: 'A size.' },
        kind: { enum: ['A', 'B'], description: 'A kind.' },
        tags: { type: 'array', items: { type: 'integer' }, description: 'Tags.' },
        limit: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'string', pattern: '^[0-9]+$' }], description: 'A limit.' },
        person: { type: 'object', additionalProperties: false, properties: { cip_id: { type: 'string', 'x-sensitive': true, description: 'Id.' } }, description: 'A person.' },
      },
    },
    output: {
      type: 'object',
      additionalProperties: false,
      properties: {
        id: { type: 'string' },
        items: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { price: { type: 'string' } } } },
        by_key: { type: 'object', additionalProperties: { type: 'object', additionalProperties: false, properties: { total: { type: 'string' } } } },
        extra: { type: 'object' },
      },
    },
  }),
  step({ type: 'noop', input: { type: 'object', additionalProperties: false, properties: { value: { description: 'Anything.' } } } }),
];

const workflow = (steps: string, head = 'version: 1\nname: Test\n') => `${head}steps:\n${steps}`;

const rules = suite('validateWorkflow: rules');

rules('a valid workflow gives a Workflow whose locate works for the engine', () => {
  const result = validate(workflow('  - id: a\n    uses: makeThing\n    with:\n      amount: "10"\n  - id: b\n    uses: noop\n'), { registry });
  assert.equal(result.diagnostics, []);
  assert.ok(result.workflow);
  assert.is(result.workflow.file, 'w.yaml');
  assert.is(result.workflow.spec.steps[1]!.uses, 'noop');
  assert.equal(result.workflow.locate(['steps', 1]), { line: 8, col: 5 });
  assert.equal(result.workflow.locate(['steps', 0, 'with', 'amount']), { line: 7, col: 7 });
});

rules('retry on a step type that is not retry-safe is RETRY_NOT_SAFE at retry', () => {
  const source = workflow('  - id: a\n    uses: makeThing\n    retry: { max_attempts: 2 }\n    with: { amount: "1" }\n  - id: b\n    uses: noop\n    retry: { max_attempts: 2 }\n');
  assert.equal(found(source, { registry }), ['RETRY_NOT_SAFE 6:5']);
});

rules('templates may stand for typed values inside with, but nowhere else', () => {
  const source = workflow([
    '  - id: a',
    '    uses: makeThing',
    '    with:',
    '      amount: "{{vars.n}}"',
    '      size: "{{vars.n}}"',
    '      kind: "{{vars.n}}"',
    '      tags: ["{{vars.n}}", 2]',
    '      limit: "{{vars.n}}"',
    '      person: "{{vars.n}}"',
    '  - id: b',
    '    uses: noop',
    '    continue_on_error: "{{vars.n}}"',
    '',
  ].join('\n'), 'version: 1\nname: T\nvars: { n: 1 }\n');
  assert.equal(found(source, { registry }), ['WRONG_TYPE 16:24']);
  assert.match(messages(source, { registry })[0]!, /rendered only inside with: and if:/);
});

rules('without templates, the same values are checked', () => {
  const source = workflow([
    '  - id: a',
    '    uses: makeThing',
    '    with:',
    '      amount: 10',
    '      size: 0',
    '      kind: C',
    '      tags: [x, 2]',
    '      limit: true',
    '      person: { cip_id: 987654321, name: x }',
    '',
  ].join('\n'));
  assert.equal(found(source, { registry }), [
    'WRONG_TYPE 7:15', 'BAD_VALUE 8:13', 'BAD_VALUE 9:13', 'WRONG_TYPE 10:14', 'WRONG_TYPE 11:14', 'WRONG_TYPE 12:25', 'UNKNOWN_KEY 12:36',
  ]);
  const text = messages(source, { registry }).join('\n');
  assert.match(text, /steps\[0\]\.with\.limit must be an integer or a string/);
  assert.match(text, /must be one of: A, B/);
  assert.not.ok(text.includes('987654321'));
});

rules('an unknown step type is suggested, and its input is not checked', () => {
  const source = workflow('  - id: a\n    uses: makeThng\n    with: { whatever: 1 }\n');
  assert.equal(found(source, { registry }), ['UNKNOWN_STEP_TYPE 5:11']);
  assert.match(messages(source, { registry })[0]!, /`makeThing`/);
  assert.equal(found(workflow('  - id: a\n    uses: "{{vars.kind}}"\n'), { registry }), ['UNKNOWN_STEP_TYPE 5:11']);
});

rules('references: earlier steps only, known output fields, declared vars', () => {
  const source = workflow([
    '  - id: a',
    '    uses: makeThing',
    '    with: { amount: "{{steps.b.id}}" }',
    '  - id: b',
    '    uses: noop',
    '    with:',
    '      value:',
    '        - "{{steps.a.id}} {{steps.a.idd}} {{steps.a.items.0.price}} {{steps.a.items.0.cost}}"',
    '        - "{{steps.a.by_key.any.total}} {{steps.a.by_key.any.totl}} {{steps.a.extra.anything.at.all}}"',
    '        - "{{vars.known}} {{vars.extra}} {{vars.unknown}} {{env.HOME}} {{run.id}} {{run.started_at}}"',
    '        - "{{inputs.x}} {{steps.b.id}} {{steps.zz.id}}"',
    '',
  ].join('\n'), 'version: 1\nname: T\nvars: { known: 1 }\n');
  assert.equal(found(source, { registry, extraVars: ['extra'] }), [
    'REF_LATER_STEP 7:24',
    'REF_UNKNOWN_FIELD 12:29',
    'REF_UNKNOWN_FIELD 12:71',
    'REF_UNKNOWN_FIELD 13:43',
    'REF_UNKNOWN_VAR 14:44',
    'REF_UNAVAILABLE_SCOPE 15:14',
    'REF_LATER_STEP 15:27',
    'REF_UNKNOWN_STEP 15:42',
  ]);
  const text = messages(source, { registry, extraVars: ['extra'] }).join('\n');
  assert.match(text, /Did you mean `id`\?/);
  assert.match(text, /Did you mean `total`\?/);
});

rules('findUnknownField follows properties, maps and items, and stops where the schema does not describe the value', () => {
  const output = registry[0]!.output;
  assert.equal(findUnknownField(output, ['idd']), { index: 0, known: ['id', 'items', 'by_key', 'extra'] });
  assert.is(findUnknownField(output, ['items', '3', 'price']), undefined);
  assert.equal(findUnknownField(output, ['items', '3', 'cost']), { index: 2, known: ['price'] });
  assert.is(findUnknownField(output, ['items', 'length']), undefined);
  assert.is(findUnknownField(output, ['extra', 'x', 'y']), undefined);
  // An object that lists its fields is checked even when open: a typo must fail validation, not the run.
  assert.equal(findUnknownField({ type: 'object', additionalProperties: true, properties: { a: {} } }, ['b']), { index: 0, known: ['a'] });
  assert.is(findUnknownField({ type: 'object', additionalProperties: true }, ['b']), undefined);
});

rules('template positions: quotes, escapes, bare conditions, literal blocks and folded text', () => {
  const source = workflow([
    "  - id: a",
    "    uses: noop",
    "    if: steps.nope.x",
    "    with:",
    "      value:",
    "        - 'it''s {{steps.one.x}}'",
    "        - plain {{steps.two.x}}",
    '        - "\\u00e9\\U0001F600{{steps.three.x}}"',
    "        - |",
    "          line one",
    "            {{steps.four.x}}",
    "        - >",
    "          folded {{steps.five.x}}",
    "",
  ].join('\n'));
  assert.equal(found(source, { registry }), [
    'REF_UNKNOWN_STEP 6:9', 'REF_UNKNOWN_STEP 9:20', 'REF_UNKNOWN_STEP 10:19', 'REF_UNKNOWN_STEP 11:30', 'REF_UNKNOWN_STEP 14:15', 'REF_UNKNOWN_STEP 15:11',
  ]);
});

rules('an unquoted template suppresses schema errors about its value', () => {
  const source = workflow('  - id: a\n    uses: makeThing\n    with:\n      amount: {{vars.n}}\n      size: {{vars.n}}\n', 'version: 1\nname: T\nvars: { n: 1 }\n');
  assert.equal(found(source, { registry }), ['UNQUOTED_TEMPLATE 8:15', 'UNQUOTED_TEMPLATE 9:13']);
});

rules('all problems are reported, sorted by position, each with the file', () => {
  const result = validate('steps:\n  - id: B\n    uses: nope\n  - id: B\n    uses: noop\nname: 5\nextra: 1\n', { registry });
  const positions = result.diagnostics.map((d) => [d.line!, d.col!] as const);
  const sorted = [...positions].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  assert.equal(positions, sorted);
  assert.ok(result.diagnostics.every((d) => d.file === 'w.yaml'));
  assert.equal(result.diagnostics.map((d) => d.code), [
    'MISSING_KEY', 'BAD_VALUE', 'UNKNOWN_STEP_TYPE', 'BAD_VALUE', 'DUPLICATE_STEP_ID', 'WRONG_TYPE', 'UNKNOWN_KEY',
  ]);
  assert.is(result.workflow, undefined);
});

rules('data of any shape is checked without throwing', () => {
  for (const source of ['steps: 5\n', 'steps: [1, null, "x", [2]]\n', 'steps:\n  - id: 5\n    uses: [1]\n    if: 3\n    with: 7\n    retry: 2\n', 'vars: [1]\nsteps: {}\n']) {
    const result = validate(source, { registry });
    assert.ok(result.diagnostics.length > 0);
  }
});

rules('a loader failure is returned as it is', () => {
  const result = validateWorkflow(loadWorkflow('- a\n', 'w.yaml'), 'w.yaml');
  assert.equal(result.diagnostics.map((d) => d.code), ['ROOT_NOT_MAPPING']);
  assert.is(result.workflow, undefined);
});

rules('the spec shares no objects between aliased values', () => {
  const source = workflow('  - id: a\n    uses: noop\n    with: &w { value: { n: 1 } }\n  - id: b\n    uses: noop\n    with: *w\n');
  const spec = validate(source, { registry }).workflow!.spec;
  assert.equal(spec.steps[0]!.with, spec.steps[1]!.with);
  assert.ok(spec.steps[0]!.with !== spec.steps[1]!.with);
});

rules('a valid fast-read file with durations and an upload is validated without building yaml\'s document', () => {
  const source = workflow([
    '  - id: files',
    '    uses: uploadDocument',
    '    timeout: 30s',
    '    with: { identity_id: "{{vars.identity}}", name: a.pdf, document_types: [PROOF_OF_FUNDS], file: a.pdf }',
    '  - id: event',
    '    uses: awaitEvent',
    '    timeout: 2m',
    '    retry: { max_attempts: 2, delay: 1s }',
    '    with: { type: identity.approved, identity_id: "{{vars.identity}}", interval: 50ms }',
  ].join('\n'), 'version: 1\nname: Test\nvars: { identity: x }\n');
  const loaded = loadWorkflow(source, 'w.yaml');
  // Placing a position builds the document, which costs more than validating a large valid file.
  const built: string[] = [];
  for (const name of ['document', 'lineCounter'] as const) {
    Object.defineProperty(loaded, name, { get: () => void built.push(name) });
  }
  const uploadFiles = new Map([['a.pdf', { ok: true as const, size: 10, mediaType: 'application/pdf', label: 'PDF' }]]);
  const result = validateWorkflow(loaded, 'w.yaml', { uploadFiles });
  assert.equal(result.diagnostics, []);
  assert.equal(built, []);
});

rules.run();
