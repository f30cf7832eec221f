/** Small statistics over repeated timings. */

/** The value below which `p` (0..1) of the sorted samples fall, by linear interpolation. */
export const percentile = (samples: readonly number[], p: number): number => {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = (sorted.length - 1) * p;
  const low = Math.floor(index);
  const high = Math.ceil(index);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (index - low);
};

export const median = (samples: readonly number[]): number => percentile(samples, 0.5);

/** Rounds for display and for results.json: 3 significant digits, at most 2 decimals for big values. */
export const round = (value: number): number => {
  if (!Number.isFinite(value) || value === 0) return value;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  return Number(value.toFixed(Math.min(digits, 3)));
};

/** Times an async function in milliseconds. */
export const timeAsync = async <T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> => {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
};
