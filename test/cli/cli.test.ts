import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { stepsMarkdown } from '../../src/commands/steps.js';
import { json, startTestServer } from '../_server.js';
import { runCli, tempFiles } from './_io.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const commands = suite<{ server: Server; files: Record<string, string> }>('cli: commands as a function');

commands.before(async (context) => {
  context.server = await startTestServer({
    '/ok': json(200, { value: 7 }),
    '/fail': json(503, { title: 'Service Unavailable' }),
    '/hang': () => undefined,
  });
  const base = context.server.url;
  context.files = tempFiles({
    'good.yaml': `version: 1\nname: good\nsteps:\n  - id: one\n    uses: http\n    with: { url: "${base}/ok" }\n`,
    'failing.yaml': `version: 1\nname: failing\nsteps:\n  - id: one\n    uses: http\n    with: { url: "${base}/ok" }\n  - id: two\n    name: Call the broken endpoint\n    uses: http\n    with: { url: "${base}/fail" }\n`,
    'bad.yaml': `version: 1\nname: bad\nsteps:\n  - id: one\n    uses: htp\n    with: { url: "${base}/ok" }\n  - id: two\n    uses: http\n    contine_on_error: true\n    with: { url: "${base}/ok" }\n`,
    'vars.yaml': `version: 1\nname: vars\nvars:\n  path: fail\nsteps:\n  - id: one\n    uses: http\n    with: { url: "${base}/{{vars.path}}" }\n`,
    'vars-file.yaml': 'path: ok\n',
    'hang.yaml': `version: 1\nname: hang\nsteps:\n  - id: one\n    uses: http\n    with: { url: "${base}/hang" }\n`,
  });
});
commands.after(async ({ server }) => server.close());

commands('--version prints the package version', async () => {
  const { code, stdout } = await runCli(['--version']);
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  assert.is(code, 0);
  assert.is(stdout.trim(), version);
});

commands('--help exits 0; no command prints help and exits 2', async () => {
  assert.is((await runCli(['--help'])).code, 0);
  const bare = await runCli([]);
  assert.is(bare.code, 2);
  assert.ok(bare.stdout.includes('run FILE_OR_DIR...'));
});

commands('an unknown command or option is a usage error, exit 2', async () => {
  const unknown = await runCli(['launch']);
  assert.is(unknown.code, 2);
  assert.ok(unknown.stderr.includes('UNKNOWN_COMMAND'));
  const option = await runCli(['validate', '--nope', 'x.yaml']);
  assert.is(option.code, 2);
  assert.ok(option.stderr.includes('BAD_ARGUMENTS'));
});

commands('validate: a good file exits 0, a bad one prints every problem at its line and exits 2', async ({ files }) => {
  assert.is((await runCli(['validate', files['good.yaml']!])).code, 0);
  const bad = await runCli(['validate', files['bad.yaml']!]);
  assert.is(bad.code, 2);
  const lines = bad.stderr.trim().split('\n');
  assert.is(lines.length, 2);
  assert.match(lines[0]!, new RegExp(`^${files['bad.yaml']!}:5:11 error UNKNOWN_STEP_TYPE `));
  assert.match(lines[1]!, new RegExp(`^${files['bad.yaml']!}:9:5 error UNKNOWN_KEY .*continue_on_error`));
  assert.not.match(bad.stderr, /at .*\.ts:\d+/);
});

commands('validate: past 100 problems the rest are counted by code on one line, for validate and for run', async () => {
  const steps = Array.from({ length: 130 }, (_, n) => `  - id: s${n}\n    id: s${n}\n    uses: assert\n    with: { checks: [{ actual: "1", equals: "1" }] }\n`).join('');
  const paths = tempFiles({ 'many.yaml': `version: 1\nname: many\nsteps:\n${steps}` });
  for (const command of ['validate', 'run']) {
    const { code, stderr } = await runCli([command, paths['many.yaml']!]);
    assert.is(code, 2);
    const lines = stderr.trim().split('\n');
    assert.is(lines.length, 101, command);
    assert.match(lines[99]!, /:\d+:\d+ error YAML_DUPLICATE_KEY /);
    assert.is(lines[100], '... and 30 more problems not shown (YAML_DUPLICATE_KEY x30); fix the ones above and run again');
  }
});

commands('validate --data checks row.* against the data file\'s columns', async () => {
  const paths = tempFiles({
    'rows.yaml': 'version: 1\nname: rows\nsteps:\n  - id: one\n    uses: assert\n    with:\n      checks:\n        - { actual: "{{row.name}}", exists: true }\n        - { actual: "{{row.amount}}", gt: "0" }\n',
    'both.csv': 'name,amount\nAda,5\n',
    'name-only.csv': 'name\nAda\n',
  });
  const without = await runCli(['validate', paths['rows.yaml']!]);
  assert.is(without.code, 2);
  assert.match(without.stderr, /REF_UNAVAILABLE_SCOPE/);
  assert.is((await runCli(['validate', paths['rows.yaml']!, '--data', paths['both.csv']!])).code, 0);
  const missing = await runCli(['validate', paths['rows.yaml']!, '--data', paths['name-only.csv']!]);
  assert.is(missing.code, 2);
  assert.match(missing.stderr, new RegExp(`^${paths['rows.yaml']!}:9:\\d+ error REF_UNKNOWN_COLUMN `, 'm'));
  assert.is(missing.stderr.trim().split('\n').length, 1);
});

