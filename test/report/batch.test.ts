import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { BatchSummary, RunEvent, RunResult, UnitResult } from '../../src/engine/results.js';
import { createConsoleReporter } from '../../src/report/console.js';
import { buildJsonBatchRun, jsonBatch, REPORT_VERSION } from '../../src/report/json.js';
import { junitBatch } from '../../src/report/junit.js';
import { createRedactor } from '../../src/report/redact.js';
import { createUnitRedactor } from '../../src/report/redact-unit.js';
import { version } from '../../src/version.js';
import { parseJsonReport, parseJunit } from './_reports.js';

const target = { name: 'local', apiUrl: 'http://127.0.0.1:1/v2' };
const run = (runId: string, status: RunResult['status']): RunResult => ({
  runId,
  file: 'w.yaml',
  name: 'Onboard',
  target,
  status,
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 40,
  steps: [
    {
      id: 'call',
      uses: 'http',
      status: status === 'passed' ? 'passed' : 'failed',
      line: 5,
      col: 5,
      durationMs: 12,
      attempts: 1,
      exchanges: [],
      polls: [],
      ...(status === 'passed' ? {} : { error: { code: 'HTTP_UNEXPECTED_STATUS', message: 'unexpected status 503' } }),
    },
  ],
});
const unit = (index: number, status: UnitResult['status']): UnitResult => {
  const info = { index, label: `row ${index + 1}`, file: 'w.yaml', row: index + 1, dataFile: 'd.csv', line: index + 2 };
  if (status === 'invalid') {
    return { unit: info, status, name: 'Onboard', problems: [{ code: 'ROW_MISSING_COLUMN', message: `row ${index + 1} has no value for row.x`, file: 'd.csv', line: index + 2 }] };
  }
  return { unit: info, status, name: 'Onboard', result: run(`run-${index}`, status) };
};
const summaryOf = (units: UnitResult[]): BatchSummary => {
  const counts = { total: units.length, passed: 0, failed: 0, invalid: 0, interrupted: 0 };
  for (const u of units) counts[u.status] += 1;
  return { status: counts.failed + counts.invalid > 0 ? 'failed' : 'passed', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1234, counts };
};
const start = { type: 'batch:start' as const, startedAt: '2026-01-01T00:00:00.000Z', target, concurrency: 4, dataFile: 'd.csv' };

const batch = suite('reports of a batch');

batch('JSON: the parts written as the batch goes are exactly the whole document, and it matches the schema', () => {
  const units = [unit(0, 'passed'), unit(1, 'invalid'), unit(2, 'failed')];
  const summary = summaryOf(units);
  const text = jsonBatch.start(start, { pii: true }) + units.map((u, i) => jsonBatch.unit(u, i === 0)).join('') + jsonBatch.end(summary, true);
  const whole = {
    reportVersion: REPORT_VERSION,
    paxflowVersion: version,
    kind: 'batch',
    startedAt: start.startedAt,
    target,
    concurrency: 4,
    dataFile: 'd.csv',
    redaction: { pii: true },
    runs: units.map(buildJsonBatchRun),
    status: 'failed',
    finishedAt: '2026-01-01T00:00:01.234Z',
    durationMs: 1234,
    summary: summary.counts,
  };
  assert.is(text, `${JSON.stringify(whole, null, 2)}\n`);
  const report = parseJsonReport(text) as unknown as { runs: Array<{ status: string; problems?: unknown[]; steps?: unknown[] }> };
  assert.equal(report.runs.map((r) => r.status), ['passed', 'invalid', 'failed']);
  // No runs at all (interrupted before the first) is still one valid document.
  const empty = jsonBatch.start(start, { pii: true }) + jsonBatch.end({ ...summaryOf([]), status: 'interrupted' }, false);
  parseJsonReport(empty);
});

batch('JUnit: a testsuite per unit, in order; a unit that could not run is one failing testcase naming its problem', () => {
  const units = [unit(0, 'passed'), unit(1, 'invalid'), unit(2, 'failed')];
  const totals = junitBatch.totals();
  for (const u of units) totals.add(u);
  const xml = `${junitBatch.start()}${totals.attributes(1500)}>\n${units.map(junitBatch.unit).join('')}${junitBatch.end()}`;
  const { testsuites } = parseJunit(xml);
  // <testsuites> carries the batch's totals: every testcase of every unit, the invalid one included.
  assert.equal([testsuites.tests, testsuites.failures, testsuites.errors, testsuites.skipped, testsuites.time], ['3', '2', '0', '0', '1.500']);
  const suites = testsuites.testsuite;
  assert.equal(suites.map((s) => s.name), ['Onboard [row 1]', 'Onboard [row 2]', 'Onboard [row 3]']);
  assert.is(suites[0]!.testcase[0]!.classname, 'w.yaml [row 1]');
  assert.is(suites[1]!.testcase[0]!.failure?.type, 'ROW_MISSING_COLUMN');
  assert.is(suites[1]!.testcase[0]!.name, 'row 2', 'an invalid row is named by its number');
  assert.match(suites[1]!.testcase[0]!.failure?.['#text'] ?? '', /at d\.csv:3:1/);
});

