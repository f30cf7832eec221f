import { spawn } from 'node:child_process';

/** What a test child process ended with: its exit, its stderr and its stdout read as JSON Lines. */
export interface ChildOutcome<Line> {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  lines: Line[];
}

/**
 * Runs a TypeScript script in a child process (through tsx) that reports one JSON object per stdout line,
 * as the tests that must survive what they provoke do (hangs, huge inputs, process-wide limits). With
 * `limitMs` the child is killed past it, so a hang fails the test instead of holding the suite.
 */
export const runJsonLinesChild = async <Line>(script: string, args: string[], limitMs?: number): Promise<ChildOutcome<Line>> => {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PAXFLOW_TEST_CHILD: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const guard = limitMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), limitMs);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (...exit) => resolve(exit)));
  clearTimeout(guard);
  const lines = stdout.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Line);
  return { code, signal, stderr, lines };
};
