import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { json, startTestServer } from '../_server.js';
import { runCli, tempFiles } from '../cli/_io.js';
import { parseJsonReport, runWithReports } from './_reports.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** The line of a step's `- id:` in a workflow file. */
const lineOf = (file: string, id: string): number => readFileSync(file, 'utf8').split('\n').indexOf(`  - id: ${id}`) + 1;
const reports = suite<{ server: Server; files: Record<string, string> }>('reporters: pretty, json, junit and github on real runs');

reports.before(async (context) => {
  let flaky = 0;
  context.server = await startTestServer({
    '/ok': json(200, { value: 7 }),
    '/fail': json(503, { title: 'Service Unavailable' }),
    // Fails twice, then answers: a step with retry passes on its third attempt.
    '/flaky': (request, response, body) => json(++flaky % 3 === 0 ? 200 : 503, { attempt: flaky })(request, response, body),
    '/hang': () => undefined,
    // Removes the report folder while the run goes on, so that writing the report fails afterwards.
    '/remove-reports': (request, response, body) => {
      rmSync(new URL(request.url ?? '/', 'http://x').searchParams.get('dir')!, { recursive: true, force: true });
      json(200, {})(request, response, body);
    },
  });
  const base = context.server.url;
  const step = (id: string, path: string, extra = '') => `  - id: ${id}\n    name: Step ${id}\n    uses: http\n${extra}    with: { url: "${base}${path}" }\n`;
  context.files = tempFiles({
    'mixed.yaml':
      'version: 1\nname: Mixed <outcomes> & "quotes"\nsteps:\n' +
      step('ok', '/ok') +
      step('flaky', '/flaky', '    retry: { max_attempts: 3, delay: 10ms }\n') +
      step('cond', '/ok', '    if: eq 1 2\n') +
      step('allowed', '/fail', '    continue_on_error: true\n') +
      step('broken', '/fail') +
      step('after', '/ok'),
    'passing.yaml': 'version: 1\nname: passing\nsteps:\n' + step('one', '/ok') + step('two', '/ok'),
    'hang.yaml': 'version: 1\nname: hang\nsteps:\n' + step('one', '/ok') + step('stuck', '/hang') + step('never', '/ok'),
  });
});
reports.after(async ({ server }) => server.close());

reports('a failing run: exit 1, the JSON report matches its schema and holds every outcome', async ({ files, server }) => {
  const run = await runWithReports([files['mixed.yaml']!]);
  assert.is(run.code, 1, run.stderr);
  const report = run.json();
  assert.is(report.status, 'failed');
  assert.equal(report.summary, { total: 6, passed: 2, failed: 2, skipped: 2, interrupted: 0 });
  const byId = Object.fromEntries(report.steps.map((step) => [step.id, step]));
  assert.is(byId.flaky!.attempts, 3);
  assert.equal(byId.flaky!.exchanges.map((exchange) => exchange.status), [503, 503, 200]);
  assert.is(byId.cond!.skipReason, 'condition');
  assert.is(byId.after!.skipReason, 'previous_failure');
  assert.is(byId.allowed!.allowedFailure, true);
  assert.is(byId.broken!.error?.code, 'HTTP_UNEXPECTED_STATUS');
  assert.equal(byId.ok!.input, { url: `${server.url}/ok` });
  assert.equal((byId.ok!.output as { body: unknown }).body, { value: 7 });
  assert.is(byId.broken!.line, lineOf(files['mixed.yaml']!, 'broken'));
});

