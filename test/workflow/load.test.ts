import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DIAGNOSTIC_CODES } from '../../src/workflow/codes.js';
import { findExcessiveNesting, loadWorkflow } from '../../src/workflow/load.js';

const codes = (source: string, options = {}) => loadWorkflow(source, 'w.yaml', options).diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`);

const guards = suite('loadWorkflow: guards before parsing');

guards('10,000 nested brackets are refused before parsing, again and again, without killing the process', () => {
  const source = `a: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`;
  for (let run = 0; run < 5; run += 1) {
    const loaded = loadWorkflow(source, 'w.yaml');
    assert.equal(loaded.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`), ['NESTING_TOO_DEEP 1:67']);
    assert.is(loaded.document, undefined);
  }
});

guards('lone CR line breaks are one clear problem at the first of them; CRLF reads like LF', () => {
  assert.equal(codes('version: 1\rname: cr\rsteps: []\r'), ['LONE_CR 1:11']);
  assert.equal(codes('version: 1\nname: mixed\r\nsteps: []\rextra: 1\n'), ['LONE_CR 3:10']);
  assert.equal(codes('version: 1\r\nname: crlf\r\nsteps: []\r\n'), []);
  assert.equal(loadWorkflow('version: 1\r\nname: crlf\r\n', 'w.yaml').value, { version: 1, name: 'crlf' });
});

guards('flow nesting is counted exactly: 64 levels pass, 65 do not', () => {
  // The root mapping is one level.
  assert.equal(codes(`a: ${'['.repeat(63)}${']'.repeat(63)}`), []);
  assert.equal(codes(`a: ${'{a: '.repeat(63)}1${'}'.repeat(63)}`), []);
  assert.equal(codes(`a: ${'['.repeat(64)}${']'.repeat(64)}`), ['NESTING_TOO_DEEP 1:67']);
});

guards('deep block nesting is refused too, with compact lists and with indentation', () => {
  assert.equal(codes(`${'- '.repeat(100_000)}x\n`), ['NESTING_TOO_DEEP 1:129']);
  const indented = Array.from({ length: 300 }, (_, depth) => `${' '.repeat(depth)}k:`).join('\n');
  assert.equal(codes(indented).map((line) => line.split(' ')[0]), ['NESTING_TOO_DEEP']);
});

guards('ordinary nesting is not counted too deep: the estimate is at most one level over', () => {
  const source = 'a:\n  b:\n    - c: |\n        text\n      d: [1, {e: 2}]\n    - f\n';
  // a map, b map, the list, c's map, d's list, its map: 6 levels.
  assert.is(findExcessiveNesting(source, 7), undefined);
  assert.is(findExcessiveNesting(source, 6), undefined);
  assert.ok(findExcessiveNesting(source, 5) !== undefined);
  const sixty = `${Array.from({ length: 60 }, (_, depth) => `${'  '.repeat(depth)}k:`).join('\n')} x\n`;
  assert.is(findExcessiveNesting(sixty, 64), undefined);
});

guards('brackets inside text are not nesting, and cannot hide nesting that follows', () => {
  assert.equal(codes(`a: |\n  ${'['.repeat(100)}\nb: "${'{'.repeat(100)}"\nc: x[[[[\n`), []);
  const hidden = `--- |\n[[[[\n---\n${'- '.repeat(10_000)}x\n`;
  assert.equal(codes(hidden).map((line) => line.split(' ')[0]), ['NESTING_TOO_DEEP']);
});

guards('the size limit is checked first, in bytes, and can be set', () => {
  const big = `name: "${'x'.repeat(1024 * 1024)}"\n`;
  const loaded = loadWorkflow(big, 'w.yaml');
  assert.equal(loaded.diagnostics.map((d) => d.code), ['FILE_TOO_LARGE']);
  assert.is(loaded.diagnostics[0]!.file, 'w.yaml');
  assert.equal(codes('name: "ééé"\n', { maxBytes: 14 }).map((line) => line.split(' ')[0]), ['FILE_TOO_LARGE']);
  assert.equal(codes('name: "ééé"\n', { maxBytes: 15 }), []);
});

const parsing = suite('loadWorkflow: parsing');

parsing('a mapping becomes plain data, with the document and line counter for positions', () => {
  const loaded = loadWorkflow('version: 1\nname: x\nsteps: []\n', 'w.yaml');
  assert.equal(loaded.diagnostics, []);
  assert.equal(loaded.value, { version: 1, name: 'x', steps: [] });
  assert.ok(loaded.document);
  assert.ok(loaded.lineCounter);
  assert.is(loaded.source, 'version: 1\nname: x\nsteps: []\n');
});

parsing('YAML 1.2 core: yes/no and dates stay strings, keys are strings, no merge keys', () => {
  const loaded = loadWorkflow('a: yes\nb: 2021-01-01\n1: one\nc: &x {d: 1}\ne:\n  <<: *x\n', 'w.yaml');
  assert.equal(loaded.diagnostics, []);
  assert.equal(loaded.value, { a: 'yes', b: '2021-01-01', 1: 'one', c: { d: 1 }, e: { '<<': { d: 1 } } });
});

parsing('aliases give copies that share nothing', () => {
  const value = loadWorkflow('a: &x {k: [1, {m: 2}]}\nb: *x\n', 'w.yaml').value as Record<string, { k: unknown[] }>;
  assert.equal(value.a, value.b);
  assert.ok(value.a !== value.b);
  assert.ok(value.a!.k !== value.b!.k);
  assert.ok(value.a!.k[1] !== value.b!.k[1]);
});

