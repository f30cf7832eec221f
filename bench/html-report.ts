/**
 * HTML report: a 1,000-row batch (batch.ts's runner, against the standalone emulator) written with
 * `--reporter html=FILE`; the file's size, and how long Debian's headless Chromium takes to open it: from
 * the start of the navigation to the load event with the page laid out, read by a timing script added to
 * a copy of the report (whose Content-Security-Policy would refuse it), so the browser's own start-up,
 * which depends on the machine and not on the report, is not counted.
 */

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { batchPrerequisite, runBatch } from './batch.js';
import { median, round } from './_stats.js';
import { notMeasured, type BenchContext, type Budget, type Figure, type Row } from './_types.js';

const FIGURE = 'HTML report';
const SIZE: Budget = { op: '<', limit: 5 };
const OPEN: Budget = { op: '<', limit: 2_000 };

const hasChromium = (): Promise<boolean> =>
  new Promise((resolve) => execFile('chromium', ['--version'], { timeout: 30_000 }, (error) => resolve(!error)));

const TIMING = '<script>addEventListener("load",()=>{document.body.offsetHeight;document.documentElement.dataset.openMs=Math.round(performance.now())})</script>';

/** A copy of the page that records, at its load event and after a layout, the milliseconds since its navigation started. */
const timedCopy = async (file: string, copy: string): Promise<void> => {
  const text = await readFile(file, 'utf8');
  await writeFile(copy, text.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '').replace('</body>', `${TIMING}</body>`));
};

/** Milliseconds from navigation start to the laid-out load event of a timed copy, in a headless Chromium with a throwaway profile. */
const openMs = async (file: string, context: BenchContext): Promise<number> => {
  const profile = await mkdtemp(join(context.tmp, 'chromium-'));
  const dom = await new Promise<string>((resolve, reject) =>
    execFile(
      'chromium',
      ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${profile}`, '--dump-dom', pathToFileURL(file).href],
      { timeout: 120_000, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout) => (error ? reject(new Error(`chromium failed: ${error.message.split('\n')[0]}`)) : resolve(stdout)),
    ),
  );
  await rm(profile, { recursive: true, force: true });
  const ms = /data-open-ms="(\d+)"/.exec(dom)?.[1];
  if (ms === undefined) throw new Error('the timed copy of the report recorded no load time');
  return Number(ms);
};

const measure = async (context: BenchContext): Promise<Row[]> => {
  const reason = (await batchPrerequisite(context)) ?? ((await hasChromium()) ? undefined : 'chromium is not installed (apt-get install chromium)');
  const rows = context.quick ? 200 : 1_000;
  const name = `${rows.toLocaleString('en-US')}-row batch report`;
  if (reason !== undefined) return [notMeasured(FIGURE, `${name}, size`, 'MB', reason, SIZE), notMeasured(FIGURE, `${name}, open in headless Chromium`, 'ms', reason, OPEN)];
  const folder = await mkdtemp(join(context.tmp, 'html-'));
  const report = join(folder, 'report.html');
  const timed = join(folder, 'report.timed.html');
  await runBatch(context, rows, { reporter: `html=${report}` });
  const bytes = (await stat(report)).size;
  await timedCopy(report, timed);
  const repeats = context.quick ? 1 : 3;
  const reportMs: number[] = [];
  for (let index = 0; index < repeats; index += 1) reportMs.push(await openMs(timed, context));
  return [
    { figure: FIGURE, name: `${name}, size`, value: round(bytes / 1e6), unit: 'MB', budget: SIZE, note: `${round(bytes / rows / 1000)} kB a row`, details: { bytes, rows } },
    {
      figure: FIGURE,
      name: `${name}, open in headless Chromium`,
      value: round(median(reportMs)),
      unit: 'ms',
      budget: OPEN,
      note: `median of ${repeats}, navigation start to the laid-out load event`,
      details: { reportMs },
    },
  ];
};

export const htmlReportFigure: Figure = { id: 'html', title: FIGURE, measure };
