import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { formatPlan } from '../../src/commands/plan.js';
import { planWorkflow } from '../../src/engine/plan.js';
import type { PlanView } from '../../src/engine/plan-view.js';
import { createRedactor } from '../../src/report/redact.js';
import { readWorkflowFile } from '../../src/workflow/read.js';
import { json, startTestServer } from '../_server.js';
import { runCli } from './_io.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const plan = suite<{ server: Server; main: string }>('cli: paxflow plan');

/** Writes the files into a fresh folder; returns the path of the first. */
const files = (texts: Record<string, string>): string => {
  const dir = mkdtempSync(join(tmpdir(), 'paxflow-plan-'));
  for (const [name, text] of Object.entries(texts)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return join(dir, Object.keys(texts)[0]!);
};

plan.before(async (context) => {
  context.server = await startTestServer({ '/ok': json(200, { id: 'x' }) });
  const base = context.server.url;
  context.main = files({
    'main.yaml': `
version: 1
name: Plan me
vars:
  amount: "25.50"
  who: Ada
steps:
  - id: lookup
    uses: http
    with: { url: "${base}/ok" }
  - id: person
    uses: ./lib/person.yaml
    with:
      first_name: "{{vars.who}}"
      email: marguerite@example.org
      lookup_id: "{{steps.lookup.body.id}}"
  - id: pay
    uses: http
    if: gt vars.amount "10"
    with:
      url: "${base}/ok"
      method: POST
      json: { amount: "{{vars.amount}}", to: "{{steps.person.account_id}}", note: "run {{run.id}} for {{steps.person.account_id}}" }
finally:
  - id: tidy
    if: eq run.status "failed"
    uses: http
    with: { url: "${base}/ok", query: { ref: "{{uuid}}" } }
`,
    'lib/person.yaml': `
version: 1
name: Person
inputs:
  first_name: { type: string }
  email: { type: string, sensitive: true }
  lookup_id: { type: string }
  market: { type: string, default: ETHUSD }
outputs:
  account_id: "{{steps.open.body.id}}"
steps:
  - id: open
    uses: http
    with:
      url: "${base}/ok"
      query: { name: "{{inputs.first_name}}", market: "{{inputs.market}}", lookup: "{{inputs.lookup_id}}", contact: "{{inputs.email}}" }
`,
  });
});
plan.after(async ({ server }) => server.close());

plan('the onboarding guide: known values filled in, the outputs each input waits on, scopes, conditions', async () => {
  const { code, stdout } = await runCli(['plan', 'workflows/onboard-and-trade.yaml']);
  assert.is(code, 0);
  assert.match(stdout, /^scopes: .*identity:write_identity/m);
  assert.match(stdout, /^sandbox only: funding$/m);
  assert.match(stdout, /^2\. approval {2}awaitApproval {2}"Wait for approval" {2}needs identity {2}timeout 2m$/m);
  assert.match(stdout, /^ {5}identity_id <- steps\.identity\.id$/m);
  assert.match(stdout, /^ {5}account\.ref_id = <run id>-account$/m);
  assert.match(stdout, /^ {5}amount = "10000"$/m);
  assert.match(stdout, /^ {5}person_details\.cip_id = \{\{test_ssn\}\} {2}\(made when the step runs\)$/m);
  assert.match(stdout, /^ {5}checks\[0\]\.actual <- steps\.balances\.by_asset\.USD\.available$/m);
  assert.match(stdout, /^ {5}if \{\{vars\.expected_usd\}\} {2}\(true now: runs\)$/m);
  // Personal data written in the file is masked, as in a run's output.
  assert.match(stdout, /^ {5}person_details\.first_name = \[REDACTED\]$/m);
  for (const value of ['Billy', 'Duncan', 'example@somemail.org', '123 Main St']) assert.not.ok(stdout.includes(value), value);

  const skipped = await runCli(['plan', 'workflows/onboard-and-trade.yaml', '--var', 'expected_usd=']);
  assert.match(skipped.stdout, /if \{\{vars\.expected_usd\}\} {2}\(false now: skipped\)/);
});

plan('playbooks are expanded under their calls, inputs known or waiting, outputs shown', async ({ main }) => {
  const { code, stdout, stderr } = await runCli(['plan', main]);
  assert.is(code, 0, stderr);
  const lines = stdout.split('\n');
  const at = (text: string) => {
    const index = lines.indexOf(text);
    assert.ok(index !== -1, `missing line: ${JSON.stringify(text)}\n${stdout}`);
    return index;
  };
  const call = at('2. person  ./lib/person.yaml  needs lookup');
  assert.ok(at(`     playbook ${join(dirname(main), 'lib', 'person.yaml')}`) > call);
  at('     inputs:');
  at('       first_name = [REDACTED]');
  at('       email = [REDACTED]');
  at('       lookup_id <- steps.lookup.body.id');
  at('       market = ETHUSD  (default)');
  const nested = at('     2.1 person.open  http');
  // Inside, an input known now is filled in; one the caller takes from an output waits on it.
  at('          query.market = ETHUSD');
  at('          query.lookup <- inputs.lookup_id');
  at('          query.name = [REDACTED]');
  at('     outputs (steps.person.<name>):');
  at('       account_id <- steps.open.body.id');
  const pay = at('3. pay  http  needs person');
  assert.ok(nested < pay);
  at('     if gt vars.amount "10"  (true now: runs)');
  at('     json.amount = "25.50"');
  at('     json.to <- steps.person.account_id');
  at('     json.note <- steps.person.account_id  as "run {{run.id}} for {{steps.person.account_id}}"');
  at('finally (runs whatever happened to the steps above):');
  at('4. tidy  http');
  at('     if eq run.status "failed"  <- run.status');
  at('     query.ref = {{uuid}}  (made when the step runs)');
  assert.not.ok(stdout.includes('marguerite@example.org'));
});

plan('nothing is sent: not one request reaches the server the workflow names', async ({ server, main }) => {
  const before = { ...server.hits };
  assert.is((await runCli(['plan', main])).code, 0);
  assert.is((await runCli(['plan', main, '--json'])).code, 0);
  assert.equal(server.hits, before);
  assert.equal(before, {});
});

plan('--json gives the same plan as data, masked', async ({ main }) => {
  const { code, stdout } = await runCli(['plan', main, '--json']);
  assert.is(code, 0);
  const view = JSON.parse(stdout) as PlanView;
  assert.equal(view.steps.map((step) => step.id), ['lookup', 'person', 'pay', 'tidy']);
  const person = view.steps[1]!;
  assert.equal(person.playbook?.steps.map((step) => step.id), ['person.open']);
  assert.equal(person.input.find((leaf) => leaf.path[0] === 'email'), { path: ['email'], value: '[REDACTED]', sensitive: true });
  assert.equal(person.input.find((leaf) => leaf.path[0] === 'lookup_id'), { path: ['lookup_id'], template: '{{steps.lookup.body.id}}', waitsOn: ['steps.lookup.body.id'] });
  assert.is(view.steps[3]!.cleanup, true);
  assert.equal(view.steps[2]!.if, { template: 'gt vars.amount "10"', runs: true });
  assert.not.ok(stdout.includes('marguerite@example.org'));
});

plan('formatPlan, for run --dry-run, masks with the redactor it is given', async ({ main }) => {
  const { workflow } = await readWorkflowFile(main);
  const redactor = createRedactor({ secrets: ['25.50'] });
  const text = formatPlan(planWorkflow(workflow!), { redactor });
  assert.match(text, /json\.amount = "\[REDACTED\]"|json\.amount = \[REDACTED\]/);
  assert.not.ok(text.includes('25.50'));
  assert.not.ok(text.includes('marguerite@example.org'), 'a sensitive input is masked whatever the redactor knew');
});

plan('an invalid playbook stops the plan with its problems, placed in the playbook', async () => {
  const broken = files({
    'main.yaml': 'version: 1\nname: main\nsteps:\n  - id: call\n    uses: ./lib/bad.yaml\n',
    'lib/bad.yaml': 'version: 1\nname: bad\nsteps:\n  - id: one\n    uses: htp\n',
  });
  const { code, stderr } = await runCli(['plan', broken]);
  assert.is(code, 2);
  assert.match(stderr, new RegExp(`^${join(dirname(broken), 'lib', 'bad.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:11 error UNKNOWN_STEP_TYPE`, 'm'));
});

plan.run();
