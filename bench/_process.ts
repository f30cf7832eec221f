/** Child processes for the figures that measure whole processes: timed runs and the standalone emulator. */

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface TimedRun {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident set size in bytes (Linux `VmHWM`), when sampling was asked for and possible. */
  peakRssBytes?: number;
}

export interface TimedRunOptions {
  cwd: string;
  /** Killed (SIGKILL) past this; the run then has `code === null`. @default 120000 */
  timeoutMs?: number;
  /** Sample `/proc/<pid>/status` every `rssSampleMs` for the peak RSS. Linux only. */
  rssSampleMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** The high-water mark of a live process's resident memory, in bytes; undefined where /proc is absent. */
export const readPeakRss = (pid: number): number | undefined => {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
};

/** Runs a command to its end and times it from spawn to exit. */
export const runTimed = (command: string, args: readonly string[], options: TimedRunOptions): Promise<TimedRun> => {
  const { cwd, timeoutMs = 120_000, rssSampleMs, env = process.env } = options;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak: number | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const sample = () => {
      if (child.pid === undefined) return;
      const seen = readPeakRss(child.pid);
      if (seen !== undefined) peak = Math.max(peak ?? 0, seen);
    };
    const sampler = rssSampleMs === undefined ? undefined : setInterval(sample, rssSampleMs);
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(killer);
      if (sampler) clearInterval(sampler);
      reject(error);
    });
    child.once('exit', (code) => {
      const ms = performance.now() - started;
      clearTimeout(killer);
      if (sampler) clearInterval(sampler);
      child.once('close', () => resolve({ ms, code, stdout, stderr, ...(peak === undefined ? {} : { peakRssBytes: peak }) }));
    });
  });
};

/** A `paxflow sandbox` process and how to stop it. */
export interface StandaloneSandbox {
  apiUrl: string;
  oauthUrl: string;
  pid: number;
  /** The peak RSS so far, in bytes (Linux). */
  peakRss(): number | undefined;
  stop(): Promise<void>;
}

const waitForExit = (child: ChildProcess, ms: number): Promise<boolean> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });

/**
 * Starts the emulator as its own process (`paxflow sandbox --port 0 --approval-delay 0`, or the delay
 * given) on 127.0.0.1 and resolves once it prints its URLs.
 */
export const startStandaloneSandbox = (cliPath: string, cwd: string, approvalDelayMs = 0): Promise<StandaloneSandbox> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, 'sandbox', '--port', '0', '--host', '127.0.0.1', '--approval-delay', String(approvalDelayMs)], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stderr = '';
    const giveUp = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the standalone emulator did not print its URLs within 15 s'));
    }, 15_000);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('exit', (code) => {
      clearTimeout(giveUp);
      reject(new Error(`the standalone emulator exited (${code}) before it was ready: ${stderr.slice(0, 300)}`));
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const api = /API:\s+(\S+)/.exec(output)?.[1];
      const oauth = /OAuth:\s+(\S+)/.exec(output)?.[1];
      if (!api || !oauth) return;
      clearTimeout(giveUp);
      child.removeAllListeners('exit');
      child.stdout.removeAllListeners('data').resume();
      resolve({
        apiUrl: api,
        oauthUrl: oauth,
        pid: child.pid!,
        peakRss: () => readPeakRss(child.pid!),
        async stop() {
          child.kill('SIGTERM');
          if (!(await waitForExit(child, 5_000))) {
            child.kill('SIGKILL');
            await waitForExit(child, 5_000);
          }
        },
      });
    });
  });
