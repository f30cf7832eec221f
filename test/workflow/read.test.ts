import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readWorkflowFile } from '../../src/workflow/read.js';

const read = suite<{ dir: string }>('readWorkflowFile');

read.before(async (context) => {
  context.dir = await mkdtemp(join(tmpdir(), 'paxflow-read-'));
  await writeFile(join(context.dir, 'ok.yaml'), 'version: 1\nname: Ok\nsteps:\n  - id: a\n    uses: http\n    with: { path: /markets }\n');
  await writeFile(join(context.dir, 'big.yaml'), `name: "${'x'.repeat(2048)}"\n`);
  await writeFile(join(context.dir, 'latin1.yaml'), Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]));
  await mkdir(join(context.dir, 'folder.yaml'));
});

read.after(async ({ dir }) => rm(dir, { recursive: true, force: true }));

read('a file is read relative to cwd and validated; diagnostics name it as given', async ({ dir }) => {
  const result = await readWorkflowFile('ok.yaml', { cwd: dir });
  assert.equal(result.diagnostics, []);
  assert.is(result.workflow?.file, 'ok.yaml');
  assert.equal(result.workflow?.locate(['steps', 0]), { line: 4, col: 5 });
});

read('a file over the size limit is refused from its size, before reading', async ({ dir }) => {
  const result = await readWorkflowFile('big.yaml', { cwd: dir, maxBytes: 1024 });
  assert.equal(result.diagnostics.map((d) => `${d.code} ${d.file}`), ['FILE_TOO_LARGE big.yaml']);
});

read('missing files, folders and non-UTF-8 text are diagnostics, not exceptions', async ({ dir }) => {
  assert.equal((await readWorkflowFile('nope.yaml', { cwd: dir })).diagnostics.map((d) => d.code), ['FILE_UNREADABLE']);
  assert.equal((await readWorkflowFile('folder.yaml', { cwd: dir })).diagnostics.map((d) => d.code), ['FILE_UNREADABLE']);
  assert.equal((await readWorkflowFile('latin1.yaml', { cwd: dir })).diagnostics.map((d) => d.code), ['FILE_NOT_UTF8']);
});

read('options reach the validator: extra variable names', async ({ dir }) => {
  await writeFile(join(dir, 'vars.yaml'), 'version: 1\nname: Vars\nsteps:\n  - id: a\n    uses: http\n    with: { path: "/{{vars.market}}" }\n');
  assert.equal((await readWorkflowFile('vars.yaml', { cwd: dir })).diagnostics.map((d) => d.code), ['REF_UNKNOWN_VAR']);
  assert.equal((await readWorkflowFile('vars.yaml', { cwd: dir, extraVars: ['market'] })).diagnostics, []);
});

read.run();
