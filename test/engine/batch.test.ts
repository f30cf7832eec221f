import { setTimeout as sleep } from 'node:timers/promises';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createOrderedRelay, runPool } from '../../src/engine/batch.js';

const pool = suite('engine: the batch pool');

/** A source that counts how many items were pulled from it. */
const counting = (count: number) => {
  const state = { pulled: 0 };
  async function* items(): AsyncGenerator<number> {
    for (let i = 0; i < count; i += 1) {
      state.pulled += 1;
      yield i;
    }
  }
  return { state, items: items() };
};

pool('runs every item, never more than the concurrency at once, and pulls only as slots free', async () => {
  const { state, items } = counting(60);
  let running = 0;
  let most = 0;
  let finished = 0;
  let mostAhead = 0;
  const seen: number[] = [];
  const outcome = await runPool(items, {
    concurrency: 4,
    run: async (item, index) => {
      assert.is(index, item);
      running += 1;
      most = Math.max(most, running);
      mostAhead = Math.max(mostAhead, state.pulled - finished);
      await sleep(item % 3);
      seen.push(item);
      running -= 1;
      finished += 1;
    },
  });
  assert.equal(outcome, { started: 60, stopped: false });
  assert.is(most, 4);
  // Pulled but not finished: never more than the slots (the source is not read ahead).
  assert.ok(mostAhead <= 4, `read ${mostAhead} ahead`);
  assert.equal([...seen].sort((a, b) => a - b), Array.from({ length: 60 }, (_, i) => i));
});

pool('an aborted signal stops the pulling; the running items end and the source is closed', async () => {
  const controller = new AbortController();
  let closed = false;
  async function* items(): AsyncGenerator<number> {
    try {
      for (let i = 0; ; i += 1) yield i;
    } finally {
      closed = true;
    }
  }
  let done = 0;
  const outcome = await runPool(items(), {
    concurrency: 3,
    signal: controller.signal,
    run: async (item) => {
      if (item === 5) controller.abort();
      await sleep(1);
      done += 1;
    },
  });
  assert.ok(outcome.stopped);
  assert.is(done, outcome.started);
  assert.ok(outcome.started <= 8, `started ${outcome.started}`);
  assert.ok(closed);
});

pool('a source that fails: the running items end, then its error is thrown', async () => {
  async function* items(): AsyncGenerator<number> {
    yield 1;
    yield 2;
    throw new Error('disk gone');
  }
  let done = 0;
  const failure = await runPool(items(), { concurrency: 2, run: async () => void (await sleep(2), (done += 1)) }).catch((error: Error) => error);
  assert.instance(failure, Error);
  assert.is((failure as Error).message, 'disk gone');
  assert.is(done, 2);
});

pool('plain iterables work; a concurrency below 1 is refused', async () => {
  const seen: string[] = [];
  await runPool(['a', 'b'], { concurrency: 8, run: async (item) => void seen.push(item) });
  assert.equal(seen, ['a', 'b']);
  const refused = await runPool([], { concurrency: 0, run: async () => {} }).catch((error: unknown) => error);
  assert.instance(refused, RangeError);
});

pool('the ordered relay hands values on in index order', () => {
  const out: string[] = [];
  const relay = createOrderedRelay<string>((value, index) => out.push(`${index}:${value}`));
  relay.put(2, 'c');
  relay.put(1, 'b');
  assert.equal(out, []);
  assert.is(relay.pending, 2);
  relay.put(0, 'a');
  relay.put(3, 'd');
  assert.equal(out, ['0:a', '1:b', '2:c', '3:d']);
  assert.is(relay.pending, 0);
});

pool('the relay holds a bounded number of values: work too far ahead of a slow item waits before it starts', async () => {
  const window = 3;
  const out: number[] = [];
  const relay = createOrderedRelay<number>((value) => out.push(value));
  let release!: () => void;
  const slow = new Promise<void>((resolve) => (release = resolve));
  let mostHeld = 0;
  const outcome = runPool(Array.from({ length: 10 }, (_, index) => index), {
    concurrency: 4,
    run: async (item, index) => {
      await relay.room(index, window);
      if (index === 0) await slow;
      relay.put(index, item);
      mostHeld = Math.max(mostHeld, relay.pending);
    },
  });
  await sleep(20);
  // Items 1 and 2 finished and wait for 0; 3 waits for room, and with it the pool pulls no further.
  assert.equal(out, []);
  assert.is(relay.pending, 2);
  release();
  await outcome;
  assert.equal(out, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.ok(mostHeld < window, `held ${mostHeld}`);
});

pool.run();