reports('a failing run: JUnit names the failing step with its code and message; skips and retries are counted', async ({ files }) => {
  const run = await runWithReports([files['mixed.yaml']!]);
  const { testsuites } = run.junit();
  const report = run.json();
  assert.is(testsuites.testsuite.length, 1);
  const [suiteNode] = testsuites.testsuite;
  assert.is(suiteNode!.name, 'Mixed <outcomes> & "quotes"');
  assert.equal([suiteNode!.tests, suiteNode!.failures, suiteNode!.errors, suiteNode!.skipped], ['6', '2', '0', '2']);
  assert.equal([testsuites.tests, testsuites.failures, testsuites.skipped], ['6', '2', '2']);
  assert.match(suiteNode!.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  const cases = suiteNode!.testcase;
  assert.equal(cases.map((c) => c.name), report.steps.map((step) => `${step.id}: Step ${step.id}`));
  assert.ok(cases.every((c) => c.classname === files['mixed.yaml'] && /^\d+\.\d{3}$/.test(c.time)));
  const broken = cases.find((c) => c.name.startsWith('broken:'))!;
  const brokenStep = report.steps.find((step) => step.id === 'broken')!;
  assert.is(broken.failure?.type, 'HTTP_UNEXPECTED_STATUS');
  assert.is(broken.failure?.message, brokenStep.error?.message);
  assert.ok(broken.failure?.['#text']?.includes(`${files['mixed.yaml']}:${lineOf(files['mixed.yaml']!, 'broken')}:5`));
  assert.is(cases.find((c) => c.name.startsWith('allowed:'))!.failure?.type, 'HTTP_UNEXPECTED_STATUS');
  assert.equal(
    cases.filter((c) => c.skipped !== undefined).map((c) => c.name.split(':')[0]),
    ['cond', 'after'],
  );
  assert.is(cases.find((c) => c.name.startsWith('flaky:'))!['system-out']?.split('\n').length, 3);
});

reports('with only file reports, the console still shows each step and the summary', async ({ files }) => {
  const run = await runWithReports([files['passing.yaml']!]);
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, /✓ one/);
  assert.match(run.stdout, /PASSED 2 passed, 0 failed, 0 skipped/);
});

reports('a passing run: exit 0, no failures anywhere, no annotations', async ({ files }) => {
  const run = await runWithReports([files['passing.yaml']!, '--reporter', 'github']);
  assert.is(run.code, 0, run.stderr);
  assert.is(run.json().status, 'passed');
  const suiteNode = run.junit().testsuites.testsuite[0]!;
  assert.equal([suiteNode.tests, suiteNode.failures, suiteNode.errors, suiteNode.skipped], ['2', '0', '0', '0']);
  assert.ok(suiteNode.testcase.every((c) => c.failure === undefined && c.skipped === undefined));
  assert.not.match(run.stdout, /^::/m);
});

reports('pretty: a mark per step for passed, retried, skipped and failed steps, and the summary', async ({ files }) => {
  const { code, stdout } = await runCli(['run', files['mixed.yaml']!, '--reporter', 'pretty']);
  assert.is(code, 1);
  const marks = Object.fromEntries(
    stdout.split('\n').flatMap((line) => {
      const match = /^ {2}(\S) (\w+) /.exec(line);
      return match ? [[match[2]!, match[1]!]] : [];
    }),
  );
  assert.equal(marks, { ok: '✓', flaky: '✓', cond: '-', allowed: '✗', broken: '✗', after: '-' });
  assert.match(stdout, /^ {2}✓ flaky .*3 attempts/m);
  assert.match(stdout, /^ {2}✗ allowed .*\[continue_on_error\]$/m);
  assert.match(stdout, /^FAILED 2 passed, 2 failed, 2 skipped /m);
});

reports('github: an ::error for the failure and a ::warning for the allowed one, at the step line', async ({ files }) => {
  const { code, stdout } = await runCli(['run', files['mixed.yaml']!, '--reporter', 'github']);
  assert.is(code, 1);
  const commands = stdout.split('\n').filter((line) => line.startsWith('::'));
  assert.is(commands.length, 2);
  const at = (id: string) => `line=${lineOf(files['mixed.yaml']!, id)},col=5`;
  assert.ok(commands[0]!.startsWith('::warning file='), commands[0]);
  assert.ok(commands[0]!.includes(`,${at('allowed')},title=HTTP_UNEXPECTED_STATUS::allowed (Step allowed): `), commands[0]);
  assert.ok(commands[1]!.startsWith('::error file='), commands[1]);
  assert.ok(commands[1]!.includes(`,${at('broken')},title=HTTP_UNEXPECTED_STATUS::broken (Step broken): `), commands[1]);
});

