/**
 * Memory: the peak RSS of a 10,000-row batch run (batch.ts's runner, one process) against the standalone
 * emulator, and whether it stays flat: the same run with 1,000 rows should peak at about the same.
 * "Flat" is read as: 10,000 rows peak within 1.25x of 1,000 rows.
 */

import { batchPrerequisite, runBatch } from './batch.js';
import { round } from './_stats.js';
import { notMeasured, type BenchContext, type Budget, type Figure, type Row } from './_types.js';

const FIGURE = 'Memory';
const PEAK: Budget = { op: '<=', limit: 200 };
const GROWTH: Budget = { op: '<=', limit: 1.25 };

const measure = async (context: BenchContext): Promise<Row[]> => {
  const reason = (await batchPrerequisite(context)) ?? (process.platform === 'linux' ? undefined : 'peak RSS is read from /proc (Linux only)');
  if (reason !== undefined) {
    return [
      notMeasured(FIGURE, 'peak RSS, 10,000-row batch', 'MiB', reason, PEAK),
      notMeasured(FIGURE, 'peak RSS 10,000 rows / 1,000 rows', 'x', reason, GROWTH),
    ];
  }
  const [small, large] = context.quick ? [200, 2_000] : [1_000, 10_000];
  const peakOf = async (rows: number) => {
    const { run } = await runBatch(context, rows, { sampleRss: true, jsonReport: false });
    if (run.peakRssBytes === undefined) throw new Error('no RSS sample was taken');
    return run.peakRssBytes / 2 ** 20;
  };
  const smallPeak = await peakOf(small);
  const largePeak = await peakOf(large);
  return [
    { figure: FIGURE, name: `peak RSS, ${large.toLocaleString('en-US')}-row batch`, value: round(largePeak), unit: 'MiB', budget: PEAK },
    {
      figure: FIGURE,
      name: `peak RSS ${large.toLocaleString('en-US')} rows / ${small.toLocaleString('en-US')} rows`,
      value: round(largePeak / smallPeak),
      unit: 'x',
      budget: GROWTH,
      note: `${round(smallPeak)} MiB at ${small.toLocaleString('en-US')} rows`,
    },
  ];
};

export const memoryFigure: Figure = { id: 'memory', title: FIGURE, measure };
