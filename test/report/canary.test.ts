import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { runCli, tempFiles } from '../cli/_io.js';
import { canaryForms, findLeaks, personalValues, runEverywhere } from './_canary.js';
import { startEchoProxy, type EchoProxy } from './_echo-proxy.js';
import { parseJunit } from './_reports.js';

// Canaries: every SSN, date of birth and email the runs send, the client secret, every access token.
const SECRET = 'canary-Secret-7d41f0c2';
const CLIENT = 'canary-client';

interface Context {
  sandbox: SandboxHandle;
  proxy: EchoProxy;
  echoing: EchoProxy;
}
const canaries = suite<Context>('canaries: no personal data or secret in any output');

canaries.before(async (context) => {
  context.sandbox = await startSandbox({ port: 0, approvalDelayMs: 0, clientId: CLIENT, clientSecret: SECRET });
  context.proxy = await startEchoProxy(context.sandbox.url);
  context.echoing = await startEchoProxy(context.sandbox.url);
  context.echoing.echo400(/^POST \/v2\/identity\/identities/);
});
canaries.after(async ({ sandbox, proxy, echoing }) => {
  await proxy.close();
  await echoing.close();
  await sandbox.close();
});

const through = (proxy: EchoProxy): string[] => ['--api-url', proxy.apiUrl, '--oauth-url', proxy.oauthUrl, '--client-id', CLIENT, '--client-secret', SECRET];

/** What must never appear: everything the proxy saw go by, in every form it can leak in. */
const seenCanaries = (...proxies: EchoProxy[]): string[] => {
  const personal = personalValues(proxies.flatMap((proxy) => proxy.bodies));
  const tokens = proxies.flatMap((proxy) => proxy.tokens);
  assert.ok(personal.length > 0 && tokens.length > 0, 'the run sent personal data and used a token');
  return [...personal.flatMap((value) => canaryForms(value)), ...tokens.flatMap((token) => canaryForms(token, true)), ...canaryForms(SECRET, true)];
};

// The examples, and the QA scenarios beside them (which go through Paxos error answers on purpose).
const examples = ['workflows', 'workflows/scenarios'].flatMap((dir) =>
  existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith('.yaml')).sort().map((file) => `${dir}/${file}`) : [],
);

for (const file of examples) {
  canaries(`${file} with --verbose and every reporter leaks nothing`, async ({ proxy }) => {
    const run = await runEverywhere([file, ...through(proxy)]);
    assert.is(run.code, 0, run.stdout + run.stderr);
    assert.equal(Object.keys(run.outputs).sort(), ['junit.xml', 'report.html', 'report.json', 'stderr', 'stdout']);
    assert.equal(findLeaks(run.outputs, seenCanaries(proxy)), []);
  });
}

canaries('the issue\'s own command: both files written, no canary in them or on the console', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'paxflow-done-')), 'out');
  const { code, stdout, stderr } = await runCli([
    'run', 'workflows/onboard-and-trade.yaml', '--reporter', `junit=${out}/junit.xml`, '--reporter', `json=${out}/report.json`, '--reporter', `html=${out}/report.html`, '--verbose',
  ]);
  assert.is(code, 0, stderr);
  // The JSON report rendered again later, as CI would keep it.
  const rendered = await runCli(['report', `${out}/report.json`, '--reporter', `html=${out}/later.html`]);
  assert.is(rendered.code, 0, rendered.stderr);
  const outputs = {
    stdout,
    stderr,
    junit: readFileSync(`${out}/junit.xml`, 'utf8'),
    json: readFileSync(`${out}/report.json`, 'utf8'),
    html: readFileSync(`${out}/report.html`, 'utf8'),
    later: readFileSync(`${out}/later.html`, 'utf8'),
  };
  const known = ['1960-01-01', 'example@somemail.org', ...canaryForms('sandbox-secret', true)];
  assert.equal(findLeaks(outputs, known), []);
  for (const [where, text] of Object.entries(outputs)) {
    assert.not.match(text, /(?<![\w-])9\d{8}(?![\w-])/, `${where}: a test SSN without dashes`);
    assert.not.match(text, /Bearer (?!\[REDACTED\])\S/, `${where}: a bearer token`);
  }
});

canaries('a 400 that echoes the body, the SSN and the Authorization header: exit 1, nothing leaks', async ({ echoing }) => {
  const run = await runEverywhere(['workflows/onboard-and-trade.yaml', ...through(echoing)]);
  assert.is(run.code, 1);
  const failed = parseJunit(run.outputs['junit.xml']!).testsuites.testsuite[0]!.testcase.find((c) => c.failure);
  assert.is(failed?.name, 'identity: Create the identity');
  assert.is(failed?.failure?.type, 'PAXOS_BAD_REQUEST');
  assert.match(run.stdout, /^::error .*title=PAXOS_BAD_REQUEST::/m);
  assert.equal(findLeaks(run.outputs, seenCanaries(echoing)), []);
});

canaries('a validation error on the line that holds the SSN, in run and in validate: exit 2, nothing leaks', async () => {
  const head = 'version: 1\nname: invalid\nsteps:\n  - id: identity\n    uses: createIdentity\n    with:\n      person_details:\n';
  const files = tempFiles({
    'syntax.yaml': `${head}        cip_id: "078-05-1120\n        email: jane.doe@example.com\n`,
    'type.yaml': `${head}        cip_id: 078051120\n        date_of_birth: 1960-01-01\n`,
    'key.yaml': `${head}        cip_idd: 078-05-1120\n        emial: jane.doe@example.com\n`,
    'indent.yaml': `${head}        cip_id: 078-05-1120\n       email: jane.doe@example.com\n`,
  });
  const known = [...canaryForms('078-05-1120'), 'jane.doe@example.com', '1960-01-01'];
  for (const [name, file] of Object.entries(files)) {
    const validated = await runCli(['validate', file]);
    const run = await runEverywhere([file]);
    assert.is(validated.code, 2, name);
    assert.is(run.code, 2, name);
    assert.match(validated.stderr, new RegExp(`^${file}:\\d+:\\d+ error [A-Z_]+ `, 'm'), name);
    assert.equal(findLeaks({ validate: validated.stdout + validated.stderr, ...run.outputs }, known), [], name);
  }
});

canaries('template errors on a sensitive value: coded failures, nothing leaks', async () => {
  const check = (id: string, actual: string) =>
    `  - id: ${id}\n    uses: assert\n    continue_on_error: true\n    with:\n      checks:\n        - { actual: "${actual}", equals: "x" }\n`;
  const files = tempFiles({
    'templates.yaml':
      'version: 1\nname: templates\nvars:\n  ssn: "078-05-1120"\n  plain: "078051120"\n  contact: jane.doe@example.com\nsteps:\n' +
      check('field', '{{vars.ssn.digits}}') +
      check('helper', '{{gt vars.plain vars.contact}}') +
      check('each', '{{#each vars.plain}}{{this}}{{/each}}') +
      check('length', '{{vars.contact.length}}') +
      check('object', 'ssn {{vars}}'),
  });
  const run = await runEverywhere([files['templates.yaml']!]);
  assert.is(run.code, 0, run.stdout + run.stderr);
  const report = JSON.parse(run.outputs['report.json']!) as { steps: Array<{ status: string; error?: { code: string } }> };
  assert.ok(report.steps.every((step) => step.status === 'failed' && /^TEMPLATE_/.test(step.error?.code ?? '')), JSON.stringify(report.steps.map((s) => s.error)));
  assert.equal(findLeaks(run.outputs, [...canaryForms('078-05-1120'), 'jane.doe@example.com']), []);
});

canaries.run();
