import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { analyzeTemplate, TEMPLATE_SCOPES } from '../../src/template/index.js';

const codes = (source: string): string[] => analyzeTemplate(source).problems.map((problem) => problem.code);
const paths = (source: string): string[] => analyzeTemplate(source).references.map((reference) => reference.path.join('.'));

const shape = suite('analyzeTemplate: shape');

shape('a string without {{ is not a template', () => {
  for (const source of ['', 'plain text', 'a } b }}', '{ not: a template }']) {
    assert.equal(analyzeTemplate(source), { isTemplate: false, isSingleExpression: false, references: [], problems: [] }, source);
  }
});

shape('a single expression is exactly one mustache with nothing around it', () => {
  for (const source of ['{{vars.a}}', '{{{vars.a}}}', '{{~vars.a~}}', '{{default vars.a 5}}', '{{uuid}}', '{{ steps.x.id }}']) {
    assert.ok(analyzeTemplate(source).isSingleExpression, source);
  }
  for (const source of [' {{vars.a}}', '{{vars.a}} ', 'x{{vars.a}}', '{{vars.a}}{{vars.b}}', '{{#if vars.a}}x{{/if}}', '{{!-- note --}}', '{{vars.a}}\n']) {
    const analysis = analyzeTemplate(source);
    assert.ok(analysis.isTemplate, source);
    assert.not.ok(analysis.isSingleExpression, source);
  }
});

shape('the scopes are the documented ones', () => {
  assert.equal([...TEMPLATE_SCOPES], ['vars', 'env', 'steps', 'run', 'row', 'inputs']);
});

shape('each call returns its own copy of the cached analysis', () => {
  const first = analyzeTemplate('{{steps.a.b}}');
  first.references[0]?.path.push('changed');
  first.references.pop();
  first.problems.push({ code: 'X', message: 'x', line: 1, col: 1 });
  assert.equal(analyzeTemplate('{{steps.a.b}}').references, [{ path: ['steps', 'a', 'b'], optional: false, line: 1, col: 3 }]);
  assert.equal(analyzeTemplate('{{steps.a.b}}').problems, []);
});

shape.run();

const references = suite('analyzeTemplate: references');

references('finds paths in mustaches, params, subexpressions, hashes and blocks, with 1-based positions', () => {
  const source = 'id: {{steps.identity.id}}\n  {{eq vars.market (default env.MARKET "x")}}\n{{#if run.id}}{{#unless (not row.ok)}}{{inputs.n}}{{/unless}}{{/if}}\n{{test_ssn format=vars.fmt}}';
  assert.equal(analyzeTemplate(source).references, [
    { path: ['steps', 'identity', 'id'], optional: false, line: 1, col: 7 },
    { path: ['vars', 'market'], optional: false, line: 2, col: 8 },
    { path: ['env', 'MARKET'], optional: true, line: 2, col: 29 },
    { path: ['run', 'id'], optional: false, line: 3, col: 7 },
    { path: ['row', 'ok'], optional: false, line: 3, col: 30 },
    { path: ['inputs', 'n'], optional: false, line: 3, col: 41 },
    { path: ['vars', 'fmt'], optional: false, line: 4, col: 19 },
  ]);
  assert.equal(analyzeTemplate(source).problems, []);
});

references('finds @root and ../ paths inside blocks, but not block params, this or @index', () => {
  const source = '{{#each steps.list.items as |item i|}}{{item.id}}{{i}}{{this.x}}{{name}}{{@index}}{{@root.vars.a}}{{../vars.b}}{{/each}}';
  assert.equal(paths(source), ['steps.list.items', 'vars.a', 'vars.b']);
  assert.equal(codes(source), []);
});

references('#with changes the context; #if does not', () => {
  assert.equal(paths('{{#with steps.x}}{{id}}{{../vars.a}}{{/with}}'), ['steps.x', 'vars.a']);
  assert.equal(paths('{{#if vars.on}}{{vars.a}}{{else}}{{vars.b}}{{/if}}'), ['vars.on', 'vars.a', 'vars.b']);
  assert.equal(codes('{{#if vars.on}}{{../vars.a}}{{/if}}'), ['TEMPLATE_UNKNOWN_SCOPE']);
});

