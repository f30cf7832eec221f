import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateWorkflow } from '../../bench/validation.js';
import { fastLoad } from '../../src/workflow/fast-yaml.js';
import { loadWithYaml, loadWorkflow } from '../../src/workflow/load.js';
import { createLocator } from '../../src/workflow/locate.js';
import { validateWorkflow } from '../../src/workflow/validate.js';
import { editedExample, generatedYaml, yamlishText } from '../property/_arbitraries.js';

// The fast reader is only a shortcut: wherever it gives a value, yaml must give the same value and no
// problem, and loading plus validating must say exactly what the yaml-only path says.

const root = fileURLToPath(new URL('../../', import.meta.url));
const yamlFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return name.endsWith('.yaml') || name.endsWith('.yml') ? [path] : [];
  });
const FILES = [...yamlFiles(join(root, 'test/fixtures')), ...yamlFiles(join(root, 'workflows'))];

/** Every path in `value` (as numbers and as text for list indexes), and a few that do not exist. */
const pathsOf = (value: unknown, path: (string | number)[] = [], found: (string | number)[][] = []): (string | number)[][] => {
  found.push(path, [...path, 'missing'], [...path, 0]);
  if (Array.isArray(value)) value.forEach((item, index) => pathsOf(item, [...path, index % 2 === 0 ? index : String(index)], found));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) pathsOf(item, [...path, key], found);
  return found;
};

/**
 * The fast reader agrees with yaml: a value only where yaml reports nothing, and then the same value,
 * and the loader's `locate` gives what a locator on yaml's document gives, for every path.
 */
