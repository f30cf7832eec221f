import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { json, startTestServer } from '../_server.js';
import { runCli, tempFiles } from '../cli/_io.js';
import { runWithReports } from './_reports.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const nested = suite<{ server: Server; main: string; playbook: string }>('reporters: steps of playbook calls and finally: steps');

nested.before(async (context) => {
  context.server = await startTestServer({ '/ok': json(200, { value: 7 }), '/fail': json(503, { title: 'Service Unavailable' }) });
  const base = context.server.url;
  const dir = mkdtempSync(join(tmpdir(), 'paxflow-nested-'));
  context.main = join(dir, 'main.yaml');
  context.playbook = join(dir, 'lib', 'onboard.yaml');
  mkdirSync(dirname(context.playbook), { recursive: true });
  writeFileSync(
    context.main,
    `version: 1\nname: nested\nsteps:\n  - id: onboard\n    name: Onboard\n    uses: ./lib/onboard.yaml\n    with: { email: someone.private@example.org }\n  - id: after\n    uses: http\n    with: { url: "${base}/ok" }\nfinally:\n  - id: tidy\n    uses: http\n    with: { url: "${base}/ok" }\n`,
  );
  writeFileSync(
    context.playbook,
    `version: 1\nname: Onboard\ninputs:\n  email: { type: string, sensitive: true }\noutputs:\n  value: "{{steps.identity.body.value}}"\nsteps:\n  - id: identity\n    name: Create the identity\n    uses: http\n    with: { url: "${base}/ok", query: { contact: "{{inputs.email}}" } }\n  - id: approval\n    uses: http\n    with: { url: "${base}/fail" }\n`,
  );
});
nested.after(async ({ server }) => server.close());

nested('pretty: nested steps as onboard.identity, a failure inside at the playbook\'s line, finally steps marked', async ({ main, playbook }) => {
  const { code, stdout } = await runCli(['run', main]);
  assert.is(code, 1);
  assert.match(stdout, /✓ onboard\.identity Create the identity/);
  assert.match(stdout, /✗ onboard\.approval /);
  assert.ok(stdout.includes(`at ${playbook}:12:5`), stdout);
  assert.match(stdout, /✗ onboard Onboard .*\n\s+PLAYBOOK_FAILED /);
  assert.match(stdout, /- after .*skipped/);
  assert.match(stdout, /✓ tidy .*\[finally\]/);
});

nested('json and junit: nested ids, the playbook file and the finally mark, schema-valid', async ({ main, playbook }) => {
  const run = await runWithReports([main]);
  assert.is(run.code, 1, run.stderr);
  const report = run.json();
  assert.equal(report.steps.map((step) => step.id), ['onboard.identity', 'onboard.approval', 'onboard', 'after', 'tidy']);
  assert.is(report.steps[0]!.file, playbook);
  assert.is(report.steps[0]!.line, 8);
  assert.is(report.steps[2]!.file, undefined);
  assert.is(report.steps[2]!.uses, './lib/onboard.yaml');
  assert.is(report.steps[4]!.cleanup, true);

  const testcases = run.junit().testsuites.testsuite[0]!.testcase;
  assert.equal(testcases.map((testcase) => testcase.name), ['onboard.identity: Create the identity', 'onboard.approval', 'onboard: Onboard', 'after', 'tidy']);
  const approval = testcases[1] as unknown as { file: string; failure: { '#text': string } };
  assert.is(approval.file, playbook);
  assert.ok(approval.failure['#text'].includes(`at ${playbook}:12:5`));
});

nested('github: a failure inside a playbook is annotated on the playbook file', async ({ main, playbook }) => {
  const { stdout } = await runCli(['run', main, '--reporter', 'github']);
  assert.match(stdout, /::error file=[^,]*onboard\.yaml,line=12,col=5,title=HTTP_UNEXPECTED_STATUS::onboard\.approval: /);
  assert.match(stdout, /::error file=[^,]*main\.yaml,line=4,col=5,title=PLAYBOOK_FAILED::onboard \(Onboard\): /);
  assert.ok(playbook.endsWith('onboard.yaml'));
});

nested.run();

const declared = suite<{ server: Server }>("reporters: a playbook's own secrets: and redact:");
declared.before(async (context) => {
  context.server = await startTestServer({ '/echo': json(200, { note: 'private-note-4471', value: 7 }) });
});
declared.after(async ({ server }) => server.close());

declared('are masked in every output like the workflow\'s own: console, json, junit, journal and plan', async ({ server }) => {
  const secret = 'pb-secret-93f1c2';
  const dir = mkdtempSync(join(tmpdir(), 'paxflow-declared-'));
  mkdirSync(join(dir, 'lib'));
  const main = join(dir, 'main.yaml');
  writeFileSync(main, 'version: 1\nname: declared\nsteps:\n  - id: call\n    uses: ./lib/p.yaml\n');
  writeFileSync(
    join(dir, 'lib', 'p.yaml'),
    `version: 1\nname: p\nvars:\n  key: ${secret}\nsecrets: [key]\nredact: [note]\nsteps:\n` +
      `  - id: get\n    uses: http\n    with: { url: "${server.url}/echo", headers: { x-key: "{{vars.key}}" } }\n` +
      `  - id: check\n    uses: assert\n    with:\n      checks:\n        - { actual: "{{vars.key}}", equals: "something else" }\n`,
  );
  const journalHome = mkdtempSync(join(tmpdir(), 'paxflow-declared-home-'));
  const run = await runWithReports([main, '--verbose'], { PAXFLOW_HOME: journalHome });
  assert.is(run.code, 1, run.stderr);
  assert.ok(run.stdout.includes('ASSERTION_FAILED'), run.stdout);
  const journalDir = join(journalHome, 'runs');
  const journals = readdirSync(journalDir).map((id) => readFileSync(join(journalDir, id, 'journal.jsonl'), 'utf8'));
  assert.is(journals.length, 1);
  const plan = await runCli(['plan', main, '--json']);
  assert.is(plan.code, 0, plan.stderr);
  const outputs = { stdout: run.stdout, stderr: run.stderr, json: JSON.stringify(run.json()), junit: JSON.stringify(run.junit()), journal: journals[0]!, plan: plan.stdout };
  for (const [name, text] of Object.entries(outputs)) {
    assert.not.ok(text.includes(secret), `${name} shows the playbook's secret`);
    assert.not.ok(text.includes('private-note-4471'), `${name} shows a field the playbook redacts`);
  }
  assert.ok(JSON.stringify(run.json()).includes('"value":7'), 'other output fields are kept');
});

