/**
 * Child process of bad-paths.test.ts: runs the CLI function once per argument list (given as JSON on
 * argv), printing one JSON line per run with its exit code and what it printed, then `{"done":true}`.
 * A run that never ends (Node's recursive mkdir spins forever under /proc) leaves its line missing, and
 * the parent kills the child. Runs only with PAXFLOW_TEST_CHILD=1, so a test runner importing every file
 * under test/ does nothing with it.
 */
import { cli } from '../../src/cli.js';

const runAll = async ([home, cases]: string[]): Promise<void> => {
  for (const argv of JSON.parse(cases!) as string[][]) {
    let stdout = '';
    let stderr = '';
    const code = await cli(argv, {
      stdout: { write: (text: string) => void (stdout += text) },
      stderr: { write: (text: string) => void (stderr += text) },
      env: { CI: 'true', PAXFLOW_HOME: home! },
      cwd: process.cwd(),
    });
    process.stdout.write(`${JSON.stringify({ argv, code, stdout, stderr })}\n`);
  }
  process.stdout.write(`${JSON.stringify({ done: true })}\n`);
};

if (process.env.PAXFLOW_TEST_CHILD === '1') await runAll(process.argv.slice(2));
