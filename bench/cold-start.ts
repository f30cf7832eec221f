/**
 * Cold start: whole processes of the bundled CLI (dist/paxflow.js, rebuilt by run.ts from the current
 * source), against `node -e 0` started the same way in the same loop, so the ratio cancels the machine.
 */

import { runTimed } from './_process.js';
import { median, round } from './_stats.js';
import type { BenchContext, Figure, Row } from './_types.js';

const FIGURE = 'Cold start';

const measure = async (context: BenchContext): Promise<Row[]> => {
  const rounds = context.quick ? 5 : 20;
  const commands: Record<string, string[]> = {
    node: ['-e', '0'],
    version: [context.cliPath, '--version'],
    validate: [context.cliPath, 'validate', 'workflows/onboard-and-trade.yaml'],
  };
  const times: Record<string, number[]> = { node: [], version: [], validate: [] };
  const names = Object.keys(commands);
  for (let index = -2; index < rounds; index += 1) {
    // Rotate the order; the first two rounds only warm the file cache.
    const rotated = [...names.slice((index + 3) % 3), ...names.slice(0, (index + 3) % 3)];
    for (const name of rotated) {
      const run = await runTimed(process.execPath, commands[name]!, { cwd: context.root, timeoutMs: 30_000 });
      if (run.code !== 0) throw new Error(`${name} exited ${run.code}: ${run.stderr.slice(0, 300)}`);
      if (index >= 0) times[name]!.push(run.ms);
    }
  }
  const node = median(times.node!);
  const version = median(times.version!);
  const validate = median(times.validate!);
  const details = { rounds, samplesMs: times };
  return [
    {
      figure: FIGURE,
      name: 'paxflow --version / node -e 0',
      value: round(version / node),
      unit: 'x',
      budget: { op: '<=', limit: 1.5 },
      note: `median ${round(version)} ms vs ${round(node)} ms, ${rounds} processes each`,
      details,
    },
    {
      figure: FIGURE,
      name: 'paxflow validate onboard-and-trade.yaml / node -e 0',
      value: round(validate / node),
      unit: 'x',
      budget: { op: '<=', limit: 4 },
      note: `median ${round(validate)} ms`,
    },
  ];
};

export const coldStartFigure: Figure = { id: 'cold-start', title: FIGURE, measure };