declared('are masked in a batch too: every row\'s console lines, reports and journal', async ({ server }) => {
  const secret = 'pb-batch-secret-5d20';
  const dir = mkdtempSync(join(tmpdir(), 'paxflow-declared-batch-'));
  writeFileSync(join(dir, 'rows.csv'), 'n\n1\n2\n');
  writeFileSync(join(dir, 'main.yaml'), 'version: 1\nname: declared batch\nsteps:\n  - id: call\n    uses: ./p.yaml\n    with: { n: "{{row.n}}" }\n');
  writeFileSync(
    join(dir, 'p.yaml'),
    `version: 1\nname: p\ninputs:\n  n: { type: string }\nvars:\n  key: ${secret}\nsecrets: [key]\nredact: [note]\nsteps:\n` +
      `  - id: get\n    uses: http\n    with: { url: "${server.url}/echo", query: { n: "{{inputs.n}}" }, headers: { x-key: "{{vars.key}}" } }\n` +
      `  - id: check\n    uses: assert\n    with:\n      checks:\n        - { actual: "{{vars.key}}", equals: "something else" }\n`,
  );
  const journalHome = mkdtempSync(join(tmpdir(), 'paxflow-declared-home-'));
  const run = await runWithReports([join(dir, 'main.yaml'), '--data', join(dir, 'rows.csv'), '--verbose'], { PAXFLOW_HOME: journalHome });
  assert.is(run.code, 1, run.stderr);
  const journalDir = join(journalHome, 'runs');
  const journals = readdirSync(journalDir).map((id) => readFileSync(join(journalDir, id, 'journal.jsonl'), 'utf8'));
  assert.is(journals.length, 2);
  const outputs = { stdout: run.stdout, stderr: run.stderr, json: JSON.stringify(run.json()), junit: JSON.stringify(run.junit()), journals: journals.join('\n') };
  for (const [name, text] of Object.entries(outputs)) {
    assert.not.ok(text.includes(secret), `${name} shows the playbook's secret`);
    assert.not.ok(text.includes('private-note-4471'), `${name} shows a field the playbook redacts`);
  }
  assert.match(run.stdout, /ASSERTION_FAILED/);
});

declared('a name under a playbook\'s secrets: that its vars: lack stops the run before any request', async ({ server }) => {
  const files = tempFiles({ 'main.yaml': 'version: 1\nname: m\nsteps:\n  - id: call\n    uses: ./p.yaml\n', 'p.yaml': `version: 1\nname: p\nsecrets: [missing]\nsteps:\n  - id: get\n    uses: http\n    with: { url: "${server.url}/echo" }\n` });
  const before = server.hits['/echo'] ?? 0;
  const { code, stderr } = await runCli(['run', files['main.yaml']!]);
  assert.is(code, 2);
  assert.match(stderr, /UNKNOWN_SECRET_VAR .*'missing'.*p\.yaml/);
  assert.is(server.hits['/echo'] ?? 0, before);
});

declared('a sensitive input is masked as a whole word only: "Market orders" stays, "Mark" goes, in console, json and junit', async ({ server }) => {
  const dir = mkdtempSync(join(tmpdir(), 'paxflow-whole-word-'));
  const main = join(dir, 'main.yaml');
  writeFileSync(
    main,
    'version: 1\nname: Market orders\nsteps:\n  - id: call\n    name: Market orders for a person\n    uses: ./p.yaml\n    with: { first_name: Mark }\n' +
      `  - id: after\n    name: Marketing check\n    uses: http\n    with: { url: "${server.url}/echo" }\n`,
  );
  writeFileSync(
    join(dir, 'p.yaml'),
    'version: 1\nname: p\ninputs:\n  first_name: { type: string, sensitive: true }\nsteps:\n' +
      '  - id: check\n    name: Markets open\n    uses: assert\n    with:\n      checks:\n        - { actual: "{{inputs.first_name}}", equals: "Mark, not Marco" }\n',
  );
  const run = await runWithReports([main]);
  assert.is(run.code, 1, run.stderr);
  const outputs = { stdout: run.stdout, json: JSON.stringify(run.json()), junit: JSON.stringify(run.junit()) };
  for (const [name, text] of Object.entries(outputs)) {
    assert.not.ok(/\bMark\b/.test(text), `${name} shows the sensitive value`);
    assert.not.ok(text.includes('[REDACTED]et') || text.includes('[REDACTED]s open'), `${name} masks inside a word: ${text}`);
    for (const kept of ['Market orders for a person', 'Marketing check', 'Markets open', 'Marco']) assert.ok(text.includes(kept), `${name} lacks ${kept}`);
  }
  const names = run.junit().testsuites.testsuite[0]!.testcase.map((testcase) => testcase.name);
  assert.equal(names, ['call.check: Markets open', 'call: Market orders for a person', 'after: Marketing check']);
});

declared.run();
