#!/usr/bin/env node
import { cli } from './cli.js';
import { streamWriter } from './util/safe-write.js';

// The only file that touches `process`: signals become an AbortSignal, the exit code is set, nothing else.
const controller = new AbortController();
const interrupt = () => {
  if (controller.signal.aborted) process.exit(130); // a second Ctrl-C stops at once
  controller.abort();
};
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);

const env: Record<string, string | undefined> = { ...process.env };
// A closed pipe (`| head`) or terminal drops output; it never stops the command.
const stdout = streamWriter(process.stdout);
const stderr = streamWriter(process.stderr);
process.exitCode = await cli(process.argv.slice(2), { stdout, stderr, env, cwd: process.cwd(), signal: controller.signal });
process.removeListener('SIGINT', interrupt);
process.removeListener('SIGTERM', interrupt);
