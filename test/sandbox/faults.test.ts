import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseFaultSpec, startSandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { runCli } from '../cli/_io.js';
import { expectProblem } from './_expect.js';
import { call, getToken, guidePerson, startTestSandbox, type SandboxHandle } from './_helpers.js';

/** What the client saw: a status, or `'reset'` when the connection dropped without an answer. */
type Outcome = number | 'reset' | 'timeout';

const send = async (sandbox: SandboxHandle, method: string, path: string, token: string, body?: unknown, timeoutMs = 5000): Promise<Outcome> => {
  try {
    const response = await fetch(sandbox.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
    return response.status;
  } catch (error) {
    return error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'reset';
  }
};

const stored = (sandbox: SandboxHandle, refId: string) => [...sandbox.state.identities.values()].filter((identity) => identity.ref_id === refId);

/** Starts an emulator with `spec`, gets a token (the token endpoint is exempt by default), runs `body`, closes it. */
const withFaults = async (spec: string, body: (sandbox: SandboxHandle, token: string) => Promise<void>, options: SandboxOptions = {}) => {
  const sandbox = await startTestSandbox({ approvalDelayMs: 0, faults: spec, ...options });
  try {
    await body(sandbox, await getToken(sandbox));
  } finally {
    await sandbox.close();
  }
};

const elapsed = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const value = await run();
  return [value, performance.now() - started];
};

const Spec = suite('sandbox faults: the spec');

Spec('parses kinds, probabilities and parameters, with defaults', () => {
  assert.equal(parseFaultSpec('500:0.05, 429:0.03@2s,reset:0.02,latency:0.05@1500ms,commit-then-reset:0.03'), [
    { kind: '500', probability: 0.05, ms: 0 },
    { kind: '429', probability: 0.03, ms: 2000 },
    { kind: 'reset', probability: 0.02, ms: 0 },
    { kind: 'latency', probability: 0.05, ms: 1500 },
    { kind: 'commit-then-reset', probability: 0.03, ms: 0 },
  ]);
  assert.equal(parseFaultSpec('429:1,latency:.5,commit-then-timeout:0'), [
    { kind: '429', probability: 1, ms: 1000 },
    { kind: 'latency', probability: 0.5, ms: 1000 },
    { kind: 'commit-then-timeout', probability: 0, ms: 30_000 },
  ]);
  assert.equal(parseFaultSpec('commit-then-timeout:0.1@1m')[0]!.ms, 60_000);
  assert.equal(parseFaultSpec(''), []);
  assert.equal(parseFaultSpec('  '), []);
});

Spec('a bad entry is a RangeError naming it', () => {
  const cases: Array<[string, string]> = [
    ['500:0.1,teapot:0.1', "'teapot:0.1'"],
    ['500:1.5', "'500:1.5'"],
    ['500:abc', "'500:abc'"],
    ['500:-0.1', "'500:-0.1'"],
    ['503', "'503'"],
    ['500:0.1@2s', "'500:0.1@2s'"],
    ['latency:0.1@fast', "'@fast'"],
    ['latency:0.1@1500', "'@1500'"],
    ['429:0.1@1500ms', "'429:0.1@1500ms'"],
    ['500:0.1,,503:0.1', 'entry 2 is empty'],
    ['500:0.6,commit-then-500:0.5', 'add up to 1.1'],
  ];
  for (const [spec, named] of cases) {
    assert.throws(() => parseFaultSpec(spec), (error: Error) => error instanceof RangeError && error.message.includes(named), spec);
  }
  // latency rolls on its own, so it does not count towards the total.
  assert.is(parseFaultSpec('500:0.5,503:0.5,latency:1').length, 3);
  assert.throws(() => parseFaultSpec(42 as unknown as string), TypeError);
});

