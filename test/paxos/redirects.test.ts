import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planWorkflow } from '../../src/engine/plan.js';
import { runWorkflow } from '../../src/engine/run.js';
import { clearTokenCache, createPaxosClient, isPaxosApiError } from '../../src/paxos/index.js';
import { startTestServer } from '../_server.js';
import { declaredHuge, garbage, hugeBody, redirectTo, type Streamed } from '../_hostile-server.js';
import { workflowFrom } from '../_workflow.js';

// Credentials go only where they were sent, and no answer is read past a limit: every request paxflow
// makes (the token, the API client, the http step) against a real server that redirects to a second
// one, which records anything that reaches it, or answers far too much.
type Server = Awaited<ReturnType<typeof startTestServer>>;
interface Context {
  thief: Server;
  stolen: Array<{ path: string; body: string; authorization: string | undefined }>;
  hostile: Server;
  streamed: Streamed[];
}
const redirects = suite<Context>('paxos: redirects and oversized answers', {} as Context);

const SECRET = 'very-secret-client-secret';
const CREDENTIALS = { clientId: 'client-1', clientSecret: SECRET };

redirects.before(async (context) => {
  context.stolen = [];
  context.streamed = [];
  const record = (request: { url?: string; headers: Record<string, unknown> }, body: string) =>
    context.stolen.push({ path: request.url ?? '', body, authorization: request.headers.authorization as string | undefined });
  context.thief = await startTestServer({
    '/oauth2/token': (request, response, body) => {
      record(request, body);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"stolen","expires_in":3600}');
    },
    '/v2/identity/identities': (request, response, body) => {
      record(request, body);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}');
    },
  });
  const elsewhere = context.thief.url;
  context.hostile = await startTestServer({
    '/token-307': redirectTo(307, `${elsewhere}/oauth2/token`),
    '/token-308': redirectTo(308, `${elsewhere}/oauth2/token`),
    '/token-302': redirectTo(302, `${elsewhere}/oauth2/token`),
    '/token-huge': hugeBody(8 * 1024 * 1024, context.streamed),
    '/token-declared-huge': declaredHuge,
    '/token-garbage': garbage(200),
    '/oauth2/token': (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"tok-1","expires_in":3600}');
    },
    '/v2/identity/identities': redirectTo(307, `${elsewhere}/v2/identity/identities`),
    '/v2/moved': redirectTo(301, `${elsewhere}/v2/identity/identities`),
    '/v2/huge': hugeBody(40 * 1024 * 1024, context.streamed),
    '/v2/garbage': garbage(200),
  });
});
redirects.after(async ({ thief, hostile }) => {
  await hostile.close();
  await thief.close();
  clearTokenCache();
});
redirects.before.each((context) => {
  context.stolen.length = 0;
  context.streamed.length = 0;
  clearTokenCache();
});

const clientOf = (hostile: Server, tokenPath: string) =>
  createPaxosClient({
    target: { name: 'custom', apiUrl: `${hostile.url}/v2`, oauthUrl: `${hostile.url}${tokenPath}` },
    credentials: CREDENTIALS,
    scopes: ['identity:read_identity'],
    tokenMinIntervalMs: 0,
    retry: { baseDelayMs: 1, maxDelayMs: 1 },
  });

const failure = async (work: () => Promise<unknown>) => {
  try {
    await work();
  } catch (error) {
    assert.ok(isPaxosApiError(error), `a PaxosApiError, not ${(error as Error).name}`);
    return error;
  }
  throw new Error('expected a failure');
};

redirects('a token endpoint that redirects (301/302/307/308) gets PAXOS_REDIRECT naming its host; the secret goes nowhere else', async ({ hostile, stolen }) => {
  for (const path of ['/token-307', '/token-308', '/token-302']) {
    const error = await failure(() => clientOf(hostile, path).authorize(AbortSignal.timeout(5000)));
    assert.is(error.code, 'PAXOS_REDIRECT', path);
    assert.ok(error.message.includes(new URL(hostile.url).host), error.message);
    assert.not.ok(error.message.includes(SECRET));
  }
  assert.equal(stolen, [], 'nothing reached the other address');
});

redirects('an API answer that redirects is PAXOS_REDIRECT, not retried, and the token never leaves the API host', async ({ hostile, stolen }) => {
  const client = clientOf(hostile, '/oauth2/token');
  const exchanges: unknown[] = [];
  for (const path of ['/identity/identities', '/moved']) {
    const error = await failure(() => client.call({ method: 'GET', path, signal: AbortSignal.timeout(5000), onExchange: (exchange) => exchanges.push(exchange) }));
    assert.is(error.code, 'PAXOS_REDIRECT');
    assert.ok(error.message.includes(new URL(hostile.url).host), error.message);
  }
  assert.is(exchanges.length, 2, 'one attempt each: a redirect is the same on a retry');
  const posted = await failure(() => client.call({ method: 'POST', path: '/identity/identities', json: { ssn: '123-45-6789' }, signal: AbortSignal.timeout(5000) }));
  assert.is(posted.code, 'PAXOS_REDIRECT');
  assert.equal(stolen, [], 'neither the body nor the Authorization header was re-sent elsewhere');
});

redirects('a token answer over 64 KiB is PAXOS_RESPONSE_TOO_LARGE, read no further than the limit', async ({ hostile, streamed }) => {
  const error = await failure(() => clientOf(hostile, '/token-huge').authorize(AbortSignal.timeout(10_000)));
  assert.is(error.code, 'PAXOS_RESPONSE_TOO_LARGE');
  assert.is(streamed.length, 1, 'not retried');
  await streamed[0]!.over;
  assert.ok(streamed[0]!.cutOff, `the client hung up before the 8 MiB were sent (${streamed[0]!.bytes} bytes went out)`);
  const declared = await failure(() => clientOf(hostile, '/token-declared-huge').authorize(AbortSignal.timeout(5000)));
  assert.is(declared.code, 'PAXOS_RESPONSE_TOO_LARGE');
});

