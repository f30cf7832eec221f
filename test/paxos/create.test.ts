import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  createPaxosClient,
  createWithRefId,
  isPaxosApiError,
  type PaxosApiError,
  type PaxosClientOptions,
  type PaxosCreateOptions,
} from '../../src/paxos/index.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { useProxiedSandbox, type FaultProxy, type ProxiedSandbox } from './_proxy.js';

interface Identity {
  id: string;
  ref_id?: string;
  person_details?: { first_name?: string; last_name?: string };
}

const IDENTITIES = /^\/v2\/identity\/identities$/;
const Create = suite<ProxiedSandbox>('paxos idempotent create', {} as never);

useProxiedSandbox(Create);

const clientFor = (proxy: FaultProxy, options: Partial<PaxosClientOptions> = {}) =>
  createPaxosClient({
    target: { name: 'local', apiUrl: proxy.apiUrl, oauthUrl: proxy.oauthUrl },
    credentials: { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' },
    scopes: ['identity:read_identity', 'identity:write_identity', 'identity:read_account', 'identity:write_account'],
    tokenMinIntervalMs: 0,
    ...options,
  });

const body = (refId: string, lastName = 'Create', extra: Record<string, unknown> = {}) => ({
  ref_id: refId,
  person_details: { first_name: 'Test', last_name: lastName, ...extra },
});

type Options = Partial<PaxosCreateOptions<Identity>>;
const createIdentity = (client: ReturnType<typeof clientFor>, refId: string, options: Options = {}) =>
  createWithRefId<Identity>(client, {
    path: '/identity/identities',
    json: body(refId),
    signal: AbortSignal.timeout(5000),
    matches: (existing) => existing.person_details?.last_name === undefined || existing.person_details.last_name === 'Create',
    ...options,
  });

const fetchExisting = (id: string, get: <R>(path: string) => Promise<R>) => get<Identity>(`/identity/identities/${id}`);
const lookupByRefId = async (refId: string, get: <R>(path: string, query?: Record<string, string>) => Promise<R>) => {
  const page = await get<{ items: Identity[] }>('/identity/identities', { limit: '1000' });
  return page.items.find((identity) => identity.ref_id === refId);
};

const storedWith = (sandbox: SandboxHandle, refId: string) => [...sandbox.state.identities.values()].filter((identity) => identity.ref_id === refId);
const sentRefIds = (proxy: FaultProxy) =>
  proxy.seen.filter((request) => request.method === 'POST' && IDENTITIES.test(request.path)).map((request) => JSON.parse(request.body).ref_id as string);

const failure = async (run: () => Promise<unknown>): Promise<PaxosApiError> => {
  try {
    await run();
  } catch (error) {
    assert.ok(isPaxosApiError(error), `expected a PaxosApiError, got ${String(error)}`);
    return error;
  }
  throw new Error('expected the create to fail');
};

Create('a plain create returns the object, not adopted', async ({ sandbox, proxy }) => {
  const result = await createIdentity(clientFor(proxy), 'create-plain');
  assert.is(result.value.ref_id, 'create-plain');
  assert.is(result.refId, 'create-plain');
  assert.is(result.adopted, false);
  assert.is(result.recovered, false);
  assert.is(storedWith(sandbox, 'create-plain').length, 1);
});

Create('a 409 on the first send (a re-run) adopts meta.existing after the match check', async ({ sandbox, proxy }) => {
  const client = clientFor(proxy);
  const first = await createIdentity(client, 'create-rerun');
  const again = await createIdentity(client, 'create-rerun');
  assert.is(again.adopted, true);
  assert.is(again.recovered, false);
  assert.equal(again.value, { id: first.value.id });
  const full = await createIdentity(client, 'create-rerun', { fetchExisting });
  assert.is(full.value.id, first.value.id);
  assert.is(full.value.ref_id, 'create-rerun');
  assert.is(storedWith(sandbox, 'create-rerun').length, 1);
});

Create('a 409 whose object is another intent fails with REF_ID_CONFLICT', async ({ proxy }) => {
  const client = clientFor(proxy);
  const first = await createIdentity(client, 'create-conflict');
  const error = await failure(() =>
    createIdentity(client, 'create-conflict', { json: body('create-conflict', 'Other'), fetchExisting, matches: (existing) => existing.person_details?.last_name === 'Other' }),
  );
  assert.is(error.code, 'REF_ID_CONFLICT');
  assert.is(error.status, 409);
  assert.equal(error.meta, { existing: { id: first.value.id } });
  assert.match(error.message, "ref_id 'create-conflict'");
});

Create('a 409 about another object (duplicate cip_id, other ref_id) is not adopted', async ({ proxy }) => {
  const client = clientFor(proxy);
  const cip = { cip_id: '900-12-3456', cip_id_type: 'SSN', cip_id_country: 'USA' };
  await createIdentity(client, 'create-cip-a', { json: body('create-cip-a', 'Create', cip) });
  const error = await failure(() => createIdentity(client, 'create-cip-b', { json: body('create-cip-b', 'Create', cip), fetchExisting }));
  assert.is(error.code, 'PAXOS_ALREADY_EXISTS');
});

Create('a reset after the server committed: re-sent with the same ref_id, the 409 is adopted', async ({ sandbox, proxy }) => {
  proxy.inject({ method: 'POST', path: IDENTITIES }, [{ kind: 'commit-then-reset' }]);
  const result = await createIdentity(clientFor(proxy), 'create-reset', { fetchExisting });
  assert.is(result.adopted, true);
  assert.is(result.recovered, true);
  assert.is(result.value.ref_id, 'create-reset');
  assert.equal(sentRefIds(proxy), ['create-reset', 'create-reset']);
  assert.is(storedWith(sandbox, 'create-reset').length, 1);
});

Create('reading back an adopted object waits out transient failures instead of failing the create', async ({ sandbox, proxy }) => {
  const client = clientFor(proxy, { retry: { limit: 0, baseDelayMs: 10 } });
  await createIdentity(client, 'create-readback');
  const existing = storedWith(sandbox, 'create-readback')[0]!;
  const readBack = new RegExp(`^/v2/identity/identities/${existing.id}$`);
  proxy.inject({ method: 'GET', path: readBack }, [{ kind: 'status', status: 503 }, { kind: 'reset' }]);
  const result = await createIdentity(client, 'create-readback', { fetchExisting });
  assert.is(result.adopted, true);
  assert.is(result.value.id, existing.id);
  assert.is(proxy.count('GET', readBack), 3, 'two failed reads, then the one that worked');
  assert.is(storedWith(sandbox, 'create-readback').length, 1);
});

Create('a 502 after the server committed: found by the ref_id lookup, not sent again', async ({ sandbox, proxy }) => {
  proxy.inject({ method: 'POST', path: IDENTITIES }, [{ kind: 'commit-then-status', status: 502 }]);
  const result = await createIdentity(clientFor(proxy), 'create-lookup', { lookup: lookupByRefId });
  assert.is(result.adopted, true);
  assert.is(result.recovered, true);
  assert.is(result.value.id, storedWith(sandbox, 'create-lookup')[0]!.id);
  assert.equal(sentRefIds(proxy), ['create-lookup']);
});

Create('a timeout after the server committed is reconciled without a duplicate', async ({ sandbox, proxy }) => {
  proxy.inject({ method: 'POST', path: IDENTITIES }, [{ kind: 'commit-then-hang' }]);
  const result = await createIdentity(clientFor(proxy, { timeoutMs: 250 }), 'create-timeout');
  assert.is(result.adopted, true);
  assert.is(result.recovered, true);
  assert.equal(sentRefIds(proxy), ['create-timeout', 'create-timeout']);
  assert.is(storedWith(sandbox, 'create-timeout').length, 1);
});

Create('a 503 before the server saw it: the re-send creates the object', async ({ sandbox, proxy }) => {
  proxy.inject({ method: 'POST', path: IDENTITIES }, [{ kind: 'status', status: 503 }]);
  const result = await createIdentity(clientFor(proxy), 'create-503', { lookup: lookupByRefId });
  assert.is(result.adopted, false);
  assert.is(result.recovered, true);
  assert.equal(sentRefIds(proxy), ['create-503', 'create-503']);
  assert.is(storedWith(sandbox, 'create-503').length, 1);
});

Create('a lone 429 with a long Retry-After is thrown as it came: nothing was created', async ({ sandbox, proxy }) => {
  proxy.inject({ method: 'POST', path: IDENTITIES }, [{ kind: 'status', status: 429, headers: { 'retry-after': '3600' } }]);
  const error = await failure(() => createIdentity(clientFor(proxy), 'create-429'));
  assert.is(error.code, 'PAXOS_RATE_LIMITED');
  assert.is(sentRefIds(proxy).length, 1);
  assert.is(storedWith(sandbox, 'create-429').length, 0);
});

Create('a 4xx answer is final: thrown as it came, sent once', async ({ proxy }) => {
  const error = await failure(() => createIdentity(clientFor(proxy), 'create-400', { json: { ref_id: 'create-400', person_details: 'not an object' } }));
  assert.is(error.code, 'PAXOS_BAD_REQUEST');
  assert.is(sentRefIds(proxy).length, 1);
});

Create('gives up with PAXOS_OUTCOME_UNKNOWN naming the ref_id when the signal ends', async ({ proxy }) => {
  proxy.inject({ method: 'POST', path: IDENTITIES }, [{ kind: 'status', status: 503 }], { sticky: true });
  const error = await failure(() => createIdentity(clientFor(proxy), 'create-unknown', { signal: AbortSignal.timeout(600), maxAttempts: 1000 }));
  assert.is(error.code, 'PAXOS_OUTCOME_UNKNOWN');
  assert.match(error.message, "'create-unknown'");
  const sent = sentRefIds(proxy);
  assert.ok(sent.length >= 2);
  assert.ok(sent.every((refId) => refId === 'create-unknown'));
});

Create('gives up after maxAttempts sends', async ({ proxy }) => {
  proxy.inject({ method: 'POST', path: IDENTITIES }, [{ kind: 'reset' }], { sticky: true });
  const error = await failure(() => createIdentity(clientFor(proxy), 'create-max', { maxAttempts: 2 }));
  assert.is(error.code, 'PAXOS_OUTCOME_UNKNOWN');
  assert.equal(sentRefIds(proxy), ['create-max', 'create-max']);
});

Create('refId keys a body that nests its ref_id (Create Account) through a reset', async ({ sandbox, proxy }) => {
  const client = clientFor(proxy);
  const identity = await createIdentity(client, 'create-account-owner');
  const accounts = /^\/v2\/identity\/accounts$/;
  proxy.inject({ method: 'POST', path: accounts }, [{ kind: 'commit-then-reset' }]);
  const result = await createWithRefId<{ id: string; identity_id: string }>(client, {
    path: '/identity/accounts',
    json: { account: { identity_id: identity.value.id, ref_id: 'create-account-1', type: 'BROKERAGE' } },
    refId: 'create-account-1',
    signal: AbortSignal.timeout(5000),
    matches: (existing) => existing.identity_id === identity.value.id,
    fetchExisting: (id, get) => get(`/identity/accounts/${id}`),
  });
  assert.is(result.adopted, true);
  assert.is(result.recovered, true);
  assert.is(proxy.count('POST', accounts), 2);
  assert.is([...sandbox.state.accounts.values()].filter((account) => account.ref_id === 'create-account-1').length, 1);
});

Create('a body without ref_id is refused before sending', async ({ proxy }) => {
  try {
    await createIdentity(clientFor(proxy), '', { json: body('') });
    assert.unreachable('should fail');
  } catch (error) {
    assert.is((error as { code?: string }).code, 'MISSING_REF_ID');
  }
  assert.is(sentRefIds(proxy).length, 0);
});

Create.run();
