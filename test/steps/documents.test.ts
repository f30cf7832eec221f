import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isPaxflowError } from '../../src/errors.js';
import { createIdentityStep } from '../../src/steps/create-identity.js';
import { uploadDocumentStep } from '../../src/steps/upload-document.js';
import { rejectionOf, startHarness, testPerson, type Harness } from './_setup.js';

const test = suite<{ h: Harness; identityId: string; dir: string }>('uploadDocument');

test.before(async (ctx) => {
  ctx.h = await startHarness();
  ctx.identityId = (await createIdentityStep.run(testPerson(), ctx.h.context())).id;
  ctx.dir = mkdtempSync(join(tmpdir(), 'paxflow-documents-'));
  writeFileSync(join(ctx.dir, 'notes.pdf'), 'plain text with a .pdf name\n');
  writeFileSync(join(ctx.dir, 'empty.png'), '');
});
test.after(async (ctx) => {
  ctx.h.sandbox.setFaults('');
  await ctx.h.close();
});

const listed = async (h: Harness, identityId: string) =>
  (await h.paxos.call<{ documents: Array<{ file_id: string; name: string }> }>({ method: 'GET', path: `/identity/identities/${identityId}/documents`, signal: AbortSignal.timeout(5000) })).documents;

test('uploads the file named relative to the workflow folder; a re-run adopts it and sends nothing', async ({ h, identityId }) => {
  const input = { identity_id: identityId, name: 'Residency.pdf', document_types: ['PROOF_OF_RESIDENCY'], file: 'documents/tax-and-residency.pdf' };
  const first = h.context({ baseDir: 'workflows' });
  const uploaded = await uploadDocumentStep.run(input, first);
  assert.equal({ ...uploaded, file_id: '', created_at: '' }, {
    file_id: '', name: 'Residency.pdf', document_types: ['PROOF_OF_RESIDENCY'], created_at: '', size: 597, media_type: 'application/pdf', adopted: false, pending_documents: [],
  });
  assert.equal(first.exchanges.map((exchange) => exchange.method), ['GET', 'PUT', 'POST', 'GET']);
  const post = first.exchanges[2]!;
  assert.is(post.path, `/sandbox-uploads/${uploaded.file_id}`, 'the signed query of the upload URL is not recorded');

  const again = h.context({ baseDir: 'workflows' });
  const adopted = await uploadDocumentStep.run(input, again);
  assert.equal([adopted.file_id, adopted.adopted], [uploaded.file_id, true]);
  assert.equal(again.exchanges.map((exchange) => exchange.method), ['GET', 'GET']);
  assert.is((await listed(h, identityId)).filter((document) => document.name === 'Residency.pdf').length, 1);
});

test('an upload whose answer is lost after it was stored is found by its file_id, not sent again', async ({ h, identityId }) => {
  h.sandbox.setFaults('commit-then-reset:1', { methods: ['POST'], paths: ['/sandbox-uploads/'] });
  try {
    const context = h.context({ baseDir: 'workflows' });
    const output = await uploadDocumentStep.run({ identity_id: identityId, name: 'Funds.png', document_types: ['PROOF_OF_FUNDS'], file: 'documents/proof-of-funds.png' }, context);
    assert.is(output.media_type, 'image/png');
    assert.equal(context.exchanges.map((exchange) => [exchange.method, exchange.status]), [['GET', 200], ['PUT', 200], ['POST', undefined], ['GET', 200], ['GET', 200]]);
  } finally {
    h.sandbox.setFaults('');
  }
});

test('an upload that never gets through is sent to the same empty slot at most three times, then fails clearly', async ({ h, identityId }) => {
  h.sandbox.setFaults('reset:1', { methods: ['POST'], paths: ['/sandbox-uploads/'] });
  try {
    const context = h.context({ baseDir: 'workflows' });
    const error = await rejectionOf(uploadDocumentStep.run({ identity_id: identityId, name: 'Lost.png', document_types: ['OTHER_DOCUMENTS'], file: 'documents/proof-of-funds.png' }, context));
    assert.ok(isPaxflowError(error));
    assert.is(error.code, 'DOCUMENT_UPLOAD_UNKNOWN');
    const posts = context.exchanges.filter((exchange) => exchange.method === 'POST');
    assert.is(posts.length, 3);
    assert.is(new Set(posts.map((exchange) => exchange.path)).size, 1, 'one file_id, one upload URL');
    assert.is(context.exchanges.filter((exchange) => exchange.method === 'PUT').length, 1);
  } finally {
    h.sandbox.setFaults('');
  }
});

test('a file that is not a PDF, JPG or PNG by content, empty or missing fails before any request', async ({ h, identityId, dir }) => {
  for (const [file, code] of [['notes.pdf', 'DOCUMENT_FILE_TYPE'], ['empty.png', 'DOCUMENT_FILE_EMPTY'], ['missing.pdf', 'DOCUMENT_FILE_UNREADABLE']] as const) {
    const context = h.context({ baseDir: dir });
    const error = await rejectionOf(uploadDocumentStep.run({ identity_id: identityId, name: file, document_types: ['OTHER_DOCUMENTS'], file }, context));
    assert.is(error.code, code, file);
    assert.equal(context.exchanges, []);
  }
});

test('an unknown identity fails with the Paxos 404 before a slot is asked for', async ({ h }) => {
  const error = await rejectionOf(
    uploadDocumentStep.run({ identity_id: '0b0e3a7e-0000-4000-8000-000000000000', name: 'x.pdf', document_types: ['OTHER_DOCUMENTS'], file: 'documents/tax-and-residency.pdf' }, h.context({ baseDir: 'workflows' })),
  );
  assert.is(error.status, 404);
});

test.run();
