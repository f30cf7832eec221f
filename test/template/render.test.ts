import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TemplateError } from '../../src/errors.js';
import { renderString, renderTemplate, renderValue, type TemplateContext } from '../../src/template/index.js';

function failure(render: () => unknown): TemplateError {
  try {
    render();
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected a TemplateError');
}

function context(): TemplateContext {
  return {
    vars: { market: 'ETHUSD', count: 3, price: '10.50', on: true, off: false, zero: 0, empty: '', nothing: null, tags: ['a', 'b'], limits: { daily: '100' } },
    env: { REGION: 'eu' },
    steps: {
      identity: { id: 'id-1', summary_status: 'APPROVED', ref_id: 'ref-1' },
      list: { items: [{ id: 'x', n: 1 }, { id: 'y', n: 2 }], total: 2 },
    },
    run: { id: 'run-1', started_at: '2026-01-01T00:00:00.000Z' },
  };
}

const typed = suite('renderTemplate: single expressions keep their type');

typed('number, boolean, string, null', () => {
  assert.is(renderTemplate('{{vars.count}}', context()), 3);
  assert.is(renderTemplate('{{vars.on}}', context()), true);
  assert.is(renderTemplate('{{vars.off}}', context()), false);
  assert.is(renderTemplate('{{vars.market}}', context()), 'ETHUSD');
  assert.is(renderTemplate('{{vars.nothing}}', context()), null);
  assert.is(renderTemplate('{{{vars.count}}}', context()), 3);
  assert.is(renderTemplate('{{~vars.count~}}', context()), 3);
});

typed('objects and arrays are deep copies', () => {
  const ctx = context();
  const items = renderTemplate('{{steps.list.items}}', ctx) as Array<{ id: string }>;
  assert.equal(items, [{ id: 'x', n: 1 }, { id: 'y', n: 2 }]);
  const source = (ctx.steps.list as { items: Array<{ id: string }> }).items;
  assert.is.not(items, source);
  assert.is.not(items[0], source[0]);
  items[0]!.id = 'changed';
  assert.is(source[0]!.id, 'x');
  assert.equal(renderTemplate('{{vars.limits}}', ctx), { daily: '100' });
  assert.equal(renderTemplate('{{@root.vars.tags}}', ctx), ['a', 'b']);
});

typed('helper results keep their type', () => {
  assert.is(renderTemplate('{{default vars.missing 5}}', context()), 5);
  assert.is(renderTemplate('{{default vars.count 5}}', context()), 3);
  assert.is(renderTemplate('{{default vars.nothing false}}', context()), false);
  assert.is(renderTemplate('{{eq vars.count 3}}', context()), true);
  assert.equal(renderTemplate('{{default steps.absent.items vars.tags}}', context()), ['a', 'b']);
  assert.is(renderTemplate('{{json vars.limits}}', context()), '{"daily":"100"}');
});

typed('array indexes and length', () => {
  assert.is(renderTemplate('{{steps.list.items.[1].id}}', context()), 'y');
  assert.is(renderTemplate('{{steps.list.items.length}}', context()), 2);
});

typed('a string without {{ comes back as it is; an escaped mustache is text', () => {
  assert.is(renderTemplate('just text }}', context()), 'just text }}');
  assert.is(renderTemplate('\\{{vars.market}}', context()), '{{vars.market}}');
});

typed.run();

const text = suite('renderTemplate / renderString: text');

text('adjacent expressions concatenate as text (handlebars 4.7.10 adds them)', () => {
  const ctx = { ...context(), vars: { a: 1, b: 2, t: true, s: 'x' } };
  assert.is(renderTemplate('{{vars.a}}{{vars.b}}', ctx), '12');
  assert.is(renderTemplate('{{vars.t}}{{vars.a}}', ctx), 'true1');
  assert.is(renderTemplate('{{vars.a}}{{vars.b}}{{vars.s}}', ctx), '12x');
  assert.is(renderTemplate('{{vars.a}}{{#if vars.t}}{{vars.b}}{{/if}}', ctx), '12');
  assert.is(renderString('{{vars.a}}', ctx), '1');
});

text('numbers and booleans interpolate as JSON text; whitespace control applies', () => {
  assert.is(renderTemplate('n={{vars.count}} on={{vars.on}} zero={{vars.zero}}', context()), 'n=3 on=true zero=0');
  assert.is(renderTemplate('{{vars.market}}-{{steps.identity.id}}', context()), 'ETHUSD-id-1');
  assert.is(renderTemplate('a {{~vars.count~}} b', context()), 'a3b');
  assert.is(renderTemplate('{{vars.empty}}|', context()), '|');
  assert.is(renderString('{{vars.on}}', context()), 'true');
});

text('null, objects and arrays inside a longer string are errors', () => {
  for (const [source, col] of [['x {{vars.nothing}}', 3], ['x {{vars.limits}}', 3], ['{{vars.tags}} y', 1], ['{{default vars.missing vars.limits}}!', 1]] as const) {
    const error = failure(() => renderTemplate(source, context()));
    assert.is(error.code, 'TEMPLATE_NOT_TEXT', source);
    assert.is(error.line, 1);
    assert.is(error.col, col, source);
  }
  assert.ok(failure(() => renderTemplate('x {{vars.limits}}', context())).message.includes('json'));
  assert.is(failure(() => renderString('{{vars.tags}}', context())).code, 'TEMPLATE_NOT_TEXT');
  assert.is(failure(() => renderString('{{vars.nothing}}', context())).code, 'TEMPLATE_NOT_TEXT');
});

text('objects go into text through json', () => {
  assert.is(renderTemplate('limits={{json vars.limits}}', context()), 'limits={"daily":"100"}');
});

text.run();

const missing = suite('missing values');

missing('a missing path at any level names the path and the keys that exist', () => {
  const cases: Array<[string, string, string[]]> = [
    ['{{vars.nope}}', 'vars.nope', ['market', 'count']],
    ['{{steps.absent.id}}', 'steps.absent.id', ['identity', 'list']],
    ['{{steps.identity.idd}}', 'steps.identity.idd', ['id', 'summary_status', 'ref_id']],
    ['{{env.MISSING}}', 'env.MISSING', ['REGION']],
    ['{{steps.list.items.[5].id}}', 'steps.list.items.[5].id', []],
  ];
  for (const [source, path, keys] of cases) {
    const error = failure(() => renderTemplate(source, context()));
    assert.is(error.code, 'TEMPLATE_MISSING_VALUE', source);
    assert.ok(error.message.includes(path), `${source}: ${error.message}`);
    for (const key of keys) assert.ok(error.message.includes(key), `${source} lists ${key}`);
    assert.is(error.line, 1);
    assert.is(error.col, 3);
  }
});

missing('a scope that the context does not hold (row, inputs) is missing', () => {
  for (const source of ['{{row.email}}', 'x {{inputs.name}}']) {
    const error = failure(() => renderTemplate(source, context()));
    assert.is(error.code, 'TEMPLATE_MISSING_VALUE');
    assert.ok(error.message.includes(source.includes('row') ? 'row.email' : 'inputs.name'));
  }
  assert.is(renderTemplate('{{row.email}}', { ...context(), row: { email: 'a@example.com' } }), 'a@example.com');
});

missing('the position is inside the template string, also on later lines', () => {
  const error = failure(() => renderTemplate('first {{vars.market}}\n  second {{steps.identity.idd}}', context()));
  assert.is(error.line, 2);
  assert.is(error.col, 12);
});

missing('#if, #each and helper arguments do not hide a missing path', () => {
  for (const source of ['{{#if vars.missing}}x{{/if}}', '{{#unless vars.missing}}x{{/unless}}', '{{#each steps.list.nope}}x{{/each}}', '{{eq vars.missing 1}}', '{{json steps.absent}}', 'a{{not (eq vars.missing 1)}}']) {
    const error = failure(() => renderTemplate(source, context()));
    assert.is(error.code, 'TEMPLATE_MISSING_VALUE', source);
    assert.ok(error.message.includes(source.includes('steps') ? 'steps.' : 'vars.missing'), source);
  }
});

missing('every reference is checked, also in a branch that does not render', () => {
  assert.is(failure(() => renderTemplate('{{#if false}}{{vars.missing}}{{/if}}', context())).code, 'TEMPLATE_MISSING_VALUE');
});

missing('default accepts a missing first value at any depth, also inside text', () => {
  assert.is(renderTemplate('id-{{default steps.absent.id "none"}}', context()), 'id-none');
  assert.is(renderTemplate('{{default row.email "nobody"}}', context()), 'nobody');
  assert.is(renderTemplate('{{default steps.identity.id.length 0}}', context()), 0);
  assert.is(failure(() => renderTemplate('{{default vars.missing vars.other}}', context())).code, 'TEMPLATE_MISSING_VALUE');
  assert.is(failure(() => renderTemplate('{{default (json vars.missing) 1}}', context())).code, 'TEMPLATE_MISSING_VALUE');
});

missing('inside #each, a scope name is relative, and the error says how to reach the workflow scope', () => {
  const error = failure(() => renderTemplate('{{#each steps.list.items}}{{vars.market}}{{/each}}', context()));
  assert.is(error.code, 'TEMPLATE_MISSING_VALUE');
  assert.ok(error.message.includes('@root.vars.market'));
  assert.is(error.col, 29);
});

missing('a template with a problem is not rendered', () => {
  assert.is(failure(() => renderTemplate('{{lookup vars "market"}}', context())).code, 'UNKNOWN_HELPER');
  assert.is(failure(() => renderTemplate('{{> partial}}', context())).code, 'TEMPLATE_PARTIAL');
  const syntax = failure(() => renderTemplate('a\n{{vars.market', context()));
  assert.is(syntax.code, 'TEMPLATE_SYNTAX');
  assert.is(syntax.line, 2);
});

missing('an unexpected failure becomes a TemplateError without the original error', () => {
  const error = failure(() => renderTemplate('{{json vars.odd}}', { ...context(), vars: { odd: 10n } }));
  assert.is(error.code, 'TEMPLATE_RENDER_FAILED');
  assert.is(error.cause, undefined);
});

missing.run();

const value = suite('renderValue');

value('renders each string leaf on its own and keeps other leaves', () => {
  const input = {
    ref_id: '{{run.id}}-identity',
    amount: '{{vars.price}}',
    count: '{{vars.count}}',
    flags: ['{{vars.on}}', 'static', 7, null, false],
    nested: { items: '{{steps.list.items}}', label: 'n={{vars.count}}' },
    untouched: { 'key {{vars.market}}': 'x' },
  };
  assert.equal(renderValue(input, context()), {
    ref_id: 'run-1-identity',
    amount: '10.50',
    count: 3,
    flags: [true, 'static', 7, null, false],
    nested: { items: [{ id: 'x', n: 1 }, { id: 'y', n: 2 }], label: 'n=3' },
    untouched: { 'key {{vars.market}}': 'x' },
  });
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function objectsIn(value: unknown, found = new Set<object>()): Set<object> {
  if (value !== null && typeof value === 'object') {
    found.add(value);
    for (const child of Object.values(value)) objectsIn(child, found);
  }
  return found;
}

value('never mutates its input or the context, and shares no object with either', () => {
  const ctx = deepFreeze(context());
  const input = deepFreeze({ a: ['{{steps.list.items}}', { b: 'plain', c: [1, 2] }], d: '{{vars.limits}}', e: { f: 'x' } });
  const snapshot = JSON.stringify(input);
  const output = renderValue(input, ctx);
  assert.is(JSON.stringify(input), snapshot);
  const shared = [...objectsIn(output)].filter((object) => objectsIn(input).has(object) || objectsIn(ctx).has(object));
  assert.is(shared.length, 0);
});

value('a __proto__ key stays a plain key', () => {
  const input = JSON.parse('{"__proto__": "{{vars.count}}", "ok": 1}') as unknown;
  const output = renderValue(input, context()) as Record<string, unknown>;
  assert.is(Object.getPrototypeOf(output), Object.prototype);
  assert.ok(Object.hasOwn(output, '__proto__'));
  assert.is(Object.getOwnPropertyDescriptor(output, '__proto__')?.value, 3);
});

value('an error in one leaf is the TemplateError of that leaf', () => {
  const error = failure(() => renderValue({ a: 'ok', b: ['{{vars.market}}', 'x {{steps.identity.nope}}'] }, context()));
  assert.is(error.code, 'TEMPLATE_MISSING_VALUE');
  assert.is(error.col, 5);
});

value.run();
