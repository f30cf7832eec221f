import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { JsoncSyntaxError, addSchemaMapping, parseJsonc } from '../../src/commands/_jsonc.js';

// settings.json as VS Code allows it: an entry is added in place, and what cannot be read is never rewritten.
const jsonc = suite('cli: JSON with comments (settings.json)');

const plain = (text: string): unknown => {
  const strip = (node: ReturnType<typeof parseJsonc>): unknown => {
    if (node === undefined) return undefined;
    if (node.kind === 'object') return Object.fromEntries(node.members.map(({ key, value }) => [key, strip(value)]));
    if (node.kind === 'array') return node.items.map(strip);
    return node.value;
  };
  return strip(parseJsonc(text));
};
const offsetOf = (text: string): number => {
  try {
    parseJsonc(text);
  } catch (error) {
    if (error instanceof JsoncSyntaxError) return error.offset;
  }
  return -1;
};

jsonc('reads comments, trailing commas, a BOM, escapes and every kind of value', () => {
  assert.equal(plain('\uFEFF/* a */ {"a": [1, -2.5e3, true, null, "x\\"y",], // b\n "c": {},}'), { a: [1, -2500, true, null, 'x"y'], c: {} });
  assert.is(plain(' // only a comment\n'), undefined);
});

jsonc('refuses what is not JSON with comments, at the offset where reading stopped', () => {
  assert.is(offsetOf('{"a": 1 "b": 2}'), 8);
  assert.is(offsetOf('{"a": tru}'), 6);
  assert.is(offsetOf('{"a": 1} x'), 9);
  assert.is(offsetOf('{"a": 1 /* open'), 8);
  assert.is(offsetOf('{"a": "line\nbreak"}'), 6);
  assert.is(offsetOf('{a: 1}'), 1);
  assert.ok(offsetOf(`${'['.repeat(10_000)}${']'.repeat(10_000)}`) > 0, 'deep nesting is refused, not a stack overflow');
});

jsonc('adds only what is missing and keeps the rest of the text byte for byte', () => {
  const added = (text: string) => {
    const outcome = addSchemaMapping(text, 's.json', 'w/**/*.yaml');
    assert.is(outcome.kind, 'added', text);
    return outcome.kind === 'refused' ? '' : outcome.text;
  };
  assert.equal(plain(added('')), { 'yaml.schemas': { 's.json': ['w/**/*.yaml'] } });
  assert.is(added('{ /* keep */ }'), '{\n  "yaml.schemas": {\n    "s.json": [\n      "w/**/*.yaml"\n    ]\n  } /* keep */\n}');
  assert.is(added('{"yaml.schemas": {"o.json": "o"}}'), '{"yaml.schemas": {\n    "s.json": ["w/**/*.yaml"],"o.json": "o"}}');
  assert.is(added('{"yaml.schemas": {"s.json": []}}'), '{"yaml.schemas": {"s.json": ["w/**/*.yaml"]}}');
  assert.is(added('{"yaml.schemas": {"s.json": ["a"]}}'), '{"yaml.schemas": {"s.json": ["w/**/*.yaml", "a"]}}');
  const same = '{"yaml.schemas": {"s.json": ["a", "w/**/*.yaml"]}} // mine';
  assert.equal(addSchemaMapping(same, 's.json', 'w/**/*.yaml'), { kind: 'present', text: same });
  assert.equal(addSchemaMapping('{"yaml.schemas": []}', 's.json', 'w').kind, 'refused');
});

jsonc.run();
