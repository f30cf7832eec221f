/** fast-check generators shared by the property tests: YAML-ish text, workflow-shaped data, templates. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { stepRegistry } from '../../src/steps/registry.js';

/** A stable code: upper case words joined by `_`. */
export const CODE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

/** Pieces that mean something to YAML or to templates, so that random text hits the parsers' edge cases. */
const YAML_PIECES = [
  '\n', '\r\n', '\r', ' ', '  ', '\t', '- ', ': ', ':', '? ', '#', '[', ']', '{', '}', ',', '&a ', '*a', '&b ', '*b', '!', '!!str ', '!!js/function ',
  '|', '>-', '"', "'", '\\', '%YAML 1.1\n', '---\n', '...\n', '<<: ', '@', '`', '\u0000', '\ufeff', '\u2028', 'é', '😀', '\ud800',
  'version: 1\n', 'name: x\n', 'steps:\n', '  - id: a\n', '    uses: assert\n', '    with: ', 'uses: ', '__proto__: ', 'constructor: ',
  '{{', '}}', '{{vars.x}}', '"{{steps.a.id}}"', 'true', 'null', '~', '0x1F', '012345678', '1e999', '.nan', 'a', 'key', '1',
];

/** Text of YAML-ish pieces mixed with arbitrary characters. */
export const yamlishText = fc.oneof(
  fc.string({ unit: fc.constantFrom(...YAML_PIECES), maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: fc.oneof(fc.constantFrom(...YAML_PIECES), fc.string({ unit: 'grapheme', maxLength: 3 })), maxLength: 80 }),
);

const KEYS = [
  '__proto__', 'constructor', 'prototype', 'version', 'name', 'steps', 'vars', 'secrets', 'redact', 'id', 'uses', 'with', 'if', 'timeout',
  'retry', 'max_attempts', 'delay', 'continue_on_error', 'expect', 'error', 'checks', 'actual', 'equals', 'ref_id', 'profile_id', 'a', '',
];

const TEMPLATE_TEXT = [
  '{{vars.x}}', '{{steps.a.id}}', '{{run.id}}', '{{uuid}}', '{{test_ssn}}', '{{default vars.y "z"}}', '{{eq vars.x 1}}', '{{#if vars.x}}a{{/if}}',
  '{{> partial}}', '{{* decorator}}', '{{nope}}', '{{vars.x', 'x}}', '{{steps.a.items.0.id}}', '{{../vars.x}}', '{{@index}}', '{{json steps}}',
];

export const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(...TEMPLATE_TEXT),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('1', '10.50', '1814.8', 'ETHUSD', 'BUY', 'LIMIT', '30s', '2m', '-1', 'APPROVED'),
);

/** Nested lists and mappings whose keys include the forbidden ones (`__proto__` as an own key). */
export const { value: yamlValue } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('value'), { maxLength: 4 }),
  map: fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 6 })), tie('value')), { maxLength: 5 })
    .map((entries) => Object.fromEntries(entries) as Record<string, unknown>),
}));

const stepType = fc.oneof(fc.constantFrom(...stepRegistry.map((step) => step.type)), fc.string({ maxLength: 8 }));
const stepId = fc.oneof(fc.constantFrom('identity', 'account', 'buy', 'a', 'b', 'Bad-Id', ''), fc.string({ maxLength: 6 }));

/** A mapping that looks like a workflow, with random holes, extra keys and values of the wrong type. */
const workflowLike = fc.record(
  {
    version: fc.oneof(fc.constant(1), scalar),
    name: fc.oneof(fc.string({ maxLength: 10 }), scalar),
    vars: fc.oneof(fc.dictionary(fc.constantFrom('x', 'y', 'deposit', '__proto__', 'BAD NAME'), scalar, { maxKeys: 3 }), yamlValue),
    steps: fc.array(
      fc.record(
        {
          id: stepId,
          uses: stepType,
          with: yamlValue,
          if: fc.oneof(fc.constantFrom(...TEMPLATE_TEXT), fc.constant('eq vars.x "a"'), scalar),
          timeout: fc.oneof(fc.constantFrom('30s', '2m', '0ms', '99999h', 'soon'), scalar),
          retry: fc.oneof(fc.record({ max_attempts: fc.integer({ min: -1, max: 5 }), delay: fc.constantFrom('1s', 'x') }), yamlValue),
          expect: yamlValue,
          extra: yamlValue,
        },
        { requiredKeys: ['id', 'uses'] },
      ),
      { maxLength: 4 },
    ),
    extra: yamlValue,
  },
  { requiredKeys: ['steps'] },
);

/**
 * YAML text from generated data: mappings and lists that appear twice become an anchor and aliases,
 * and a few random edits may break the text afterwards.
 */
export const generatedYaml = fc
  .tuple(
    fc.oneof(workflowLike, yamlValue),
    yamlValue,
    fc.boolean(),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom(...YAML_PIECES), fc.nat({ max: 3 })), { maxLength: 3 }),
  )
  .map(([root, shared, share, edits]) => {
    const data = share && root !== null && typeof root === 'object' && !Array.isArray(root)
      ? { ...(root as Record<string, unknown>), left: shared, right: [shared, { again: shared }] }
      : root;
    let text: string;
    try {
      text = stringify(data, { aliasDuplicateObjects: true });
    } catch {
      text = '';
    }
    for (const [at, piece, cut] of edits) {
      const offset = text.length === 0 ? 0 : at % text.length;
      text = text.slice(0, offset) + piece + text.slice(offset + cut);
    }
    return text;
  });

/** The example and scenario workflows of the repository, as text. */
const examples = ['workflows', 'workflows/scenarios'].flatMap((dir) =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => readFileSync(join(dir, name), 'utf8')),
);

/** One edit of a text: insert a piece, cut some characters, or drop, repeat or re-indent a line. */
const edit = fc.oneof(
  fc.tuple(fc.constant('insert' as const), fc.nat(), fc.oneof(fc.constantFrom(...YAML_PIECES), fc.constantFrom(...TEMPLATE_TEXT))),
  fc.tuple(fc.constant('cut' as const), fc.nat(), fc.integer({ min: 1, max: 12 }).map(String)),
  fc.tuple(fc.constantFrom('drop' as const, 'repeat' as const, 'indent' as const, 'outdent' as const), fc.nat(), fc.constant('')),
);

const applyEdit = (text: string, [kind, at, piece]: [string, number, string]): string => {
  const offset = text.length === 0 ? 0 : at % text.length;
  if (kind === 'insert') return text.slice(0, offset) + piece + text.slice(offset);
  if (kind === 'cut') return text.slice(0, offset) + text.slice(offset + Number(piece));
  const lines = text.split('\n');
  const index = at % lines.length;
  const line = lines[index]!;
  if (kind === 'drop') lines.splice(index, 1);
  else if (kind === 'repeat') lines.splice(index, 0, line);
  else lines[index] = kind === 'indent' ? `  ${line}` : line.replace(/^ {1,2}/, '');
  return lines.join('\n');
};

/** A real workflow of the repository after one to four random edits: mostly valid, so deep rules run. */
export const editedExample = fc
  .tuple(fc.constantFrom(...examples), fc.array(edit, { minLength: 1, maxLength: 4 }))
  .map(([text, edits]) => edits.reduce(applyEdit, text));
