import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_PLAYBOOK_DEPTH, readWorkflowFile } from '../../src/workflow/read.js';

const reading = suite('readWorkflowFile: playbooks');

/** Writes the files into a fresh folder and returns it. */
const folder = (texts: Record<string, string>): string => {
  const dir = mkdtempSync(join(tmpdir(), 'paxflow-read-playbooks-'));
  for (const [name, text] of Object.entries(texts)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
};

const call = (id: string, uses: string, extra = '') => `  - id: ${id}\n    uses: ${uses}\n${extra}`;
const http = (id: string, extra = '') => `  - id: ${id}\n    uses: http\n    with: { path: /ok }\n${extra}`;
const workflow = (name: string, steps: string, head = '') => `version: 1\nname: ${name}\n${head}steps:\n${steps}`;

reading('a valid workflow gets its playbooks, linked at every level, by uses: as written', async () => {
  const dir = folder({
    'main.yaml': workflow('main', call('outer', './lib/outer.yaml')),
    'lib/outer.yaml': workflow('outer', call('inner', '../common/inner.yaml')),
    'common/inner.yaml': workflow('inner', http('leaf')),
  });
  const { workflow: main, diagnostics } = await readWorkflowFile('main.yaml', { cwd: dir });
  assert.equal(diagnostics, []);
  const outer = main?.playbooks?.get('./lib/outer.yaml');
  assert.is(outer?.spec.name, 'outer');
  assert.is(outer?.file, join('lib', 'outer.yaml'));
  const inner = outer?.playbooks?.get('../common/inner.yaml');
  assert.is(inner?.spec.name, 'inner');
  assert.is(inner?.file, join('common', 'inner.yaml'));
  assert.equal(inner?.locate(['steps', 0]), { line: 4, col: 5 });
});

reading('a playbook reached twice is read and reported once; the workflow\'s problems come first', async () => {
  const dir = folder({
    'main.yaml': workflow('main', call('a', './a.yaml') + call('b', './b.yaml') + '  - id: a\n    uses: htp\n'),
    'a.yaml': workflow('a', call('c', './c.yaml')),
    'b.yaml': workflow('b', call('c', './c.yaml')),
    'c.yaml': workflow('c', '  - id: x\n    uses: htp\n'),
  });
  const { workflow: main, diagnostics } = await readWorkflowFile('main.yaml', { cwd: dir });
  assert.is(main, undefined);
  assert.equal(
    diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`),
    ['main.yaml:8:9 DUPLICATE_STEP_ID', 'main.yaml:9:11 UNKNOWN_STEP_TYPE', 'c.yaml:5:11 UNKNOWN_STEP_TYPE'],
  );
});

reading('a cycle is named as a chain of files, at the uses: that closes it', async () => {
  const dir = folder({
    'main.yaml': workflow('main', call('a', './loop/a.yaml')),
    'loop/a.yaml': workflow('a', call('b', './b.yaml')),
    'loop/b.yaml': workflow('b', call('c', './c.yaml')),
    'loop/c.yaml': workflow('c', call('a', './a.yaml')),
  });
  const { diagnostics } = await readWorkflowFile('main.yaml', { cwd: dir });
  assert.equal(diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`), [`${join('loop', 'c.yaml')}:5:11 PLAYBOOK_CYCLE`]);
  const chain = ['a', 'b', 'c', 'a'].map((name) => join('loop', `${name}.yaml`)).join(' -> ');
  assert.ok(diagnostics[0]!.message.endsWith(chain), diagnostics[0]!.message);
});

reading(`calls nest at most ${MAX_PLAYBOOK_DEPTH} deep; the chain is named`, async () => {
  const files: Record<string, string> = { 'main.yaml': workflow('main', call('down', './p1.yaml')) };
  for (let level = 1; level <= MAX_PLAYBOOK_DEPTH; level += 1) files[`p${level}.yaml`] = workflow(`p${level}`, call('down', `./p${level + 1}.yaml`));
  files[`p${MAX_PLAYBOOK_DEPTH + 1}.yaml`] = workflow('bottom', http('leaf'));
  const tooDeep = await readWorkflowFile('main.yaml', { cwd: folder(files) });
  assert.equal(tooDeep.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`), [`p${MAX_PLAYBOOK_DEPTH}.yaml:5:11 PLAYBOOK_TOO_DEEP`]);
  assert.match(tooDeep.diagnostics[0]!.message, /main\.yaml -> p1\.yaml -> .* -> p9\.yaml$/);

  // One level less is fine.
  files[`p${MAX_PLAYBOOK_DEPTH}.yaml`] = workflow('bottom', http('leaf'));
  const deepest = await readWorkflowFile('main.yaml', { cwd: folder(files) });
  assert.equal(deepest.diagnostics, []);
});

reading('--var and --data columns are the workflow\'s: a playbook reads only its inputs and its own vars', async () => {
  const dir = folder({
    'main.yaml': workflow('main', call('p', './p.yaml') + `  - id: own\n    uses: http\n    with: { path: "/{{vars.given}}/{{row.id}}" }\n`),
    'p.yaml': workflow('p', `  - id: x\n    uses: http\n    with: { path: "/{{vars.given}}/{{row.id}}/{{vars.mine}}" }\n`, 'vars:\n  mine: 1\n'),
  });
  const { diagnostics } = await readWorkflowFile('main.yaml', { cwd: dir, extraVars: ['given'], rowColumns: ['id'] });
  assert.equal(diagnostics.map((d) => `${d.file}:${d.code}`), ['p.yaml:REF_UNKNOWN_VAR', 'p.yaml:REF_UNAVAILABLE_SCOPE']);
});

reading('a playbook that cannot be read is reported at the call, with the reason', async () => {
  const dir = folder({ 'main.yaml': workflow('main', call('gone', './nowhere.yaml') + call('folder', './lib.yaml')), 'lib.yaml/keep': '' });
  const { diagnostics } = await readWorkflowFile('main.yaml', { cwd: dir });
  assert.equal(diagnostics.map((d) => `${d.line}:${d.col} ${d.code}`), ['5:11 PLAYBOOK_UNREADABLE', '7:11 PLAYBOOK_UNREADABLE']);
  assert.match(diagnostics[0]!.message, /nowhere\.yaml: cannot read the file \(ENOENT\)/);
  assert.match(diagnostics[1]!.message, /lib\.yaml: this is not a file/);
});

reading.run();
