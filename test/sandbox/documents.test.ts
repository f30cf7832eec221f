import { request } from 'node:http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { expectProblem } from './_expect.js';
import { call, getToken, guidePerson, pollUntil, startTestSandbox, type SandboxHandle } from './_helpers.js';
import { startReceiver } from './_receiver.js';
import { assertTransferSchema } from './_transfer-schemas.js';

interface Context {
  sandbox: SandboxHandle;
  token: string;
}

const PDF = Buffer.from('%PDF-1.4\n% a tiny test file\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const JPG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);

const documents = suite<Context>('documents and enhanced due diligence');

documents.before(async (context) => {
  context.sandbox = await startTestSandbox({ approvalDelayMs: 0 });
  context.token = await getToken(context.sandbox);
});
documents.after(async ({ sandbox }) => {
  await sandbox.close();
});

const createPerson = async (context: Context, cdd: Record<string, unknown> = {}) =>
  (await call(context.sandbox, 'POST', '/v2/identity/identities', { token: context.token, body: guidePerson({ customer_due_diligence: cdd }) })).body.id as string;

const statusOf = async (context: Context, id: string) =>
  (await call(context.sandbox, 'GET', `/v2/identity/identities/${id}`, { token: context.token })).body.summary_status as string;

const eventsOf = async (context: Context, id: string) =>
  ((await call(context.sandbox, 'GET', '/v2/events', { token: context.token })).body.events as any[]).filter((event) => event.object.identity_id === id);

const slot = async (context: Context, id: string, name: string, types: string[]) => {
  const result = await call(context.sandbox, 'PUT', `/v2/identity/identities/${id}/documents`, { token: context.token, body: { name, document_types: types } });
  assert.is(result.status, 200, JSON.stringify(result.body));
  assertTransferSchema('DocumentUpload', result.body);
  return result.body as { file_id: string; name: string; upload_url: string };
};

const upload = async (url: string, body: Buffer | AsyncIterable<Buffer>, headers: Record<string, string> = {}) => {
  const response = await fetch(url, { method: 'POST', body: body as any, headers, duplex: 'half' } as RequestInit);
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: (await response.json()) as any };
};

const listDocuments = async (context: Context, id: string, query = '') => {
  const result = await call(context.sandbox, 'GET', `/v2/identity/identities/${id}/documents${query}`, { token: context.token });
  assert.is(result.status, 200);
  assertTransferSchema('DocumentList', result.body);
  return result.body as { documents: any[]; pending_documents?: string[] };
};

documents('a person expecting transfers above 5M stays PENDING until all three document types are uploaded', async (context) => {
  const id = await createPerson(context, { expected_transfer_value: 'TRANSFER_VALUE_ABOVE_5M' });
  const [required] = await pollUntil(async () => {
    const found = await eventsOf(context, id);
    return found.length > 0 ? found : undefined;
  });
  assertTransferSchema('DocumentsRequiredEvent', required);
  assert.equal(required.object, { id: required.object.id, identity_id: id, required_documents: ['TAX_IDENTIFICATION', 'PROOF_OF_RESIDENCY', 'PROOF_OF_FUNDS'] });
  assert.is(await statusOf(context, id), 'PENDING');
  assert.equal((await listDocuments(context, id, '?include_pending_docs=true')).pending_documents, ['TAX_IDENTIFICATION', 'PROOF_OF_RESIDENCY', 'PROOF_OF_FUNDS']);

  const first = await slot(context, id, 'tax-and-residency.pdf', ['TAX_IDENTIFICATION', 'PROOF_OF_RESIDENCY']);
  assert.ok(first.upload_url.startsWith(`${context.sandbox.url}/`), 'the emulator serves the upload URL itself');
  assert.equal(await upload(first.upload_url, PDF, { 'content-type': 'application/pdf' }), { status: 200, type: 'application/json; charset=utf-8', body: {} });
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.is(await statusOf(context, id), 'PENDING', 'PROOF_OF_FUNDS is still missing');
  assert.equal((await listDocuments(context, id, '?include_pending_docs=true')).pending_documents, ['PROOF_OF_FUNDS']);

  const second = await slot(context, id, 'funds.png', ['PROOF_OF_FUNDS']);
  assert.is((await upload(second.upload_url, PNG)).status, 200);
  await pollUntil(async () => ((await statusOf(context, id)) === 'APPROVED' ? true : undefined));
  assert.equal((await eventsOf(context, id)).map((event) => event.type), ['identity.documents_required', 'identity.approved']);
  const listed = await listDocuments(context, id);
  assert.equal(listed.documents.map((doc) => [doc.file_id, doc.name, doc.document_types]), [
    [first.file_id, 'tax-and-residency.pdf', ['TAX_IDENTIFICATION', 'PROOF_OF_RESIDENCY']],
    [second.file_id, 'funds.png', ['PROOF_OF_FUNDS']],
  ]);
});

