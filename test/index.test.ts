import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as paxflow from '../src/index.js';

// The public API is what an embedder needs and nothing more; everything else may change without notice.
const api = suite('public API (src/index.ts)');

const folder = mkdtempSync(join(tmpdir(), 'paxflow-api-'));
const balances = {
  version: 1,
  name: 'balances',
  vars: { asset: 'USD' },
  steps: [{ id: 'balances', uses: 'getBalances', with: { profile_id: 'default', assets: ['{{vars.asset}}'] } }],
};
// A check fails on a secret and on a value written under a personal-data name: neither may show.
const leaky = `version: 1
name: leaky
vars:
  api_key: s3cr3t-v4lue-xyz
  ssn: "987-65-4321"
secrets: [api_key]
steps:
  - id: check
    uses: assert
    with:
      checks:
        - { label: key, actual: "{{vars.api_key}}", equals: other-value }
        - { label: ssn, actual: "{{vars.ssn}}", equals: 111-11-1111 }
`;
writeFileSync(join(folder, 'leaky.yaml'), leaky);
writeFileSync(join(folder, 'broken.yaml'), 'version: 1\nname: broken\nsteps:\n  - id: a\n    uses: getBalancez\n    with: {}\n');

api('exports exactly the documented names', () => {
  assert.equal(Object.keys(paxflow).sort(), [
    'EXIT',
    'PaxflowError',
    'cli',
    'isInvalidInputError',
    'isPaxflowError',
    'isUsageError',
    'runWorkflow',
    'startSandbox',
    'validateWorkflowFile',
  ]);
});

api('runWorkflow runs an object against an emulator the caller started, and returns outputs by step id', async () => {
  const sandbox = await paxflow.startSandbox({ port: 0 });
  const written: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((text: string) => written.push(text) > 0) as typeof write;
  try {
    const run = await paxflow.runWorkflow(balances, { sandbox, vars: { asset: 'BTC' } });
    assert.is(run.status, 'passed');
    assert.equal(run.outputs.balances.by_asset, { BTC: { available: '0', trading: '0' } });
    assert.is(run.target.apiUrl, sandbox.apiUrl);
    assert.match(run.report, /PASSED 1 passed, 0 failed, 0 skipped/);
  } finally {
    process.stdout.write = write;
    await sandbox.close();
  }
  assert.equal(written, [], 'nothing printed without output');
});

api('runWorkflow on a file: its own emulator by default; a failure is a result, reported without personal data', async () => {
  let printed = '';
  const run = await paxflow.runWorkflow('leaky.yaml', { cwd: folder, output: { write: (text) => void (printed += text) } });
  assert.is(run.status, 'failed');
  assert.is(run.target.name, 'local');
  assert.is(run.steps[0]!.error!.code, 'ASSERTION_FAILED');
  assert.equal(run.outputs, {});
  assert.is(printed, run.report);
  assert.match(run.report, /ASSERTION_FAILED .*\[REDACTED\]/);
  const everything = JSON.stringify(run);
  for (const value of ['987-65-4321', 's3cr3t-v4lue-xyz']) assert.not.ok(everything.includes(value), value);
});

api('runWorkflow rejects an invalid workflow with coded, positioned diagnostics; bad options are usage errors', async () => {
  const error = await paxflow.runWorkflow('broken.yaml', { cwd: folder }).catch((caught: unknown) => caught);
  assert.ok(paxflow.isInvalidInputError(error));
  assert.equal(error.diagnostics.map((d) => [d.code, d.line, d.col]), [['UNKNOWN_STEP_TYPE', 5, 11]]);
  const usage = await paxflow.runWorkflow(balances, { target: 'staging' as 'sandbox' }).catch((caught: unknown) => caught);
  assert.ok(paxflow.isUsageError(usage) && paxflow.isPaxflowError(usage));
  assert.is(usage.code, 'BAD_ARGUMENTS');
});

api('runWorkflow names its own options in option errors, never a command-line flag, and refuses half a custom target', async () => {
  const refused = async (options: Parameters<typeof paxflow.runWorkflow>[1]) => {
    const error = await paxflow.runWorkflow(balances, options).catch((caught: unknown) => caught);
    assert.ok(paxflow.isUsageError(error), String(error));
    assert.not.match(error.message, /--/);
    return error;
  };
  const sandbox = await refused({ target: { apiUrl: 'http://127.0.0.1:9/v2' } as unknown as 'local' });
  assert.match(sandbox.message, /^runWorkflow: the target option takes 'local', 'sandbox' or 'production', not a value of type object; .*pass it as the sandbox option$/);
  const halfApi = await refused({ apiUrl: 'http://127.0.0.1:9/v2' });
  assert.is(halfApi.code, 'BAD_ARGUMENTS');
  assert.match(halfApi.message, /^apiUrl needs oauthUrl too/);
  assert.match((await refused({ oauthUrl: 'http://127.0.0.1:9/oauth2/token' })).message, /^oauthUrl goes with apiUrl/);
  const production = await refused({ target: 'production', env: {} });
  assert.is(production.code, 'PRODUCTION_NOT_ALLOWED');
  assert.match(production.message, /add allowProduction: true/);
  const credentials = await refused({ target: 'sandbox', env: {}, clientId: 'someone' });
  assert.is(credentials.code, 'MISSING_CREDENTIALS');
  assert.match(credentials.message, /pass clientSecret, or set it in env/);
});

api('validateWorkflowFile returns the diagnostics and the lines paxflow validate prints', async () => {
  const bad = await paxflow.validateWorkflowFile(join(folder, 'broken.yaml'));
  assert.is(bad.valid, false);
  assert.equal(bad.diagnostics.map((d) => d.code), ['UNKNOWN_STEP_TYPE']);
  assert.match(bad.text, /broken\.yaml:5:11 error UNKNOWN_STEP_TYPE /);
  const good = await paxflow.validateWorkflowFile('leaky.yaml', { cwd: folder });
  assert.equal(good, { valid: true, diagnostics: [], text: '' });
  const missing = await paxflow.validateWorkflowFile('nope.yaml', { cwd: folder });
  assert.equal([missing.valid, missing.diagnostics[0]!.code], [false, 'FILE_UNREADABLE']);
});

api('cli is the command line as a function', async () => {
  let out = '';
  const code = await paxflow.cli(['--version'], { stdout: { write: (text) => void (out += text) }, stderr: { write: () => {} }, env: {}, cwd: folder });
  assert.is(code, paxflow.EXIT.ok);
  assert.match(out, /^\d+\.\d+\.\d+\n$/);
});

api.run();
