import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runJsonLinesChild } from '../_child.js';

// A seeded property over hostile command lines and server answers (redirects, stalls, huge bodies,
// garbage, closed pipes, unwritable paths, Ctrl-C at any moment), each case a call of the CLI function
// in a child process (_hostile-io-child.ts): a case that spins forever cannot take the test runner with
// it. Every case must end with a coded error or a completed run, in bounded time and memory, with no
// stack trace and no secret or personal data printed, and no request may follow a redirect.
const hostileIo = suite('property: hostile command lines and server answers');

const SEED = 14_2026;
const CASES = 60;
/** The whole property; one hung case (8 s each at most inside the child) is enough to fail it. */
const LIMIT_MS = 90_000;

interface Line {
  case?: number;
  code?: number;
  kind?: string;
  failure?: string;
  done?: boolean;
}

hostileIo(`${CASES} seeded cases end coded, bounded and quiet`, async () => {
  const home = mkdtempSync(join(tmpdir(), 'paxflow-hostile-io-'));
  const { code, signal, stderr, lines } = await runJsonLinesChild<Line>('test/property/_hostile-io-child.ts', [home, String(SEED), String(CASES)], LIMIT_MS);
  const failure = lines.find((line) => line.failure !== undefined)?.failure;
  assert.is(failure, undefined, failure);
  assert.equal([code, signal], [0, null], `the child ended with ${code ?? signal} after case ${lines.filter((l) => l.case).at(-1)?.case}\n${stderr.slice(-2000)}`);
  assert.ok(lines.at(-1)?.done);
  const outcomes = new Set(lines.filter((line) => line.case !== undefined).map((line) => line.code));
  // The seed reaches every kind of ending: a completed run, a failed step, a refused command, an interrupt.
  assert.equal([...outcomes].sort(), [0, 1, 130, 2]);
});

hostileIo.run();
