import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cli } from '../../src/cli.js';
import type { RunEvent, StepResult } from '../../src/engine/results.js';
import { createConsoleReporter } from '../../src/report/console.js';
import { useColour } from '../../src/report/style.js';

const target = { name: 'local', apiUrl: 'http://127.0.0.1:1/v2' };
const step = (fields: Partial<StepResult>): StepResult => ({
  id: 'wait',
  name: 'Wait for approval',
  uses: 'awaitApproval',
  status: 'passed',
  durationMs: 12,
  attempts: 1,
  exchanges: [{ method: 'GET', path: '/v2/identity/identities/abc', status: 200, durationMs: 3, requestId: 'req-1' }],
  polls: [],
  ...fields,
});
const events = (result: StepResult): RunEvent[] => [
  { type: 'workflow:start', runId: 'r1', file: 'w.yaml', name: 'demo', target, stepCount: 1 },
  { type: 'step:start', runId: 'r1', index: 0, id: 'wait', name: 'Wait for approval', uses: 'awaitApproval' },
  { type: 'step:progress', runId: 'r1', index: 0, id: 'wait', polls: 3, last: { at: '2026-01-01T00:00:00.000Z', status: 'PENDING' } },
  { type: 'step:end', runId: 'r1', index: 0, result },
  {
    type: 'workflow:end',
    result: { runId: 'r1', file: 'w.yaml', name: 'demo', target, status: result.status === 'passed' ? 'passed' : 'failed', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 20, steps: [result] },
  },
];
const capture = (options: { live?: boolean; verbose?: boolean }, list: RunEvent[]) => {
  let text = '';
  const reporter = createConsoleReporter({ write: (chunk) => void (text += chunk), colour: false, ...options });
  for (const event of list) reporter(event);
  reporter.close();
  return text;
};

const pretty = suite('pretty: the console reporter');

pretty('plain mode (piped or CI): whole lines only, no cursor movement, no progress lines', () => {
  const text = capture({}, events(step({})));
  assert.not.ok(/[\r\u001b]/.test(text));
  assert.equal(
    text.split('\n').filter(Boolean).map((line) => line.trim().split(' ')[0]),
    ['demo', '✓', 'PASSED'],
  );
});

pretty('live mode (a terminal): the running step is redrawn with the check count and last status, then replaced', () => {
  const text = capture({ live: true }, events(step({})));
  const redraws = text.split('\r\u001b[2K');
  assert.ok(redraws.some((part) => part.includes('wait') && part.includes('check 3') && part.includes('PENDING')));
  const last = redraws[redraws.length - 1]!;
  assert.match(last, /^ {2}✓ wait /);
});

pretty('--verbose adds each HTTP exchange under its step; without it there are none', () => {
  const quiet = capture({}, events(step({})));
  const verbose = capture({ verbose: true }, events(step({})));
  assert.not.ok(quiet.includes('/v2/identity/identities/abc'));
  assert.match(verbose, /^ {6}GET \/v2\/identity\/identities\/abc 200 .*req-1$/m);
});

pretty('a failed step shows code and position; control characters in messages cannot move the cursor', () => {
  const failed = step({ status: 'failed', line: 7, col: 5, error: { code: 'PAXOS_BAD_REQUEST', message: 'bad\u001b[2J\nthing' } });
  const text = capture({}, events(failed));
  assert.match(text, /^ {6}PAXOS_BAD_REQUEST bad \[2J thing$/m);
  assert.match(text, /^ {6}at w\.yaml:7:5$/m);
  assert.not.ok(text.includes('\u001b'));
});

pretty('on a real terminal outside CI, a run draws live progress; under CI=true it does not', async () => {
  const home = mkdtempSync(join(tmpdir(), 'paxflow-home-'));
  const run = async (env: Record<string, string>) => {
    let stdout = '';
    const code = await cli(['run', 'workflows/denied-identity.yaml'], {
      stdout: { write: (text: string) => void (stdout += text), isTTY: true },
      stderr: { write: () => undefined },
      env: { NO_COLOR: '1', PAXFLOW_HOME: home, ...env },
      cwd: process.cwd(),
    });
    return { code, stdout };
  };
  const tty = await run({});
  assert.is(tty.code, 0);
  assert.ok(tty.stdout.includes('\r\u001b[2K'));
  const ci = await run({ CI: 'true' });
  assert.not.ok(ci.stdout.includes('\r'));
});

pretty('colour on a terminal only: off when piped, under CI, with TERM=dumb or a non-empty NO_COLOR', () => {
  assert.ok(useColour(true, {}));
  assert.ok(useColour(true, { NO_COLOR: '' }), 'an empty NO_COLOR does not count');
  assert.not.ok(useColour(true, { NO_COLOR: '1' }));
  assert.not.ok(useColour(true, { NO_COLOR: '0' }), 'any non-empty value counts');
  assert.not.ok(useColour(false, {}));
  assert.not.ok(useColour(true, { CI: 'true' }));
  assert.not.ok(useColour(true, { TERM: 'dumb' }));
});

pretty.run();