parsing('billion laughs stops at the alias limit (a ReferenceError inside yaml)', () => {
  const source = [
    'a: &a [x, x, x, x, x, x, x, x, x, x]',
    'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
    'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
    'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
  ].join('\n');
  const loaded = loadWorkflow(source, 'w.yaml');
  assert.equal(loaded.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`), ['ALIAS_LIMIT 2:8']);
  assert.is(loaded.value, undefined);
});

parsing('a few aliases of a large anchored value are refused too: copying is bounded', () => {
  const wide = `a: &a [${Array.from({ length: 20_000 }, () => '1').join(',')}]\nb: [${Array.from({ length: 60 }, () => '*a').join(',')}]\n`;
  assert.equal(codes(wide), ['ALIAS_LIMIT 2:5']);
});

parsing('__proto__, constructor and prototype keys are reported and never reach the data', () => {
  const loaded = loadWorkflow('a:\n  __proto__: {polluted: true}\n  b: [{constructor: 1}, {prototype: 2}]\n', 'w.yaml');
  assert.equal(loaded.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`), ['FORBIDDEN_KEY 2:3', 'FORBIDDEN_KEY 3:8', 'FORBIDDEN_KEY 3:26']);
  const value = loaded.value as { a: Record<string, unknown> };
  assert.is(Object.getPrototypeOf(value.a), Object.prototype);
  assert.not.ok(Object.hasOwn(value.a, '__proto__'));
  assert.equal(value.a.b, [{}, {}]);
  assert.is(({} as Record<string, unknown>).polluted, undefined);
});

parsing('empty files, comment-only files and a lone document marker are EMPTY_FILE', () => {
  assert.equal(codes(''), ['EMPTY_FILE 1:1']);
  assert.equal(codes('# nothing\n\n'), ['EMPTY_FILE 1:1']);
  assert.equal(codes('---\n'), ['EMPTY_FILE 1:1']);
});

parsing('a root that is a list, a value or null is ROOT_NOT_MAPPING', () => {
  assert.equal(codes('- a\n'), ['ROOT_NOT_MAPPING 1:1']);
  assert.equal(codes('\n  hello\n'), ['ROOT_NOT_MAPPING 2:3']);
  assert.equal(codes('~\n'), ['ROOT_NOT_MAPPING 1:1']);
});

parsing('yaml problems get YAML_ codes, our own messages, and positions at the offending text', () => {
  const loaded = loadWorkflow('a:\n\tb: 1\nc: "unterminated\n', 'w.yaml');
  assert.ok(loaded.diagnostics.length >= 1);
  // An unclosed quote has a message of its own, at the quote; every other one is the code's.
  const quote = loaded.diagnostics.filter((d) => d.message.startsWith('a quoted value opens here'));
  assert.equal(quote.map((d) => [d.code, d.line, d.col]), [['YAML_MISSING_CHAR', 3, 4]]);
  for (const diagnostic of loaded.diagnostics) {
    assert.match(diagnostic.code, /^YAML_/);
    assert.not.ok(diagnostic.message.includes('unterminated'), 'never the source text');
    if (!quote.includes(diagnostic)) assert.is(diagnostic.message, DIAGNOSTIC_CODES[diagnostic.code as keyof typeof DIAGNOSTIC_CODES]);
  }
  assert.is(loaded.value, undefined);
});

parsing('multiple documents, non-string keys and tabs are errors', () => {
  assert.equal(codes('a: 1\n---\nb: 2\n'), ['YAML_MULTIPLE_DOCS 2:1']);
  assert.equal(codes('? [a]\n: 1\n'), ['YAML_NON_STRING_KEY 1:3']);
  assert.equal(codes('a:\n\tb: 1\n').map((line) => line.split(' ')[0]), ['YAML_TAB_AS_INDENT']);
});

parsing('a duplicate key or an unknown tag is reported, and the data is still returned for validation', () => {
  const duplicate = loadWorkflow('a: 1\nb: 2\na: 3\n', 'w.yaml');
  assert.equal(duplicate.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`), ['YAML_DUPLICATE_KEY 3:1']);
  assert.equal(duplicate.value, { a: 3, b: 2 });
  const tagged = loadWorkflow('a: !!js/function "f"\nb: !custom x\n', 'w.yaml');
  assert.equal(tagged.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`), ['YAML_TAG_RESOLVE_FAILED 1:4', 'YAML_TAG_RESOLVE_FAILED 2:4']);
  assert.ok(tagged.value);
});

parsing('an unquoted template is one UNQUOTED_TEMPLATE at the value, instead of yaml errors', () => {
  const loaded = loadWorkflow('a: {{x}}\nb: {{ y }}-z\nc:\n  - {{z}}\n', 'w.yaml');
  assert.equal(loaded.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`), ['UNQUOTED_TEMPLATE 1:4', 'UNQUOTED_TEMPLATE 2:4', 'UNQUOTED_TEMPLATE 4:5']);
  assert.match(loaded.diagnostics[0]!.message, /"\{\{/);
  assert.ok(loaded.value);
});

parsing('yaml prints no process warning (it would quote keys of the file)', async () => {
  const warnings: Error[] = [];
  const listener = (warning: Error) => warnings.push(warning);
  process.on('warning', listener);
  try {
    loadWorkflow('a: {{secret}}\n? [k]\n: v\n', 'w.yaml');
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listener);
  }
  assert.equal(warnings, []);
});

parsing('a yaml error on a line with personal data does not quote it', () => {
  const loaded = loadWorkflow('person:\n  cip_id: "987-65-4321" oops\n', 'w.yaml');
  assert.ok(loaded.diagnostics.length > 0);
  for (const diagnostic of loaded.diagnostics) assert.not.ok(diagnostic.message.includes('987-65-4321'));
});

guards.run();
parsing.run();
