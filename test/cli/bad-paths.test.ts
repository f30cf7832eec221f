import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runJsonLinesChild } from '../_child.js';

// Paths that can never be created or read as asked end the command at once with a coded error (exit 2),
// before anything runs. Under /proc, Node's own recursive mkdir retries forever at full CPU, so the runs
// happen in a child process that the test kills if it does not finish.
const badPaths = suite('cli: paths that cannot be created or read');

const LIMIT_MS = 20_000;
const FLOW = 'workflows/onboard-and-trade.yaml';

badPaths('report files, journal folders and input files that cannot be had are coded errors, exit 2, with nothing run', async () => {
  const home = mkdtempSync(join(tmpdir(), 'paxflow-paths-'));
  const file = join(home, 'a-file');
  writeFileSync(file, 'x');
  const cases: Array<[string[], string]> = [
    [['run', FLOW, '--reporter', `junit=${file}/x.xml`], 'REPORT_UNWRITABLE'],
    [['run', FLOW, '--journal-dir', `${file}/runs`], 'JOURNAL_UNWRITABLE'],
    [['run', 'workflows', '--journal-dir', `${file}/runs`], 'JOURNAL_UNWRITABLE'],
    [['run', FLOW, '--vars-file', home], 'VARS_FILE_UNREADABLE'],
    ...(existsSync('/proc/self')
      ? ([
          [['run', FLOW, '--reporter', 'junit=/proc/nope/x.xml'], 'REPORT_UNWRITABLE'],
          [['run', FLOW, '--journal-dir', '/proc/nope/j'], 'JOURNAL_UNWRITABLE'],
          [['run', 'workflows', '--data', 'workflows/data/customers.csv', '--journal-dir', '/proc/nope/j'], 'JOURNAL_UNWRITABLE'],
          [['run', FLOW, '--vars-file', '/dev/zero'], 'VARS_FILE_UNREADABLE'],
        ] as Array<[string[], string]>)
      : []),
  ];
  const { code, signal, stderr, lines } = await runJsonLinesChild<{ argv?: string[]; code?: number; stdout?: string; stderr?: string; done?: boolean }>(
    'test/cli/_bad-paths-child.ts',
    [home, JSON.stringify(cases.map(([argv]) => argv))],
    LIMIT_MS,
  );
  assert.equal([code, signal], [0, null], `the child did not finish within ${LIMIT_MS} ms; the last run that ended: ${JSON.stringify(lines.at(-1)?.argv)}\n${stderr}`);
  assert.ok(lines.at(-1)?.done);
  cases.forEach(([argv, expected], index) => {
    const line = lines[index]!;
    assert.is(line.code, 2, argv.join(' '));
    assert.match(line.stderr!, new RegExp(`^error ${expected} `), argv.join(' '));
    assert.is(line.stdout, '', 'nothing ran, so nothing was reported');
  });
  // Every run stopped before a journal was opened.
  assert.equal(existsSync(join(home, 'runs')) ? readdirSync(join(home, 'runs')) : [], []);
});

badPaths.run();
