import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseJsonc } from '../../src/commands/_jsonc.js';
import { runCli } from './_io.js';

// paxflow init in a user's project: starter files that run, the editor mapping, never a clobbered file.
const init = suite('cli: paxflow init');

const project = (files: Record<string, string> = {}): string => {
  const dir = mkdtempSync(join(tmpdir(), 'paxflow-init-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
};
const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');
const SCHEMA = './node_modules/paxflow/schemas/workflow.schema.json';

init('writes the starters with the schema comment, the settings and .gitignore; the folder then runs and passes', async () => {
  const dir = project();
  const { code, stdout } = await runCli(['init'], { cwd: dir });
  assert.is(code, 0);
  assert.match(stdout, /\nNext: npx paxflow run workflows\n$/);
  for (const name of ['onboard-and-trade.yaml', 'order-beyond-funds.yaml']) {
    assert.match(read(dir, `workflows/${name}`), /^# yaml-language-server: \$schema=\.\.\/node_modules\/paxflow\/schemas\/workflow\.schema\.json\nversion: 1\n/);
  }
  assert.equal(JSON.parse(read(dir, '.vscode/settings.json')), { 'yaml.schemas': { [SCHEMA]: ['workflows/**/*.yaml'] } });
  assert.is(read(dir, '.gitignore'), '.paxflow/\n');
  const run = await runCli(['run', 'workflows'], { cwd: dir });
  assert.is(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /2 runs: 2 passed, 0 failed/);
});

init('a second init refuses, naming each file, and changes nothing; --force overwrites the workflows only', async () => {
  const dir = project();
  assert.is((await runCli(['init', 'qa/flows'], { cwd: dir })).code, 0);
  writeFileSync(join(dir, 'qa/flows/onboard-and-trade.yaml'), 'mine');
  const again = await runCli(['init', 'qa/flows'], { cwd: dir });
  assert.is(again.code, 2);
  assert.equal(again.stderr.trim().split('\n').map((line) => line.split(' ').slice(0, 3).join(' ')), [
    'qa/flows/onboard-and-trade.yaml error INIT_FILE_EXISTS',
    'qa/flows/order-beyond-funds.yaml error INIT_FILE_EXISTS',
  ]);
  assert.is(read(dir, 'qa/flows/onboard-and-trade.yaml'), 'mine');
  const forced = await runCli(['init', 'qa/flows', '--force'], { cwd: dir });
  assert.is(forced.code, 0);
  assert.match(read(dir, 'qa/flows/onboard-and-trade.yaml'), /^# yaml-language-server: \$schema=\.\.\/\.\.\/node_modules\//);
  assert.match(forced.stdout, /Next: npx paxflow run qa\/flows\n$/);
  assert.not.match(forced.stdout, /settings\.json|\.gitignore/, 'nothing left to add');
  assert.is(read(dir, '.gitignore'), '.paxflow/\n');
});

init('merges into existing settings.json with comments and trailing commas, and appends to .gitignore once', async () => {
  const settings = '// team settings\n{\n  "editor.tabSize": 2, // two\n  /* yaml */\n  "yaml.schemas": {\n    "./other.json": "other/*.yaml",\n  },\n}\n';
  const dir = project({ '.vscode/settings.json': settings, '.gitignore': 'node_modules\n/.paxflow' });
  assert.is((await runCli(['init'], { cwd: dir })).code, 0);
  const merged = read(dir, '.vscode/settings.json');
  for (const kept of ['// team settings', '"editor.tabSize": 2, // two', '/* yaml */', '"./other.json": "other/*.yaml",']) assert.ok(merged.includes(kept), kept);
  const value = parseJsonc(merged);
  assert.is(value?.kind, 'object');
  assert.is(read(dir, '.gitignore'), 'node_modules\n/.paxflow', '/.paxflow already ignores the journals');
  // The same schema entry: the new folder's glob joins it.
  const other = project({ '.vscode/settings.json': `{ "yaml.schemas": { "${SCHEMA}": "old/*.yaml" } }`, '.gitignore': 'dist' });
  assert.is((await runCli(['init', 'flows'], { cwd: other })).code, 0);
  assert.is(read(other, '.vscode/settings.json'), `{ "yaml.schemas": { "${SCHEMA}": ["old/*.yaml","flows/**/*.yaml"] } }`);
  assert.is(read(other, '.gitignore'), 'dist\n.paxflow/\n');
});

init('settings.json that cannot be parsed is refused with its position, and nothing is written', async () => {
  const broken = '{\n  "a": 1\n  "b": 2\n}\n';
  const dir = project({ '.vscode/settings.json': broken });
  const result = await runCli(['init'], { cwd: dir });
  assert.is(result.code, 2);
  assert.match(result.stderr, /^\.vscode\/settings\.json:3:3 error INIT_SETTINGS_UNEDITABLE /);
  assert.is(read(dir, '.vscode/settings.json'), broken);
  assert.throws(() => read(dir, 'workflows/onboard-and-trade.yaml'));
  assert.throws(() => read(dir, '.gitignore'));
  const array = project({ '.vscode/settings.json': '[1]' });
  assert.match((await runCli(['init'], { cwd: array })).stderr, /:1:1 error INIT_SETTINGS_UNEDITABLE /);
  const odd = project({ '.vscode/settings.json': `{"yaml.schemas": {"${SCHEMA}": 3}}` });
  assert.match((await runCli(['init'], { cwd: odd })).stderr, /error INIT_SETTINGS_UNEDITABLE .*neither a glob/);
});

init('a folder outside the project, or two folders, is a usage error', async () => {
  const dir = project();
  assert.match((await runCli(['init', '../elsewhere'], { cwd: dir })).stderr, /BAD_ARGUMENTS/);
  assert.is((await runCli(['init', 'a', 'b'], { cwd: dir })).code, 2);
});

init('a folder that cannot be made is INIT_UNWRITABLE, exit 2, with no file written', async () => {
  const dir = project({ 'a-file': 'x' });
  const result = await runCli(['init', 'a-file/flows'], { cwd: dir });
  assert.is(result.code, 2, result.stderr);
  assert.match(result.stderr, /^error INIT_UNWRITABLE cannot write a-file\/flows\/\S+ \(ENOTDIR\)/);
  assert.equal(readdirSync(dir).sort(), ['a-file'], 'no settings or .gitignore written either');
});

init.run();
