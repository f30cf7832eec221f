import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startReceiver } from '../sandbox/_receiver.js';
import { cli } from '../../src/cli.js';
import { call, getToken, guidePerson, pollUntil, type SandboxHandle } from '../sandbox/_helpers.js';
import { runCli } from './_io.js';

const cliWebhooks = suite('cli: paxflow sandbox --webhook');

cliWebhooks('delivers to each --webhook with the API key from the environment and prints each attempt', async () => {
  const receiver = await startReceiver((_, index) => ({ status: index === 0 ? 500 : 200 }));
  const controller = new AbortController();
  let output = '';
  const running = cli(
    ['sandbox', '--port', '0', '--approval-delay', '0', '--webhook', `${receiver.url}/paxos`, '--webhook-header', 'X-Api-Key', '--webhook-rate', '20'],
    {
      stdout: { write: (text: string) => void (output += text) },
      stderr: { write: (text: string) => void (output += text) },
      env: { PAXFLOW_WEBHOOK_API_KEY: 'from-env' },
      cwd: process.cwd(),
      signal: controller.signal,
    },
  );
  try {
    await pollUntil(async () => (/Press Ctrl-C/.test(output) ? true : undefined));
    assert.match(output, `  webhook:    ${receiver.url}/paxos`);
    const url = /API:\s+(\S+)\/v2/.exec(output)![1]!;
    const sandbox = { url, oauthUrl: `${url}/oauth2/token` } as SandboxHandle;
    const token = await getToken(sandbox);
    await call(sandbox, 'POST', '/v2/identity/identities', { token, body: guidePerson() });
    const [first, second] = await receiver.waitFor(2);
    assert.is(second!.json.id, first!.json.id);
    assert.is(first!.headers['x-api-key'], 'from-env');
    await pollUntil(async () => (/delivered/.test(output) ? true : undefined));
  } finally {
    controller.abort();
    assert.is(await running, 0);
    await receiver.close();
  }
  assert.match(output, /webhook identity\.approved [0-9a-f-]{36} -> http:\/\/127\.0\.0\.1:\d+\/paxos: HTTP 500, attempt 1, retry in \d+ ms/);
  assert.match(output, /HTTP 200, attempt 2, delivered/);
  assert.not.match(output, /from-env/, 'the API key is never printed');
});

cliWebhooks('auth flags without a webhook, or without their secret, are usage errors', async () => {
  assert.is((await runCli(['sandbox', '--port', '0', '--webhook-header', 'X-Key'])).code, 2);
  const missing = await runCli(['sandbox', '--port', '0', '--webhook', 'http://127.0.0.1:9/p', '--webhook-oauth-url', 'http://127.0.0.1:9/t', '--webhook-client-id', 'c']);
  assert.is(missing.code, 2);
  assert.match(missing.stderr, /PAXFLOW_WEBHOOK_CLIENT_SECRET/);
  const both = await runCli(['sandbox', '--port', '0', '--webhook', 'http://127.0.0.1:9/p', '--webhook-header', 'X', '--webhook-oauth-url', 'http://127.0.0.1:9/t', '--webhook-client-id', 'c']);
  assert.is(both.code, 2);
  const rate = await runCli(['sandbox', '--port', '0', '--webhook', 'http://127.0.0.1:9/p', '--webhook-rate', '101'], { env: {} });
  assert.is(rate.code, 2);
  const url = await runCli(['sandbox', '--port', '0', '--webhook', 'file:///etc/passwd']);
  assert.is(url.code, 2);
  assert.match(url.stderr, /--webhook 1: the URL must be an http or https URL/);
});

cliWebhooks.run();
