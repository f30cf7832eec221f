import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isUsageError } from '../../src/errors.js';
import {
  PAXOS_RATE_LIMITS,
  clearTokenCache,
  createPaxosClient,
  createRateLimiter,
  endpointClass,
  parseRateLimits,
  type EndpointClass,
  type RateLimiter,
} from '../../src/paxos/index.js';
import { startSandbox } from '../../src/sandbox/index.js';

/** A clock the test moves by hand, and a sleep that ends when the clock passes its end. */
const fakeTime = () => {
  let now = 0;
  const sleepers: Array<{ until: number; resolve: (done: boolean) => void; signal?: AbortSignal }> = [];
  return {
    now: () => now,
    sleep: (ms: number, signal?: AbortSignal) =>
      new Promise<boolean>((resolve) => {
        const sleeper = { until: now + ms, resolve, ...(signal ? { signal } : {}) };
        sleepers.push(sleeper);
        signal?.addEventListener('abort', () => {
          sleepers.splice(sleepers.indexOf(sleeper), 1);
          resolve(false);
        });
      }),
    /** Moves the clock to `to`, waking each sleeper at its time, in time order. */
    async advance(to: number) {
      // Every callback a wake-up starts runs before the clock moves on.
      const settle = () => new Promise((resolve) => setImmediate(resolve));
      await settle();
      for (;;) {
        sleepers.sort((a, b) => a.until - b.until);
        const next = sleepers[0];
        if (!next || next.until > to) break;
        sleepers.shift();
        now = next.until;
        next.resolve(true);
        await settle();
      }
      now = to;
      await settle();
    },
  };
};

/** The most sends of any window of one second (half open, [t, t+1000)), starting at each send. */
const busiestSecond = (times: readonly number[]): number => {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (const [i, start] of sorted.entries()) most = Math.max(most, sorted.slice(i).filter((t) => t < start + 1000).length);
  return most;
};

/** Asks for `count` slots of `kind` at the current time and records the clock when each is granted. */
const ask = (limiter: RateLimiter, time: ReturnType<typeof fakeTime>, kind: EndpointClass, count: number, sent: number[]) =>
  Array.from({ length: count }, () => limiter.acquire(kind).then((ok) => ok && sent.push(time.now())));

const limits = suite('paxos: the rate limiter, on its own clock');

limits('100 identity requests at once go out 10 a second, evenly, the first at once', async () => {
  const time = fakeTime();
  const limiter = createRateLimiter({ now: time.now, sleep: time.sleep });
  const sent: number[] = [];
  const all = ask(limiter, time, 'identity', 100, sent);
  await time.advance(0);
  assert.equal(sent, [0]);
  await time.advance(20_000);
  await Promise.all(all);
  assert.is(sent.length, 100);
  assert.is(busiestSecond(sent), 10);
  assert.is(sent[99], 9_900);
});

limits('classes are limited apart: token 1/s, others 50/s, while identity is busy', async () => {
  const time = fakeTime();
  const limiter = createRateLimiter({ now: time.now, sleep: time.sleep });
  const sent: Record<EndpointClass, number[]> = { identity: [], token: [], default: [] };
  const all = [...ask(limiter, time, 'identity', 30, sent.identity), ...ask(limiter, time, 'token', 5, sent.token), ...ask(limiter, time, 'default', 200, sent.default)];
  await time.advance(10_000);
  await Promise.all(all);
  assert.is(busiestSecond(sent.identity), 10);
  assert.is(busiestSecond(sent.token), 1);
  assert.is(busiestSecond(sent.default), 50);
  assert.is(sent.default.length, 200);
  assert.ok(sent.default[199]! < 4_000, 'default requests do not wait for identity ones');
});

limits('requests arriving at random moments never exceed the limit in any second', async () => {
  const time = fakeTime();
  const limiter = createRateLimiter({ now: time.now, sleep: time.sleep, limits: { default: 25 } });
  const sent: number[] = [];
  const all: Promise<unknown>[] = [];
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  for (let at = 0; at < 20_000; at += Math.floor(random() * 120)) {
    await time.advance(at);
    all.push(...ask(limiter, time, 'default', 1 + Math.floor(random() * 4), sent));
  }
  await time.advance(60_000);
  await Promise.all(all);
  assert.ok(sent.length > 400);
  assert.ok(busiestSecond(sent) <= 25, `busiest second: ${busiestSecond(sent)}`);
});

limits('waiting callers are served first come, first served; one that aborts resolves false and leaves a gap, not a burst', async () => {
  const time = fakeTime();
  const limiter = createRateLimiter({ now: time.now, sleep: time.sleep, limits: { token: 1 } });
  const order: string[] = [];
  const controller = new AbortController();
  const first = limiter.acquire('token').then(() => order.push(`a@${time.now()}`));
  const second = limiter.acquire('token', controller.signal).then((ok) => order.push(`b:${ok}@${time.now()}`));
  const third = limiter.acquire('token').then(() => order.push(`c@${time.now()}`));
  await time.advance(500);
  controller.abort();
  await time.advance(5_000);
  await Promise.all([first, second, third]);
  assert.equal(order, ['a@0', 'b:false@500', 'c@2000']);
  assert.is(await limiter.acquire('token', controller.signal), false);
});

limits('--rate-limit: paxos, off, or CLASS=N pairs over the Paxos limits; anything else is a usage error', () => {
  assert.equal(parseRateLimits('paxos'), PAXOS_RATE_LIMITS);
  assert.equal(parseRateLimits('off'), { identity: Infinity, token: Infinity, default: Infinity });
  assert.equal(parseRateLimits('identity=5, default=20.5'), { identity: 5, token: 1, default: 20.5 });
  assert.equal(parseRateLimits('token=off'), { identity: 10, token: Infinity, default: 50 });
  for (const bad of ['identity=0', 'identity', 'orders=5', 'identity=-1', '']) {
    try {
      parseRateLimits(bad);
      assert.unreachable(bad);
    } catch (error) {
      assert.ok(isUsageError(error) && error.code === 'BAD_ARGUMENTS', bad);
    }
  }
  assert.is(endpointClass('identity/identities'), 'identity');
  assert.is(endpointClass('/identity/accounts/1'), 'identity');
  assert.is(endpointClass('profiles/1/orders'), 'default');
  assert.is(endpointClass('identityx'), 'default');
});

limits('the client asks the limiter before every request, by endpoint class, the token request included', async () => {
  const sandbox = await startSandbox({ port: 0, approvalDelayMs: 0 });
  try {
    clearTokenCache();
    const seen: EndpointClass[] = [];
    const limiter: RateLimiter = { limits: PAXOS_RATE_LIMITS, acquire: async (kind) => {
        seen.push(kind);
        return true;
      },
    };
    const client = createPaxosClient({
      target: { name: 'local', apiUrl: sandbox.apiUrl, oauthUrl: sandbox.oauthUrl },
      credentials: { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' },
      scopes: ['identity:read_identity', 'funding:read_profile'],
      rateLimiter: limiter,
    });
    const signal = AbortSignal.timeout(5000);
    await client.call({ method: 'GET', path: '/identity/identities', signal });
    await client.call({ method: 'GET', path: '/profiles', signal }).catch(() => undefined);
    assert.equal(seen, ['token', 'identity', 'default']);
  } finally {
    await sandbox.close();
  }
});

limits.run();
