import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cli } from '../../src/cli.js';
import { json, startTestServer } from '../_server.js';
import { runCli } from './_io.js';

// Features that meet in `paxflow run`: --dry-run, resuming a local run from its emulator snapshot, and
// the up-front row check of a batch whose rows feed a playbook.
const run = suite('cli: run, end to end across features');

run('--dry-run prints the plan with known values and sends no request', async () => {
  const server = await startTestServer({ '/ok': json(200, {}) });
  try {
    const { code, stdout } = await runCli([
      'run', 'workflows/onboard-and-trade.yaml', '--dry-run', '--api-url', `${server.url}/v2`, '--oauth-url', `${server.url}/oauth2/token`,
    ]);
    assert.is(code, 0);
    assert.match(stdout, /identity_id <- steps\.identity\.id/);
    assert.match(stdout, /market = "?ETHUSD"?/);
    assert.equal(server.hits, {}, 'no request reached the server');
  } finally {
    await server.close();
  }
});

run('Ctrl-C during awaitOrder against the embedded emulator prints the resume command, and it finishes the flow', async () => {
  const home = mkdtempSync(join(tmpdir(), 'paxflow-home-'));
  const controller = new AbortController();
  let first = '';
  let firstErr = '';
  const code = await cli(['run', 'workflows/onboard-and-trade.yaml'], {
    stdout: {
      write: (text: string) => {
        first += text;
        // The buy was placed: the next step waits for its fill. Interrupt now.
        if (/✓ buy /.test(text)) controller.abort();
      },
      isTTY: false,
    },
    stderr: { write: (text: string) => void (firstErr += text) },
    env: { CI: 'true', PAXFLOW_HOME: home },
    cwd: process.cwd(),
    signal: controller.signal,
  });
  assert.is(code, 130, first + firstErr);
  assert.match(first, /! buy_filled /);
  const hint = /To resume: paxflow run \S+ --resume (\S+)/.exec(firstErr);
  assert.ok(hint, firstErr);

  const second = await runCli(['run', 'workflows/onboard-and-trade.yaml', '--resume', hint![1]!], { env: { PAXFLOW_HOME: home } });
  assert.is(second.code, 0, second.stdout + second.stderr);
  assert.match(second.stdout, /✓ exact_balance/);
});

run('a batch whose rows feed a playbook reports a row missing a value before running it', async () => {
  const { code, stdout } = await runCli([
    'run', 'workflows/batch-onboarding-playbook.yaml', '--data', 'workflows/data/customers.csv', '--concurrency', '6',
  ]);
  assert.is(code, 1);
  assert.match(stdout, /ROW_MISSING_COLUMN row 8 \(line 9\) has no value for row\.date_of_birth/);
  assert.not.match(stdout, /\[row 8\] [✓✗] onboard/);
});

run.run();