documents('a high-risk industry asks for residency and funds; an ordinary person is approved with no documents', async (context) => {
  const risky = await createPerson(context, { employment_industry_sector: 'GAMBLING' });
  const ordinary = await createPerson(context);
  const [required] = await pollUntil(async () => {
    const found = await eventsOf(context, risky);
    return found.length > 0 ? found : undefined;
  });
  assert.equal(required.object.required_documents, ['PROOF_OF_RESIDENCY', 'PROOF_OF_FUNDS']);
  await pollUntil(async () => ((await statusOf(context, ordinary)) === 'APPROVED' ? true : undefined));
  assert.equal((await eventsOf(context, ordinary)).map((event) => event.type), ['identity.approved']);
  assert.equal(await listDocuments(context, ordinary, '?include_pending_docs=true'), { documents: [], pending_documents: [] });
});

documents('documents uploaded before the review are counted: no event, approved after the delay', async (context) => {
  const sandbox = await startTestSandbox({ approvalDelayMs: 150 });
  try {
    const token = await getToken(sandbox);
    const own = { sandbox, token };
    const id = await createPerson(own, { expected_transfer_value: 'TRANSFER_VALUE_ABOVE_5M' });
    const all = await slot(own, id, 'all.jpg', ['TAX_IDENTIFICATION', 'PROOF_OF_RESIDENCY', 'PROOF_OF_FUNDS']);
    assert.is((await upload(all.upload_url, JPG)).status, 200);
    await pollUntil(async () => ((await statusOf(own, id)) === 'APPROVED' ? true : undefined));
    assert.equal((await eventsOf(own, id)).map((event) => event.type), ['identity.approved']);
  } finally {
    await sandbox.close();
  }
});

documents('a webhook consumer is told documents_required, then approved once the documents are in', async () => {
  const receiver = await startReceiver();
  const sandbox = await startTestSandbox({ approvalDelayMs: 0, webhooks: [`${receiver.url}/paxos`] });
  try {
    const own = { sandbox, token: await getToken(sandbox) };
    const id = await createPerson(own, { employment_industry_sector: 'SHELL_BANK' });
    const [first] = await receiver.waitFor(1);
    assert.is(first!.json.type, 'identity.documents_required');
    const both = await slot(own, id, 'both.png', ['PROOF_OF_RESIDENCY', 'PROOF_OF_FUNDS']);
    assert.is((await upload(both.upload_url, PNG)).status, 200);
    const received = await receiver.waitFor(2);
    assert.equal(received.map((entry) => entry.json.type), ['identity.documents_required', 'identity.approved']);
    const event = (await call(sandbox, 'GET', `/v2/events/${first!.json.id}`, { token: own.token })).body;
    assertTransferSchema('DocumentsRequiredEvent', event);
    assert.equal(event.object.required_documents, ['PROOF_OF_RESIDENCY', 'PROOF_OF_FUNDS']);
  } finally {
    await sandbox.close();
    await receiver.close();
  }
});

