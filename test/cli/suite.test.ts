import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonBatchReport } from '../../src/report/json.js';
import { runWithReports } from '../report/_reports.js';
import { startBatchServer, httpWorkflow } from './_batch-server.js';
import { runCli, tempFiles } from './_io.js';

type Server = Awaited<ReturnType<typeof startBatchServer>>;
const suites = suite<{ server: Server; dir: string; slow: string }>('cli: paxflow run FILE_OR_DIR... runs a suite');

suites.before(async (context) => {
  context.server = await startBatchServer();
  const base = context.server.url;
  const files = tempFiles({
    'alpha.yaml': httpWorkflow('alpha passes', `${base}/ok/alpha`),
    'beta.yaml': httpWorkflow('beta passes', `${base}/slow/beta`),
    'gamma.yaml': httpWorkflow('gamma fails', `${base}/fail/gamma`),
    'delta.yaml': 'version: 1\nname: delta is invalid\nsteps:\n  - id: call\n    uses: htp\n    with: { url: "x" }\n',
    'notes.txt': 'not a workflow',
  });
  context.dir = dirname(files['alpha.yaml']!);
  const slow = tempFiles(Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`slow-${i}.yaml`, httpWorkflow(`slow ${i}`, `${base}/slow/${i}`)])));
  context.slow = dirname(slow['slow-0.yaml']!);
});
suites.after(async ({ server }) => server.close());
suites.before.each(({ server }) => server.reset());

suites('a folder of passing, failing and invalid files: every file runs, one summary, exit 1, a testsuite per file', async ({ dir }) => {
  const run = await runWithReports([dir, '--reporter', 'pretty']);
  assert.is(run.code, 1, run.stderr);
  const junit = run.junit().testsuites.testsuite;
  assert.equal(junit.map((s) => s.name), ['alpha passes', 'beta passes', 'delta is invalid', 'gamma fails']);
  assert.equal(junit.map((s) => s.failures), ['0', '0', '1', '1']);
  assert.is(junit[2]!.testcase[0]!.failure?.type, 'UNKNOWN_STEP_TYPE');
  assert.is(junit[3]!.testcase[0]!.failure?.type, 'HTTP_UNEXPECTED_STATUS');

  const report = run.json() as unknown as JsonBatchReport;
  assert.is(report.kind, 'batch');
  assert.is(report.status, 'failed');
  assert.equal(report.summary, { total: 4, passed: 2, failed: 1, invalid: 1, interrupted: 0 });
  assert.equal(report.runs.map((r) => [r.label, r.status]), [['alpha', 'passed'], ['beta', 'passed'], ['delta', 'invalid'], ['gamma', 'failed']]);
  const invalid = report.runs[2]!;
  assert.equal(invalid.problems!.map((p) => [p.code, p.line, p.col]), [['UNKNOWN_STEP_TYPE', 5, 11]]);
  assert.is(invalid.runId, undefined);
  // Each file is its own run.
  assert.is(new Set(report.runs.flatMap((r) => (r.runId ? [r.runId] : []))).size, 3);

  // The console: every line of a unit names it, and one summary ends the output.
  const lines = run.stdout.split('\n');
  assert.ok(lines.some((line) => /^\[gamma\] +✗ call Call the server/.test(line)));
  assert.ok(lines.some((line) => /^\[delta\] +✗ invalid/.test(line)));
  assert.not.ok(lines.some((line) => /^ +[✓✗] call/.test(line)), 'a step line without its unit');
  assert.match(run.stdout, /Summary \(4 runs\)\n(.*\n){4}FAILED 4 runs: 2 passed, 1 failed, 1 invalid in/);
});

suites('--grep selects files by workflow name, an invalid one too; a pattern that selects nothing is exit 2', async ({ dir, server }) => {
  const passing = await runWithReports([dir, '--grep', 'PASSES']);
  assert.is(passing.code, 0, passing.stderr);
  assert.equal(passing.junit().testsuites.testsuite.map((s) => s.name), ['alpha passes', 'beta passes']);
  assert.equal(server.seen.map((r) => r.path).sort(), ['/ok/alpha', '/slow/beta']);

  const invalid = await runCli(['run', dir, '--grep', '^delta']);
  assert.is(invalid.code, 1);
  assert.match(invalid.stdout, /UNKNOWN_STEP_TYPE/);

  const none = await runCli(['run', dir, '--grep', 'no such workflow']);
  assert.is(none.code, 2);
  assert.match(none.stderr, /NO_WORKFLOWS/);
  assert.is((await runCli(['run', dir, '--grep', '('])).code, 2);
});

suites('--concurrency bounds the files running at once', async ({ slow, server }) => {
  const two = await runCli(['run', slow, '--concurrency', '2']);
  assert.is(two.code, 0, two.stderr);
  assert.is(server.seen.length, 6);
  assert.is(server.mostInFlight, 2);
  server.reset();
  const one = await runCli(['run', slow, '--concurrency', '1']);
  assert.is(one.code, 0);
  assert.is(server.mostInFlight, 1);
  for (const bad of ['0', 'x', '1.5', '999']) assert.is((await runCli(['run', slow, '--concurrency', bad])).code, 2, bad);
});

suites('files given one by one run as a suite too; --resume does not go with several units', async ({ dir }) => {
  const two = await runCli(['run', `${dir}/alpha.yaml`, `${dir}/beta.yaml`]);
  assert.is(two.code, 0, two.stderr);
  assert.match(two.stdout, /PASSED 2 runs: 2 passed, 0 failed/);
  const resume = await runCli(['run', dir, '--resume', '123456']);
  assert.is(resume.code, 2);
  assert.match(resume.stderr, /BAD_ARGUMENTS .*--resume/);
});

suites('GitHub annotations name the unit, and point an invalid file at its line', async ({ dir }) => {
  const { code, stdout } = await runCli(['run', dir, '--reporter', 'github'], { env: { GITHUB_WORKSPACE: dir } });
  assert.is(code, 1);
  assert.match(stdout, /^::error file=delta\.yaml,line=5,col=11,title=UNKNOWN_STEP_TYPE::\[delta\] /m);
  assert.match(stdout, /^::error file=gamma\.yaml,line=\d+,col=\d+,title=HTTP_UNEXPECTED_STATUS::\[gamma\] call \(Call the server\): /m);
});

suites('workflows/scenarios runs as one suite against the embedded emulator and passes, a testsuite per scenario', async () => {
  const run = await runWithReports(['workflows/scenarios', '--concurrency', '8']);
  assert.is(run.code, 0, run.stdout + run.stderr);
  const files = readdirSync('workflows/scenarios').filter((name) => name.endsWith('.yaml'));
  const testsuites = run.junit().testsuites.testsuite;
  assert.ok(files.length >= 8);
  assert.is(testsuites.length, files.length);
  assert.is((run.json() as unknown as JsonBatchReport).summary.passed, files.length);
  for (const testsuite of testsuites) assert.is(testsuite.failures, '0', testsuite.name);
});

suites.run();
