import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from './_io.js';

// The bundle validates with ajv's prebuilt validator instead of compiling the schema: it must say exactly
// what the source says, for every golden fixture.
const bundle = suite<{ entry: string }>('cli: the built bundle');

bundle.before((context) => {
  const out = mkdtempSync(join(tmpdir(), 'paxflow-bundle-'));
  execFileSync(process.execPath, ['scripts/build.mjs'], { env: { ...process.env, PAXFLOW_BUILD_OUT: out }, stdio: 'pipe' });
  context.entry = join(out, 'paxflow.js');
});

const fixtures = (folder: string) =>
  readdirSync(join('test/fixtures', folder)).filter((name) => name.endsWith('.yaml')).sort().map((name) => join('test/fixtures', folder, name));

bundle('validate prints the same diagnostics as the source for every fixture', async ({ entry }) => {
  const files = [...fixtures('invalid'), ...fixtures('valid')];
  const built = spawnSync(process.execPath, [entry, 'validate', ...files], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  const source = await runCli(['validate', ...files]);
  assert.is(built.status, 2);
  assert.is(source.code, 2);
  assert.ok(source.stderr.split('\n').length > 60, 'the fixtures produce diagnostics');
  assert.is(built.stderr, source.stderr);
  assert.is(built.stdout, source.stdout);
});

bundle('--version and the guide workflow run from the bundle', ({ entry }) => {
  const version = spawnSync(process.execPath, [entry, '--version'], { encoding: 'utf8' });
  assert.is(version.status, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  const home = mkdtempSync(join(tmpdir(), 'paxflow-home-'));
  const run = spawnSync(process.execPath, [entry, 'run', 'workflows/onboard-and-trade.yaml'], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', PAXFLOW_HOME: home },
  });
  assert.is(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /PASSED 11 passed, 0 failed, 0 skipped/);
});

bundle.run();
