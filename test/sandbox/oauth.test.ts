import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { expectProblem } from './_expect.js';
import { call, getToken, startTestSandbox, type SandboxHandle, TEST_CLIENT_ID, TEST_CLIENT_SECRET } from './_helpers.js';
import { assertSchema } from './schemas.js';

const GUIDE_SCOPES = [
  'identity:read_identity', 'identity:read_account', 'identity:write_identity', 'identity:write_account',
  'funding:read_profile', 'funding:write_profile', 'exchange:read_order', 'exchange:write_order',
];

interface Context {
  sandbox: SandboxHandle;
}

async function post(sandbox: SandboxHandle, body: RequestInit['body'], headers: Record<string, string> = {}) {
  const response = await fetch(sandbox.oauthUrl, { method: 'POST', body, headers });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

const credentials = (extra: Record<string, string> = {}) =>
  new URLSearchParams({ grant_type: 'client_credentials', client_id: TEST_CLIENT_ID, client_secret: TEST_CLIENT_SECRET, ...extra });

function expectToken(result: { status: number; headers: Headers; body: any }, scope: string) {
  assert.is(result.status, 200, JSON.stringify(result.body));
  assert.match(result.headers.get('content-type') ?? '', /^application\/json/);
  assertSchema('TokenResponse', result.body);
  assert.is(result.body.scope, scope);
  assert.is(result.body.expires_in, 3599);
}

function expectOAuthError(result: { status: number; body: any }, status: number, error: string) {
  assert.is(result.status, status, JSON.stringify(result.body));
  assertSchema('OAuthError', result.body);
  assert.is(result.body.error, error);
}

const token = suite<Context>('oauth token endpoint');

token.before(async (context) => {
  context.sandbox = await startTestSandbox();
});
token.after(async ({ sandbox }) => {
  await sandbox.close();
});

token('issues a token for an urlencoded request and grants exactly the requested scopes', async ({ sandbox }) => {
  const result = await post(sandbox, credentials({ scope: GUIDE_SCOPES.join(' ') }));
  expectToken(result, GUIDE_SCOPES.join(' '));
  const me = await call(sandbox, 'GET', '/v2/profiles/default', { token: result.body.access_token });
  assert.is(me.status, 200);
});

token('grants every allowed scope when none is requested', async ({ sandbox }) => {
  const result = await post(sandbox, credentials());
  assert.is(result.status, 200);
  const granted = String(result.body.scope).split(' ');
  assert.ok(granted.includes('events:read_event'));
  assert.ok(granted.includes('transfer:write_sandbox_fiat_deposit'));
});

token('accepts multipart/form-data as fetch sends a FormData', async ({ sandbox }) => {
  const form = new FormData();
  for (const [key, value] of credentials({ scope: GUIDE_SCOPES.join(' ') })) form.append(key, value);
  expectToken(await post(sandbox, form), GUIDE_SCOPES.join(' '));
});

token('accepts a raw multipart body as curl --form sends it', async ({ sandbox }) => {
  const boundary = '------------------------d74496d66958873e';
  const fields = { grant_type: 'client_credentials', client_id: TEST_CLIENT_ID, client_secret: TEST_CLIENT_SECRET, scope: GUIDE_SCOPES.join(' ') };
  const body = Object.entries(fields)
    .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
    .join('') + `--${boundary}--\r\n`;
  const result = await post(sandbox, body, { 'content-type': `multipart/form-data; boundary=${boundary}` });
  expectToken(result, GUIDE_SCOPES.join(' '));
});

token('accepts HTTP Basic client authentication', async ({ sandbox }) => {
  const basic = Buffer.from(`${TEST_CLIENT_ID}:${TEST_CLIENT_SECRET}`).toString('base64');
  const body = new URLSearchParams({ grant_type: 'client_credentials', scope: 'identity:read_identity' });
  expectToken(await post(sandbox, body, { authorization: `Basic ${basic}` }), 'identity:read_identity');
});

token('rejects a wrong secret or client id with 401 invalid_client', async ({ sandbox }) => {
  expectOAuthError(await post(sandbox, credentials({ client_secret: 'wrong' })), 401, 'invalid_client');
  expectOAuthError(await post(sandbox, credentials({ client_id: 'someone-else' })), 401, 'invalid_client');
  const basic = Buffer.from(`${TEST_CLIENT_ID}:nope`).toString('base64');
  const result = await post(sandbox, new URLSearchParams({ grant_type: 'client_credentials' }), { authorization: `Basic ${basic}` });
  expectOAuthError(result, 401, 'invalid_client');
  assert.match(result.headers.get('www-authenticate') ?? '', /^Basic/);
});

token('rejects an unknown scope with 400 invalid_scope', async ({ sandbox }) => {
  const result = await post(sandbox, credentials({ scope: 'identity:read_identity identity:fly' }));
  expectOAuthError(result, 400, 'invalid_scope');
  assert.match(result.body.error_description, /identity:fly/);
});

token('rejects another grant type with unsupported_grant_type', async ({ sandbox }) => {
  expectOAuthError(await post(sandbox, credentials({ grant_type: 'password' })), 400, 'unsupported_grant_type');
});

token('rejects missing fields with invalid_request', async ({ sandbox }) => {
  expectOAuthError(await post(sandbox, new URLSearchParams({ client_id: TEST_CLIENT_ID })), 400, 'invalid_request');
  expectOAuthError(await post(sandbox, new URLSearchParams({ grant_type: 'client_credentials' })), 400, 'invalid_request');
  const noSecret = new URLSearchParams({ grant_type: 'client_credentials', client_id: TEST_CLIENT_ID });
  expectOAuthError(await post(sandbox, noSecret), 400, 'invalid_request');
});

token('rejects a JSON token request, which is not an OAuth form', async ({ sandbox }) => {
  const body = JSON.stringify(Object.fromEntries(credentials()));
  expectOAuthError(await post(sandbox, body, { 'content-type': 'application/json' }), 400, 'invalid_request');
});

token('answers 405 to GET on the token endpoint', async ({ sandbox }) => {
  const result = await call(sandbox, 'GET', '/oauth2/token');
  expectProblem(result, 405);
  assert.is(result.headers.get('allow'), 'POST');
});

token('issues a different opaque token on every request', async ({ sandbox }) => {
  const first = await getToken(sandbox);
  const second = await getToken(sandbox);
  assert.is.not(first, second);
});

token.run();

const limited = suite<Context>('oauth with a restricted credential');

limited.before(async (context) => {
  context.sandbox = await startTestSandbox({
    clientId: 'qa-client',
    clientSecret: 'qa-secret',
    scopes: ['identity:read_identity'],
  });
});
limited.after(async ({ sandbox }) => {
  await sandbox.close();
});

limited('grants only the allowed scopes and refuses others with invalid_scope', async ({ sandbox }) => {
  const base = { grant_type: 'client_credentials', client_id: 'qa-client', client_secret: 'qa-secret' };
  const all = await post(sandbox, new URLSearchParams(base));
  assert.is(all.status, 200);
  assert.is(all.body.scope, 'identity:read_identity');
  const refused = await post(sandbox, new URLSearchParams({ ...base, scope: 'identity:write_identity' }));
  expectOAuthError(refused, 400, 'invalid_scope');
  expectOAuthError(await post(sandbox, credentials()), 401, 'invalid_client');
});

limited.run();

const expiry = suite<Context>('oauth token expiry');

expiry.before(async (context) => {
  context.sandbox = await startTestSandbox({ tokenTtlSeconds: 1 });
});
expiry.after(async ({ sandbox }) => {
  await sandbox.close();
});

expiry('reports expires_in from tokenTtlSeconds and rejects the token once it has expired', async ({ sandbox }) => {
  const issued = await post(sandbox, credentials());
  assert.is(issued.body.expires_in, 1);
  const accessToken = issued.body.access_token as string;
  assert.is((await call(sandbox, 'GET', '/v2/profiles', { token: accessToken })).status, 200);

  // Move the emulator's clock instead of sleeping: expiry is measured on `state.now()`.
  const realNow = sandbox.state.now;
  sandbox.state.now = () => new Date(realNow().getTime() + 1001);
  try {
    expectProblem(await call(sandbox, 'GET', '/v2/profiles', { token: accessToken }), 401, 'invalid or expired token');
    const fresh = await getToken(sandbox);
    assert.is((await call(sandbox, 'GET', '/v2/profiles', { token: fresh })).status, 200);
  } finally {
    sandbox.state.now = realNow;
  }
});

expiry.run();