redirects('an API answer over 16 MiB is PAXOS_RESPONSE_TOO_LARGE; garbage is PAXOS_BAD_RESPONSE', async ({ hostile, streamed }) => {
  const client = clientOf(hostile, '/oauth2/token');
  const huge = await failure(() => client.call({ method: 'GET', path: '/huge', signal: AbortSignal.timeout(10_000) }));
  assert.is(huge.code, 'PAXOS_RESPONSE_TOO_LARGE');
  assert.is(streamed.length, 1, 'not retried');
  await streamed[0]!.over;
  assert.ok(streamed[0]!.cutOff, 'the client hung up before the 40 MiB were sent');
  const bad = await failure(() => client.call({ method: 'GET', path: '/garbage', signal: AbortSignal.timeout(5000) }));
  assert.is(bad.code, 'PAXOS_BAD_RESPONSE');
  const token = await failure(() => clientOf(hostile, '/token-garbage').authorize(AbortSignal.timeout(5000)));
  assert.is(token.code, 'PAXOS_BAD_RESPONSE');
});

redirects('the http step follows no redirect, by path (with the token) or by url, and caps the body it reads', async ({ hostile, stolen, streamed }) => {
  const plan = planWorkflow(
    workflowFrom(`
version: 1
name: http redirects
steps:
  - id: by_path
    uses: http
    continue_on_error: true
    with: { method: POST, path: /identity/identities, json: { first_name: Jane } }
  - id: by_url
    uses: http
    continue_on_error: true
    with: { method: POST, url: "${hostile.url}/v2/identity/identities", json: { first_name: Jane } }
  - id: expected
    uses: http
    with: { url: "${hostile.url}/v2/moved", expect_status: 301 }
  - id: huge
    uses: http
    continue_on_error: true
    with: { url: "${hostile.url}/v2/huge" }
  - id: userinfo
    uses: http
    continue_on_error: true
    with: { url: "http://user:hunter2@127.0.0.1:1/x" }
`),
    { vars: {} },
  );
  const paxos = clientOf(hostile, '/oauth2/token');
  const result = await runWorkflow(plan, { target: paxos.target, paxos, signal: AbortSignal.timeout(20_000) });
  const codes = result.steps.map((step) => [step.id, step.status, step.error?.code]);
  assert.equal(codes, [
    ['by_path', 'failed', 'HTTP_REDIRECT'],
    ['by_url', 'failed', 'HTTP_REDIRECT'],
    ['expected', 'passed', undefined],
    ['huge', 'failed', 'HTTP_RESPONSE_TOO_LARGE'],
    ['userinfo', 'failed', 'HTTP_BAD_URL'],
  ]);
  assert.ok(result.steps[0]!.error!.message.includes(new URL(hostile.url).host));
  assert.not.ok(result.steps[4]!.error!.message.includes('hunter2'));
  await streamed[0]!.over;
  assert.ok(streamed[0]!.cutOff);
  assert.equal(stolen, [], 'no body and no token reached the other address');
});

redirects('uploadDocument sends the file only to the upload URL Paxos gave: a redirect there is refused, an endless answer cut off', async ({ thief, stolen, streamed }) => {
  const uploads = await startTestServer({
    '/moved': redirectTo(307, `${thief.url}/v2/identity/identities`),
    '/endless': hugeBody(40 * 1024 * 1024, streamed, 400),
  });
  let target = '/moved';
  const api = await startTestServer({
    '/v2/identity/identities/3fa85f64-5717-4562-b3fc-2c963f66afa6/documents': (request, response) => {
      const answer = request.method === 'PUT' ? { file_id: 'f-1', upload_url: `${uploads.url}${target}?signature=s3cr3t` } : { documents: [], pending_documents: [] };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    },
  });
  try {
    const plan = planWorkflow(
      workflowFrom(
        'version: 1\nname: upload\nsteps:\n  - id: upload\n    uses: uploadDocument\n    with: { identity_id: 3fa85f64-5717-4562-b3fc-2c963f66afa6, name: Funds.png, document_types: [PROOF_OF_FUNDS], file: workflows/documents/proof-of-funds.png }\n',
        'workflows/upload.yaml',
      ),
      { vars: {} },
    );
    const paxos = createPaxosClient({ target: { name: 'custom', apiUrl: `${api.url}/v2` }, scopes: [] });
    const moved = await runWorkflow(plan, { target: paxos.target, paxos, signal: AbortSignal.timeout(20_000) });
    assert.equal([moved.steps[0]!.status, moved.steps[0]!.error?.code, moved.steps[0]!.error?.status], ['failed', 'DOCUMENT_UPLOAD_REFUSED', 307]);
    assert.ok(moved.steps[0]!.error!.message.includes(new URL(uploads.url).host), moved.steps[0]!.error!.message);
    target = '/endless';
    const endless = await runWorkflow(plan, { target: paxos.target, paxos, signal: AbortSignal.timeout(20_000) });
    assert.equal([endless.steps[0]!.status, endless.steps[0]!.error?.code], ['failed', 'DOCUMENT_UPLOAD_REFUSED']);
    await streamed[0]!.over;
    assert.ok(streamed[0]!.cutOff, 'the answer was not read to its end');
    assert.equal(stolen, [], 'the file went nowhere else');
  } finally {
    await api.close();
    await uploads.close();
  }
});

redirects.run();
