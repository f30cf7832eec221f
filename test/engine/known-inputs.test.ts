import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { json, startTestServer } from '../_server.js';
import { runCli, tempFiles } from '../cli/_io.js';

// Values known before a run reach typed step fields through whole-expression templates, which yield the
// value with its type. One that cannot fit must stop the run before its first request, placed where the
// value was given, and validate and plan must say so too.

type Server = Awaited<ReturnType<typeof startTestServer>>;
const known = suite<{ server: Server }>('known inputs: checked before the first request');
known.before(async (context) => {
  context.server = await startTestServer({ '/first': json(200, { ok: true }) });
});
known.after(async ({ server }) => server.close());

const BUY = (url: string) => `version: 1
name: buy
vars:
  quantity: "1"
steps:
  - id: first
    uses: http
    with: { url: "${url}/first" }
  - id: buy
    uses: placeOrder
    with:
      profile_id: "{{steps.first.body.id}}"
      side: BUY
      market: ETHUSD
      type: LIMIT
      base_amount: "{{vars.quantity}}"
      price: "1814.8"
`;

known('a number from --vars-file for a decimal string: exit 2 at the vars file line:col, nothing sent; validate and plan say the same', async ({ server }) => {
  const files = tempFiles({ 'w.yaml': BUY(server.url), 'vars.yaml': '# the order\nquantity: 1\n' });
  const before = server.hits['/first'] ?? 0;
  const run = await runCli(['run', files['w.yaml']!, '--vars-file', files['vars.yaml']!]);
  assert.is(run.code, 2, run.stderr + run.stdout);
  const at = `${files['vars.yaml']}:2:11 error KNOWN_VALUE_INVALID `;
  assert.ok(run.stderr.includes(at), run.stderr);
  assert.match(run.stderr, /vars\.quantity .*a number, which step buy \(.*w\.yaml:16:7\).*with\.base_amount .*quotes/);
  assert.is(server.hits['/first'] ?? 0, before, 'a request was sent');
  for (const command of ['validate', 'plan']) {
    const out = await runCli([command, files['w.yaml']!, '--vars-file', files['vars.yaml']!]);
    assert.is(out.code, 2, `${command}: ${out.stdout}`);
    assert.ok(out.stderr.includes(at), `${command}: ${out.stderr}`);
  }
  // Quoted, it is valid.
  const quoted = tempFiles({ 'vars.yaml': 'quantity: "1"\n' });
  assert.is((await runCli(['validate', files['w.yaml']!, '--vars-file', quoted['vars.yaml']!])).code, 0);
});

known('a --var is text: named by its flag where the field takes a number', async ({ server }) => {
  const files = tempFiles({ 'w.yaml': `version: 1\nname: s\nvars:\n  status: 200\nsteps:\n  - id: get\n    uses: http\n    with: { url: "${server.url}/first", expect_status: "{{vars.status}}" }\n` });
  assert.is((await runCli(['validate', files['w.yaml']!])).code, 0);
  const out = await runCli(['validate', files['w.yaml']!, '--var', 'status=200']);
  assert.is(out.code, 2);
  assert.match(out.stderr, /^error KNOWN_VALUE_INVALID vars\.status from --var status is a string, which step get \(.*w\.yaml:8:\d+\) cannot take: with\.expect_status /m);
  const unknown = await runCli(['validate', files['w.yaml']!, '--var', 'stauts=200']);
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, /UNKNOWN_VAR/);
});

known("a workflow's own default and a playbook input given a number are found by validate at their line", async () => {
  const files = tempFiles({
    'main.yaml': 'version: 1\nname: m\nsteps:\n  - id: order\n    uses: ./p.yaml\n    with: { quantity: 1 }\n',
    'p.yaml':
      'version: 1\nname: p\ninputs:\n  quantity: { type: number }\nvars:\n  price: 1814.8\nsteps:\n  - id: buy\n    uses: placeOrder\n    with:\n' +
      '      profile_id: "00000000-0000-4000-8000-000000000000"\n      side: BUY\n      market: ETHUSD\n      type: LIMIT\n      base_amount: "{{inputs.quantity}}"\n      price: "{{vars.price}}"\n',
  });
  const out = await runCli(['validate', files['main.yaml']!]);
  assert.is(out.code, 2, out.stdout);
  assert.ok(out.stderr.includes(`${files['main.yaml']}:6:13 error KNOWN_VALUE_INVALID input quantity of order is a number, which step order.buy (${files['p.yaml']}:15:7)`), out.stderr);
  assert.ok(out.stderr.includes(`${files['p.yaml']}:6:3 error KNOWN_VALUE_INVALID vars.price in ${files['p.yaml']} is a number`), out.stderr);
});

known('a data row whose value cannot fit fails alone with its row number, before any request for it', async ({ server }) => {
  const files = tempFiles({
    'w.yaml': `version: 1\nname: rows\nsteps:\n  - id: get\n    uses: http\n    with: { url: "${server.url}/first", expect_status: "{{row.status}}" }\n`,
    'rows.jsonl': '{"status": 200}\n{"status": "200"}\n{"status": 200}\n',
  });
  const before = server.hits['/first'] ?? 0;
  const run = await runCli(['run', files['w.yaml']!, '--data', files['rows.jsonl']!]);
  assert.is(run.code, 1, run.stderr);
  assert.match(run.stdout, /ROW_INVALID_VALUE row 2 \(line 2\), column status is a string, which step get \(.*w\.yaml:6:\d+\) cannot take: with\.expect_status /);
  assert.is((server.hits['/first'] ?? 0) - before, 2);
});

known('validate --data and a matrix: report a row value that cannot fit at its row', async () => {
  const step = '  - id: get\n    uses: http\n    with: { url: "http://127.0.0.1:9/", expect_status: "{{row.status}}" }\n';
  const files = tempFiles({
    'w.yaml': `version: 1\nname: rows\nsteps:\n${step}`,
    'rows.jsonl': '{"status": 200}\n{"status": "200"}\n',
    'm.yaml': `version: 1\nname: m\nmatrix:\n  - { status: 200 }\n  - { status: "200" }\nsteps:\n${step}`,
  });
  const data = await runCli(['validate', files['w.yaml']!, '--data', files['rows.jsonl']!]);
  assert.is(data.code, 2);
  assert.ok(data.stderr.includes(`${files['rows.jsonl']}:2:1 error ROW_INVALID_VALUE row 2 (line 2), column status is a string`), data.stderr);
  const matrix = await runCli(['validate', files['m.yaml']!]);
  assert.is(matrix.code, 2);
  assert.ok(matrix.stderr.includes(`${files['m.yaml']}:5:5 error ROW_INVALID_VALUE matrix row 2, column status is a string`), matrix.stderr);
  assert.is(matrix.stderr.trim().split('\n').length, 1);
});

known.run();
