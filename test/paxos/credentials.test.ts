import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isUsageError } from '../../src/errors.js';
import { openTarget } from '../../src/commands/_target.js';
import { LOCAL_CREDENTIALS, clearTokenCache, createPaxosClient, parseEnvFile, resolveCredentials } from '../../src/paxos/index.js';

const usageCode = async (run: () => unknown): Promise<{ code: string; message: string }> => {
  try {
    await run();
  } catch (error) {
    assert.ok(isUsageError(error), `expected a UsageError, got ${String(error)}`);
    return { code: error.code, message: error.message };
  }
  throw new Error('expected a UsageError');
};

const Resolve = suite<{ dir: string }>('resolveCredentials', { dir: '' });

Resolve.before(async (context) => {
  context.dir = await mkdtemp(join(tmpdir(), 'paxflow-credentials-'));
  await writeFile(join(context.dir, 'both.env'), 'PAXOS_CLIENT_ID=file-id\nPAXOS_CLIENT_SECRET=file-secret\n');
  await writeFile(join(context.dir, 'secret.env'), 'PAXOS_CLIENT_SECRET="file-secret"\n');
  await writeFile(join(context.dir, 'bad.env'), '# ok\nPAXOS_CLIENT_ID=x\nPAXOS_CLIENT_SECRET hunter2-canary\n');
});
Resolve.after(async ({ dir }) => {
  await rm(dir, { recursive: true, force: true });
});

const env = { PAXOS_CLIENT_ID: 'env-id', PAXOS_CLIENT_SECRET: 'env-secret' };

Resolve('the process environment is used when nothing else is given', async () => {
  assert.equal(await resolveCredentials({ targetName: 'sandbox', env }), { clientId: 'env-id', clientSecret: 'env-secret' });
});

Resolve('the env file wins over the environment, flags win over both, per value', async ({ dir }) => {
  assert.equal(await resolveCredentials({ targetName: 'sandbox', env, envFile: 'both.env', cwd: dir }), { clientId: 'file-id', clientSecret: 'file-secret' });
  assert.equal(await resolveCredentials({ targetName: 'sandbox', env, envFile: 'secret.env', cwd: dir }), { clientId: 'env-id', clientSecret: 'file-secret' });
  assert.equal(
    await resolveCredentials({ targetName: 'production', env, envFile: 'both.env', cwd: dir, flags: { clientId: 'flag-id' } }),
    { clientId: 'flag-id', clientSecret: 'file-secret' },
  );
});

Resolve('missing values name exactly what is missing and the three ways to give it', async () => {
  const both = await usageCode(() => resolveCredentials({ targetName: 'sandbox', env: {} }));
  assert.is(both.code, 'MISSING_CREDENTIALS');
  assert.match(both.message, 'PAXOS_CLIENT_ID and PAXOS_CLIENT_SECRET');
  for (const way of ['--client-id', '--client-secret', '--credentials-file', 'environment']) assert.match(both.message, way);

  const secretOnly = await usageCode(() => resolveCredentials({ targetName: 'custom', env: { PAXOS_CLIENT_ID: 'id', PAXOS_CLIENT_SECRET: '' } }));
  assert.is(secretOnly.code, 'MISSING_CREDENTIALS');
  assert.match(secretOnly.message, 'PAXOS_CLIENT_SECRET');
  assert.not.match(secretOnly.message, 'PAXOS_CLIENT_ID');
  assert.match(secretOnly.message, '--client-secret');
  assert.not.match(secretOnly.message, '--client-id');
});

Resolve('local uses the emulator credential and ignores the environment', async () => {
  assert.equal(await resolveCredentials({ targetName: 'local', env }), { ...LOCAL_CREDENTIALS });
  assert.equal(await resolveCredentials({ targetName: 'local', env, flags: { clientId: 'me', clientSecret: 'mine' } }), { clientId: 'me', clientSecret: 'mine' });
});

Resolve('a custom target without a token URL needs no credentials', async () => {
  assert.is(await resolveCredentials({ targetName: 'custom', hasOAuth: false, env: {} }), undefined);
});

Resolve('a bad env file names the file and line, never the line itself', async ({ dir }) => {
  const bad = await usageCode(() => resolveCredentials({ targetName: 'sandbox', env, envFile: 'bad.env', cwd: dir }));
  assert.is(bad.code, 'ENV_FILE_INVALID');
  assert.match(bad.message, 'bad.env:3');
  assert.not.match(bad.message, 'hunter2');
  const missing = await usageCode(() => resolveCredentials({ targetName: 'sandbox', env, envFile: 'nope.env', cwd: dir }));
  assert.is(missing.code, 'ENV_FILE_UNREADABLE');
  assert.match(missing.message, 'nope.env');
});

Resolve('openTarget(local) carries the credential its emulator accepts', async () => {
  clearTokenCache();
  const target = await openTarget({ target: 'local', localCredentials: { clientId: 'local-id', clientSecret: 'local-secret' } });
  try {
    assert.not.ok('credentials' in target.info);
    const credentials = await resolveCredentials({ targetName: target.info.name, env, localDefaults: target.defaultCredentials! });
    assert.equal(credentials, { clientId: 'local-id', clientSecret: 'local-secret' });
    const client = createPaxosClient({ target: target.info, credentials: credentials!, scopes: ['identity:read_identity'] });
    await client.authorize();
  } finally {
    await target.close();
  }
});

Resolve.run();

const EnvFile = suite('parseEnvFile');

EnvFile('reads KEY=value, export, quotes, comments and blank lines', () => {
  const text = [
    '# credentials',
    '',
    'PLAIN=abc',
    'export EXPORTED=def',
    '  SPACED  =  ghi  ',
    'DOUBLE="a b # not a comment\\nnext"',
    "SINGLE='raw \\n $x'",
    'TRAILING=value # comment',
    'QUOTED_COMMENT="v" # comment',
    'EMPTY=',
    'HASH=a#b',
    'PLAIN=later wins',
  ].join('\r\n');
  assert.equal(
    { ...parseEnvFile(text, '.env') },
    {
      PLAIN: 'later wins',
      EXPORTED: 'def',
      SPACED: 'ghi',
      DOUBLE: 'a b # not a comment\nnext',
      SINGLE: 'raw \\n $x',
      TRAILING: 'value',
      QUOTED_COMMENT: 'v',
      EMPTY: '',
      HASH: 'a#b',
    },
  );
});

EnvFile('rejects malformed lines with the file and line number', async () => {
  const cases: Array<[string, number]> = [
    ['OK=1\nno equals sign here', 2],
    ['1BAD=x', 1],
    ['A="unterminated', 1],
    ["A='x' trailing", 1],
    ['A=un"quoted', 1],
    ['A="bad \\q escape"', 1],
    ['\n\nexport', 3],
  ];
  for (const [text, line] of cases) {
    const { code, message } = await usageCode(() => parseEnvFile(text, 'creds.env'));
    assert.is(code, 'ENV_FILE_INVALID');
    assert.ok(message.startsWith(`creds.env:${line}:`), message);
    assert.not.match(message, text.split('\n')[line - 1]!);
  }
});

EnvFile('a __proto__ key is stored as a plain key', () => {
  const values = parseEnvFile('__proto__=x\nA=1', '.env');
  assert.is(values.A, '1');
  assert.is(Object.getPrototypeOf(values), null);
});

EnvFile.run();
