import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonBatchReport } from '../../src/report/json.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { runWithReports } from '../report/_reports.js';
import { httpWorkflow, startBatchServer } from './_batch-server.js';
import { runCli, tempFiles } from './_io.js';

type Server = Awaited<ReturnType<typeof startBatchServer>>;
const data = suite<{ server: Server; sandbox: SandboxHandle; files: Record<string, string> }>('cli: data-driven runs (--data, matrix:)');

const IDENTITY_WORKFLOW = `version: 1
name: One identity per row
steps:
  - id: identity
    uses: createIdentity
    with:
      ref_id: "{{run.id}}-identity"
      person_details:
        verifier_type: PASSTHROUGH
        passthrough_verifier_type: JUMIO
        passthrough_verified_at: "2024-01-15T10:00:00Z"
        passthrough_verification_id: "{{uuid}}"
        passthrough_verification_status: APPROVED
        passthrough_verification_fields: [FULL_LEGAL_NAME, DATE_OF_BIRTH, ADDRESS, CIP_ID]
        first_name: "{{row.first_name}}"
        last_name: "{{row.last_name}}"
        date_of_birth: "{{row.date_of_birth}}"
        address: { address1: 1 Main St, city: Denver, province: CO, country: USA, zip_code: "80202" }
        nationality: USA
        cip_id: "{{test_ssn}}"
        cip_id_type: SSN
        cip_id_country: USA
    expect:
      summary_status: PENDING
`;

data.before(async (context) => {
  context.server = await startBatchServer();
  context.sandbox = await startSandbox({ port: 0, approvalDelayMs: 0 });
  const base = context.server.url;
  const rows = Array.from({ length: 1000 }, (_, i) => `First${i},"Last, ${i}",19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`);
  context.files = tempFiles({
    'identity.yaml': IDENTITY_WORKFLOW,
    'thousand.csv': `\uFEFFfirst_name,last_name,date_of_birth\r\n${rows.join('\r\n')}\r\n`,
    'rows.yaml': httpWorkflow('rows', `${base}/ok/{{row.name}}/{{row.amount}}`),
    'some-bad.csv': 'name,amount\nann,1\nbob,\ncid,3,extra\n"dee",4\n',
    'typo.yaml': httpWorkflow('typo', `${base}/ok/{{row.nmae}}`),
    'typed.jsonl': '{"name": "ann", "amount": 10.5}\n\n{"name": "bob"}\n{"amount": 2}\n',
    'typed.yaml': `version: 1\nname: typed\nsteps:\n  - id: call\n    uses: http\n    with:\n      method: POST\n      url: "${base}/ok/{{row.name}}"\n      json: { amount: "{{row.amount}}", note: "{{default row.note \\"none\\"}}" }\n`,
    'cartesian.yaml': httpWorkflow('cartesian', `${base}/ok/{{row.market}}/{{row.side}}`, 'matrix:\n  market: [ETHUSD, BTCUSD]\n  side: [BUY, SELL]\n'),
    'list.yaml': httpWorkflow('list', `${base}/ok/{{row.name}}`, 'matrix:\n  - { name: first }\n  - { name: second, extra: 1 }\n'),
    'matrix-typo.yaml': httpWorkflow('matrix typo', `${base}/ok/{{row.markt}}`, 'matrix:\n  market: [ETHUSD]\n'),
    'no-rows.yaml': httpWorkflow('no rows', `${base}/ok/{{row.name}}`),
    'slow.yaml': httpWorkflow('slow rows', `${base}/slow/{{row.name}}/{{row.amount}}`),
    'many.csv': `name,amount\n${Array.from({ length: 12 }, (_, i) => `r${i},${i}`).join('\n')}\n`,
    'hang.yaml': httpWorkflow('hang', `${base}/hang/{{row.name}}`),
  });
});
data.after(async ({ server, sandbox }) => {
  await server.close();
  await sandbox.close();
});
data.before.each(({ server }) => server.reset());

const batchReport = (run: Awaited<ReturnType<typeof runWithReports>>) => run.json() as unknown as JsonBatchReport;

