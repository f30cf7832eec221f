import { inspect } from 'node:util';
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isTemplateError } from '../../src/errors.js';
import { analyzeTemplate, renderString, renderTemplate, renderValue, templateBlockHelpers, templateHelpers } from '../../src/template/index.js';
import type { TemplateContext } from '../../src/template/index.js';
import { CODE } from './_arbitraries.js';

// Any template text is analysed without an exception, and rendering it either returns or throws a
// TemplateError with a code, never another kind of error. Values of the context never reach an error
// message: the context is full of canaries, and no message may contain one.

const RUNS = 500;
const CANARIES = ['CANARY-vars-5f1c9e', 'CANARY-env-b7d204', 'CANARY-step-93aa61', 'CANARY-item-0c4e8d', '9876543210.13579'];

const context = (): TemplateContext => ({
  vars: {
    secret: CANARIES[0],
    code: CANARIES[4],
    list: [CANARIES[3], 'x', 7],
    obj: { k: CANARIES[0], n: '10.5', deeper: { k: CANARIES[3] } },
    n: 3,
    zero: 0,
    empty: '',
    nil: null,
    yes: true,
  },
  env: { TOKEN: CANARIES[1], REGION: 'eu' },
  steps: {
    s: { id: CANARIES[2], amount: '1.5', items: [{ id: CANARIES[3], n: 1 }], nested: { cip_id: CANARIES[2] } },
    t: { status: 'FILLED', list: [] },
  },
  run: { id: 'run-1', started_at: '2026-01-01T00:00:00.000Z' },
});

const PATHS = [
  'vars.secret', 'vars.code', 'vars.list', 'vars.list.[0]', 'vars.list.0', 'vars.obj', 'vars.obj.k', 'vars.obj.deeper.k', 'vars.obj.k.length',
  'vars.secret.length', 'vars.secret.[0]', 'vars.n', 'vars.zero', 'vars.empty', 'vars.nil', 'vars.yes', 'vars.missing', 'vars.nil.x', 'env.TOKEN',
  'env.NOPE', 'steps.s.id', 'steps.s.items', 'steps.s.items.[0].id', 'steps.s.nested.cip_id', 'steps.s.nope', 'steps.nope.id', 'steps.t.list',
  'run.id', 'run.started_at', '@root.vars.secret', '@root', 'this', '.', '../vars.secret', '@index', '@key', '@first', 'this.k', 'k', 'id',
  'vars', 'steps', 'row.x', 'vars.[secret]', 'vars.constructor', 'vars.__proto__', 'steps.s.items.length', 'item', 'i',
];
const LITERALS = ['"text"', "'q'", '1', '-2.5', '0', 'true', 'false', 'null', 'undefined', '"1h"', '"-1h"', '"plain"', '"dashed"', '"10.5"', '""'];
const HELPERS = [...templateHelpers.map((h) => h.name), ...templateBlockHelpers.map((h) => h.name), 'nope', 'lookup', 'log', 'helperMissing'];
const HASHES = ['', ' format="plain"', ' format=vars.secret', ' includeZero=true', ' x=1', ' as |item i|'];
const NOISE = ['{{', '}}', '{{{', '}}}', '(', ')', '{{#', '{{/', '{{^', '{{!--', '--}}', '{{>', '{{*', '\\{{', '~', '=', '|', ' ', '\n', 'a', 'é', '{{else}}'];

type Grammar = { expression: string; mustache: string; block: string; body: string; template: string };
const { template } = fc.letrec<Grammar>((tie) => ({
  expression: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(...PATHS),
    fc.constantFrom(...LITERALS),
    fc.tuple(fc.constantFrom(...HELPERS), fc.array(tie('expression'), { maxLength: 3 })).map(([helper, args]) => `(${[helper, ...args].join(' ')})`),
  ),
  mustache: fc.oneof(
    fc.constantFrom(...PATHS).map((path) => `{{${path}}}`),
    fc.constantFrom(...PATHS).map((path) => `{{{${path}}}}`),
    fc
      .tuple(fc.constantFrom(...HELPERS), fc.array(tie('expression'), { maxLength: 3 }), fc.constantFrom(...HASHES), fc.boolean())
      .map(([helper, args, hash, trim]) => (trim ? `{{~${[helper, ...args].join(' ')}${hash}~}}` : `{{${[helper, ...args].join(' ')}${hash}}}`)),
  ),
  block: fc
    .tuple(fc.constantFrom(...HELPERS), tie('expression'), fc.constantFrom(...HASHES), tie('body'), fc.option(tie('body')), fc.boolean())
    .map(([helper, argument, hash, body, otherwise, closeRight]) =>
      `{{#${helper} ${argument}${hash}}}${body}${otherwise === null ? '' : `{{else}}${otherwise}`}{{/${closeRight ? helper : 'if'}}}`),
  body: fc
    .array(fc.oneof({ depthSize: 'small' }, fc.string({ maxLength: 4 }), tie('mustache'), tie('block'), fc.constantFrom(...NOISE)), { maxLength: 4 })
    .map((parts) => parts.join('')),
  template: fc.oneof(tie('mustache'), tie('body'), fc.string({ unit: fc.constantFrom(...NOISE), maxLength: 20 }), fc.string({ maxLength: 30 })),
}));

/** What a failed render must be: a TemplateError with a code, naming no value of the context. */
const checkFailure = (error: unknown, source: string): void => {
  if (!isTemplateError(error)) throw new Error(`${JSON.stringify(source)} threw ${inspect(error)}`);
  assert.match(error.code, CODE);
  const shown = `${error.message}\n${inspect(error)}`;
  for (const canary of CANARIES) assert.not.ok(shown.includes(canary), `${JSON.stringify(source)}: ${error.code} ${error.message} shows ${canary}`);
};

const rendersOrFails = (source: string): void => {
  const ctx = context();
  for (const render of [renderTemplate, renderString, (text: string, c: TemplateContext) => renderValue({ a: [text], b: text }, c)]) {
    try {
      render(source, ctx);
    } catch (error) {
      checkFailure(error, source);
    }
  }
  assert.equal(ctx, context(), 'rendering leaves the context as it was');
};

const templates = suite('property: templates on any input');

templates('analyzeTemplate: any text gives an analysis with coded, placed problems; never an exception', () => {
  fc.assert(
    fc.property(template, (source) => {
      const analysis = analyzeTemplate(source);
      assert.is(analysis.isTemplate, source.includes('{{'));
      for (const problem of analysis.problems) {
        assert.match(problem.code, CODE);
        assert.ok(problem.message !== '' && problem.line >= 1 && problem.col >= 1, JSON.stringify(problem));
      }
    }),
    { numRuns: RUNS, seed: 2024 },
  );
});

templates('rendering any text returns or throws a coded TemplateError that shows no value of the context', () => {
  fc.assert(fc.property(template, rendersOrFails), { numRuns: RUNS, seed: 77 });
});

templates('rendering arbitrary text with braces in it: the same', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }).map((text) => `{{${text}}}`), rendersOrFails), { numRuns: RUNS, seed: 5 });
});

templates('two adjacent expressions are two texts side by side, never added up', () => {
  const text = fc.oneof(fc.integer(), fc.string({ maxLength: 8 }).filter((s) => !s.includes('{{')));
  fc.assert(
    fc.property(text, text, (a, b) => {
      const ctx = { ...context(), vars: { a, b } };
      assert.is(renderTemplate('{{vars.a}}{{vars.b}}', ctx), `${a}${b}`);
    }),
    { numRuns: 200, seed: 3 },
  );
});

templates.run();
