import { inspect } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TemplateError } from '../../src/errors.js';
import { analyzeTemplate, renderString, renderTemplate, type TemplateContext } from '../../src/template/index.js';

const SSN = '078-05-1120';
const TOKEN = 'tok_5ecret_9f8e7d';

const ctx: TemplateContext = {
  vars: { note: `customer ${SSN}` },
  env: { PAXOS_CLIENT_SECRET: TOKEN },
  steps: { kyc: { ssn: SSN, token: TOKEN, nested: { ssn: SSN }, nothing: null, list: [SSN] } },
  run: { id: 'run-1', started_at: '2026-01-01T00:00:00.000Z' },
};

function failure(render: () => unknown): TemplateError {
  try {
    render();
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected a TemplateError');
}

function assertNoSecret(error: TemplateError, source: string): void {
  for (const text of [error.message, String(error), inspect(error, { depth: 5 })]) {
    assert.not.ok(text.includes(SSN), `${source} leaks the SSN: ${text}`);
    assert.not.ok(text.includes('078051120'), `${source} leaks the SSN digits`);
    assert.not.ok(text.includes(TOKEN), `${source} leaks the token`);
  }
}

const leaks = suite('no value in any error');

leaks('property access on a string is a missing value that does not show the string', () => {
  for (const source of ['{{steps.kyc.ssn.length}}', 'x {{steps.kyc.ssn.length}}', '{{steps.kyc.ssn.x.y}}', '{{eq steps.kyc.ssn.length 11}}', '{{steps.kyc.token.[0]}}']) {
    const error = failure(() => renderTemplate(source, ctx));
    assert.is(error.code, 'TEMPLATE_MISSING_VALUE', source);
    assert.ok(error.message.includes('steps.kyc.'), source);
    assertNoSecret(error, source);
  }
});

leaks('errors from text, helpers and blocks show no value', () => {
  const cases: Array<[string, string]> = [
    ['x {{steps.kyc}}', 'TEMPLATE_NOT_TEXT'],
    ['x {{steps.kyc.nested}}', 'TEMPLATE_NOT_TEXT'],
    ['{{steps.kyc.list}} y', 'TEMPLATE_NOT_TEXT'],
    ['{{steps.kyc.nothing}} y', 'TEMPLATE_NOT_TEXT'],
    ['{{steps.kyc.ssnn}}', 'TEMPLATE_MISSING_VALUE'],
    ['{{env.PAXOS_CLIENT_ID}}', 'TEMPLATE_MISSING_VALUE'],
    ['{{gt steps.kyc.ssn 1}}', 'TEMPLATE_HELPER_ARGUMENT'],
    ['{{lt 1 env.PAXOS_CLIENT_SECRET}}', 'TEMPLATE_HELPER_ARGUMENT'],
    ['{{eq steps.kyc steps.kyc.ssn}}', 'TEMPLATE_HELPER_ARGUMENT'],
    ['{{now steps.kyc.ssn}}', 'TEMPLATE_HELPER_ARGUMENT'],
    ['{{test_ssn format=steps.kyc.ssn}}', 'TEMPLATE_HELPER_ARGUMENT'],
    ['{{#if steps.kyc.ssn includeZero=steps.kyc.token}}x{{/if}}', 'TEMPLATE_HELPER_ARGUMENT'],
    ['{{#each steps.kyc.ssn}}x{{/each}}', 'TEMPLATE_HELPER_ARGUMENT'],
    ['{{#with steps.kyc.ssn}}{{length}}{{/with}}', 'TEMPLATE_MISSING_VALUE'],
    ['{{#each steps.kyc.list}}{{this.length}}{{/each}}', 'TEMPLATE_MISSING_VALUE'],
    ['{{#each steps.kyc.list as |s|}}{{s.length}}{{/each}}', 'TEMPLATE_MISSING_VALUE'],
    ['{{#each steps.kyc}}{{this.x}}{{/each}}', 'TEMPLATE_MISSING_VALUE'],
  ];
  for (const [source, code] of cases) {
    const error = failure(() => renderTemplate(source, ctx));
    assert.is(error.code, code, source);
    assertNoSecret(error, source);
  }
  assertNoSecret(failure(() => renderString('{{steps.kyc.nested}}', ctx)), 'renderString');
});

leaks('a syntax error does not quote the template', () => {
  const source = `{{steps.kyc.ssn}} ${SSN} {{`;
  const [problem] = analyzeTemplate(source).problems;
  assert.is(problem?.code, 'TEMPLATE_SYNTAX');
  assert.not.ok(problem?.message.includes(SSN));
  assertNoSecret(failure(() => renderTemplate(source, ctx)), source);
});

leaks('values still render where they are asked for', () => {
  assert.is(renderTemplate('{{steps.kyc.ssn}}', ctx), SSN);
  assert.is(renderTemplate('{{steps.kyc.ssn.length}}', { ...ctx, steps: { kyc: { ssn: { length: 11 } } } }), 11);
});

leaks.run();

const env = suite('the environment is read one variable at a time');

env('no route renders the environment as a whole: each is refused before rendering, and the secret never shows', () => {
  const routes = [
    '{{json env}}', '{{env}}', 'x {{json env}}', '{{#each env}}{{@key}}={{this}} {{/each}}', '{{#with env}}{{json this}}{{/with}}',
    '{{#with env as |e|}}{{json e}}{{/with}}', '{{json @root.env}}', '{{default env "x"}}', '{{json (default env 1)}}', '{{json ./env}}',
    '{{json this.env}}', '{{json [env]}}', '{{#each vars.list}}{{json ../env}}{{/each}}', '{{#if env}}{{json env}}{{/if}}',
  ];
  for (const source of routes) {
    const error = failure(() => renderTemplate(source, { ...ctx, vars: { list: [1] } }));
    assert.is(error.code, 'TEMPLATE_WHOLE_ENV', source);
    assertNoSecret(error, source);
  }
  // Routes to the whole context, which holds env, are refused as they were.
  for (const source of ['{{json this}}', '{{json @root}}', '{{#with @root}}{{json this}}{{/with}}', '{{#each vars.list}}{{json ..}}{{/each}}', '{{lookup env "PAXOS_CLIENT_SECRET"}}']) {
    const error = failure(() => renderTemplate(source, { ...ctx, vars: { list: [1] } }));
    assert.ok(['TEMPLATE_UNKNOWN_SCOPE', 'UNKNOWN_HELPER', 'TEMPLATE_WHOLE_ENV'].includes(error.code), `${source}: ${error.code}`);
    assertNoSecret(error, source);
  }
  assert.is(renderTemplate('{{env.PAXOS_CLIENT_SECRET}}', ctx), TOKEN, 'a single named variable is read');
  assert.equal(analyzeTemplate('{{json env}}').problems.map((problem) => [problem.code, problem.col]), [['TEMPLATE_WHOLE_ENV', 8]]);
});

env.run();
