import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SandboxSnapshotError } from '../../src/sandbox/index.js';
import { call, getToken, guidePerson, pollUntil, startTestSandbox } from './_helpers.js';

const test = suite('snapshots keep documents, holds, fiat deposit instructions and transfers');

const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');
const WIRE = {
  account_number: '1',
  fiat_account_owner_address: { country: 'USA' },
  routing_details: { routing_number_type: 'ABA', routing_number: '1', bank_name: 'Bank', bank_address: { country: 'USA' } },
};

test('a restored server lists what was there and approves a held identity once its last document arrives', async () => {
  const first = await startTestSandbox({ approvalDelayMs: 0 });
  let snapshot;
  let heldId: string;
  let memoId: string;
  let profileId: string;
  try {
    const token = await getToken(first);
    const post = async (path: string, body: unknown) => (await call(first, 'POST', path, { token, body })).body;
    const approved = await post('/v2/identity/identities', guidePerson());
    await pollUntil(async () => ((await call(first, 'GET', `/v2/identity/identities/${approved.id}`, { token })).body.summary_status === 'APPROVED' ? true : undefined));
    profileId = (await post('/v2/identity/accounts', { create_profile: true, account: { identity_id: approved.id } })).profile_id;
    memoId = (await post('/v2/transfer/fiat-deposit-instructions', { profile_id: profileId, fiat_network: 'WIRE', ref_id: 'snap' })).memo_id;
    await post('/v2/sandbox/fiat-deposits', { amount: '7.25', asset: 'USD', memo_id: memoId, fiat_network_instructions: { wire: WIRE } });
    heldId = (await post('/v2/identity/identities', guidePerson({ customer_due_diligence: { employment_industry_sector: 'WEAPONS' } }))).id;
    await pollUntil(async () => ((await call(first, 'GET', '/v2/events?type=identity.documents_required', { token })).body.events.length === 1 ? true : undefined));
    const slot = (await call(first, 'PUT', `/v2/identity/identities/${heldId}/documents`, { token, body: { name: 'r.pdf', document_types: ['PROOF_OF_RESIDENCY'] } })).body;
    assert.is((await fetch(slot.upload_url, { method: 'POST', body: PDF })).status, 200);
    snapshot = JSON.parse(JSON.stringify(first.snapshot()));
  } finally {
    await first.close();
  }

  const second = await startTestSandbox({ snapshot });
  try {
    const token = await getToken(second);
    const get = async (path: string) => (await call(second, 'GET', path, { token })).body;
    assert.equal((await get('/v2/transfer/fiat-deposit-instructions?ref_ids=snap')).items.map((item: any) => item.memo_id), [memoId]);
    assert.equal((await get(`/v2/transfer/transfers?profile_ids=${profileId}`)).items.map((item: any) => [item.amount, item.memo]), [['7.25', memoId]]);
    assert.equal((await get(`/v2/identity/identities/${heldId}/documents?include_pending_docs=true`)).pending_documents, ['PROOF_OF_FUNDS']);
    const deposit = await call(second, 'POST', '/v2/sandbox/fiat-deposits', { token, body: { amount: '1', asset: 'USD', memo_id: memoId, fiat_network_instructions: { wire: WIRE } } });
    assert.is(deposit.status, 200, 'the memo id still pays into the profile');
    const slot = (await call(second, 'PUT', `/v2/identity/identities/${heldId}/documents`, { token, body: { name: 'f.pdf', document_types: ['PROOF_OF_FUNDS'] } })).body;
    assert.is((await fetch(slot.upload_url, { method: 'POST', body: PDF })).status, 200);
    await pollUntil(async () => ((await get(`/v2/identity/identities/${heldId}`)).summary_status === 'APPROVED' ? true : undefined));
  } finally {
    await second.close();
  }
});

test('a snapshot whose transfer names an unknown profile is refused, naming the field', async () => {
  const sandbox = await startTestSandbox();
  const snapshot = JSON.parse(JSON.stringify(sandbox.snapshot()));
  await sandbox.close();
  snapshot.transfers = [{
    id: 't', customer_id: 'c', profile_id: 'nobody', amount: '1', total: '1', fee: '0', asset: 'USD', balance_asset: 'USD',
    direction: 'CREDIT', type: 'WIRE_DEPOSIT', status: 'COMPLETED', created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z',
  }];
  try {
    await startTestSandbox({ snapshot });
    assert.unreachable('the snapshot was accepted');
  } catch (error) {
    assert.instance(error, SandboxSnapshotError);
    assert.match((error as Error).message, /transfers\[0\]\.profile_id: names no profile of the snapshot/);
  }
});

test.run();