commands('validate: a missing file is a coded error, exit 2', async () => {
  const missing = await runCli(['validate', 'no/such/file.yaml']);
  assert.is(missing.code, 2);
  assert.match(missing.stderr, /no\/such\/file\.yaml.* error [A-Z_]+ /);
});

commands('run: a passing workflow exits 0 and prints each step', async ({ files }) => {
  const { code, stdout } = await runCli(['run', files['good.yaml']!]);
  assert.is(code, 0);
  assert.match(stdout, /✓ one/);
  assert.match(stdout, /PASSED 1 passed, 0 failed, 0 skipped/);
});

commands('run: a failing step exits 1 and names the code and the step position', async ({ files }) => {
  const { code, stdout } = await runCli(['run', files['failing.yaml']!]);
  assert.is(code, 1);
  assert.match(stdout, /✗ two Call the broken endpoint/);
  assert.match(stdout, /HTTP_UNEXPECTED_STATUS unexpected status 503/);
  assert.ok(stdout.includes(`${files['failing.yaml']!}:7:5`));
  assert.match(stdout, /FAILED 1 passed, 1 failed, 0 skipped/);
});

commands('run: --var and --vars-file override declared variables; undeclared ones are refused', async ({ files }) => {
  assert.is((await runCli(['run', files['vars.yaml']!])).code, 1);
  assert.is((await runCli(['run', files['vars.yaml']!, '--var', 'path=ok'])).code, 0);
  assert.is((await runCli(['run', files['vars.yaml']!, '--vars-file', files['vars-file.yaml']!])).code, 0);
  const undeclared = await runCli(['run', files['vars.yaml']!, '--var', 'other=1']);
  assert.is(undeclared.code, 2);
  assert.ok(undeclared.stderr.includes('UNKNOWN_VAR'));
});

commands('run: an invalid workflow exits 2 before anything runs', async ({ files }) => {
  const { code, stderr, stdout } = await runCli(['run', files['bad.yaml']!]);
  assert.is(code, 2);
  assert.ok(stderr.includes('UNKNOWN_STEP_TYPE'));
  assert.is(stdout, '');
});

commands('run: an interrupt exits 130', async ({ files }) => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 150);
  const { code, stdout } = await runCli(['run', files['hang.yaml']!], { signal: controller.signal });
  assert.is(code, 130);
  assert.match(stdout, /INTERRUPTED/);
});

commands('schema prints exactly the checked-in schema', async () => {
  const { code, stdout } = await runCli(['schema']);
  assert.is(code, 0);
  assert.is(stdout, readFileSync('schemas/workflow.schema.json', 'utf8'));
});

commands('steps --json lists every registered step type with scopes and inputs', async () => {
  const { code, stdout } = await runCli(['steps', '--json']);
  assert.is(code, 0);
  const steps = JSON.parse(stdout) as Array<{ type: string; inputs: Array<{ name: string; required: boolean }> }>;
  const assertStep = steps.find((step) => step.type === 'assert');
  assert.ok(assertStep);
  assert.equal(assertStep!.inputs.find((input) => input.name === 'checks'), assertStep!.inputs.find((input) => input.required));
  assert.ok(steps.some((step) => step.type === 'http'));
});

commands('steps lists every step type with required inputs, scopes and sandbox-only marks', async () => {
  const { code, stdout } = await runCli(['steps']);
  assert.is(code, 0);
  assert.match(stdout, /^fundProfile {2}\(sandbox only\)$/m);
  assert.match(stdout, /^ {2}scopes: exchange:write_order exchange:read_order$/m);
  assert.match(stdout, /^ {4}order_id \(required\): /m);
});

commands('docs/steps.md is up to date with the step registry', () => {
  const expected = stepsMarkdown();
  assert.ok(readFileSync('docs/steps.md', 'utf8') === expected, 'docs/steps.md is stale: run `npm run generate`');
  assert.ok(expected.includes('## placeOrder') && expected.includes('`test_ssn'), 'lists steps and helpers');
});

commands('plan shows which outputs feed which inputs', async () => {
  const paths = tempFiles({
    'chain.yaml': `version: 1\nname: chain\nsteps:\n  - id: a\n    uses: http\n    with: { url: "http://127.0.0.1:9/ok" }\n  - id: b\n    uses: assert\n    with:\n      checks:\n        - { actual: "{{steps.a.status}}", equals: 200 }\n`,
  });
  const { code, stdout } = await runCli(['plan', paths['chain.yaml']!]);
  assert.is(code, 0);
  assert.match(stdout, /2\. b {2}assert {2}needs a/);
  assert.match(stdout, /checks\[0\]\.actual <- steps\.a\.status/);
});

commands.run();
