import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateWorkflow } from '../../bench/validation.js';
import { analyze } from '../../src/template/analyze.js';
import { analyzeSimple } from '../../src/template/simple.js';
import { loadWithYaml } from '../../src/workflow/load.js';

// Validation analyses the commonest templates without Handlebars' parser (src/template/simple.ts).
// Wherever that shortcut answers, it must answer what the parser-based analysis does, program included.

const agrees = (source: string): boolean => {
  const simple = analyzeSimple(source);
  if (simple === undefined) return false;
  const full = analyze(source);
  assert.equal(
    { isTemplate: simple.isTemplate, isSingleExpression: simple.isSingleExpression, references: simple.references, problems: simple.problems },
    { isTemplate: full.isTemplate, isSingleExpression: full.isSingleExpression, references: full.references, problems: full.problems },
    JSON.stringify(source),
  );
  assert.equal(JSON.parse(JSON.stringify(simple.program)), JSON.parse(JSON.stringify(full.program)), `program of ${JSON.stringify(source)}`);
  return true;
};

const root = fileURLToPath(new URL('../../', import.meta.url));
const yamlFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return name.endsWith('.yaml') ? [path] : [];
  });
const templatesIn = (value: unknown, found: string[] = []): string[] => {
  if (typeof value === 'string' && value.includes('{{')) found.push(value);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) templatesIn(item, found);
  return found;
};

const shortcut = suite('template analysis shortcut: the same as the parser');

shortcut('every template of the fixtures, the workflows and the bench', () => {
  const sources = [...yamlFiles(join(root, 'test/fixtures')), ...yamlFiles(join(root, 'workflows'))].map((file) => readFileSync(file, 'utf8'));
  const templates = new Set(sources.concat(generateWorkflow(20)).flatMap((source) => templatesIn(loadWithYaml(source, 'w.yaml', { maxBytes: 1e7 }).value)));
  let taken = 0;
  for (const template of templates) if (agrees(template)) taken += 1;
  assert.ok(taken >= templates.size / 3, `the shortcut took ${taken} of ${templates.size} templates`);
});

shortcut('what it leaves to the parser', () => {
  for (const source of ['{{uuid x}}', '{{json}}', '{{if}}', '{{nope}}', '{{vars}}', '{{ vars.a }}', '{{~vars.a}}', '{{{vars.a}}}', '\\{{vars.a}}', '{{vars.a}}\n', 'a}{{vars.a}}',
    '{{steps.this.id}}', '{{this.a}}', '{{vars.[0]}}', '{{vars.a', '{{nope.a}}', '{{@root.vars.a}}', '{{default vars.a "x"}}', 'no template']) {
    assert.is(analyzeSimple(source), undefined, JSON.stringify(source));
  }
});

shortcut('a helper without arguments, alone or in text, is taken, and its program is the parser\'s', () => {
  for (const source of ['{{uuid}}', '{{test_ssn}}', 'id-{{uuid}}-{{vars.a}}', '{{now}}{{steps.x.id}}']) assert.ok(agrees(source), source);
});

const PIECES = ['{{', '}}', '{', '}', 'vars', 'steps', 'run', 'env', 'row', 'inputs', 'nope', '.', 'a', 'id', '_1', '1', 'this', ' ', '-', 'x', '\\', '\n', 'é', '😀', '~', '#', '@', '[0]', '..', 'uuid', 'test_ssn', 'json', '"', '(', ')'];
const templateText = fc.string({ unit: fc.constantFrom(...PIECES), maxLength: 16 });
const likely = fc
  .array(fc.tuple(fc.string({ unit: fc.constantFrom('x', '-', ' ', 'é', '😀', ':'), maxLength: 3 }), fc.constantFrom('vars', 'steps', 'run', 'row'), fc.array(fc.constantFrom('a', 'id', 'b_2', 'A', 'this', '0'), { minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.map(([text, scope, path]) => `${text}{{${[scope, ...path].join('.')}}}`).join(''));

shortcut('property: wherever the shortcut answers, the parser agrees', () => {
  fc.assert(fc.property(templateText, (source) => void agrees(source)), { numRuns: 3000, seed: 21 });
  fc.assert(fc.property(likely, (source) => void agrees(source)), { numRuns: 1000, seed: 22 });
});

shortcut.run();
