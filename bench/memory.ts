/**
 * Memory: the peak RSS of a 10,000-row batch run (batch.ts's runner, one process) against the standalone
 * emulator, and whether it stays flat, read as: what is live after V8's full collections does not grow
 * as the rows go by: in the 10,000-row run, the median of the later half of its full collections within
 * 1.25x of the median of the earlier half (the very first comes during start-up and is left out; a
 * median, because the live heap moves by a MiB or two from one collection to the next with the rows
 * in flight). The live heap is read from
 * `node --trace-gc` (it prints, it changes no heap setting; NODE_OPTIONS stays empty). The same run with
 * 1,000 rows gives the ratio of the two peaks, shown beside it: a 1,000-row run ends before V8 has grown
 * its heap to the size it keeps for the allocation rate, and makes one or two full collections, so
 * neither its peak nor its live heap says whether anything is kept per row.
 */

import { batchPrerequisite, runBatch } from './batch.js';
import { median, round } from './_stats.js';
import { notMeasured, type BenchContext, type Budget, type Figure, type Row } from './_types.js';

const FIGURE = 'Memory';
const PEAK: Budget = { op: '<=', limit: 200 };
const GROWTH: Budget = { op: '<=', limit: 1.25 };

/** `Mark-Compact 45.0 (75.6) -> 16.0 (72.3) MB`: the heap used after a full collection, in MB. */
const MARK_COMPACT = /Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \(/g;

/** What was live after each full collection, in order, from `--trace-gc` lines, in MiB (V8's MB are 2^20 bytes). */
const liveAfterFullGcs = (trace: string): number[] => [...trace.matchAll(MARK_COMPACT)].map((match) => Number(match[1]));

const measure = async (context: BenchContext): Promise<Row[]> => {
  const [small, large] = context.quick ? [200, 2_000] : [1_000, 10_000];
  const rowsOf = (count: number) => count.toLocaleString('en-US');
  const growthName = `live heap after full collections, later half / earlier half of the ${rowsOf(large)}-row run (medians)`;
  const reason = (await batchPrerequisite(context)) ?? (process.platform === 'linux' ? undefined : 'peak RSS is read from /proc (Linux only)');
  if (reason !== undefined) {
    return [notMeasured(FIGURE, `peak RSS, ${rowsOf(large)}-row batch`, 'MiB', reason, PEAK), notMeasured(FIGURE, growthName, 'x', reason, GROWTH)];
  }
  const measureRows = async (rows: number) => {
    const { run } = await runBatch(context, rows, { sampleRss: true, jsonReport: false, nodeFlags: ['--trace-gc'] });
    if (run.peakRssBytes === undefined) throw new Error('no RSS sample was taken');
    return { peak: run.peakRssBytes / 2 ** 20, live: liveAfterFullGcs(run.stdout) };
  };
  const smallRun = await measureRows(small);
  const largeRun = await measureRows(large);
  // The first full collection comes during start-up, before any row: left out.
  const running = largeRun.live.slice(1);
  const half = Math.floor(running.length / 2);
  const growth: Row = running.length < 4
    ? notMeasured(FIGURE, growthName, 'x', `the run made ${largeRun.live.length} full collections; at least 5 are needed`, GROWTH)
    : {
        figure: FIGURE,
        name: growthName,
        value: round(median(running.slice(running.length - half)) / median(running.slice(0, half))),
        unit: 'x',
        budget: GROWTH,
        note: `${largeRun.live.map((mib) => round(mib)).join(', ')} MiB live after its ${largeRun.live.length} full collections, in order (node --trace-gc)`,
      };
  return [
    { figure: FIGURE, name: `peak RSS, ${rowsOf(large)}-row batch`, value: round(largeRun.peak), unit: 'MiB', budget: PEAK },
    growth,
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
