import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startSandbox } from '../../src/sandbox/index.js';
import { evaluatedModules } from './_evaluated.js';
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

/** Runs the bundle in a child process, without blocking this one (which may serve its requests). */
const runBundle = (entry: string, args: string[], env: Record<string, string>) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...args], { env: { ...process.env, CI: 'true', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });

/** What neither command uses for the guide: every validator is prebuilt, no template needs a parse, requests go to --api-url. */
const UNUSED_BY_BOTH = [
  /^src\/workflow\/ajv\.ts$/,
  /^node_modules\/ajv\/dist\/(ajv|core|compile\/index)\.js$/,
  // Handlebars' compiler, runtime and source-map are not even bundled; its parser is initialised only for a
  // template beyond text, paths and bare helpers, and the guide has none.
  /^node_modules\/(handlebars|source-map)\//,
  /^src\/sandbox\//,
  // The guide has no http step, the one user of ky, and the client speaks node:http: nothing touches
  // fetch or Request (ky's module does, to feature-detect streams), which would load Node's undici.
  /^node_modules\/ky\//,
  /^node:internal\/deps\/undici\//,
];

const unused = (evaluated: Set<string>, patterns: readonly RegExp[]): string[] =>
  [...evaluated].filter((name) => patterns.some((pattern) => pattern.test(name))).sort();

bundle('validate evaluates neither ajv\'s compiler, nor ky and Node\'s fetch, nor Handlebars (its parser included, for the guide)', async ({ entry }) => {
  const coverage = mkdtempSync(join(tmpdir(), 'paxflow-coverage-'));
  const validate = await runBundle(entry, ['validate', 'workflows/onboard-and-trade.yaml'], { NODE_V8_COVERAGE: coverage });
  assert.is(validate.status, 0, validate.stderr);
  const evaluated = evaluatedModules(coverage);
  // What it does use shows, so an empty list below means something.
  for (const used of ['src/workflow/load.ts', 'src/template/simple.ts', 'src/workflow/rules/_prebuilt.ts']) {
    assert.ok(evaluated.has(used), used);
  }
  assert.equal(unused(evaluated, UNUSED_BY_BOTH), []);
});

bundle('a run of the guide against an emulator in another process evaluates neither ajv\'s compiler, nor Handlebars, nor ky and Node\'s fetch, nor the emulator', async ({ entry }) => {
  const sandbox = await startSandbox({ port: 0, approvalDelayMs: 0 });
  try {
    const coverage = mkdtempSync(join(tmpdir(), 'paxflow-coverage-'));
    const home = mkdtempSync(join(tmpdir(), 'paxflow-home-'));
    const args = ['--api-url', sandbox.apiUrl, '--oauth-url', sandbox.oauthUrl, '--client-id', 'sandbox-client', '--client-secret', 'sandbox-secret'];
    const run = await runBundle(entry, ['run', 'workflows/onboard-and-trade.yaml', ...args], { NODE_V8_COVERAGE: coverage, PAXFLOW_HOME: home });
    assert.is(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /PASSED 11 passed/);
    const evaluated = evaluatedModules(coverage);
    for (const used of ['src/engine/run.ts', 'src/template/evaluate.ts', 'src/workflow/rules/_prebuilt.ts']) {
      assert.ok(evaluated.has(used), used);
    }
    assert.equal(unused(evaluated, [...UNUSED_BY_BOTH, /^src\/report\/html\.ts$/]), []);
  } finally {
    await sandbox.close();
  }
});

bundle('paxflow report loads ajv\'s compiler on demand, from its own chunk', async ({ entry }) => {
  const folder = mkdtempSync(join(tmpdir(), 'paxflow-report-'));
  const json = join(folder, 'run.json');
  const source = await runCli(['run', 'workflows/onboard-and-trade.yaml', '--reporter', `json=${json}`]);
  assert.is(source.code, 0, source.stdout + source.stderr);
  const coverage = mkdtempSync(join(tmpdir(), 'paxflow-coverage-'));
  const report = await runBundle(entry, ['report', json, '--reporter', `html=${join(folder, 'run.html')}`], { NODE_V8_COVERAGE: coverage });
  assert.is(report.status, 0, report.stderr);
  assert.match(readFileSync(join(folder, 'run.html'), 'utf8'), /<html/);
  assert.ok(evaluatedModules(coverage).has('src/workflow/ajv.ts'));
});

bundle.run();
