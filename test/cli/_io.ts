import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../../src/cli.js';

const testHome = mkdtempSync(join(tmpdir(), 'paxflow-home-'));

/** Calls the CLI as a function, capturing what it writes. */
export const runCli = async (
  argv: string[],
  options: { signal?: AbortSignal; env?: Record<string, string>; cwd?: string; onStdout?: (text: string) => void } = {},
) => {
  let stdout = '';
  let stderr = '';
  const code = await cli(argv, {
    stdout: {
      write: (text: string) => {
        stdout += text;
        options.onStdout?.(text);
      },
      isTTY: false,
    },
    stderr: { write: (text: string) => void (stderr += text) },
    // Journals go to a throwaway folder, never into the repository.
    env: { CI: 'true', PAXFLOW_HOME: testHome, ...options.env },
    cwd: options.cwd ?? process.cwd(),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { code, stdout, stderr };
};

/** Writes files into a fresh temporary folder and returns their paths. */
export const tempFiles = (files: Record<string, string>): Record<string, string> => {
  const dir = mkdtempSync(join(tmpdir(), 'paxflow-test-'));
  const paths: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) {
    paths[name] = join(dir, name);
    writeFileSync(paths[name]!, text);
  }
  return paths;
};
