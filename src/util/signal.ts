/** A signal joined to a parent, and the means to let go of it. */
export interface BoundedSignal {
  signal: AbortSignal;
  /** Removes the listener on the parent and clears the timer. Safe to call twice. */
  release(): void;
}

/**
 * A signal that aborts with `parent` (with its reason), or after `ms` when given (with a `TimeoutError`,
 * as `AbortSignal.timeout` does), and that lets go of `parent` when released. `AbortSignal.any` would
 * instead leave `parent` holding a listener for every signal made from it until garbage collection,
 * and a run's signal lives as long as the whole batch: thousands of steps and checks.
 */
export const boundedSignal = (parent: AbortSignal, ms?: number, timeoutMessage = 'the time ran out'): BoundedSignal => {
  const controller = new AbortController();
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { signal: controller.signal, release: () => {} };
  }
  const follow = () => controller.abort(parent.reason);
  parent.addEventListener('abort', follow, { once: true });
  const timer = ms === undefined ? undefined : setTimeout(() => controller.abort(new DOMException(timeoutMessage, 'TimeoutError')), ms);
  return {
    signal: controller.signal,
    release: () => {
      if (timer !== undefined) clearTimeout(timer);
      parent.removeEventListener('abort', follow);
    },
  };
};