references('the else part of #each reads the enclosing context', () => {
  assert.equal(paths('{{#each steps.x.items}}{{id}}{{else}}{{vars.none}}{{/each}}'), ['steps.x.items', 'vars.none']);
});

references('literal segments are path parts', () => {
  assert.equal(paths('{{steps.[my-step].[a b]}}'), ['steps.my-step.a b']);
});

references.run();

const problems = suite('analyzeTemplate: problems');

problems('a syntax error has a position and no text from the template', () => {
  const [eof] = analyzeTemplate('first line\n {{foo 123-45-6789').problems;
  assert.is(eof?.code, 'TEMPLATE_SYNTAX');
  assert.is(eof?.line, 2);
  assert.ok(!eof?.message.includes('123-45-6789'));
  const [mismatch] = analyzeTemplate('ab\n  {{#if vars.a}}x{{/iff}}').problems;
  assert.is(mismatch?.code, 'TEMPLATE_SYNTAX');
  assert.is(mismatch?.line, 2);
  assert.is(mismatch?.col, 6);
  assert.ok(!mismatch?.message.includes('iff'));
  assert.equal(codes('{{vars.a'), ['TEMPLATE_SYNTAX']);
  assert.equal(codes('{{vars.a}}}'), ['TEMPLATE_SYNTAX']);
});

problems('an unknown helper names the helpers and suggests the nearest one', () => {
  const [problem] = analyzeTemplate('x {{eqq vars.a 1}}').problems;
  assert.is(problem?.code, 'UNKNOWN_HELPER');
  assert.is(problem?.line, 1);
  assert.is(problem?.col, 5);
  assert.ok(problem?.message.includes('`eq`'), 'suggests eq');
  assert.ok(problem?.message.includes('test_ssn'), 'lists the helpers');
  assert.ok(analyzeTemplate('{{defualt vars.a 1}}').problems[0]?.message.includes('`default`'));
});

problems("Handlebars' own helpers outside our list are unknown", () => {
  for (const source of ['{{lookup vars "a"}}', '{{log vars.a}}', '{{helperMissing vars.a}}', '{{blockHelperMissing vars.a}}', '{{x (lookup vars "a")}}']) {
    assert.ok(codes(source).includes('UNKNOWN_HELPER'), source);
  }
  assert.equal(codes('{{#vars.list}}x{{/vars.list}}'), ['UNKNOWN_HELPER']);
  assert.equal(codes('{{{{raw}}}} {{vars.a}} {{{{/raw}}}}'), ['UNKNOWN_HELPER']);
  assert.equal(codes('{{vars.a 1}}'), ['UNKNOWN_HELPER']);
});

problems('partials and decorators are rejected with their position', () => {
  assert.equal(analyzeTemplate('a\n {{> header}}').problems.map(({ code, line, col }) => ({ code, line, col })), [{ code: 'TEMPLATE_PARTIAL', line: 2, col: 2 }]);
  assert.equal(codes('{{#> layout}}x{{/layout}}'), ['TEMPLATE_PARTIAL']);
  assert.equal(analyzeTemplate('{{* deco}}').problems.map(({ code, col }) => ({ code, col })), [{ code: 'TEMPLATE_DECORATOR', col: 1 }]);
  assert.equal(codes('{{#* inline "p"}}x{{/inline}}'), ['TEMPLATE_DECORATOR']);
});

