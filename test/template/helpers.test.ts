import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TemplateError } from '../../src/errors.js';
import { renderTemplate, templateBlockHelpers, templateHelpers, type TemplateContext } from '../../src/template/index.js';

function failure(render: () => unknown): TemplateError {
  try {
    render();
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected a TemplateError');
}

const ctx: TemplateContext = {
  vars: { amount: '10.50', big: '123456789012345678901234567890', n: 3, s: 'abc', t: true, f: false, zero: 0, empty: '', none: null, list: [1, 2, 3], nolist: [], obj: { a: 1, b: 'x' }, noobj: {} },
  env: {},
  steps: {},
  run: { id: 'run-1', started_at: '2026-01-01T00:00:00.000Z' },
};
const render = (source: string): unknown => renderTemplate(source, ctx);
const code = (source: string): string => failure(() => render(source)).code;

const list = suite('templateHelpers');

list('lists exactly the documented helpers, each with a signature and a description', () => {
  assert.equal(
    templateHelpers.map((helper) => helper.name),
    ['uuid', 'now', 'test_ssn', 'json', 'default', 'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'and', 'or', 'not'],
  );
  assert.equal(templateBlockHelpers.map((helper) => helper.name), ['if', 'unless', 'each', 'with']);
  for (const helper of [...templateHelpers, ...templateBlockHelpers]) {
    assert.ok(helper.signature.length > 0 && helper.description.length > 0, helper.name);
    assert.equal(Object.keys(helper).sort(), ['description', 'name', 'signature']);
  }
  assert.ok(Object.isFrozen(templateHelpers));
});

list.run();

const generators = suite('uuid, now, test_ssn');

generators('uuid is a random v4 UUID', () => {
  const [a, b] = String(render('{{uuid}} {{uuid}}')).split(' ');
  assert.match(a ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.is.not(a, b);
});

generators('now is an ISO 8601 UTC timestamp, optionally shifted', () => {
  assert.match(String(render('{{now}}')), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  const [earlier = '', later = ''] = String(render('{{now "-1h"}}|{{now}}')).split('|');
  const difference = Date.parse(later) - Date.parse(earlier);
  assert.ok(difference >= 3_600_000 && difference < 3_660_000, String(difference));
  assert.ok(Date.parse(String(render('{{now "+2d"}}'))) > Date.parse(String(render('{{now}}'))));
  assert.is(code('{{now "yesterday"}}'), 'TEMPLATE_HELPER_ARGUMENT');
  assert.is(code('{{now 5}}'), 'TEMPLATE_HELPER_ARGUMENT');
});

generators('test_ssn is a never-issued 9XX number outside the ITIN groups, unique in the process', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 3000; i++) {
    const ssn = String(render('{{test_ssn}}'));
    assert.match(ssn, /^9\d\d-(0[1-9]|[1-4]\d)-(?!0000)\d{4}$/);
    seen.add(ssn);
  }
  assert.is(seen.size, 3000);
  assert.match(String(render('{{test_ssn format="plain"}}')), /^9\d{8}$/);
  assert.is(code('{{test_ssn format="short"}}'), 'TEMPLATE_HELPER_ARGUMENT');
});

generators.run();

const values = suite('json, default');

values('json writes compact JSON text', () => {
  assert.is(render('{{json vars.obj}}'), '{"a":1,"b":"x"}');
  assert.is(render('{{json vars.list}}'), '[1,2,3]');
  assert.is(render('{{json vars.s}}'), '"abc"');
  assert.is(render('{{json vars.none}}'), 'null');
  assert.is(code('{{json vars.missing}}'), 'TEMPLATE_MISSING_VALUE');
});

values('default falls back on missing and null only', () => {
  assert.is(render('{{default vars.missing "x"}}'), 'x');
  assert.is(render('{{default vars.none "x"}}'), 'x');
  assert.is(render('{{default vars.zero 5}}'), 0);
  assert.is(render('{{default vars.empty "x"}}'), '');
  assert.is(render('{{default vars.f true}}'), false);
  assert.is(code('{{default undefined undefined}}'), 'TEMPLATE_MISSING_VALUE');
});

values.run();

const compare = suite('eq, ne, gt, gte, lt, lte');

compare('eq and ne compare decimals exactly and other values strictly', () => {
  assert.is(render('{{eq vars.amount "10.5"}}'), true);
  assert.is(render('{{eq vars.amount 10.5}}'), true);
  assert.is(render('{{eq vars.n "3.000"}}'), true);
  assert.is(render('{{eq vars.s "abc"}}'), true);
  assert.is(render('{{eq vars.s "ABC"}}'), false);
  assert.is(render('{{eq vars.t true}}'), true);
  assert.is(render('{{eq vars.t "true"}}'), false);
  assert.is(render('{{eq vars.none null}}'), true);
  assert.is(render('{{ne vars.amount "10.51"}}'), true);
  assert.is(render('{{ne vars.s "abc"}}'), false);
  assert.is(code('{{eq vars.obj vars.obj}}'), 'TEMPLATE_HELPER_ARGUMENT');
  assert.is(code('{{ne vars.list 1}}'), 'TEMPLATE_HELPER_ARGUMENT');
});

compare('gt, gte, lt and lte compare numbers and decimal strings exactly', () => {
  assert.is(render('{{gt vars.amount "10.5"}}'), false);
  assert.is(render('{{gte vars.amount "10.5"}}'), true);
  assert.is(render('{{lt "-1" "0.001"}}'), true);
  assert.is(render('{{lte ".25" "0.25"}}'), true);
  assert.is(render('{{gt vars.big "123456789012345678901234567889.999"}}'), true);
  assert.is(render('{{lt vars.big "123456789012345678901234567890.0000001"}}'), true);
  assert.is(render('{{gt 0.3 (default vars.missing "0.29999999999999999999")}}'), true);
  assert.is(render('{{lt vars.n 10}}'), true);
  assert.is(render('{{#if (gt vars.amount "9.99")}}big{{else}}small{{/if}}'), 'big');
});

compare('ordering anything but numbers and decimal strings is an error', () => {
  for (const source of ['{{gt vars.s 1}}', '{{gte 1 vars.t}}', '{{lt vars.none 1}}', '{{lte vars.obj 1}}', '{{gt "2026-01-02" "2026-01-01"}}', '{{gt "1e3" 1}}']) {
    const error = failure(() => render(source));
    assert.is(error.code, 'TEMPLATE_HELPER_ARGUMENT', source);
    assert.is(error.col, 1, source);
  }
});

compare('a missing argument is an error even where Handlebars would pass undefined', () => {
  assert.is(code('{{gt undefined 1}}'), 'TEMPLATE_MISSING_VALUE');
  assert.is(code('{{eq vars.amount undefined}}'), 'TEMPLATE_MISSING_VALUE');
  assert.is(code('{{gt vars.missing 1}}'), 'TEMPLATE_MISSING_VALUE');
});

compare.run();

const logic = suite('and, or, not');

logic('use #if truthiness: false, null, "", 0 and [] are false; {} is true', () => {
  assert.is(render('{{and vars.t vars.n vars.s vars.list vars.noobj}}'), true);
  assert.is(render('{{and vars.t vars.zero}}'), false);
  assert.is(render('{{or vars.f vars.none vars.empty vars.zero vars.nolist}}'), false);
  assert.is(render('{{or vars.f vars.s}}'), true);
  assert.is(render('{{not vars.nolist}}'), true);
  assert.is(render('{{not vars.obj}}'), false);
  assert.is(render('{{not (and vars.t (or vars.f vars.n))}}'), false);
  assert.is(code('{{and vars.t vars.missing}}'), 'TEMPLATE_MISSING_VALUE');
  assert.is(code('{{not undefined}}'), 'TEMPLATE_MISSING_VALUE');
});

logic.run();

const blocks = suite('#if, #unless, #each, #with');

blocks('#if and #unless, with else and includeZero', () => {
  assert.is(render('{{#if vars.t}}yes{{else}}no{{/if}}'), 'yes');
  assert.is(render('{{#if vars.nolist}}yes{{else}}no{{/if}}'), 'no');
  assert.is(render('{{#if vars.zero}}yes{{else}}no{{/if}}'), 'no');
  assert.is(render('{{#if vars.zero includeZero=true}}yes{{else}}no{{/if}}'), 'yes');
  assert.is(render('{{#unless vars.none}}empty{{/unless}}'), 'empty');
  assert.is(render('{{#if vars.f}}a{{else if vars.t}}b{{else}}c{{/if}}'), 'b');
  assert.is(code('{{#if vars.t includeZero="yes"}}x{{/if}}'), 'TEMPLATE_HELPER_ARGUMENT');
});

blocks('a missing or undefined block argument is an error, not false', () => {
  for (const source of ['{{#if vars.missing}}x{{/if}}', '{{#if undefined}}x{{/if}}', '{{#unless undefined}}x{{/unless}}', '{{#each undefined}}x{{/each}}', '{{#with undefined}}x{{/with}}']) {
    const error = failure(() => render(source));
    assert.is(error.code, 'TEMPLATE_MISSING_VALUE', source);
    assert.is(error.line, 1);
  }
});

blocks('#each over lists and objects, with @index, @key, @first, @last and block params', () => {
  assert.is(render('{{#each vars.list}}{{@index}}:{{this}}{{#if @first}}F{{/if}}{{#if @last}}L{{/if}},{{/each}}'), '0:1F,1:2,2:3L,');
  assert.is(render('{{#each vars.obj as |value key|}}{{key}}={{value}};{{/each}}'), 'a=1;b=x;');
  assert.is(render('{{#each vars.obj}}{{@key}}{{/each}}'), 'ab');
  assert.is(render('{{#each vars.nolist}}x{{else}}none{{/each}}'), 'none');
  assert.is(render('{{#each vars.none}}x{{else}}none{{/each}}'), 'none');
  assert.is(render('{{#each vars.list as |n|}}{{#each @root.vars.list as |m|}}{{n}}{{m}} {{/each}}{{/each}}'), '11 12 13 21 22 23 31 32 33 ');
  assert.is(code('{{#each vars.s}}x{{/each}}'), 'TEMPLATE_HELPER_ARGUMENT');
});

blocks('#with changes the context and ../ reaches back', () => {
  assert.is(render('{{#with vars.obj}}{{a}}-{{b}}-{{../vars.n}}{{/with}}'), '1-x-3');
  assert.is(render('{{#with vars.obj as |o|}}{{o.b}}{{/with}}'), 'x');
  assert.is(render('{{#with vars.none}}x{{else}}nothing{{/with}}'), 'nothing');
  const error = failure(() => render('{{#with vars.obj}}{{c}}{{/with}}'));
  assert.is(error.code, 'TEMPLATE_MISSING_VALUE');
  assert.ok(error.message.includes('a, b'));
});

blocks('a block result is text even when the block holds one expression', () => {
  assert.is(render('{{#if vars.t}}{{vars.n}}{{/if}}'), '3');
});

blocks.run();
