import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestServer } from '../_server.js';
import { runCli, tempFiles } from '../cli/_io.js';
import { canaryForms, findLeaks, runEverywhere } from './_canary.js';
import { runWithReports } from './_reports.js';

const API_KEY = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc';
const OVERRIDE = 'sk_test_override_9f8e7d6c5b';
const ENV_TOKEN = 'envtok_51bd0a77e3c2';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const options = suite<{ server: Server; files: Record<string, string> }>('redaction options: secrets:, redact:, --no-redact-pii');

options.before(async (context) => {
  context.server = await startTestServer({
    // Echoes what it got, and the key again in base64, as a careless service would.
    '/echo': (request, response, body) => {
      const key = String(request.headers['x-key']);
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ got: body, key, key_b64: Buffer.from(key).toString('base64'), auth: request.headers.authorization, env: request.headers['x-env'] }),
      );
    },
  });
  const base = context.server.url;
  context.files = tempFiles({
    'secrets.yaml': `version: 1
name: secrets
secrets: [api_key]
redact: [account_number, meta.owner]
vars:
  api_key: "${API_KEY}"
steps:
  - id: call
    uses: http
    with:
      url: "${base}/echo"
      method: POST
      headers: { x-key: "{{vars.api_key}}", authorization: "Bearer {{vars.api_key}}", x-env: "{{env.MY_SERVICE_TOKEN}}" }
      json: { note: "key={{vars.api_key}}", account_number: "AC-7731-0042", meta: { owner: "Ozymandias King" } }
  - id: check
    uses: assert
    with:
      checks:
        - { actual: "{{steps.call.body.got}}", equals: "x" }
        - { actual: "{{steps.call.body.key_b64}} {{steps.call.body.env}}", equals: "x" }
`,
    'unknown-secret.yaml': `version: 1\nname: unknown\nsecrets: [nope]\nvars: { api_key: x }\nsteps:\n  - id: a\n    uses: assert\n    with: { checks: [{ actual: 1, equals: 1 }] }\n`,
    'bad-redact.yaml': `version: 1\nname: bad\nredact: ["a..b"]\nsteps:\n  - id: a\n    uses: assert\n    with: { checks: [{ actual: 1, equals: 1 }] }\n`,
  });
});
options.after(async ({ server }) => server.close());

options('secret vars, env secrets and redact: fields are masked in inputs, responses and messages', async ({ files }) => {
  const run = await runEverywhere([files['secrets.yaml']!], { MY_SERVICE_TOKEN: ENV_TOKEN });
  assert.is(run.code, 1, run.stderr);
  assert.match(run.stdout, /ASSERTION_FAILED/);
  const canaries = [...canaryForms(API_KEY, true), ...canaryForms(ENV_TOKEN, true), 'AC-7731-0042', 'Ozymandias King'];
  assert.equal(findLeaks(run.outputs, canaries), []);
  const report = JSON.parse(run.outputs['report.json']!) as { steps: Array<{ input?: { json?: Record<string, unknown> } }> };
  assert.equal(report.steps[0]!.input?.json, { note: 'key=[REDACTED]', account_number: '[REDACTED]', meta: { owner: '[REDACTED]' } });
});

options('a secret var given with --var is masked too', async ({ files }) => {
  const run = await runEverywhere([files['secrets.yaml']!, '--var', `api_key=${OVERRIDE}`]);
  assert.is(run.code, 1);
  assert.equal(findLeaks(run.outputs, canaryForms(OVERRIDE, true)), []);
});

options('secrets: naming an undeclared variable is refused before the run; a bad redact: entry is a validation error', async ({ files }) => {
  const unknown = await runCli(['run', files['unknown-secret.yaml']!]);
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, /^error UNKNOWN_SECRET_VAR /m);
  assert.is(unknown.stdout, '');
  const bad = await runCli(['validate', files['bad-redact.yaml']!]);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /:3:\d+ error BAD_VALUE /);
});

options('--no-redact-pii is refused under CI=true and against a non-local target, before anything runs', async ({ server }) => {
  const ci = await runCli(['run', 'workflows/onboard-and-trade.yaml', '--no-redact-pii']);
  assert.is(ci.code, 2);
  assert.match(ci.stderr, /^error REDACTION_REQUIRED /m);
  assert.is(ci.stdout, '');
  const remote = await runCli(['run', 'workflows/onboard-and-trade.yaml', '--no-redact-pii', '--api-url', `${server.url}/v2`, '--oauth-url', `${server.url}/oauth2/token`], { env: { CI: '' } });
  assert.is(remote.code, 2);
  assert.match(remote.stderr, /^error REDACTION_REQUIRED /m);
});

options('--no-redact-pii locally shows personal data, but never the client secret or a token', async () => {
  const run = await runWithReports(['workflows/onboard-and-trade.yaml', '--no-redact-pii', '--verbose'], { CI: '' });
  assert.is(run.code, 0, run.stderr);
  const report = run.json();
  assert.is(report.redaction.pii, false);
  const input = report.steps[0]!.input as { person_details: { email: string } };
  assert.is(input.person_details.email, 'example@somemail.org');
  const text = readFileSync(`${run.dir}/reports/run.json`, 'utf8') + run.stdout + run.stderr;
  assert.equal(findLeaks({ all: text }, canaryForms('sandbox-secret', true)).filter((leak) => !leak.includes('SSN-shaped')), []);
  assert.not.match(text, /Bearer (?!\[REDACTED\])\S/);
});

options.run();
