import { readdirSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseShard, shardRange } from '../../src/commands/_shard.js';
import type { JsonBatchReport } from '../../src/report/json.js';
import { runWithReports } from '../report/_reports.js';
import { httpWorkflow, startBatchServer } from './_batch-server.js';
import { runCli, tempFiles } from './_io.js';

const rowsWorkflow = (name: string, matrix = '') => `version: 1
name: ${name}
${matrix}steps:
  - id: check
    uses: assert
    with:
      checks:
        - actual: "{{row.name}}"
          exists: true
`;

/** The runs a sharded command made, as `label` (a file's name, or `row N`), from its JSON report. */
const labels = async (argv: string[], env: Record<string, string> = {}) => {
  const result = await runWithReports(argv, env);
  assert.is(result.code, 0, result.stderr);
  return { labels: (result.json() as unknown as JsonBatchReport).runs.map((run) => run.label), stderr: result.stderr, junit: result.junit() };
};

/** Runs every shard of `total` and checks that together they made the unsharded runs, each once and in order. */
const coversOnce = async (argv: string[], total: number) => {
  const all = (await labels(argv)).labels;
  const parts: string[][] = [];
  for (let index = 1; index <= total; index += 1) parts.push((await labels([...argv, '--shard', `${index}/${total}`])).labels);
  assert.equal(parts.flat(), all);
  assert.ok(parts.every((part) => Math.abs(part.length - all.length / total) < 1), `balanced: ${parts.map((part) => part.length).join(', ')}`);
  return { all, parts };
};

const shard = suite('cli: run --shard i/n');

shard('the scenarios folder: --shard 1/2 and 2/2 together run every scenario once', async () => {
  const { all, parts } = await coversOnce(['workflows/scenarios', '--concurrency', '8'], 2);
  assert.equal(all, readdirSync('workflows/scenarios').filter((name) => name.endsWith('.yaml')).sort().map((name) => name.replace(/\.yaml$/, '')));
  assert.ok(parts[0]!.length > 0 && parts[1]!.length > 0);
});

shard('--data rows are split into blocks: every row in exactly one shard', async () => {
  const files = tempFiles({ 'rows.yaml': rowsWorkflow('rows'), 'rows.csv': `name\n${Array.from({ length: 11 }, (_, i) => `n${i}`).join('\n')}\n` });
  const { parts } = await coversOnce([files['rows.yaml']!, '--data', files['rows.csv']!], 3);
  assert.equal(parts, [
    ['row 1', 'row 2', 'row 3', 'row 4'],
    ['row 5', 'row 6', 'row 7', 'row 8'],
    ['row 9', 'row 10', 'row 11'],
  ]);
});

shard('matrix entries are split the same way', async () => {
  const files = tempFiles({ 'matrix.yaml': rowsWorkflow('matrix', 'matrix:\n  name: [a, b, c]\n  side: [BUY, SELL]\n') });
  const { all } = await coversOnce([files['matrix.yaml']!], 4);
  assert.is(all.length, 6);
});

shard('an empty shard is not a failure: exit 0, a note, and an empty JUnit report to upload', async () => {
  const files = tempFiles({ 'one.yaml': rowsWorkflow('one', 'matrix:\n  - { name: only }\n') });
  const { labels: none, stderr, junit } = await labels([files['one.yaml']!, '--shard', '2/2']);
  assert.equal(none, []);
  assert.match(stderr, /shard 2\/2 has no runs/);
  assert.ok(junit, 'a JUnit file is written');
  const { labels: one, stderr: note } = await labels([files['one.yaml']!, '--shard', '1/2']);
  assert.equal(one, ['row 1']);
  assert.match(note, /shard 1\/2: run 1 of 1/);
});