const agrees = (source: string, maxDepth = 64): boolean => {
  const fast = fastLoad(source, maxDepth);
  if (fast === undefined) return false;
  const slow = loadWithYaml(source, 'w.yaml', { maxBytes: Number.MAX_SAFE_INTEGER, maxDepth });
  assert.equal(slow.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`), [], `yaml reports problems the fast reader missed in:\n${source}`);
  assert.equal(fast.value, slow.value, `the values differ for:\n${source}`);
  const locate = loadWorkflow(source, 'w.yaml', { maxBytes: Number.MAX_SAFE_INTEGER, maxDepth }).locate!;
  const locator = createLocator(slow.document!, slow.lineCounter!);
  for (const path of pathsOf(fast.value).slice(0, 2000)) assert.equal(locate(path), locator.locate(path), `locate(${JSON.stringify(path)}) in:\n${source}`);
  return true;
};

const report = (loaded: ReturnType<typeof loadWorkflow>) =>
  validateWorkflow(loaded, 'w.yaml').diagnostics.map((d) => `${d.code} ${d.line}:${d.col} ${d.severity ?? 'error'} ${d.message}`);

/** Both paths through loading and validation give the same diagnostics and the same data. */
const samePaths = (source: string): void => {
  const loaded = loadWorkflow(source, 'w.yaml');
  const slow = loadWithYaml(source, 'w.yaml');
  assert.equal(loaded.value, slow.value);
  assert.equal(report(loaded), report(slow));
};

const reader = suite('fast YAML reader: the same as yaml');

reader('every fixture and workflow of the repository: same value, same diagnostics after validation', () => {
  let taken = 0;
  for (const file of FILES) {
    const source = readFileSync(file, 'utf8');
    if (agrees(source)) taken += 1;
    samePaths(source);
  }
  // Most files are plain enough for the fast reader; this would catch it giving up on everything.
  assert.ok(taken >= FILES.length / 3, `the fast reader took ${taken} of ${FILES.length} files`);
});

reader('the bench\'s generated workflow is taken, and placed the same when asked', () => {
  const source = generateWorkflow(100);
  assert.ok(agrees(source));
  const fast = validateWorkflow(loadWorkflow(source, 'w.yaml'), 'w.yaml').workflow!;
  const slow = loadWithYaml(source, 'w.yaml');
  const locator = createLocator(slow.document!, slow.lineCounter!);
  for (const path of [[], ['steps'], ['steps', 0], ['steps', 57, 'with', 'profile_id'], ['vars', 'market'], ['steps', 3, 'nope']]) {
    assert.equal(fast.locate(path), locator.locate(path), path.join('.'));
  }
});

reader('problems in a fast-read file are placed as before (the document is built on demand)', () => {
  const source = 'version: 1\nname: x\nsteps:\n  - id: a\n    uses: assert\n    with: { checks: [{ actual: "{{steps.b.id}}", equals: 1 }] }\n';
  assert.ok(fastLoad(source, 64));
  samePaths(source);
  assert.ok(report(loadWorkflow(source, 'w.yaml')).length > 0);
});

reader('text yaml reads differently, or reports, is left to yaml', () => {
  const leftToYaml = [
    'a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a: 1\na: 2\n', '__proto__: 1\n', 'a: {constructor: 1}\n', 'a: b\n  c\n', 'a: b: c\n',
    'a: {{x}}\n', 'a:\tb\n', 'a: b\r\n', '---\na: 1\n', 'a: 1\n---\nb: 2\n', 'a: |+\n  text\n', 'a: |2\n  text\n', 'a: |\n\n  text\n', 'a: >\n  x\n    y\n',
    'a: |\n  x', 'a: |\n  x \n', 'a: |\n  x\n   \n', 'a: "x\n  y"\n', '- a\n', 'a\n',
    '', '# only\n', 'a: [b, ]\n', 'a: [b: c]\n', 'a: "b" c\n', 'a: x #c\n b: 1\n', '  a: 1\n', 'a:\n  b: 1\n c: 2\n', 'a: "\\x41"\n',
    `a: ${'['.repeat(40)}${']'.repeat(40)}\n`, `${'k'.repeat(1100)}: 1\n`, '? a\n: b\n', 'a: b\n- c\n', 'a: -\n', 'a: @b\n',
  ];
  for (const source of leftToYaml) assert.is(fastLoad(source, 64), undefined, JSON.stringify(source));
});

reader('plain scalars are resolved by yaml\'s core schema, keys stay text', () => {
  const source = [
    'a: 1', 'b: -2', 'c: 0x1F', 'd: 0o17', 'e: 1.50', 'f: .5', 'g: 1e3', 'h: -.inf', 'i: .NaN', 'j: ~', 'k: null', 'l: TRUE', 'm: yes',
    'n: 2021-01-01', 'o: 012', 'p: a b  c', 'q: x#y', 'r: x # comment', 's: "a\\"b\\\\c\\n"', "t: 'it''s'", 'u: [1, "2", a b, -3, {v: w}]',
    'lit: |', '  one', '', '    two', '  three', 'fold: >-', '  one', '  two', '', '', '  three', 'in list:', '- |-', '  text', '- >', '  more',
    '1: one', 'null: n', 'true: t', '"quoted key": 1', "'single': 2", 'w:', 'x: []', 'y: {}', 'z: http://a.b/c?d=e', '<<: merge',
    'list:', '- a', '- - b', '  - c', '- d: 1', '  e:', '  - f', '  g: h', 'deep:', '  more:', '     even: [deeper]', 'last: 1e999',
  ].join('\n');
  assert.ok(agrees(`${source}\n`));
  assert.ok(agrees(source));
});

reader('nesting: the fast reader gives up well before the loader\'s limits', () => {
  const nested = (depth: number) => `${Array.from({ length: depth }, (_, level) => `${'  '.repeat(level)}k:`).join('\n')} x\n`;
  assert.ok(agrees(nested(31)));
  assert.is(fastLoad(nested(32), 64), undefined);
  assert.is(fastLoad(nested(3), 7), undefined);
  assert.ok(agrees(nested(2), 7));
  assert.is(fastLoad(`${'- '.repeat(100_000)}x\n`, 1e9), undefined);
});

/** Lines built from pieces of the subset and a few from outside it, to find where the two could differ. */
const PIECES = [
  'a', 'b', 'key', 'k k', '1', '-1', '0x1F', '.5', 'true', 'null', '~', 'x#y', ' #c', ':', ': ', ' ', '  ', '- ', '-', ',', ', ', '[', ']',
  '{', '}', '"', "'", '"q"', "'s'", '\\', '\\n', '#', '&a ', '*a', '!t ', '|', '>', '?', '@', '{{x}}', '"{{x}}"', 'é', '%', '.', '..',
];
const line = fc.tuple(fc.nat({ max: 6 }), fc.array(fc.constantFrom(...PIECES), { maxLength: 8 })).map(([indent, parts]) => ' '.repeat(indent) + parts.join(''));
const subsetText = fc.array(line, { minLength: 1, maxLength: 8 }).map((lines) => lines.join('\n'));
const structured = fc
  .array(fc.tuple(fc.nat({ max: 3 }), fc.constantFrom('k: v', 'k:', '- v', '- k: v', '- k:', 'k: [a, b]', 'k: {a: 1}', 'k: "v"', 'k: 1', '# c', '')), { minLength: 1, maxLength: 10 })
  .map((lines) => lines.map(([indent, text], index) => `${'  '.repeat(indent)}${text.replace(/k/g, `k${index}`)}`).join('\n'));
const BLOCK_LINES = ['k: |', 'k: >', 'k: |-', 'k: >-', 'k: | # c', 'x y', 'x', '', '#c', '- |', '- >-', 'k: 1', '- k: |', 'x  y', ' x', '- x', 'k:'];
const blockText = fc
  .tuple(fc.array(fc.tuple(fc.oneof(fc.constantFrom(0, 0, 2, 4), fc.nat({ max: 5 })), fc.constantFrom(...BLOCK_LINES)), { minLength: 1, maxLength: 12 }), fc.boolean())
  .map(([lines, newline]) => lines.map(([indent, text], index) => `${' '.repeat(index === 0 ? 0 : indent)}${text.replace(/k/g, `k${index}`)}`).join('\n') + (newline ? '\n' : ''));

reader('property: wherever the fast reader gives a value, yaml gives the same and reports nothing', () => {
  for (const [arbitrary, seed] of [[subsetText, 11], [structured, 12], [blockText, 18], [yamlishText, 13], [generatedYaml, 14], [editedExample, 15]] as const) {
    fc.assert(fc.property(arbitrary, (source: string) => void agrees(source)), { numRuns: 800, seed });
  }
});

reader('property: loading and validating give the same diagnostics on both paths', () => {
  fc.assert(fc.property(editedExample, samePaths), { numRuns: 200, seed: 16 });
  fc.assert(fc.property(generatedYaml, samePaths), { numRuns: 200, seed: 17 });
});

reader.run();
