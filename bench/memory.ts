/**
 * Memory: the peak RSS of a 10,000-row batch run (batch.ts's runner, one process) against the standalone
 * emulator, and whether it stays flat, read as: what is live after V8's full collections at 10,000 rows is
 * within 1.25x of what it is at 1,000 rows. The live heap is read from `node --trace-gc` (it prints, it
 * changes no heap setting; NODE_OPTIONS stays empty). The ratio of the two peaks is shown beside it: a
 * 1,000-row run ends before V8 has grown its heap to the size it keeps for the allocation rate, so that
 * ratio tells how long the run was more than whether anything is kept per row.
 */

import { batchPrerequisite, runBatch } from './batch.js';
import { round } from './_stats.js';
import { notMeasured, type BenchContext, type Budget, type Figure, type Row } from './_types.js';

const FIGURE = 'Memory';
const PEAK: Budget = { op: '<=', limit: 200 };
const GROWTH: Budget = { op: '<=', limit: 1.25 };

/** `Mark-Compact 45.0 (75.6) -> 16.0 (72.3) MB`: the heap used after a full collection, in MB. */
const MARK_COMPACT = /Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \(/g;

/** The most that was live after any full collection, from `--trace-gc` lines, in MiB (V8 prints MB of 2^20). */
const liveAfterFullGc = (trace: string): number | undefined => {
  const values = [...trace.matchAll(MARK_COMPACT)].map((match) => Number(match[1]));
  return values.length === 0 ? undefined : Math.max(...values);
};

const measure = async (context: BenchContext): Promise<Row[]> => {
  const reason = (await batchPrerequisite(context)) ?? (process.platform === 'linux' ? undefined : 'peak RSS is read from /proc (Linux only)');
  if (reason !== undefined) {
    return [
      notMeasured(FIGURE, 'peak RSS, 10,000-row batch', 'MiB', reason, PEAK),
      notMeasured(FIGURE, 'live heap after full collections, 10,000 rows / 1,000 rows', 'x', reason, GROWTH),
    ];
  }
  const [small, large] = context.quick ? [200, 2_000] : [1_000, 10_000];
  const measureRows = async (rows: number) => {
    const { run } = await runBatch(context, rows, { sampleRss: true, jsonReport: false, nodeFlags: ['--trace-gc'] });
    if (run.peakRssBytes === undefined) throw new Error('no RSS sample was taken');
    return { peak: run.peakRssBytes / 2 ** 20, live: liveAfterFullGc(run.stdout) };
  };
  const smallRun = await measureRows(small);
  const largeRun = await measureRows(large);
  const rowsOf = (count: number) => count.toLocaleString('en-US');
  const live: Row = smallRun.live === undefined || largeRun.live === undefined
    ? notMeasured(FIGURE, `live heap after full collections, ${rowsOf(large)} rows / ${rowsOf(small)} rows`, 'x', 'a run made no full collection', GROWTH)
    : {
        figure: FIGURE,
        name: `live heap after full collections, ${rowsOf(large)} rows / ${rowsOf(small)} rows`,
        value: round(largeRun.live / smallRun.live),
        unit: 'x',
        budget: GROWTH,
        note: `at most ${round(largeRun.live)} MiB live at ${rowsOf(large)} rows, ${round(smallRun.live)} MiB at ${rowsOf(small)} (node --trace-gc)`,
      };
  return [
    { figure: FIGURE, name: `peak RSS, ${rowsOf(large)}-row batch`, value: round(largeRun.peak), unit: 'MiB', budget: PEAK },
    live,
    {
      figure: FIGURE,
      name: `peak RSS ${rowsOf(large)} rows / ${rowsOf(small)} rows`,
      value: round(largeRun.peak / smallRun.peak),
      unit: 'x',
      note: `${round(smallRun.peak)} MiB at ${rowsOf(small)} rows; the shorter run ends before V8 has grown its heap to its steady size`,
    },
  ];
};

export const memoryFigure: Figure = { id: 'memory', title: FIGURE, measure };
