import { readdirSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../cli/_io.js';

// Every example in workflows/ runs to its expected outcome against the embedded emulator, through the CLI.
const examples = suite('workflows/: the examples run to their expected outcome');

const files = readdirSync('workflows').filter((name) => name.endsWith('.yaml')).sort();

examples('the four examples of the guide are there', () => {
  for (const name of ['onboard-and-trade.yaml', 'beneficial-owner.yaml', 'denied-identity.yaml', 'market-orders.yaml']) {
    assert.ok(files.includes(name), name);
  }
});

examples('the guide\'s other branches are there: enhanced due diligence and fiat funding', () => {
  for (const name of ['enhanced-due-diligence.yaml', 'fiat-funding.yaml']) assert.ok(files.includes(name), name);
});

for (const name of files) {
  examples(`${name} validates and passes`, async () => {
    const validated = await runCli(['validate', `workflows/${name}`]);
    assert.is(validated.code, 0, validated.stderr);
    const { code, stdout, stderr } = await runCli(['run', `workflows/${name}`]);
    assert.is(code, 0, stdout + stderr);
    assert.match(stdout, /PASSED \d+ passed/);
  });
}

examples('onboard-and-trade passes every step, including the exact balance check', async () => {
  const { stdout } = await runCli(['run', 'workflows/onboard-and-trade.yaml']);
  assert.match(stdout, /PASSED 11 passed, 0 failed, 0 skipped/);
  assert.match(stdout, /✓ exact_balance/);
});

examples('onboard-and-trade skips the exact check when expected_usd is empty (the real sandbox)', async () => {
  const { code, stdout } = await runCli(['run', 'workflows/onboard-and-trade.yaml', '--var', 'expected_usd=']);
  assert.is(code, 0);
  assert.match(stdout, /- exact_balance .*skipped: condition false/);
});

examples('a wrong expected balance fails the exact check with expected vs actual', async () => {
  const { code, stdout } = await runCli(['run', 'workflows/onboard-and-trade.yaml', '--var', 'expected_usd=9990.45']);
  assert.is(code, 1);
  assert.match(stdout, /ASSERTION_FAILED .*expected "9990.45", got "9990.44"/);
});

examples('denied-identity reports the denial clearly and still passes', async () => {
  const { code, stdout } = await runCli(['run', 'workflows/denied-identity.yaml']);
  assert.is(code, 0);
  assert.match(stdout, /✗ approval .*\[continue_on_error\]/);
  assert.match(stdout, /IDENTITY_DENIED .*DENIED/);
  assert.match(stdout, /at workflows\/denied-identity\.yaml:\d+:\d+/);
});

examples.run();