Spec('startSandbox refuses a bad spec, seed or scope before listening', async () => {
  for (const options of [{ faults: 'nope:1' }, { faults: '500:1', faultSeed: Number.NaN }, { faults: '500:1', faultPaths: ['v2'] }]) {
    try {
      await startSandbox(options);
      assert.unreachable(JSON.stringify(options));
    } catch (error) {
      assert.instance(error, RangeError);
    }
  }
});

Spec('paxflow sandbox: --faults and --fault-seed, a bad spec is a usage error', async () => {
  const bad = await runCli(['sandbox', '--port', '0', '--faults', '500:0.1,nope:0.2']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, "'nope:0.2'");
  assert.is((await runCli(['sandbox', '--port', '0', '--faults', '500:0.1', '--fault-seed', 'x'])).code, 2);
  // Without a signal the command stops at once, after printing what it serves and what it injected.
  const ok = await runCli(['sandbox', '--port', '0', '--faults', '503:0.5,latency:0.1@20ms', '--fault-seed', '7']);
  assert.is(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /faults: {5}503:0\.5,latency:0\.1@20ms \(seed 7\)/);
  assert.match(ok.stdout, /faults injected: none \(0 requests in scope\)/);
});

Spec.run();

const Kinds = suite('sandbox faults: each kind over HTTP');

Kinds('500, 502, 503, 504 answer a Problem before processing: nothing is stored', async () => {
  for (const status of [500, 502, 503, 504]) {
    await withFaults(`${status}:1`, async (sandbox, token) => {
      expectProblem(await call(sandbox, 'GET', '/v2/profiles', { token }), status, /injected/);
      const person = guidePerson();
      expectProblem(await call(sandbox, 'POST', '/v2/identity/identities', { token, body: person }), status);
      assert.is(stored(sandbox, person.ref_id).length, 0);
      assert.is(sandbox.faults.counts[String(status) as '500'], 2);
    });
  }
});

Kinds('429 carries Retry-After: 1 s by default, @2s sets it', async () => {
  await withFaults('429:1', async (sandbox, token) => {
    const result = await call(sandbox, 'GET', '/v2/profiles', { token });
    assert.is(expectProblem(result, 429).title, 'Too Many Requests');
    assert.is(result.headers.get('retry-after'), '1');
  });
  await withFaults('429:1@2s', async (sandbox, token) => {
    assert.is((await call(sandbox, 'GET', '/v2/profiles', { token })).headers.get('retry-after'), '2');
  });
});

Kinds('reset drops the connection before processing: nothing is stored', async () => {
  await withFaults('reset:1', async (sandbox, token) => {
    const person = guidePerson();
    assert.is(await send(sandbox, 'POST', '/v2/identity/identities', token, person), 'reset');
    assert.is(await send(sandbox, 'GET', '/v2/profiles', token), 'reset');
    assert.is(stored(sandbox, person.ref_id).length, 0);
    assert.is(sandbox.faults.counts.reset, 2);
  });
});

Kinds('latency delays the request, alone or before another fault', async () => {
  await withFaults('latency:1@250ms', async (sandbox, token) => {
    const [status, ms] = await elapsed(() => send(sandbox, 'GET', '/v2/profiles', token));
    assert.is(status, 200);
    assert.ok(ms >= 240, `took ${ms} ms`);
  });
  await withFaults('503:1,latency:1@150ms', async (sandbox, token) => {
    const [status, ms] = await elapsed(() => send(sandbox, 'GET', '/v2/profiles', token));
    assert.is(status, 503);
    assert.ok(ms >= 140, `took ${ms} ms`);
    assert.equal([sandbox.faults.counts.latency, sandbox.faults.counts['503']], [1, 1]);
  });
});

Kinds('a client that gives up during the latency: its create is dropped, never stored', async () => {
  await withFaults('latency:1@400ms', async (sandbox, token) => {
    const person = guidePerson();
    assert.is(await send(sandbox, 'POST', '/v2/identity/identities', token, person, 100), 'timeout');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.is(stored(sandbox, person.ref_id).length, 0);
  });
});

