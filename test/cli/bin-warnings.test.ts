import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

// A batch at --concurrency 32 holds one abort listener per running step on the process's signal; Node
// warned "Possible EventTarget memory leak" past 10, on every wide batch, though each one is released.
const warnings = suite('bin: no process warnings from a wide batch');

warnings('a batch at concurrency 32 prints no MaxListenersExceededWarning', async () => {
  const home = mkdtempSync(join(tmpdir(), 'paxflow-warn-'));
  const args = ['run', 'workflows/batch-onboarding.yaml', '--data', 'workflows/data/customers.csv', '--concurrency', '32'];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/bin.ts', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, PAXFLOW_HOME: home, CI: 'true' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.is(code, 1, stderr); // the example's row 8 fails alone, on purpose
  assert.not.match(stderr, /MaxListenersExceededWarning|Warning:/);
});

warnings.run();
