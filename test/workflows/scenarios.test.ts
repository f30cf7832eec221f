import { readdirSync, readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { compileSchema } from '../../src/workflow/ajv.js';
import { runCli, tempFiles } from '../cli/_io.js';

// The QA scenarios in workflows/scenarios/ each pass against the embedded emulator, through the CLI, and a
// changed expectation makes its scenario fail with expected vs actual.
const scenarios = suite('workflows/scenarios/: QA scenarios pass against the emulator');

const DIR = 'workflows/scenarios';
const files = readdirSync(DIR).filter((name) => name.endsWith('.yaml')).sort();
const editorSchema = compileSchema(JSON.parse(readFileSync('schemas/workflow.schema.json', 'utf8')) as Record<string, unknown>);

scenarios('the eight scenarios of issue 9 are there', () => {
  for (const name of [
    'order-beyond-funds.yaml',
    'denied-identity.yaml',
    'pending-identity-order.yaml',
    'duplicate-identity-ref-id.yaml',
    'sell-without-holdings.yaml',
    'resting-limit-cancelled.yaml',
    'market-buy-by-quote-amount.yaml',
    'unknown-beneficial-owner.yaml',
  ]) {
    assert.ok(files.includes(name), name);
  }
});

scenarios('the scenarios of issue 18 are there', () => {
  for (const name of ['missing-document-type.yaml', 'unknown-memo-id.yaml']) assert.ok(files.includes(name), name);
});

for (const name of files) {
  const file = `${DIR}/${name}`;

  scenarios(`${name} is written for editors and reruns: schema comment, description, run-unique ref_ids, test SSNs`, () => {
    const text = readFileSync(file, 'utf8');
    assert.ok(text.startsWith('# yaml-language-server: $schema=../../schemas/workflow.schema.json\n'), 'first line is the schema comment');
    const data = parse(text) as Record<string, unknown>;
    assert.type(data.description, 'string');
    assert.ok(editorSchema(data), `${name} fails the published schema`);
    for (const [, value] of text.matchAll(/\bref_id: (.+)$/gm)) assert.ok(value!.includes('{{run.id}}'), `ref_id ${value} is not run-unique`);
    for (const [, value] of text.matchAll(/\bcip_id: (.+)$/gm)) {
      assert.ok(value!.includes('{{test_ssn}}') || value!.includes('{{steps.'), `cip_id ${value} is not a test SSN`);
    }
  });

  scenarios(`${name} validates and passes`, async () => {
    const validated = await runCli(['validate', file]);
    assert.is(validated.code, 0, validated.stdout + validated.stderr);
    const { code, stdout, stderr } = await runCli(['run', file]);
    assert.is(code, 0, stdout + stderr);
    assert.match(stdout, /PASSED \d+ passed, 0 failed, 0 skipped/);
  });
}

scenarios('changing the expected error type makes that scenario, and only it, fail with expected vs actual', async () => {
  const original = readFileSync(`${DIR}/order-beyond-funds.yaml`, 'utf8');
  const changed = original.replace('type: insufficient-funds', 'type: already-exists');
  assert.is.not(changed, original);
  const paths = tempFiles({ 'order-beyond-funds.yaml': changed });

  const { code, stdout } = await runCli(['run', paths['order-beyond-funds.yaml']!]);
  assert.is(code, 1);
  assert.is(stdout.match(/✗/g)?.length, 1, 'one step fails');
  assert.match(stdout, /✗ buy /);
  assert.match(stdout, /EXPECTATION_FAILED .*error\.type: expected "already-exists", got "insufficient-funds"/);
  assert.match(stdout, /FAILED 4 passed, 1 failed, 2 skipped/);

  for (const name of files.filter((other) => other !== 'order-beyond-funds.yaml')) {
    const other = await runCli(['run', `${DIR}/${name}`]);
    assert.is(other.code, 0, `${name} is affected: ${other.stdout}`);
  }
});

scenarios('a scenario whose step succeeds where a failure is expected fails with UNEXPECTED_SUCCESS', async () => {
  const original = readFileSync(`${DIR}/sell-without-holdings.yaml`, 'utf8');
  // Turned into a BUY with enough USD for it, the order is accepted, which the scenario did not expect.
  const changed = original.replace('side: SELL', 'side: BUY');
  assert.is.not(changed, original);
  const paths = tempFiles({ 'sell.yaml': changed.replace('amount: "1000"', 'amount: "5000"') });
  const { code, stdout } = await runCli(['run', paths['sell.yaml']!]);
  assert.is(code, 1);
  assert.match(stdout, /✗ sell /);
  assert.match(stdout, /UNEXPECTED_SUCCESS expected the step to fail with status 403, type "insufficient-funds", but it succeeded/);
});

scenarios.run();
