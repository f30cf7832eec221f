import { spawn } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli, tempFiles } from './_io.js';

// Flags mean what they say: a half-given custom target, a target and URLs at once, Node's own
// --env-file, and variable names that reach an object's prototype are refused (exit 2) with what to do.
const flags = suite('cli: flags that do not say one thing');
const FLOW = 'workflows/onboard-and-trade.yaml';

const refused = async (args: string[], code: string, hint: RegExp) => {
  const result = await runCli(['run', FLOW, ...args]);
  assert.is(result.code, 2, `${args.join(' ')}\n${result.stdout}${result.stderr}`);
  assert.match(result.stderr, new RegExp(`^error ${code} `), args.join(' '));
  assert.match(result.stderr, hint, args.join(' '));
  assert.is(result.stdout, '', 'nothing ran');
  return result;
};

flags('a custom target is both URLs, and replaces --target', async () => {
  await refused(['--api-url', 'http://127.0.0.1:9/v2'], 'BAD_ARGUMENTS', /--oauth-url/);
  await refused(['--oauth-url', 'http://127.0.0.1:9/oauth2/token'], 'BAD_ARGUMENTS', /--api-url/);
  await refused(['--target', 'sandbox', '--api-url', 'http://127.0.0.1:9/v2', '--oauth-url', 'http://127.0.0.1:9/oauth2/token'], 'BAD_ARGUMENTS', /--target sandbox/);
  await refused(['--dry-run', '--api-url', 'http://127.0.0.1:9/v2'], 'BAD_ARGUMENTS', /--oauth-url/);
  await refused(['--data', 'workflows/data/customers.csv', '--oauth-url', 'http://127.0.0.1:9/oauth2/token'], 'BAD_ARGUMENTS', /--api-url/);
});

flags('a URL with user:password@ is refused without echoing the password', async () => {
  const result = await refused(
    ['--api-url', 'http://user:hunter2@127.0.0.1:9/v2', '--oauth-url', 'http://127.0.0.1:9/oauth2/token'],
    'BAD_ARGUMENTS',
    /user name or password/,
  );
  assert.not.match(result.stderr, /hunter2/);
  await refused(['--api-url', 'http://127.0.0.1:9/v2', '--oauth-url', 'http://:hunter2@127.0.0.1:9/oauth2/token'], 'BAD_ARGUMENTS', /^(?![\s\S]*hunter2)/);
});

flags('credentials come from --credentials-file; --env-file, which Node 20 claims, points at it', async () => {
  const files = tempFiles({ 'paxos.env': 'PAXOS_CLIENT_ID=id\nPAXOS_CLIENT_SECRET=\'unclosed\n' });
  await refused(['--target', 'sandbox', '--credentials-file', 'nope.env'], 'ENV_FILE_UNREADABLE', /--credentials-file nope\.env/);
  await refused(['--target', 'sandbox', '--credentials-file', files['paxos.env']!], 'ENV_FILE_INVALID', /:2:/);
  await refused(['--env-file', files['paxos.env']!], 'BAD_ARGUMENTS', /--credentials-file/);
});

flags('the real bin: a missing --credentials-file is paxflow\'s coded error, exit 2, not Node\'s exit 9', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/bin.ts', 'run', FLOW, '--target', 'sandbox', '--credentials-file', 'nope.env'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)));
  assert.is(code, 2, stderr);
  assert.match(stderr, /^error ENV_FILE_UNREADABLE /);
});

flags('--var refuses __proto__, constructor and prototype, and toString is an unknown variable, as in a vars file', async () => {
  for (const name of ['__proto__', 'constructor', 'prototype']) await refused(['--var', `${name}=x`], 'FORBIDDEN_KEY', new RegExp(`--var ${name}`));
  for (const name of ['toString', 'hasOwnProperty', 'valueOf']) await refused(['--var', `${name}=x`], 'UNKNOWN_VAR', new RegExp(`'${name}'`));
  const files = tempFiles({ 'vars.yaml': 'toString: x\n' });
  await refused(['--vars-file', files['vars.yaml']!], 'UNKNOWN_VAR', /'toString'/);
});

flags.run();
