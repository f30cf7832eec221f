import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planWorkflow } from '../../src/engine/plan.js';
import { checkRow, rowNeeds } from '../../src/engine/row-check.js';
import { loadWorkflow } from '../../src/workflow/load.js';
import { expandMatrix, matrixColumns, matrixSize } from '../../src/workflow/matrix.js';
import { validateWorkflow, type ValidateOptions } from '../../src/workflow/validate.js';

const workflow = (extra: string, url = '/x/{{row.market}}') =>
  `version: 1\nname: m\n${extra}steps:\n  - id: call\n    uses: http\n    with: { path: "${url}" }\n`;
const validate = (source: string, options: ValidateOptions = {}) => validateWorkflow(loadWorkflow(source, 'w.yaml'), 'w.yaml', options);
const found = (source: string, options: ValidateOptions = {}) => validate(source, options).diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`);

const matrix = suite('workflow: matrix: and row.* references');

matrix('the two forms expand: a list row by row, a mapping to every combination with the first column slowest', () => {
  const axes = { market: ['ETHUSD', 'BTCUSD'], side: ['BUY', 'SELL'], size: [1] };
  assert.equal([...expandMatrix(axes)], [
    { market: 'ETHUSD', side: 'BUY', size: 1 },
    { market: 'ETHUSD', side: 'SELL', size: 1 },
    { market: 'BTCUSD', side: 'BUY', size: 1 },
    { market: 'BTCUSD', side: 'SELL', size: 1 },
  ]);
  const list = [{ a: { deep: 1 } }, { b: '2' }];
  const rows = [...expandMatrix(list)];
  assert.equal(rows, list);
  assert.is.not(rows[0], list[0], 'each row is a copy');
  assert.is(matrixSize(axes), 4);
  assert.equal(matrixColumns(list), ['a', 'b']);
});

matrix('row.* is valid with a matrix: and names one of its columns, with did-you-mean at line:col', () => {
  assert.equal(found(workflow('matrix:\n  market: [ETHUSD]\n')), []);
  assert.equal(found(workflow('matrix:\n  - { market: ETHUSD }\n')), []);
  assert.equal(found(workflow('matrix:\n  markets: [ETHUSD]\n')), ['REF_UNKNOWN_COLUMN 8:25']);
  assert.match(validate(workflow('matrix:\n  markets: [ETHUSD]\n')).diagnostics[0]!.message, /Did you mean `markets`\?/);
  // The first argument of default may name a column the rows lack.
  assert.equal(found(workflow('matrix:\n  side: [BUY]\n', "/x/{{default row.market 'ETHUSD'}}")), []);
});

matrix('without rows row.* is unavailable; --data gives its columns (CSV) or any column (JSONL), replacing the matrix', () => {
  assert.equal(found(workflow('')), ['REF_UNAVAILABLE_SCOPE 6:25']);
  assert.equal(found(workflow(''), { rowColumns: ['market'] }), []);
  assert.equal(found(workflow(''), { rowColumns: ['name'] }), ['REF_UNKNOWN_COLUMN 6:25']);
  assert.equal(found(workflow(''), { rowColumns: 'any' }), []);
  assert.equal(found(workflow('matrix:\n  side: [BUY]\n'), { rowColumns: ['market'] }), []);
});

matrix('the matrix: schema: lists of values, column names usable in templates, at most 1,000 rows', () => {
  assert.equal(found(workflow('matrix:\n  market: ETHUSD\n')).map((d) => d.split(' ')[0]), ['WRONG_TYPE']);
  assert.equal(found(workflow('matrix: []\n')).map((d) => d.split(' ')[0]), ['BAD_VALUE']);
  assert.equal(found(workflow('matrix:\n  "bad name": [1]\n', '/x')).map((d) => d.split(' ')[0]), ['BAD_VALUE']);
  const big = `matrix:\n  a: [${Array.from({ length: 40 }, (_, i) => i).join(', ')}]\n  b: [${Array.from({ length: 30 }, (_, i) => i).join(', ')}]\n`;
  assert.equal(found(workflow(big, '/x/{{row.a}}')), ['MATRIX_TOO_LARGE 3:1']);
});

matrix('rows are checked before they run: every row.* value a step without if: needs must be there', () => {
  const source = `version: 1
name: r
steps:
  - id: one
    uses: http
    with: { path: "/{{row.name}}/{{row.address.city}}/{{default row.note 'x'}}" }
  - id: maybe
    if: eq 1 2
    uses: http
    with: { path: "/{{row.only_sometimes}}" }
`;
  const validated = validate(source, { rowColumns: 'any' });
  assert.equal(validated.diagnostics, []);
  const needs = rowNeeds(planWorkflow(validated.workflow!));
  assert.equal(needs.map((need) => need.path.join('.')), ['name', 'address.city']);
  assert.equal(checkRow(needs, { name: 'Ann', address: { city: 'Oslo' } }, { number: 1, workflowFile: 'w.yaml' }), []);
  const problems = checkRow(needs, { name: 'Ann', address: {} }, { number: 7, line: 9, workflowFile: 'w.yaml' });
  assert.equal(problems.map((p) => p.code), ['ROW_MISSING_COLUMN']);
  assert.is(problems[0]!.message, 'row 7 (line 9) has no value for row.address.city (an empty cell or a missing column), which step one (w.yaml:4:5) needs');
  assert.not.ok(problems[0]!.message.includes('Ann'));
});

matrix.run();