data('a 1,000-row CSV against the in-process emulator: every row passes, each its own run, per-row results in JSON and JUnit', async ({ sandbox, files }) => {
  const before = sandbox.state.identities.size;
  // Journals on a memory file system where there is one: the test is about paxflow, not the disk's fsync.
  const home = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/paxflow-home-') : mkdtempSync(join(tmpdir(), 'paxflow-home-'));
  const run = await runWithReports(
    [
      files['identity.yaml']!,
      '--data', files['thousand.csv']!,
      '--concurrency', '16',
      '--api-url', sandbox.apiUrl,
      '--oauth-url', sandbox.oauthUrl,
      '--client-id', 'sandbox-client',
      '--client-secret', 'sandbox-secret',
    ],
    { PAXFLOW_HOME: home },
  );
  assert.is(run.code, 0, run.stderr + run.stdout.slice(-2000));
  const report = batchReport(run);
  assert.equal(report.summary, { total: 1000, passed: 1000, failed: 0, invalid: 0, interrupted: 0 });
  assert.equal(report.runs.map((r) => r.row), Array.from({ length: 1000 }, (_, i) => i + 1));
  assert.is(report.runs[0]!.line, 2);
  assert.is(new Set(report.runs.map((r) => r.runId)).size, 1000);
  const refIds = report.runs.map((r) => (r.steps![0]!.input as { ref_id: string }).ref_id);
  assert.is(new Set(refIds).size, 1000);
  assert.ok(report.runs.every((r) => r.steps![0]!.output !== undefined && r.status === 'passed'));
  assert.is(sandbox.state.identities.size - before, 1000);
  const testsuites = run.junit().testsuites.testsuite;
  assert.is(testsuites.length, 1000);
  assert.is(testsuites[41]!.name, 'One identity per row [row 42]');
  // The names of the rows are personal data: masked in every report.
  assert.not.ok(run.stdout.includes('First41') || JSON.stringify(report).includes('First41'));
  // The console ends with the summary; past 100 units it lists only those that did not pass.
  assert.match(run.stdout, /… and 1000 more passed\nPASSED 1000 runs: 1000 passed, 0 failed in /);
});

data('bad rows fail alone, with their row number and line, before any request for them; the others run', async ({ server, files }) => {
  const run = await runWithReports([files['rows.yaml']!, '--data', files['some-bad.csv']!]);
  assert.is(run.code, 1, run.stderr);
  const report = batchReport(run);
  assert.equal(report.runs.map((r) => [r.row, r.line, r.status, r.problems?.[0]?.code]), [
    [1, 2, 'passed', undefined],
    [2, 3, 'invalid', 'ROW_MISSING_COLUMN'],
    [3, 4, 'invalid', 'ROW_BAD_FIELDS'],
    [4, 5, 'passed', undefined],
  ]);
  assert.match(report.runs[1]!.problems![0]!.message, /^row 2 \(line 3\) has no value for row\.amount/);
  assert.is(report.runs[1]!.problems![0]!.file, files['some-bad.csv']);
  assert.equal(server.seen.map((r) => r.path).sort(), ['/ok/ann/1', '/ok/dee/4']);
  const junit = run.junit().testsuites.testsuite;
  assert.equal(junit.map((s) => s.failures), ['0', '1', '1', '0']);
  assert.is(junit[1]!.testcase[0]!.failure?.type, 'ROW_MISSING_COLUMN');
  assert.match(run.stdout, /^\[row 2\] +ROW_MISSING_COLUMN row 2 \(line 3\)/m);
  assert.match(run.stdout, /FAILED 4 runs: 2 passed, 0 failed, 2 invalid/);
});

data('--dry-run reads every row and checks it as a run would before sending: the bad ones listed, exit 1, nothing sent', async ({ server, files }) => {
  const bad = await runCli(['run', files['rows.yaml']!, '--data', files['some-bad.csv']!, '--dry-run']);
  assert.is(bad.code, 1, bad.stderr);
  const csv = files['some-bad.csv']!;
  assert.ok(bad.stdout.includes(`${csv}:3 error ROW_MISSING_COLUMN row 2 (line 3) has no value for row.amount`), bad.stdout);
  assert.match(bad.stdout, new RegExp(`^${csv.replace(/[.\\/]/g, '\\$&')}:4 error ROW_BAD_FIELDS `, 'm'));
  assert.match(bad.stdout, /^4 runs from the rows of .*some-bad\.csv checked, as each run checks its row before sending: 2 can run, 2 cannot \(above\)$/m);
  const good = await runCli(['run', files['rows.yaml']!, '--data', files['many.csv']!, '--dry-run']);
  assert.is(good.code, 0, good.stdout + good.stderr);
  assert.match(good.stdout, /^12 runs from the rows of .*many\.csv checked, .*: all 12 can run$/m);
  const matrix = await runCli(['run', files['list.yaml']!, '--dry-run']);
  assert.is(matrix.code, 0, matrix.stdout + matrix.stderr);
  assert.match(matrix.stdout, /^2 runs from the entries of matrix: checked, .*: all 2 can run$/m);
  assert.equal(server.seen, []);
});

data('JSONL rows keep their JSON types; default() covers a column a row leaves out', async ({ server, files }) => {
  const run = await runWithReports([files['typed.yaml']!, '--data', files['typed.jsonl']!]);
  assert.is(run.code, 1);
  const report = batchReport(run);
  assert.equal(report.runs.map((r) => [r.row, r.line, r.status]), [[1, 1, 'passed'], [2, 3, 'invalid'], [3, 4, 'invalid']]);
  assert.equal(JSON.parse(server.seen[0]!.body), { amount: 10.5, note: 'none' });
  assert.is(server.seen.length, 1);
});