const capture = (events: RunEvent[], options: { live?: boolean } = {}) => {
  let text = '';
  const reporter = createConsoleReporter({ write: (chunk) => void (text += chunk), colour: false, ...options });
  for (const event of events) reporter(event);
  reporter.close();
  return text;
};

const unitEvents = (u: UnitResult): RunEvent[] =>
  u.result
    ? [
        { type: 'workflow:start', runId: u.result.runId, file: 'w.yaml', name: 'Onboard', target, stepCount: 1, unit: u.unit },
        { type: 'step:end', runId: u.result.runId, index: 0, result: u.result.steps[0]! },
        { type: 'unit:end', unit: u },
      ]
    : [{ type: 'unit:end', unit: u }];

batch('pretty: each line names its unit, interleaved or not; the summary lists each unit and the totals', () => {
  const units = [unit(0, 'passed'), unit(1, 'invalid'), unit(2, 'failed')];
  const [a, b] = [unitEvents(units[0]!), unitEvents(units[2]!)];
  // Two runs interleaved, as concurrent runs are.
  const events: RunEvent[] = [start, a[0]!, b[0]!, b[1]!, a[1]!, a[2]!, ...unitEvents(units[1]!), b[2]!, { type: 'batch:end', summary: summaryOf(units) }];
  const text = capture(events);
  const lines = text.split('\n').filter(Boolean);
  assert.not.ok(/[\r\u001b]/.test(text));
  assert.ok(lines.filter((line) => /^ +[✓✗]/.test(line)).length === 3, 'only the summary lines start without a label');
  assert.ok(lines.includes('[row 3]   ✗ call (12 ms)'));
  assert.ok(lines.includes('[row 3]       at w.yaml:5:5'));
  assert.ok(lines.includes('[row 2]       ROW_MISSING_COLUMN row 2 has no value for row.x'));
  assert.ok(lines.includes('[row 1] PASSED 1 passed, 0 failed, 0 skipped in 40 ms'));
  assert.equal(lines.slice(-5), [
    'Summary (3 runs)',
    '  ✓ row 1  passed       1 passed, 0 failed, 0 skipped (40 ms, run run-0)',
    '  ✗ row 2  invalid      ROW_MISSING_COLUMN row 2 has no value for row.x',
    '  ✗ row 3  failed       call: HTTP_UNEXPECTED_STATUS unexpected status 503 (40 ms, run run-2)',
    'FAILED 3 runs: 1 passed, 1 failed, 1 invalid in 1.23 s',
  ]);
});

batch('pretty: past 100 units the summary keeps those that did not pass and counts the rest; live mode counts running units', () => {
  const units = Array.from({ length: 250 }, (_, i) => unit(i, i % 50 === 7 ? 'failed' : 'passed'));
  const text = capture([start, ...units.map((u): RunEvent => ({ type: 'unit:end', unit: u })), { type: 'batch:end', summary: summaryOf(units) }]);
  const summary = text.slice(text.indexOf('Summary'));
  assert.equal(summary.split('\n').filter((line) => line.startsWith('  ✗')).length, 5);
  assert.match(summary, /… and 245 more passed\nFAILED 250 runs: 245 passed, 5 failed in/);
  const live = capture([start, ...unitEvents(unit(0, 'passed')).slice(0, 1)], { live: true });
  assert.match(live, /\r\u001b\[2K {2}… 1 running, 0 done/);
});

batch('a unit redactor masks the personal data of its own row, and leaves other rows alone', () => {
  const shared = createRedactor({ fields: ['first_name'], secrets: ['s3cr3t-value'] });
  const one = createUnitRedactor(shared, { fields: ['first_name'] });
  const two = createUnitRedactor(shared, { fields: ['first_name'] });
  one.capture({ first_name: 'Annabel' });
  two.capture({ first_name: 'Bartholomew', nested: { access_token: 'tok-123456789' } });
  assert.is(one.text('Annabel and s3cr3t-value'), '[REDACTED] and [REDACTED]');
  assert.is(two.text('Annabel'), 'Annabel');
  // A credential seen in one unit is a secret for all.
  assert.is(one.text('tok-123456789'), '[REDACTED]');
  assert.equal(one.value({ first_name: 'x', note: 'Annabel', n: 5 }), { first_name: '[REDACTED]', note: '[REDACTED]', n: 5 });
});

batch('a unit redactor keeps what its run marks sensitive (playbook inputs) to itself, masked like a secret', () => {
  // Sent to the shared redactor, every row's inputs stayed alive for the whole batch (issue 8).
  const shared = createRedactor({ pii: false, fields: ['first_name'] });
  const one = createUnitRedactor(shared, { fields: ['first_name'] });
  const two = createUnitRedactor(shared, { fields: ['first_name'] });
  one.addSecret({ first_name: 'Annabel', address: { city: 'Reykjavik' } });
  assert.is(one.text('Annabel of Reykjavik'), '[REDACTED] of [REDACTED]');
  assert.is(two.text('Annabel of Reykjavik'), 'Annabel of Reykjavik');
  assert.is(shared.text('Annabel of Reykjavik'), 'Annabel of Reykjavik');
});

batch.run();