documents('PUT documents refuses an unknown identity, unknown types and a missing name', async (context) => {
  const id = await createPerson(context);
  const put = (identity: string, body: unknown) => call(context.sandbox, 'PUT', `/v2/identity/identities/${identity}/documents`, { token: context.token, body });
  expectProblem(await put('0b0e3a7e-0000-4000-8000-000000000000', { name: 'a.pdf', document_types: ['PROOF_OF_FUNDS'] }), 404, 'identity does not exist');
  expectProblem(await put(id, { name: 'a.pdf', document_types: ['PASSPORT'] }), 400, /^document_types\[0\]: must be one of OTHER_DOCUMENTS/);
  expectProblem(await put(id, { document_types: ['PROOF_OF_FUNDS'] }), 400, 'name: required');
  expectProblem(await call(context.sandbox, 'GET', '/v2/identity/identities/0b0e3a7e-0000-4000-8000-000000000000/documents', { token: context.token }), 404);
});

documents('an upload must be a PDF, JPG or PNG by content, not empty, not multipart, signed, and sent once', async (context) => {
  const id = await createPerson(context);
  const { upload_url } = await slot(context, id, 'notes.pdf', ['OTHER_DOCUMENTS']);
  const problem = async (result: Promise<{ status: number; type: string; body: any }>, status: number, detail: RegExp) => {
    const answer = await result;
    assert.is(answer.status, status, JSON.stringify(answer.body));
    assert.match(answer.type, /^application\/problem\+json/);
    assert.match(answer.body.detail, detail);
  };
  await problem(upload(upload_url, Buffer.from('just some text, named .pdf'), { 'content-type': 'application/pdf' }), 415, /PDF, JPG or PNG/);
  await problem(upload(upload_url, Buffer.alloc(0)), 400, /no file was sent/);
  await problem(upload(upload_url, PDF, { 'content-type': 'multipart/form-data; boundary=x' }), 415, /not as multipart/);
  await problem(upload(upload_url.replace(/signature=[^&]+/, 'signature=forged'), PDF), 403, /signature/);
  await problem(upload(`${context.sandbox.url}/sandbox-uploads/no-such-file?signature=x`, PDF), 404, /no upload is expected/);
  assert.is((await upload(upload_url, PDF)).status, 200);
  await problem(upload(upload_url, PDF), 409, /already uploaded/);
  assert.is((await fetch(upload_url)).status, 405);
});

documents('a file of 100 MB or more is refused with 413, by its declared length or while it streams', async (context) => {
  const id = await createPerson(context);
  const declared = await slot(context, id, 'big.pdf', ['OTHER_DOCUMENTS']);
  // Announces 100 MiB, sends a few bytes and waits: the answer comes from the header alone.
  const status = await new Promise<number | undefined>((resolve, reject) => {
    const outgoing = request(declared.upload_url, { method: 'POST', headers: { 'content-length': String(100 * 1024 * 1024) } }, (incoming) => {
      resolve(incoming.statusCode);
      incoming.resume();
    });
    outgoing.on('error', reject);
    outgoing.write(PDF);
  });
  assert.is(status, 413);

  const streamed = await slot(context, id, 'endless.pdf', ['OTHER_DOCUMENTS']);
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  PDF.copy(chunk);
  let sent = 0;
  async function* endless() {
    // Never ends on its own: only the server stopping to read ends the upload.
    for (;;) {
      sent += chunk.length;
      yield chunk;
      if (sent > 300 * 1024 * 1024) return;
    }
  }
  const result = await upload(streamed.upload_url, endless());
  assert.is(result.status, 413);
  assert.ok(sent < 200 * 1024 * 1024, `the server stopped reading near the cap (client sent ${sent} bytes)`);
  assert.equal((await listDocuments(context, id)).documents, []);
});

documents.run();
