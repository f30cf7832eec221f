// `npm test`: uvu over test/, with an exit code that also counts tests that never ran. uvu 0.5 swallows
// an error thrown by a suite's before/after hook: the suite prints (0 / N), no error, and the process
// still exits 0. Here the totals decide: every test must have passed or been skipped on purpose.
// Arguments replace the default folder and pattern: `npm test -- test/cli "resume"`.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// uvu's package exports do not list its bin, so it is found by path, as `npm test` always found it.
const uvu = fileURLToPath(new URL('../node_modules/uvu/bin.js', import.meta.url));
const args = process.argv.length > 2 ? process.argv.slice(2) : ['test', '\\.test\\.ts$'];
const child = spawn(process.execPath, ['--import', 'tsx', uvu, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });

let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString('utf8')).slice(-4096);
});
child.on('close', (code, signal) => {
  const plain = tail.replace(/\x1b\[[0-9;]*m/g, '');
  const count = (label) => Number(new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'm').exec(plain)?.[1] ?? NaN);
  const [total, passed, skipped] = [count('Total'), count('Passed'), count('Skipped')];
  const missing = total - passed - skipped;
  if (code === 0 && signal === null && Number.isInteger(missing) && missing > 0) {
    process.stderr.write(`\n${missing} of ${total} tests did not pass: a suite's before or after hook failed (uvu prints no error for it); look for a suite that shows (0 / N)\n`);
    process.exitCode = 1;
  } else if (code === 0 && signal === null && !Number.isInteger(missing)) {
    process.stderr.write('\nuvu printed no totals: no test ran\n');
    process.exitCode = 1;
  } else {
    process.exitCode = code ?? 1;
  }
});
