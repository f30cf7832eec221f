/**
 * Many runs in one command: a pool that pulls work items from a source only when a slot is free, and a
 * buffer that hands results on in the source's order. No I/O of its own.
 */

/** Options of {@link runPool}. */
export interface PoolOptions<T> {
  /** Most items running at once (1 or more). */
  concurrency: number;
  /** Once aborted, no further item is pulled; the running ones are left to end (they hold the same signal). */
  signal?: AbortSignal;
  /** Runs one item; `index` counts pulled items from 0 in the source's order. Should not throw. */
  run(item: T, index: number): Promise<void>;
}

/** What the pool did. */
export interface PoolOutcome {
  /** Items pulled and run. */
  started: number;
  /** The signal stopped the pool before the source ran out. */
  stopped: boolean;
}

/**
 * Runs the items of `source` with at most `concurrency` at a time. An item is pulled only when a slot
 * is free, and pulls never overlap, so a streamed source is read no further ahead than the pool needs:
 * at any moment, pulled minus finished is at most `concurrency`. If the source or `run` throws, nothing
 * more is pulled, the running items end, and the first error is thrown.
 */
export const runPool = async <T>(source: AsyncIterable<T> | Iterable<T>, options: PoolOptions<T>): Promise<PoolOutcome> => {
  const { concurrency, signal, run } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be a whole number, 1 or more');
  const iterator: AsyncIterator<T> | Iterator<T> =
    Symbol.asyncIterator in source ? (source as AsyncIterable<T>)[Symbol.asyncIterator]() : (source as Iterable<T>)[Symbol.iterator]();
  let started = 0;
  let done = false;
  let failure: { error: unknown } | undefined;
  // One pull at a time: an async generator must not be asked for two items at once.
  let pulling: Promise<unknown> = Promise.resolve();

  const pull = (): Promise<IteratorResult<T> | undefined> => {
    const next = pulling.then(async () => {
      if (done || failure || signal?.aborted) return undefined;
      try {
        const result = await iterator.next();
        if (result.done) done = true;
        return result;
      } catch (error) {
        failure ??= { error };
        return undefined;
      }
    });
    pulling = next;
    return next;
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      const result = await pull();
      if (!result || result.done) return;
      const index = started;
      started += 1;
      try {
        await run(result.value, index);
      } catch (error) {
        failure ??= { error };
        return;
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    // A source left early (interrupt, error) is closed, so a file it reads is closed too.
    if (!done) await Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
  if (failure) throw failure.error;
  return { started, stopped: !done };
};

/**
 * Hands on values given by index (0, 1, 2, ...) in any order, in index order: a value waits until every
 * value before it has been handed on. `room` keeps the wait bounded: work for an index far ahead of the
 * next value to hand on waits before it starts, so one slow item cannot make the relay hold everything
 * that finishes after it.
 */
export const createOrderedRelay = <T>(deliver: (value: T, index: number) => void) => {
  const waiting = new Map<number, T>();
  const blocked: Array<{ index: number; window: number; resume: () => void }> = [];
  let next = 0;
  const wake = (): void => {
    for (let at = blocked.length - 1; at >= 0; at -= 1) {
      const entry = blocked[at]!;
      if (entry.index - next < entry.window) {
        blocked.splice(at, 1);
        entry.resume();
      }
    }
  };
  return {
    put(index: number, value: T): void {
      waiting.set(index, value);
      const before = next;
      while (waiting.has(next)) {
        const ready = waiting.get(next)!;
        waiting.delete(next);
        deliver(ready, next);
        next += 1;
      }
      if (next !== before && blocked.length > 0) wake();
    },
    /**
     * Resolves once `index` is fewer than `window` places ahead of the next value to hand on. The item at
     * that next place has started already (it is not ahead of itself), so waiting here cannot stall it.
     */
    room(index: number, window: number): Promise<void> {
      if (index - next < window) return Promise.resolve();
      return new Promise((resume) => blocked.push({ index, window, resume }));
    },
    /** Values still waiting for an earlier one. */
    get pending(): number {
      return waiting.size;
    },
  };
};
