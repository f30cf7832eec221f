import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadWorkflow } from '../../src/workflow/load.js';
import { ajvErrorTarget, createLocator, lineCounterFor, pointerToPath, toPosition } from '../../src/workflow/locate.js';

const SOURCE = [
  'version: 1', //                 1
  'name: Locate', //               2
  'shared: &request', //           3
  '  path: /markets', //           4
  'steps:', //                     5
  '  - id: first', //              6
  '    uses: http', //             7
  '    with: *request', //         8
  '  - id: second', //             9
  '    uses: http', //             10
  '    with:', //                  11
  '      amount: "10"', //         12
  '      json:', //                13
  '  - uses: assert', //           14
  '    id: third', //              15
  '    with:', //                  16
  '      a/b: 1', //               17
  '      amount: { value: 1 }', // 18
  '',
].join('\n');

const locator = () => {
  const { document, lineCounter } = loadWorkflow(SOURCE, 'w.yaml');
  return createLocator(document!, lineCounter!);
};

const paths = suite('locate: paths to positions');

paths('a list item is located at its first key; a key at the key', () => {
  const { locate } = locator();
  assert.equal(locate(['steps', 2]), { line: 14, col: 5 });
  assert.equal(locate(['steps', 1, 'with', 'amount']), { line: 12, col: 7 });
  assert.equal(locate(['steps', '1', 'with', 'amount']), { line: 12, col: 7 });
  assert.equal(locate(['steps', 2, 'with', 'amount', 'value']), { line: 18, col: 17 });
  assert.equal(locate([]), { line: 1, col: 1 });
});

paths('values are located at the value, and a key without a value at the key', () => {
  const { offset, position } = locator();
  assert.equal(position(offset(['steps', 1, 'with', 'amount'], 'value')!), { line: 12, col: 15 });
  assert.equal(position(offset(['steps', 1, 'with', 'json'], 'value')!), { line: 13, col: 7 });
  assert.equal(position(offset(['steps', 2, 'with'], 'first-key')!), { line: 17, col: 7 });
});

paths('aliases are followed to the anchored text', () => {
  const { locate } = locator();
  assert.equal(locate(['steps', 0, 'with', 'path']), { line: 4, col: 3 });
});

paths('paths that do not exist give undefined, and nearestOffset falls back to the closest parent', () => {
  const { locate, nearestOffset, position } = locator();
  assert.is(locate(['steps', 9]), undefined);
  assert.is(locate(['steps', 'x']), undefined);
  assert.is(locate(['name', 'deeper']), undefined);
  assert.equal(position(nearestOffset(['steps', 1, 'with', 'nope', 'deeper'])), { line: 11, col: 5 });
});

paths('keys with / in them are found from a JSON Pointer', () => {
  const { locate } = locator();
  assert.equal(pointerToPath('/steps/2/with/a~1b'), ['steps', '2', 'with', 'a/b']);
  assert.equal(locate(pointerToPath('/steps/2/with/a~1b')), { line: 17, col: 7 });
  assert.equal(pointerToPath('/x~0y~1z'), ['x~y/z']);
  assert.equal(pointerToPath(''), []);
});

const errors = suite('locate: ajv errors');

errors('an unknown key points at the key, a missing key at the first key, anything else at the value', () => {
  assert.equal(ajvErrorTarget({ keyword: 'additionalProperties', instancePath: '/steps/0', params: { additionalProperty: 'x' } }), {
    path: ['steps', '0', 'x'],
    target: 'key',
  });
  assert.equal(ajvErrorTarget({ keyword: 'required', instancePath: '/steps/0', params: { missingProperty: 'uses' } }), {
    path: ['steps', '0'],
    target: 'first-key',
  });
  assert.equal(ajvErrorTarget({ keyword: 'type', instancePath: '/steps/0/id', params: { type: 'string' } }), {
    path: ['steps', '0', 'id'],
    target: 'value',
  });
  assert.equal(ajvErrorTarget({ keyword: 'propertyNames', instancePath: '/vars', params: { propertyName: 'Bad' } }), {
    path: ['vars', 'Bad'],
    target: 'key',
  });
});

const offsets = suite('locate: offsets to line:col');

offsets('a line counter made from text agrees with the one yaml fills in', () => {
  const { lineCounter } = loadWorkflow(SOURCE, 'w.yaml');
  const own = lineCounterFor(SOURCE);
  for (const at of [0, 5, 11, 12, 40, SOURCE.length - 1]) assert.equal(toPosition(own, at), toPosition(lineCounter!, at));
  assert.equal(toPosition(own, 0), { line: 1, col: 1 });
  assert.equal(toPosition(own, 11), { line: 2, col: 1 });
});

paths.run();
errors.run();
offsets.run();
