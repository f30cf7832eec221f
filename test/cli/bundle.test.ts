import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
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

/** The lines of a console report that name a step's problems, without durations or run ids. */
const problemLines = (text: string): string[] =>
  text.split('\n').filter((line) => /INVALID_STEP_INPUT|^\s+at /.test(line)).map((line) => line.trimEnd());

bundle('step inputs that are wrong once rendered get the same diagnostics, from prebuilt validators', async ({ entry }) => {
  const file = 'test/fixtures/run-time/rendered-inputs.yaml';
  const profiles = mkdtempSync(join(tmpdir(), 'paxflow-profile-'));
  const home = mkdtempSync(join(tmpdir(), 'paxflow-home-'));
  const built = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profiles}`, entry, 'run', file], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', PAXFLOW_HOME: home },
  });
  const source = await runCli(['run', file]);
  assert.is(built.status, 1);
  assert.is(source.code, 1);
  const lines = problemLines(source.stdout);
  assert.is(lines.filter((line) => line.includes('INVALID_STEP_INPUT')).length, 4, source.stdout);
  assert.equal(problemLines(built.stdout), lines);
  // Compiling a step schema would show up in the CPU profile as paxflow's or ajv's compileSchema (either takes tens of ms).
  const [profile] = readdirSync(profiles);
  const { nodes } = JSON.parse(readFileSync(join(profiles, profile!), 'utf8')) as { nodes: Array<{ callFrame: { functionName: string } }> };
  const compiling = nodes.map((node) => node.callFrame.functionName).filter((name) => /^compileSchema$/.test(name));
  assert.equal(compiling, []);
});

bundle('the prebuilt workflow validator has one function per step type input, shared by steps: and finally:', ({ entry }) => {
  const chunks = join(entry, '..', 'chunks');
  const code = readdirSync(chunks).map((name) => readFileSync(join(chunks, name), 'utf8')).join('\n');
  // Inlined, each input's code (and each of its error's schema paths) was written once for steps: and once for finally:.
  assert.is(code.split('"#/definitions/input_placeOrder/additionalProperties"').length - 1, 1);
  assert.is(code.split('"#/definitions/step/else/additionalProperties"').length - 1, 1);
  // A called function's errors are appended in place, not concatenated onto all earlier ones.
  assert.not.match(code, /\.concat\(\w+\.errors\)/);
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
