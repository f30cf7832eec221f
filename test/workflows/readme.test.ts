import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli, tempFiles } from '../cli/_io.js';

// The README's first workflow is what a new user copies: it must validate and pass as printed.
const readme = suite('README: the first workflow');

const firstWorkflow = (): string => {
  const text = readFileSync('README.md', 'utf8');
  const match = /```yaml\n(# yaml-language-server:[\s\S]*?)```/.exec(text);
  if (!match) throw new Error('README.md has no yaml block with a schema comment');
  return match[1]!;
};

readme('validates and passes against the embedded emulator', async () => {
  const { file } = tempFiles({ file: firstWorkflow().replace(/^# yaml-language-server:.*\n/, '') });
  const validated = await runCli(['validate', file!]);
  assert.is(validated.code, 0, validated.stdout + validated.stderr);
  const ran = await runCli(['run', file!]);
  assert.is(ran.code, 0, ran.stdout + ran.stderr);
  assert.match(ran.stdout, /PASSED 3 passed, 0 failed/);
});

readme.run();