/** After a commit-then-* fault, the same create again is a 409 naming the stored object: it exists by ref_id. */
const assertCommitted = async (sandbox: SandboxHandle, token: string, person: Record<string, any>) => {
  assert.is(stored(sandbox, person.ref_id).length, 1);
  sandbox.setFaults('');
  const again = await call(sandbox, 'POST', '/v2/identity/identities', { token, body: person });
  expectProblem(again, 409, 'duplicate ref_id provided');
  assert.is(again.body.meta.existing.id, stored(sandbox, person.ref_id)[0]!.id);
};

Kinds('commit-then-reset: stored, and the client sees the connection drop', async () => {
  await withFaults('commit-then-reset:1', async (sandbox, token) => {
    const person = guidePerson();
    assert.is(await send(sandbox, 'POST', '/v2/identity/identities', token, person), 'reset');
    assert.is(sandbox.faults.counts['commit-then-reset'], 1);
    await assertCommitted(sandbox, token, person);
  });
});

Kinds('commit-then-500 (and -502/503/504): stored, and the client gets the 5xx Problem', async () => {
  for (const status of [500, 502, 503, 504]) {
    await withFaults(`commit-then-${status}:1`, async (sandbox, token) => {
      const person = guidePerson();
      expectProblem(await call(sandbox, 'POST', '/v2/identity/identities', { token, body: person }), status);
      await assertCommitted(sandbox, token, person);
    });
  }
});

Kinds('commit-then-timeout: stored, and no answer until the client gives up', async () => {
  await withFaults('commit-then-timeout:1@30s', async (sandbox, token) => {
    const person = guidePerson();
    const [outcome, ms] = await elapsed(() => send(sandbox, 'POST', '/v2/identity/identities', token, person, 300));
    assert.is(outcome, 'timeout');
    assert.ok(ms < 2000);
    await assertCommitted(sandbox, token, person);
  });
});

Kinds('commit-then-timeout: the connection drops when the hold ends', async () => {
  await withFaults('commit-then-timeout:1@200ms', async (sandbox, token) => {
    const [outcome, ms] = await elapsed(() => send(sandbox, 'POST', '/v2/identity/identities', token, guidePerson()));
    assert.is(outcome, 'reset');
    assert.ok(ms >= 190 && ms < 2000, `took ${ms} ms`);
  });
});

Kinds('commit-then-* leave reads alone; a 4xx answer is swallowed like any other', async () => {
  await withFaults('commit-then-reset:1', async (sandbox, token) => {
    assert.is(await send(sandbox, 'GET', '/v2/profiles', token), 200);
    assert.is(sandbox.faults.counts['commit-then-reset'], 0);
    assert.is(await send(sandbox, 'POST', '/v2/identity/identities', token, { ref_id: 'x' }), 'reset');
  });
});

Kinds('scope: the token endpoint is exempt unless its path is listed; methods narrow it', async () => {
  await withFaults('503:1', async (sandbox, token) => {
    assert.ok(token.length > 0);
    assert.is(sandbox.faults.requests, 0);
  });
  const sandbox = await startTestSandbox({ faults: '503:1', faultPaths: ['/oauth2/'] });
  try {
    expectProblem(await call(sandbox, 'POST', '/oauth2/token', { body: {} }), 503);
  } finally {
    await sandbox.close();
  }
  await withFaults('503:1', async (sandbox, token) => {
    assert.is(await send(sandbox, 'GET', '/v2/profiles', token), 200);
    assert.is(await send(sandbox, 'POST', '/v2/profiles', token, { nickname: 'scoped' }), 503);
  }, { faultMethods: ['post'] });
});

Kinds.run();

const Seeded = suite('sandbox faults: determinism, counters, setFaults, close');

const SPEC = '500:0.15,503:0.1,429:0.1,reset:0.1';

/** Outcomes of `n` sequential reads. */
const sequence = async (sandbox: SandboxHandle, token: string, n = 40): Promise<Outcome[]> => {
  const outcomes: Outcome[] = [];
  for (let i = 0; i < n; i += 1) outcomes.push(await send(sandbox, 'GET', '/v2/profiles', token));
  return outcomes;
};

