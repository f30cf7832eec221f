import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { clearTokenCache } from '../../src/paxos/index.js';
import { runCli } from './_io.js';

// `paxflow sandbox` as a real process: it prints its URLs, serves whole workflows run against it as a
// custom target, and stops cleanly on SIGTERM.
const standalone = suite<{ child: ChildProcess; output: () => string; apiUrl: string; oauthUrl: string }>('cli: paxflow sandbox');

standalone.before(async (context) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/bin.ts', 'sandbox', '--port', '0', '--approval-delay', '50'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 20_000;
  while (!/Press Ctrl-C/.test(output) && Date.now() < deadline && child.exitCode === null) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const api = /API:\s+(\S+)/.exec(output);
  const oauth = /OAuth:\s+(\S+)/.exec(output);
  assert.ok(api && oauth, `the sandbox printed its URLs:\n${output}`);
  Object.assign(context, { child, output: () => output, apiUrl: api![1]!, oauthUrl: oauth![1]! });
});

standalone.after(({ child }) => {
  if (child.exitCode === null) child.kill('SIGKILL');
  clearTokenCache();
});

standalone('it listens on 127.0.0.1 and prints the default credentials', ({ apiUrl, oauthUrl, output }) => {
  assert.match(apiUrl, /^http:\/\/127\.0\.0\.1:\d+\/v2$/);
  assert.match(oauthUrl, /^http:\/\/127\.0\.0\.1:\d+\/oauth2\/token$/);
  assert.match(output(), /client id:\s+sandbox-client/);
});

standalone('the guide\'s workflow passes against it twice in a row, with no ref_id collisions', async ({ apiUrl, oauthUrl }) => {
  const args = ['run', 'workflows/onboard-and-trade.yaml', '--api-url', apiUrl, '--oauth-url', oauthUrl,
    '--client-id', 'sandbox-client', '--client-secret', 'sandbox-secret'];
  for (const attempt of [1, 2]) {
    const { code, stdout, stderr } = await runCli(args);
    assert.is(code, 0, `run ${attempt}:\n${stdout}${stderr}`);
    assert.match(stdout, /target custom/);
  }
  const token = (await (await fetch(oauthUrl, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'sandbox-client', client_secret: 'sandbox-secret' }),
  })).json()) as { access_token: string };
  const listed = (await (await fetch(`${apiUrl}/identity/identities?limit=100`, {
    headers: { authorization: `Bearer ${token.access_token}` },
  })).json()) as { items: Array<{ ref_id: string }> };
  assert.is(listed.items.length, 2, 'one identity per run');
  assert.is(new Set(listed.items.map((identity) => identity.ref_id)).size, 2);
});

standalone('SIGTERM stops it cleanly with exit code 0', async ({ child, output }) => {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = await exited;
  assert.is(code, 0);
  assert.match(output(), /sandbox stopped/);
});

standalone.run();