reports('github is added by itself under GitHub Actions, next to pretty', async ({ files }) => {
  const { stdout } = await runCli(['run', files['mixed.yaml']!], { env: { GITHUB_ACTIONS: 'true' } });
  assert.match(stdout, /^::error .*title=HTTP_UNEXPECTED_STATUS::/m);
  assert.match(stdout, /^FAILED /m);
});

reports('an interrupted run: exit 130, the running step is an <error> in JUnit, the rest skipped', async ({ files, server }) => {
  const controller = new AbortController();
  // Interrupt once the second step's request has arrived and hangs.
  const hangs = server.hits['/hang'] ?? 0;
  const watch = setInterval(() => (server.hits['/hang'] ?? 0) > hangs && controller.abort(), 5);
  controller.signal.addEventListener('abort', () => clearInterval(watch));
  const run = await runWithReports([files['hang.yaml']!], {}, controller.signal);
  assert.is(run.code, 130);
  assert.is(run.json().status, 'interrupted');
  const suiteNode = run.junit().testsuites.testsuite[0]!;
  assert.equal([suiteNode.failures, suiteNode.errors, suiteNode.skipped], ['0', '1', '1']);
  assert.is(suiteNode.testcase[1]!.error?.type, 'INTERRUPTED');
});

reports('json alone writes the report to stdout; a document reporter cannot share stdout', async ({ files }) => {
  const alone = await runCli(['run', files['passing.yaml']!, '--reporter', 'json']);
  assert.is(alone.code, 0);
  assert.is(parseJsonReport(alone.stdout).summary.passed, 2);
  const shared = await runCli(['run', files['passing.yaml']!, '--reporter', 'json', '--reporter', 'pretty']);
  assert.is(shared.code, 2);
  assert.match(shared.stderr, /error BAD_ARGUMENTS /);
  assert.is(shared.stdout, '');
});

reports('bad --reporter values are usage errors, before anything runs', async ({ files, server }) => {
  const before = server.hits['/ok'] ?? 0;
  for (const flag of ['xml', 'junit=', 'JSON']) {
    const { code, stderr } = await runCli(['run', files['passing.yaml']!, '--reporter', flag]);
    assert.is(code, 2, flag);
    assert.match(stderr, /error BAD_ARGUMENTS /);
  }
  assert.is(server.hits['/ok'] ?? 0, before);
});

reports('report files: folders are created, writes are atomic, an unwritable path is exit 2 before the run', async ({ files, server }) => {
  const run = await runWithReports([files['passing.yaml']!]);
  assert.equal(readdirSync(join(run.dir, 'reports')).sort(), ['junit.xml', 'run.json']);
  const blocker = tempFiles({ 'file.txt': 'not a folder' })['file.txt']!;
  const before = server.hits['/ok'] ?? 0;
  const blocked = await runCli(['run', files['passing.yaml']!, '--reporter', `junit=${join(blocker, 'junit.xml')}`]);
  assert.is(blocked.code, 2);
  assert.match(blocked.stderr, /error REPORT_UNWRITABLE /);
  const folder = await runCli(['run', files['passing.yaml']!, '--reporter', `json=${run.dir}`]);
  assert.is(folder.code, 2);
  assert.match(folder.stderr, /error REPORT_UNWRITABLE /);
  const twice = await runCli(['run', files['passing.yaml']!, '--reporter', `json=${blocker}.json`, '--reporter', `junit=${blocker}.json`]);
  assert.is(twice.code, 2);
  assert.match(twice.stderr, /error BAD_ARGUMENTS /);
  assert.is(server.hits['/ok'] ?? 0, before);
});

reports('a report that cannot be written after the run is REPORT_WRITE_FAILED: exit 2 for a passing run', async ({ server }) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'paxflow-vanish-')), 'reports');
  const file = tempFiles({
    'vanish.yaml': `version: 1\nname: vanish\nsteps:\n  - id: one\n    uses: http\n    with: { url: "${server.url}/remove-reports?dir=${encodeURIComponent(dir)}" }\n`,
  })['vanish.yaml']!;
  const { code, stderr } = await runCli(['run', file, '--reporter', `json=${join(dir, 'run.json')}`]);
  assert.is(code, 2);
  assert.match(stderr, /^error REPORT_WRITE_FAILED /m);
});

reports.run();
