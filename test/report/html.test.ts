import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { StepResult } from '../../src/engine/results.js';
import { BATCH_DETAIL_BUDGET, renderHtmlReport } from '../../src/report/html.js';
import { attributes, escapeHtml, escapeText, scriptJson } from '../../src/report/html-escape.js';
import { stepTree } from '../../src/report/html-steps.js';
import type { JsonBatchReport, JsonBatchRun } from '../../src/report/json.js';
import { json, startTestServer } from '../_server.js';
import { runCli, tempFiles } from '../cli/_io.js';
import { parseJsonReport } from './_reports.js';

const HOSTILE = '</script><img src=x onerror=alert(1)><!--\u2028\u2029';

const escaping = suite('html report: escaping');

escaping('text and attributes: markup characters become entities, stray control characters are replaced', () => {
  assert.is(escapeHtml(`<a href="x" title='y'>&amp;</a>\u0000\u001b`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;\ufffd\ufffd');
  assert.is(escapeHtml('line\nbreak\tand tab'), 'line\nbreak\tand tab');
  // Text nodes keep quotes (JSON reads better and weighs less); attribute values never do.
  assert.is(escapeText(`"q" 'a' <b>&`), `"q" 'a' &lt;b&gt;&amp;`);
  assert.is(attributes({ title: `x" onmouseover="alert(1)`, hidden: true, gone: undefined }), ' title="x&quot; onmouseover=&quot;alert(1)" hidden');
});

escaping('JSON inside <script>: no </script>, <!--, U+2028 or U+2029 survives, and it parses back to the same value', () => {
  const value = { text: HOSTILE, amp: 'a&b', nested: [`${HOSTILE}>`] };
  const text = scriptJson(value);
  assert.not.match(text, /[<>&\u2028\u2029]/);
  assert.equal(JSON.parse(text), value);
});

escaping.run();

type Server = Awaited<ReturnType<typeof startTestServer>>;
const runs = suite<{ server: Server; files: Record<string, string>; dir: string }>('html report: a page per run, made from the JSON report');

runs.before(async (context) => {
  let flaky = 0;
  context.server = await startTestServer({
    '/evil': json(200, { note: HOSTILE, list: [HOSTILE] }),
    '/fail': json(503, { title: HOSTILE }),
    '/flaky': (request, response, body) => json(++flaky % 2 === 0 ? 200 : 503, {})(request, response, body),
  });
  const base = context.server.url;
  const step = (id: string, path: string, extra = '') => `  - id: ${id}\n    name: "${id} ${HOSTILE.slice(0, 38)}"\n    uses: http\n${extra}    with: { url: "${base}${path}" }\n`;
  context.files = tempFiles({
    'hostile.yaml':
      `version: 1\nname: "Hostile ${HOSTILE.slice(0, 38)}"\nsteps:\n` +
      step('evil', '/evil', '    expect: { status: 201 }\n    continue_on_error: true\n') +
      step('flaky', '/flaky', '    retry: { max_attempts: 2, delay: 10ms }\n') +
      step('broken', '/fail') +
      step('after', '/evil') +
      `finally:\n${step('cleanup', '/evil')}`,
    'passing.yaml': `version: 1\nname: passing\nsteps:\n${step('one', '/evil')}`,
  });
  context.dir = tempFiles({ 'x': '' }).x!.replace(/\/x$/, '');
});
runs.after(async ({ server }) => server.close());

const html = async (dir: string, name: string, argv: string[]) => {
  const paths = { html: join(dir, `${name}.html`), json: join(dir, `${name}.json`) };
  const run = await runCli(['run', ...argv, '--reporter', `html=${paths.html}`, '--reporter', `json=${paths.json}`]);
  return { ...run, ...paths, page: readFileSync(paths.html, 'utf8'), report: parseJsonReport(readFileSync(paths.json, 'utf8')) };
};

runs('a failing run: markup from names, outputs and messages is text; failures, retries, skips and finally: are shown', async ({ files, dir }) => {
  const run = await html(dir, 'hostile', [files['hostile.yaml']!]);
  assert.is(run.code, 1, run.stderr);
  const { page } = run;
  // Only the page's own two scripts, and no element made from the run's text.
  assert.is(page.split('<script').length - 1, 2);
  assert.not.match(page, /<img|<!--/);
  assert.not.match(/<script type="application\/json"[^]*?<\/script>/.exec(page)![0], /[\u2028\u2029]/);
  assert.match(page, /&lt;\/script&gt;&lt;img src=x onerror=alert\(1\)&gt;/);
  // The output of the step that answered with markup, collapsed, escaped.
  assert.match(page, /<details class="io"><summary>output<\/summary><pre>[^]*"note": "&lt;\/script&gt;&lt;img/);
  assert.match(page, /<b>broken<\/b><\/a> <code class="code">HTTP_UNEXPECTED_STATUS<\/code>/);
  assert.match(page, /<span class="tag">2 attempts<\/span>/);
  assert.match(page, /<td><code>status<\/code><\/td><td><code>201<\/code><\/td><td><code>200<\/code><\/td>/);
  assert.match(page, /Skipped: an earlier step failed\./);
  assert.match(page, /<p class="group">finally:[^]*<b>cleanup<\/b>/);
  // The run failed against the embedded emulator, whose snapshot its journal kept: it can be resumed.
  assert.match(run.report.resume?.command ?? '', /^paxflow run \S+hostile\.yaml --resume [0-9a-f-]{36}$/);
  assert.match(page, /<p class="resume">To resume: <code>paxflow run [^<]+ --resume [0-9a-f-]{36}<\/code>/);
  const data = JSON.parse(/<script type="application\/json" id="paxflow-data">(.*?)<\/script>/.exec(page)![1]!) as { title: string; status: string };
  assert.is(data.status, 'failed');
  assert.ok(data.title.includes(HOSTILE.slice(0, 38)));
});

runs('paxflow report renders the kept JSON report into the same page, for a run and for a batch', async ({ files, dir }) => {
  const single = await html(dir, 'single', [files['hostile.yaml']!]);
  const batch = await html(dir, 'batch', [files['hostile.yaml']!, files['passing.yaml']!]);
  assert.is((batch.report as unknown as { kind: string }).kind, 'batch');
  for (const [name, run] of Object.entries({ single, batch })) {
    const out = join(dir, 'later', `${name}.html`);
    const rendered = await runCli(['report', run.json, '--reporter', `html=${out}`]);
    assert.is(rendered.code, 0, rendered.stderr);
    assert.is(readFileSync(out, 'utf8'), run.page, name);
  }
  const stdout = await runCli(['report', single.json, '--reporter', 'html']);
  assert.is(stdout.stdout, single.page);
});

runs('paxflow report: a file that is not a JSON report is a coded error (exit 2) that shows nothing of what it holds', async ({ dir }) => {
  const files = tempFiles({
    'broken.json': '{\n  "reportVersion": 1,\n  "cip_id": "078-05-1120"\n',
    'foreign.json': '{ "name": "078-05-1120", "version": "1.0.0" }\n',
    'future.json': '{ "reportVersion": 2 }\n',
    'good.json': readFileSync(join(dir, 'single.json'), 'utf8'),
  });
  const cases: Array<[string[], string, RegExp?]> = [
    [['report', files['broken.json']!, '--reporter', `html=${dir}/x.html`], 'REPORT_NOT_JSON', /broken\.json:4:1 is not JSON/],
    [['report', files['foreign.json']!, '--reporter', `html=${dir}/x.html`], 'REPORT_INVALID', /must have required property 'reportVersion'/],
    [['report', files['future.json']!, '--reporter', `html=${dir}/x.html`], 'REPORT_INVALID', /version 2; this paxflow reads version 1/],
    [['report', join(dir, 'missing.json'), '--reporter', `html=${dir}/x.html`], 'REPORT_UNREADABLE'],
    [['report', files['good.json']!], 'BAD_ARGUMENTS'],
    [['report', files['good.json']!, '--reporter', `junit=${dir}/x.xml`], 'BAD_ARGUMENTS'],
    [['report', '--reporter', `html=${dir}/x.html`], 'BAD_ARGUMENTS'],
  ];
  for (const [argv, code, message] of cases) {
    const run = await runCli(argv);
    assert.is(run.code, 2, argv.join(' '));
    assert.match(run.stderr, new RegExp(`^error ${code} `), run.stderr);
    if (message) assert.match(run.stderr, message);
    assert.not.match(run.stderr, /078-05-1120|0780|at \S+\.ts:/);
  }
});

runs('the reporter is listed in help; on stdout it must be alone, like the other documents', async ({ files }) => {
  const [all, report, run] = await Promise.all([runCli(['--help']), runCli(['help', 'report']), runCli(['run', '--help'])]);
  assert.match(all.stdout, /^ {2}report FILE\.json /m);
  assert.match(report.stdout, /^Usage: paxflow report FILE\.json --reporter html\[=OUT\.html\]/);
  assert.match(run.stdout, /pretty \(default\), json, junit, html or github/);
  const alone = await runCli(['run', files['passing.yaml']!, '--reporter', 'html']);
  assert.is(alone.code, 0, alone.stderr);
  assert.match(alone.stdout, /^<!doctype html>\n<html lang="en" class="nojs">/);
  const shared = await runCli(['run', files['passing.yaml']!, '--reporter', 'html', '--reporter', 'json']);
  assert.is(shared.code, 2);
  assert.match(shared.stderr, /error BAD_ARGUMENTS html and json cannot share stdout/);
});

runs.run();

const pages = suite('html report: structure');

const step = (id: string, extra: Partial<StepResult> = {}): StepResult => ({
  id,
  uses: 'assert',
  status: 'passed',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 5,
  attempts: 1,
  exchanges: [],
  polls: [],
  ...extra,
});

pages('playbook steps nest under the call that ends them, at any depth; a call spans its steps', () => {
  const tree = stepTree([
    step('a.b.x', { startedAt: '2026-01-01T00:00:00.010Z' }),
    step('a.b', { uses: './b.yaml' }),
    step('a.y', { startedAt: '2026-01-01T00:00:00.100Z', durationMs: 50 }),
    step('a', { uses: './a.yaml', startedAt: '2026-01-01T00:00:00.200Z', durationMs: 1 }),
    step('c'),
    step('orphan.z'),
  ]);
  assert.equal(tree.map((node) => node.step.id), ['a', 'c', 'orphan.z']);
  assert.equal(tree[0]!.children.map((node) => node.step.id), ['a.b', 'a.y']);
  assert.equal(tree[0]!.children[0]!.children.map((node) => node.step.id), ['a.b.x']);
  assert.equal(tree[0]!.span, { from: Date.parse('2026-01-01T00:00:00.000Z'), to: Date.parse('2026-01-01T00:00:00.201Z') });
});

pages('a large batch keeps the step details of passed runs up to its budget, and always those of runs that did not pass', () => {
  const output = { blob: 'x'.repeat(10_000) };
  const run = (index: number, status: 'passed' | 'failed'): JsonBatchRun => ({
    label: `row ${index}`,
    file: 'w.yaml',
    row: index,
    status,
    runId: `run-${index}`,
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 5,
    steps: [step('one', { output, ...(status === 'failed' ? { status, error: { code: 'BOOM', message: 'no' } } : {}) })],
  });
  const count = Math.ceil(BATCH_DETAIL_BUDGET / 10_000) + 20;
  const report: JsonBatchReport = {
    reportVersion: 1,
    paxflowVersion: '0.0.0',
    kind: 'batch',
    startedAt: '2026-01-01T00:00:00.000Z',
    target: { name: 'local', apiUrl: 'http://127.0.0.1:1/v2' },
    concurrency: 4,
    redaction: { pii: true },
    runs: Array.from({ length: count }, (_, index) => run(index + 1, index + 1 === count ? 'failed' : 'passed')),
    status: 'failed',
    finishedAt: '2026-01-01T00:00:01.000Z',
    durationMs: 1000,
    summary: { total: count, passed: count - 1, failed: 1, invalid: 0, interrupted: 0 },
  };
  const page = renderHtmlReport(report);
  const units = page.split('<details class="unit').slice(1);
  const detailed = units.map((unit) => unit.includes('<summary>output</summary>'));
  assert.ok(detailed[0] && !detailed[count - 2] && detailed[count - 1], 'first passed run kept, a late passed run left out, the failed run kept');
  // Left out, a passed run still shows its step on the time axis, as a plain row.
  assert.match(units[count - 2]!, /<li class="step st-passed" id="u\d+-s0"><div class="row"><span class="mark">✓<\/span><span class="label"><b>one<\/b>[^]*<span class="bar"/);
  assert.match(units[count - 2]!, /left out past the first 1 MB/);
  assert.ok(page.length < count * 3_000 + BATCH_DETAIL_BUDGET * 1.1, `the page stays near its budget (${page.length})`);
});

pages.run();
