import { spawnSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

// `npm test` runs scripts/test.mjs, which must fail when a suite's hook fails (uvu alone exits 0 then).
const runner = suite('npm test: tests that never ran fail the run');

runner('a suite whose before hook throws makes the run exit 1 and says so', () => {
  const result = spawnSync(process.execPath, ['scripts/test.mjs', 'test/fixtures/runner', 'failing-hook\\.ts$'], { encoding: 'utf8' });
  assert.is(result.status, 1, result.stdout + result.stderr);
  assert.match(result.stderr, /1 of 1 tests did not pass/);
});

runner('a folder with passing tests exits 0', () => {
  const result = spawnSync(process.execPath, ['scripts/test.mjs', 'test/util', 'suggest\\.test\\.ts$'], { encoding: 'utf8' });
  assert.is(result.status, 0, result.stdout + result.stderr);
});

runner.run();