data('a CSV header is known before the run: a template reading a column it lacks is an error at its line:col, exit 2, nothing sent', async ({ server, files }) => {
  const { code, stderr } = await runCli(['run', files['typo.yaml']!, '--data', files['some-bad.csv']!]);
  assert.is(code, 2);
  assert.match(stderr, new RegExp(`${files['typo.yaml']!}:7:\\d+ error REF_UNKNOWN_COLUMN .*nmae.*did you mean .*name`, 'i'));
  assert.is(server.seen.length, 0);
  // Without rows, row.* is not available at all.
  const none = await runCli(['run', files['no-rows.yaml']!]);
  assert.is(none.code, 2);
  assert.match(none.stderr, /REF_UNAVAILABLE_SCOPE/);
});

data('matrix: a mapping of columns runs every combination, a list runs each row; --data replaces it', async ({ server, files }) => {
  const cartesian = await runWithReports([files['cartesian.yaml']!, '--concurrency', '1']);
  assert.is(cartesian.code, 0, cartesian.stderr);
  assert.equal(server.seen.map((r) => r.path), ['/ok/ETHUSD/BUY', '/ok/ETHUSD/SELL', '/ok/BTCUSD/BUY', '/ok/BTCUSD/SELL']);
  assert.equal(batchReport(cartesian).runs.map((r) => r.label), ['row 1', 'row 2', 'row 3', 'row 4']);
  server.reset();
  const list = await runCli(['run', files['list.yaml']!]);
  assert.is(list.code, 0, list.stderr);
  assert.equal(server.seen.map((r) => r.path).sort(), ['/ok/first', '/ok/second']);
  server.reset();
  const replaced = await runCli(['run', files['list.yaml']!, '--data', files['many.csv']!]);
  assert.is(replaced.code, 0);
  assert.is(server.seen.length, 12);
  const typo = await runCli(['run', files['matrix-typo.yaml']!]);
  assert.is(typo.code, 2);
  assert.match(typo.stderr, /:9:\d+ error REF_UNKNOWN_COLUMN .*markt.*did you mean .*market/i);
});

data('--concurrency bounds the rows running at once', async ({ server, files }) => {
  const run = await runCli(['run', files['slow.yaml']!, '--data', files['many.csv']!, '--concurrency', '3']);
  assert.is(run.code, 0, run.stderr);
  assert.is(server.seen.length, 12);
  assert.is(server.mostInFlight, 3);
});

data('--resume does not go with --data; Ctrl-C stops the batch: no new rows, exit 130, the report says interrupted', async ({ server, files }) => {
  const resume = await runCli(['run', files['rows.yaml']!, '--data', files['many.csv']!, '--resume', 'abcdef12']);
  assert.is(resume.code, 2);
  const controller = new AbortController();
  const waiting = setInterval(() => server.seen.length >= 2 && controller.abort(), 5);
  const run = await runWithReports([files['hang.yaml']!, '--data', files['many.csv']!, '--concurrency', '2'], {}, controller.signal);
  clearInterval(waiting);
  assert.is(run.code, 130);
  const report = batchReport(run);
  assert.is(report.status, 'interrupted');
  assert.is(report.runs.length, 2);
  assert.is(server.seen.length, 2);
});

data('the example: batch-onboarding.yaml with workflows/data/customers.csv onboards every customer but the bad row', async () => {
  const run = await runWithReports(['workflows/batch-onboarding.yaml', '--data', 'workflows/data/customers.csv', '--concurrency', '8']);
  assert.is(run.code, 1, run.stderr);
  const report = batchReport(run);
  const bad = report.runs.filter((r) => r.status !== 'passed');
  assert.equal(bad.map((r) => [r.status, r.problems?.[0]?.code]), [['invalid', 'ROW_MISSING_COLUMN']]);
  assert.ok(report.summary.passed >= 10);
  assert.match(run.stdout, /Summary \(\d+ runs\)/);
});

data.run();

const window = suite('cli: a slow row does not make the batch hold every row after it');

window('rows start at most 512 places ahead of the earliest row not yet reported', async () => {
  let held: (() => void) | undefined;
  let highest = 0;
  let others = 0;
  const server = createServer((request, response) => {
    const row = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('row'));
    const answer = () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    if (row === 1) {
      held = answer;
      return;
    }
    others += 1;
    highest = Math.max(highest, row);
    answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const rows = Array.from({ length: 700 }, (_, index) => String(index + 1));
  const paths = tempFiles({
    'rows.csv': `row\n${rows.join('\n')}\n`,
    'call.yaml': `version: 1\nname: call\nsteps:\n  - id: call\n    uses: http\n    with: { url: "http://127.0.0.1:${port}/x?row={{row.row}}" }\n`,
  });
  try {
    const run = runCli(['run', paths['call.yaml']!, '--data', paths['rows.csv']!, '--concurrency', '32']);
    // Rows 2 to 512 can all end while row 1 waits; row 513 is the 513th place and has to wait for it.
    for (let waited = 0; (others < 511 || held === undefined) && waited < 20_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.is(highest, 512, `the highest row started while row 1 was held: ${highest}`);
    held!();
    const { code } = await run;
    assert.is(code, 0);
    assert.is(others, 699);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

window.run();