Seeded('the same seed gives the same faults; another seed others; the price seed is the default', async () => {
  const runs: Outcome[][] = [];
  for (const options of [{ faultSeed: 11 }, { seed: 11 }, { faultSeed: 12 }]) {
    await withFaults(SPEC, async (sandbox, token) => {
      runs.push(await sequence(sandbox, token));
      assert.is(sandbox.faults.seed, 11 + (options.faultSeed === 12 ? 1 : 0));
    }, options);
  }
  const [first, second, other] = runs as [Outcome[], Outcome[], Outcome[]];
  assert.equal(second, first);
  assert.not.equal(other, first);
  assert.ok(new Set(first).size >= 4, `varied outcomes: ${first.join(' ')}`);
});

Seeded('counters add up to what the client saw', async () => {
  await withFaults(`${SPEC},latency:0.2@1ms`, async (sandbox, token) => {
    const outcomes = await sequence(sandbox, token, 60);
    const seen = (outcome: Outcome) => outcomes.filter((value) => value === outcome).length;
    const { counts, requests } = sandbox.faults;
    assert.is(requests, 60);
    assert.equal([counts['500'], counts['503'], counts['429'], counts.reset], [seen(500), seen(503), seen(429), seen('reset')]);
    assert.is(counts['500'] + counts['503'] + counts['429'] + counts.reset + seen(200), 60);
    assert.ok(counts.latency > 0);
    console.log(`    faults injected in 60 reads: ${Object.entries(counts).filter(([, n]) => n > 0).map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
  }, { faultSeed: 3 });
});

Seeded('setFaults turns faults on and off at run time and restarts the roll', async () => {
  await withFaults('', async (sandbox, token) => {
    const person = guidePerson();
    assert.is(await send(sandbox, 'POST', '/v2/identity/identities', token, person), 200);
    sandbox.setFaults(SPEC, { seed: 5 });
    const first = await sequence(sandbox, token);
    assert.ok(first.some((outcome) => outcome !== 200));
    sandbox.setFaults(SPEC);
    assert.equal(await sequence(sandbox, token), first);
    assert.throws(() => sandbox.setFaults('503:2'), RangeError);
    assert.is(sandbox.faults.spec, SPEC);
    sandbox.setFaults('503:1', { methods: ['POST'] });
    assert.is(await send(sandbox, 'GET', '/v2/profiles', token), 200);
    assert.is(await send(sandbox, 'POST', '/v2/profiles', token, { nickname: 'later' }), 503);
    sandbox.setFaults('');
    assert.is(await send(sandbox, 'POST', '/v2/profiles', token, { nickname: 'later' }), 200);
    assert.is(sandbox.faults.spec, '');
  });
});

Seeded('close() is prompt while a commit-then-timeout answer and latencies are held, and leaves no timer', async () => {
  const sandbox = await startTestSandbox({ faults: 'commit-then-timeout:1@30s' });
  const token = await getToken(sandbox);
  const held = send(sandbox, 'POST', '/v2/profiles', token, { nickname: 'held' }, 60_000);
  for (let i = 0; i < 200 && sandbox.faults.counts['commit-then-timeout'] === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok([...sandbox.state.profiles.values()].some((profile) => profile.nickname === 'held'), 'the create was processed');
  sandbox.setFaults('latency:1@30s');
  const delayed = [1, 2, 3].map(() => send(sandbox, 'GET', '/v2/profiles', token, undefined, 60_000));
  for (let i = 0; i < 200 && sandbox.faults.counts.latency < 3; i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  const [, ms] = await elapsed(() => sandbox.close());
  assert.ok(ms < 1000, `close took ${ms} ms`);
  assert.is(sandbox.state.timers.size, 0);
  assert.equal(await Promise.all([held, ...delayed]), ['reset', 'reset', 'reset', 'reset']);
});

Seeded.run();
