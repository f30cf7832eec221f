import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { clearTokenCache, createPaxosClient, createWithRefId, isPaxosApiError, type PaxosClientOptions, type PaxosCreateOptions } from '../../src/paxos/index.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';

// The idempotent create against the emulator's own seeded faults, with no proxy in between: the
// emulator stores the object and then loses the answer, and the client must adopt it, never duplicate it.

interface Identity {
  id: string;
  ref_id?: string;
  person_details?: { last_name?: string };
}

const Faults = suite<{ sandbox: SandboxHandle }>('paxos create against the emulator\'s faults', {} as never);

Faults.before(async (context) => {
  context.sandbox = await startSandbox({ port: 0, approvalDelayMs: 0 });
});
Faults.after(async ({ sandbox }) => {
  await sandbox.close();
});
Faults.before.each(({ sandbox }) => {
  clearTokenCache();
  sandbox.setFaults('');
});

const clientFor = (sandbox: SandboxHandle, options: Partial<PaxosClientOptions> = {}) =>
  createPaxosClient({
    target: { name: 'local', apiUrl: sandbox.apiUrl, oauthUrl: sandbox.oauthUrl },
    credentials: { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' },
    scopes: ['identity:read_identity', 'identity:write_identity'],
    tokenMinIntervalMs: 0,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...options,
  });

const lookupByRefId: NonNullable<PaxosCreateOptions<Identity>['lookup']> = async (refId, get) => {
  const page = await get<{ items: Identity[] }>('/identity/identities', { limit: '1000' });
  return page.items.find((identity) => identity.ref_id === refId);
};

const create = (client: ReturnType<typeof clientFor>, refId: string, options: Partial<PaxosCreateOptions<Identity>> = {}) =>
  createWithRefId<Identity>(client, {
    path: '/identity/identities',
    json: { ref_id: refId, person_details: { first_name: 'Test', last_name: 'Faults' } },
    signal: AbortSignal.timeout(10_000),
    matches: (existing) => existing.person_details?.last_name === undefined || existing.person_details.last_name === 'Faults',
    fetchExisting: (id, get) => get<Identity>(`/identity/identities/${id}`),
    ...options,
  });

const storedWith = (sandbox: SandboxHandle, refId: string) => [...sandbox.state.identities.values()].filter((identity) => identity.ref_id === refId);

Faults('commit-then-reset: the stored identity is found by ref_id and adopted', async ({ sandbox }) => {
  sandbox.setFaults('commit-then-reset:1');
  const result = await create(clientFor(sandbox), 'emu-reset-lookup', { lookup: lookupByRefId });
  assert.equal([result.adopted, result.recovered], [true, true]);
  assert.is(result.value.id, storedWith(sandbox, 'emu-reset-lookup')[0]!.id);
  assert.is(storedWith(sandbox, 'emu-reset-lookup').length, 1);
  assert.is(sandbox.faults.counts['commit-then-reset'], 1);
});

Faults('commit-then-500: the re-send with the same ref_id gets the 409, which is adopted', async ({ sandbox }) => {
  sandbox.setFaults('commit-then-500:1');
  const statuses: Array<number | undefined> = [];
  const result = await create(clientFor(sandbox), 'emu-500-resend', {
    // The emulator answers honestly again once the first answer is lost.
    onExchange: (exchange) => {
      statuses.push(exchange.status);
      sandbox.setFaults('');
    },
  });
  assert.equal([result.adopted, result.recovered], [true, true]);
  assert.is(result.value.ref_id, 'emu-500-resend');
  assert.equal(statuses, [500, 409, 200]);
  assert.is(storedWith(sandbox, 'emu-500-resend').length, 1);
});

Faults('commit-then-timeout: the client gives up on the held answer and adopts the object', async ({ sandbox }) => {
  sandbox.setFaults('commit-then-timeout:1@30s');
  const result = await create(clientFor(sandbox, { timeoutMs: 250 }), 'emu-timeout', { lookup: lookupByRefId });
  assert.equal([result.adopted, result.recovered], [true, true]);
  assert.is(storedWith(sandbox, 'emu-timeout').length, 1);
});

Faults('every answer lost: PAXOS_OUTCOME_UNKNOWN, and still exactly one object', async ({ sandbox }) => {
  sandbox.setFaults('commit-then-reset:1');
  try {
    await create(clientFor(sandbox), 'emu-all-lost', { maxAttempts: 3 });
    assert.unreachable('the create should not succeed');
  } catch (error) {
    assert.ok(isPaxosApiError(error) && error.code === 'PAXOS_OUTCOME_UNKNOWN', String(error));
  }
  assert.is(sandbox.faults.counts['commit-then-reset'] >= 3, true);
  assert.is(storedWith(sandbox, 'emu-all-lost').length, 1);
});

Faults('a seeded mix of faults on every call: each ref_id ends with exactly one identity', async ({ sandbox }) => {
  sandbox.setFaults('commit-then-reset:0.25,commit-then-500:0.15,503:0.1,reset:0.1,429:0.05@0s,latency:0.1@5ms', { seed: 7 });
  const before = { ...sandbox.faults.counts };
  // Reads (the 409's fetchExisting) meet 503, reset and 429 too: a client that expects this many faults retries more.
  const client = clientFor(sandbox, { retry: { baseDelayMs: 5, maxDelayMs: 20, limit: 8 } });
  const results = [];
  for (let i = 0; i < 20; i += 1) results.push(await create(client, `emu-mix-${i}`, { maxAttempts: 12 }));
  for (let i = 0; i < 20; i += 1) {
    assert.is(storedWith(sandbox, `emu-mix-${i}`).length, 1, `emu-mix-${i}`);
    assert.is(results[i]!.value.id, storedWith(sandbox, `emu-mix-${i}`)[0]!.id);
  }
  const injected = (kind: keyof typeof before) => sandbox.faults.counts[kind] - before[kind];
  assert.ok(injected('commit-then-reset') > 0 && injected('commit-then-500') > 0, 'both commit-then faults happened');
  assert.ok(results.some((result) => result.adopted) && results.some((result) => !result.adopted));
  const figures = (['commit-then-reset', 'commit-then-500', '503', 'reset', '429', 'latency'] as const).map((kind) => `${kind} ${injected(kind)}`);
  console.log(`    faults injected: ${figures.join(', ')}; adopted ${results.filter((result) => result.adopted).length} of 20`);
});

Faults.run();
