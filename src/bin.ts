#!/usr/bin/env node
import { cli } from './cli.js';

// The only file that touches `process`: signals become an AbortSignal, the exit code is set, nothing else.
const controller = new AbortController();
const interrupt = () => {
  if (controller.signal.aborted) process.exit(130); // a second Ctrl-C stops at once
  controller.abort();
};
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);

const env: Record<string, string | undefined> = { ...process.env };
process.exitCode = await cli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env, cwd: process.cwd(), signal: controller.signal });
process.removeListener('SIGINT', interrupt);
process.removeListener('SIGTERM', interrupt);