problems('a path outside the known scopes is rejected, with a suggestion', () => {
  const [problem] = analyzeTemplate('{{var.market}}').problems;
  assert.is(problem?.code, 'TEMPLATE_UNKNOWN_SCOPE');
  assert.is(problem?.col, 3);
  assert.ok(problem?.message.includes('`vars`'));
  for (const source of ['{{identity.id}}', '{{this}}', '{{.}}', '{{@index}}', '{{@root}}', '{{@root.foo}}', '{{../vars.a}}', '{{eq secret 1}}', '{{"literal"}}']) {
    assert.equal(codes(source), ['TEMPLATE_UNKNOWN_SCOPE'], source);
  }
  assert.equal(codes('{{#each steps.x.items}}{{@foo}}{{/each}}'), ['TEMPLATE_UNKNOWN_SCOPE']);
  assert.equal(codes('{{#each steps.x.items}}{{../../vars.a}}{{/each}}'), ['TEMPLATE_UNKNOWN_SCOPE']);
});

problems('helpers are checked for arity, hash keys and block use', () => {
  assert.equal(codes('{{eq vars.a}}'), ['TEMPLATE_HELPER_ARGUMENT']);
  assert.equal(codes('{{uuid vars.a}}'), ['TEMPLATE_HELPER_ARGUMENT']);
  assert.equal(codes('{{not vars.a vars.b}}'), ['TEMPLATE_HELPER_ARGUMENT']);
  assert.equal(codes('{{eq vars.a 1 strict=true}}'), ['TEMPLATE_HELPER_ARGUMENT']);
  assert.equal(codes('{{#if vars.a vars.b}}x{{/if}}'), ['TEMPLATE_HELPER_ARGUMENT']);
  assert.equal(codes('{{#each}}x{{/each}}'), ['TEMPLATE_HELPER_ARGUMENT']);
  assert.equal(codes('{{#if vars.a as |x|}}y{{/if}}'), ['TEMPLATE_HELPER_ARGUMENT']);
  assert.equal(codes('{{#eq vars.a 1}}x{{/eq}}'), ['TEMPLATE_HELPER_USAGE']);
  assert.equal(codes('{{if vars.a}}'), ['TEMPLATE_HELPER_USAGE']);
  assert.equal(codes('{{and vars.a vars.b vars.c}}{{test_ssn format="plain"}}{{#if vars.a includeZero=true}}x{{/if}}'), []);
});

problems('deep nesting is refused instead of exhausting the stack', () => {
  const subexpressions = (n: number): string => `{{not ${'(not '.repeat(n)}vars.a${')'.repeat(n)}}}`;
  const blocks = (n: number): string => `${'{{#if vars.a}}'.repeat(n)}x${'{{/if}}'.repeat(n)}`;
  assert.equal(codes(subexpressions(40)), []);
  assert.equal(codes(blocks(40)), []);
  for (const depth of [100, 5000]) {
    assert.equal(codes(subexpressions(depth)), ['TEMPLATE_SYNTAX'], `subexpressions ${depth}`);
    assert.equal(codes(blocks(depth)), ['TEMPLATE_SYNTAX'], `blocks ${depth}`);
  }
  const inverse = `${'{{^vars.a}}'.repeat(5000)}x${'{{/vars.a}}'.repeat(5000)}`;
  assert.ok(codes(inverse).includes('TEMPLATE_SYNTAX'));
});

problems('every problem is reported, not just the first', () => {
  assert.equal(codes('{{> p}} {{nope 1}} {{var.a}} {{eq 1}}'), ['TEMPLATE_PARTIAL', 'UNKNOWN_HELPER', 'TEMPLATE_UNKNOWN_SCOPE', 'TEMPLATE_HELPER_ARGUMENT']);
});

problems.run();

const hints = suite('analyzeTemplate: hints');

hints('a numeric path segment gets the bracket hint; other syntax errors do not', () => {
  const [numeric] = analyzeTemplate('{{steps.a.roles.0}}').problems;
  assert.is(numeric?.code, 'TEMPLATE_SYNTAX');
  assert.ok(numeric?.message.includes('roles.[0]'));
  const [unclosed] = analyzeTemplate('{{steps.a.b').problems;
  assert.is(unclosed?.code, 'TEMPLATE_SYNTAX');
  assert.not.ok(unclosed?.message.includes('brackets'));
  assert.equal(analyzeTemplate('{{steps.a.members.[0].id}}').problems, []);
});

hints.run();

