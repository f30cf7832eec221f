/**
 * `--shard i/n`: one CI job's part of a suite. The runs a command would make (each file, or each row of
 * `--data` or `matrix:`, in the order `run` makes them) are split into n contiguous blocks whose sizes
 * differ by at most one; shard i runs block i. Blocks rather than every n-th run: as balanced, and a file
 * added to the suite moves at most one run across each block boundary, so the other files stay on the
 * shard (and in the CI job) they were on. docs/ci.md explains the choice.
 */

import { UsageError } from '../errors.js';

/** One part of a split: the `index`-th (from 1) of `total`. */
export interface Shard {
  index: number;
  total: number;
}

const MAX_SHARDS = 1_000;
const USAGE = `--shard takes i/n: the i-th of n parts (1 <= i <= n <= ${MAX_SHARDS}), such as --shard 2/4; or --shard ci to read GitLab's CI_NODE_INDEX and CI_NODE_TOTAL`;

const wholeNumber = (text: string | undefined): number => (text !== undefined && /^\d{1,6}$/.test(text.trim()) ? Number(text) : NaN);

const checked = (index: number, total: number, from: string): Shard => {
  if (!(index >= 1 && total >= 1 && index <= total && total <= MAX_SHARDS)) throw new UsageError('BAD_ARGUMENTS', `${from}: ${USAGE}`);
  return { index, total };
};

/**
 * Reads `--shard`: `i/n`, or `ci` for the variables GitLab's `parallel:` sets (CI_NODE_INDEX counts from
 * 1). `ci` is the only way the environment is read: a shard is never guessed from variables alone.
 */
export const parseShard = (value: string | undefined, env: Readonly<Record<string, string | undefined>>): Shard | undefined => {
  if (value === undefined) return undefined;
  if (value.trim() === 'ci') {
    const { CI_NODE_INDEX: index, CI_NODE_TOTAL: total } = env;
    if (index === undefined || total === undefined) {
      throw new UsageError('BAD_ARGUMENTS', '--shard ci reads CI_NODE_INDEX and CI_NODE_TOTAL (set by GitLab CI for a job with parallel:), and they are not set; give --shard i/n instead');
    }
    return checked(wholeNumber(index), wholeNumber(total), `CI_NODE_INDEX=${index.slice(0, 20)} and CI_NODE_TOTAL=${total.slice(0, 20)}`);
  }
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  return checked(wholeNumber(match?.[1]), wholeNumber(match?.[2]), `--shard ${JSON.stringify(value.slice(0, 40))}`);
};

/**
 * The runs of `shard` among `count`: indexes from `start` (included) to `end` (excluded), counting from 0.
 * The first shards take the larger blocks, so with fewer runs than shards the last shards are empty.
 */
export const shardRange = (count: number, { index, total }: Shard): { start: number; end: number } => ({
  start: Math.ceil(((index - 1) * count) / total),
  end: Math.ceil((index * count) / total),
});

/** What a sharded command tells on stderr before it runs: which runs are its, or that it has none. */
export const shardNote = (count: number, shard: Shard): string => {
  const { start, end } = shardRange(count, shard);
  const name = `shard ${shard.index}/${shard.total}`;
  const all = `${count} run${count === 1 ? '' : 's'} in all`;
  if (start === end) return `${name} has no runs (${all}, fewer than shards): nothing to do, which is not a failure.\n`;
  return end - start === 1 ? `${name}: run ${start + 1} of ${count}\n` : `${name}: runs ${start + 1} to ${end} of ${all.replace(' in all', '')}\n`;
};