shard('a bad --shard is a usage error (exit 2) before anything runs', async () => {
  for (const spec of ['0/2', '3/2', '1/0', 'junk', '1/2/3', '-1/2', '1.5/2', '', '2']) {
    const result = await runCli(['run', 'workflows/scenarios', `--shard=${spec}`]);
    assert.is(result.code, 2, spec);
    assert.match(result.stderr, /BAD_ARGUMENTS/, spec);
    assert.match(result.stderr, /--shard takes i\/n/, spec);
  }
});

shard('--shard ci reads GitLab CI_NODE_INDEX and CI_NODE_TOTAL, and only when asked', async () => {
  const files = tempFiles({ 'matrix.yaml': rowsWorkflow('matrix', 'matrix:\n  name: [a, b, c, d]\n') });
  const second = await labels([files['matrix.yaml']!, '--shard', 'ci'], { CI_NODE_INDEX: '2', CI_NODE_TOTAL: '2' });
  assert.equal(second.labels, ['row 3', 'row 4']);
  // Without --shard the variables change nothing.
  assert.is((await labels([files['matrix.yaml']!], { CI_NODE_INDEX: '2', CI_NODE_TOTAL: '2' })).labels.length, 4);
  const missing = await runCli(['run', files['matrix.yaml']!, '--shard', 'ci']);
  assert.is(missing.code, 2);
  assert.match(missing.stderr, /BAD_ARGUMENTS .*CI_NODE_INDEX/);
  const wrong = await runCli(['run', files['matrix.yaml']!, '--shard', 'ci'], { env: { CI_NODE_INDEX: '3', CI_NODE_TOTAL: '2' } });
  assert.is(wrong.code, 2);
});

shard('parseShard and shardRange: blocks whose sizes differ by at most one', () => {
  assert.equal(parseShard(' 2 / 5 ', {}), { index: 2, total: 5 });
  assert.is(parseShard(undefined, { CI_NODE_INDEX: '1', CI_NODE_TOTAL: '2' }), undefined);
  for (let count = 0; count < 40; count += 1) {
    for (let total = 1; total <= 7; total += 1) {
      const ranges = Array.from({ length: total }, (_, index) => shardRange(count, { index: index + 1, total }));
      assert.is(ranges[0]!.start, 0);
      assert.is(ranges.at(-1)!.end, count);
      ranges.slice(1).forEach((range, index) => assert.is(range.start, ranges[index]!.end));
      const sizes = ranges.map(({ start, end }) => end - start);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
    }
  }
  // A file added at the end of a suite of 10 moves one run across each boundary; the rest stay where they were.
  const before = Array.from({ length: 3 }, (_, index) => shardRange(10, { index: index + 1, total: 3 }));
  const after = Array.from({ length: 3 }, (_, index) => shardRange(11, { index: index + 1, total: 3 }));
  assert.equal(before.map(({ start, end }) => [start, end]), [[0, 4], [4, 7], [7, 10]]);
  assert.equal(after.map(({ start, end }) => [start, end]), [[0, 4], [4, 8], [8, 11]]);
});

shard.run();

const listeners = suite('cli: many runs at once on one signal');

listeners('32 runs at once under a command signal print no MaxListenersExceededWarning', async () => {
  const server = await startBatchServer();
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.name);
  process.on('warning', onWarning);
  try {
    // Each row's step waits 40 ms for the server, so 32 steps hold a listener on the command's signal at once.
    const matrix = `matrix:\n  name: [${Array.from({ length: 64 }, (_, i) => `n${i}`).join(', ')}]\n`;
    const files = tempFiles({ 'slow.yaml': httpWorkflow('slow', `${server.url}/slow/{{row.name}}`, matrix) });
    const result = await runCli(['run', files['slow.yaml']!, '--concurrency', '32'], { signal: new AbortController().signal });
    assert.is(result.code, 0, result.stderr);
    assert.ok(server.mostInFlight > 10, `${server.mostInFlight} at once`);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(warnings.filter((name) => name === 'MaxListenersExceededWarning'), []);
  } finally {
    process.off('warning', onWarning);
    await server.close();
  }
});

listeners.run();
