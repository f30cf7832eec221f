/**
 * `npm run bench`: rebuilds dist/paxflow.js from the current source, runs every figure in FIGURES, prints
 * the markdown table on stdout (progress on stderr) and writes bench/results.json.
 *
 *   npm run bench                          every figure, writes bench/results.json
 *   npm run bench -- --only overhead,emulator
 *   npm run bench -- --quick               fewer repetitions, for a quick look
 *   npm run bench -- --out FILE            write the JSON there (partial and quick runs write none by default)
 *   npm run bench -- --strict              exit 1 when a budget is missed or a figure is not measured
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { batchFigure } from './batch.js';
import { coldStartFigure } from './cold-start.js';
import { emulatorFigure } from './emulator.js';
import { htmlReportFigure } from './html-report.js';
import { memoryFigure } from './memory.js';
import { overheadFigure } from './overhead.js';
import { processFigure } from './process.js';
import { validationFigure } from './validation.js';
import { describeMachine } from './_machine.js';
import { runTimed } from './_process.js';
import { formatTable, resultsJson, verdictOf } from './_report.js';
import { notMeasured, type BenchContext, type Figure, type Row } from './_types.js';

/** Every figure, in the order they run and appear in the table. */
export const FIGURES: readonly Figure[] = [overheadFigure, processFigure, batchFigure, coldStartFigure, validationFigure, memoryFigure, emulatorFigure, htmlReportFigure];

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    strict: { type: 'boolean', default: false },
  },
});
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

const wanted = values.only?.split(',').map((id) => id.trim());
const unknown = wanted?.filter((id) => !FIGURES.some((figure) => figure.id === id)) ?? [];
if (unknown.length > 0) {
  log(`unknown figure ${unknown.join(', ')}; the figures are ${FIGURES.map((f) => f.id).join(', ')}`);
  process.exit(2);
}
const figures = FIGURES.filter((figure) => !wanted || wanted.includes(figure.id));

const machine = describeMachine();
const started = performance.now();
log('building dist/paxflow.js from the current source');
const build = await runTimed(process.execPath, ['scripts/build.mjs'], { cwd: root, timeoutMs: 120_000 });
if (build.code !== 0) {
  log(`the build failed, so nothing would measure the current source:\n${build.stderr}`);
  process.exit(1);
}

const tmp = await mkdtemp(join(tmpdir(), 'paxflow-bench-'));
const context: BenchContext = { root, cliPath: join(root, 'dist/paxflow.js'), tmp, quick: values.quick, log };
const rows: Row[] = [];
try {
  for (const figure of figures) {
    const figureStarted = performance.now();
    log(`${figure.title}…`);
    try {
      rows.push(...(await figure.measure(context)));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      rows.push(notMeasured(figure.title, 'the whole figure', '', `failed: ${message.split('\n')[0]}`));
    }
    log(`${figure.title} done in ${((performance.now() - figureStarted) / 1000).toFixed(1)} s`);
  }
} finally {
  await rm(tmp, { recursive: true, force: true });
}

const seconds = (performance.now() - started) / 1000;
const header = `paxflow benchmark, ${new Date().toISOString().slice(0, 10)}, ${seconds.toFixed(0)} s${values.quick ? ' (--quick)' : ''}`;
process.stdout.write(formatTable(rows, machine, header));

const out = values.out ?? (wanted || values.quick ? undefined : join(root, 'bench/results.json'));
if (out !== undefined) {
  await writeFile(out, resultsJson(rows, machine, { generatedAt: new Date().toISOString(), durationSeconds: Math.round(seconds), quick: values.quick }));
  log(`wrote ${out}`);
}
const failed = rows.some((row) => ['miss', 'not measured'].includes(verdictOf(row)));
process.exitCode = values.strict && failed ? 1 : 0;
