import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { json, startTestServer } from '../_server.js';
import { runCli, tempFiles } from '../cli/_io.js';
import { escapeCommandData } from '../../src/report/github.js';
import { parseJsonReport, parseJunit } from './_reports.js';

// What CI reads must always be there and be whole: report files for a workflow that cannot run, totals
// on <testsuites>, annotations without terminal control characters, and no silent no-op.

type Server = Awaited<ReturnType<typeof startTestServer>>;
const ci = suite<{ server: Server }>('reports CI can trust');
ci.before(async (context) => {
  context.server = await startTestServer({ '/ok': json(200, { ok: true }), '/fail': json(503, {}) });
});
ci.after(async ({ server }) => server.close());

const out = () => {
  const dir = mkdtempSync(join(tmpdir(), 'paxflow-ci-'));
  return { junit: join(dir, 'r', 'junit.xml'), json: join(dir, 'r', 'run.json') };
};
const reporters = (paths: { junit: string; json: string }) => ['--reporter', `junit=${paths.junit}`, '--reporter', `json=${paths.json}`];

ci('an invalid workflow still writes the JUnit file (one failed test case with the problems) and the JSON report', async () => {
  const files = tempFiles({ 'bad.yaml': 'version: 1\nname: Broken\nsteps:\n  - id: x\n    uses: nope\n  - id: y\n    uses: http\n    with: { url: 1 }\n' });
  const paths = out();
  const run = await runCli(['run', files['bad.yaml']!, ...reporters(paths)]);
  assert.is(run.code, 2);
  assert.match(run.stderr, /UNKNOWN_STEP_TYPE/);
  const { testsuites } = parseJunit(readFileSync(paths.junit, 'utf8'));
  assert.equal([testsuites.tests, testsuites.failures], ['1', '1']);
  const testcase = testsuites.testsuite[0]!.testcase;
  assert.is(testcase.length, 1);
  assert.is(testcase[0]!.failure?.type, 'UNKNOWN_STEP_TYPE');
  assert.match(testcase[0]!.failure?.['#text'] ?? '', /UNKNOWN_STEP_TYPE .* at .*bad\.yaml:5:11\n.*WRONG_TYPE/);
  const report = parseJsonReport(readFileSync(paths.json, 'utf8')) as unknown as { runs: Array<{ status: string; problems: Array<{ code: string; line: number }> }> };
  assert.is(report.runs[0]!.status, 'invalid');
  assert.equal(report.runs[0]!.problems.map((p) => p.code), ['UNKNOWN_STEP_TYPE', 'WRONG_TYPE']);
  // A value known before the run that cannot fit is such a problem too.
  const vars = tempFiles({ 'w.yaml': 'version: 1\nname: v\nvars:\n  status: 200\nsteps:\n  - id: g\n    uses: http\n    with: { url: "http://127.0.0.1:9/", expect_status: "{{vars.status}}" }\n' });
  const second = out();
  assert.is((await runCli(['run', vars['w.yaml']!, '--var', 'status=200', ...reporters(second)])).code, 2);
  assert.is(parseJunit(readFileSync(second.junit, 'utf8')).testsuites.testsuite[0]!.testcase[0]!.failure?.type, 'KNOWN_VALUE_INVALID');
});

ci('<testsuites> carries the totals of a suite and of a data-driven batch; an invalid row is named by its number', async ({ server }) => {
  const files = tempFiles({
    'a.yaml': `version: 1\nname: A\nsteps:\n  - id: ok\n    uses: http\n    with: { url: "${server.url}/ok" }\n  - id: fail\n    uses: http\n    with: { url: "${server.url}/fail" }\n  - id: after\n    uses: http\n    with: { url: "${server.url}/ok" }\n`,
    'b.yaml': `version: 1\nname: B\nsteps:\n  - id: ok\n    uses: http\n    with: { url: "${server.url}/ok", query: { n: "{{row.n}}" } }\n`,
    'rows.csv': 'n,m\n1,x\n,y\n',
  });
  const paths = out();
  const suiteRun = await runCli(['run', files['a.yaml']!, files['b.yaml']!, '--reporter', `junit=${paths.junit}`, '--data', files['rows.csv']!]);
  assert.is(suiteRun.code, 1, suiteRun.stderr);
  const { testsuites } = parseJunit(readFileSync(paths.junit, 'utf8'));
  const cases = testsuites.testsuite.flatMap((s) => s.testcase);
  const sum = (name: 'tests' | 'failures' | 'errors' | 'skipped') => String(testsuites.testsuite.reduce((total, s) => total + Number(s[name]), 0));
  assert.equal([testsuites.tests, testsuites.failures, testsuites.errors, testsuites.skipped], [sum('tests'), sum('failures'), sum('errors'), sum('skipped')]);
  assert.is(testsuites.tests, String(cases.length));
  assert.ok(Number(testsuites.time) >= 0 && testsuites.time !== undefined);
  const invalid = testsuites.testsuite.filter((s) => s.testcase[0]!.failure?.type === 'ROW_MISSING_COLUMN');
  assert.ok(invalid.length > 0);
  for (const s of invalid) assert.match(s.testcase[0]!.name, /^row \d+$/);
  // On stdout, the same totals.
  const stdout = await runCli(['run', files['a.yaml']!, files['b.yaml']!, '--reporter', 'junit']);
  assert.is(parseJunit(stdout.stdout).testsuites.tests, '4');
});

ci('--dry-run with file reporters says it writes none, and a suite or matrix is planned, not run', async ({ server }) => {
  const files = tempFiles({
    'a.yaml': `version: 1\nname: A\nsteps:\n  - id: ok\n    uses: http\n    with: { url: "${server.url}/ok" }\n`,
    'm.yaml': `version: 1\nname: M\nmatrix: [{ n: "1" }, { n: "2" }]\nsteps:\n  - id: ok\n    uses: http\n    with: { url: "${server.url}/ok", query: { n: "{{row.n}}" } }\n`,
  });
  const before = server.hits['/ok'] ?? 0;
  for (const argv of [[files['a.yaml']!], [files['a.yaml']!, files['m.yaml']!], [files['m.yaml']!]]) {
    const paths = out();
    const run = await runCli(['run', ...argv, '--dry-run', ...reporters(paths)]);
    assert.is(run.code, 0, run.stderr);
    assert.match(run.stderr, /--dry-run writes no report files: junit=.*junit\.xml, json=.*run\.json not written/);
    assert.not.ok(existsSync(paths.junit) || existsSync(paths.json));
  }
  assert.is(server.hits['/ok'] ?? 0, before, 'a dry run sent a request');
});

ci('GitHub annotations carry no terminal control characters', async ({ server }) => {
  assert.is(escapeCommandData('a\u001b[31mb\u0007c\u009bd\u0000e\r\nf%'), 'a [31mb c d e%0D%0Af%25');
  const files = tempFiles({ 'w.yaml': `version: 1\nname: G\nsteps:\n  - id: check\n    uses: assert\n    with: { checks: [{ label: "red\\e[31m bell\\a", actual: "1", equals: "2" }] }\n  - id: ok\n    uses: http\n    with: { url: "${server.url}/ok" }\n` });
  const run = await runCli(['run', files['w.yaml']!, '--reporter', 'github']);
  assert.is(run.code, 1);
  const line = run.stdout.split('\n').find((text) => text.startsWith('::error'));
  assert.ok(line, run.stdout);
  assert.not.match(line!, /[\u0000-\u001f\u007f-\u009f]/);
  assert.match(line!, /red \[31m bell /);
});

ci.run();
