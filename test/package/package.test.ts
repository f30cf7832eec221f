import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

// The package as users get it: `npm pack` of a clean copy of the repository (its `prepare` builds), the
// tarball installed into an empty project from the npm cache, and the CLI, the library, the types and
// docs/library.md's example used from there. Built and installed once for the whole suite.
const pkg = suite<{ work: string; project: string; tarball: string; files: string[] }>('package: npm pack, installed in an empty project');

const repo = process.cwd();
// What `npm test` puts in the environment (npm_config_*, npm_package_*) must not steer the inner npm.
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_|^INIT_CWD$|^PAXFLOW_HOME$/i.test(name)));
Object.assign(env, { CI: 'true', NO_COLOR: '1', npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' });

const run = (command: string, args: string[], cwd: string): SpawnSyncReturns<string> =>
  spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
const ok = (result: SpawnSyncReturns<string>, what: string): string => {
  assert.is(result.status, 0, `${what}: exit ${result.status}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
};

/** The repository as a fresh clone has it (tracked and new files, nothing ignored), with the devDependencies linked. */
const stageClone = (to: string): void => {
  const listed = ok(run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], repo), 'git ls-files');
  for (const file of new Set(listed.split('\0').filter(Boolean))) {
    if (!existsSync(join(repo, file))) continue;
    mkdirSync(dirname(join(to, file)), { recursive: true });
    copyFileSync(join(repo, file), join(to, file));
  }
  symlinkSync(join(repo, 'node_modules'), join(to, 'node_modules'), 'dir');
};

/**
 * An empty project whose lockfile pins what the repository was tested with. `npm ci` keeps only the
 * tarballs in the cache, not the registry metadata a fresh resolution asks for, so with the lockfile
 * `npm ci --offline` installs from the cache alone.
 */
const consumerProject = (dir: string, tarball: string): void => {
  const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; dev?: boolean }> };
  const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as Record<string, unknown>;
  const typesNode = lock.packages['node_modules/@types/node']!;
  const root = { name: 'consumer', private: true, type: 'module', dependencies: { paxflow: `file:${tarball}` }, devDependencies: { '@types/node': typesNode.version } };
  const packages: Record<string, unknown> = {
    '': { name: root.name, dependencies: root.dependencies, devDependencies: root.devDependencies },
    'node_modules/paxflow': {
      version: manifest.version,
      resolved: `file:${tarball}`,
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
      license: manifest.license,
      dependencies: manifest.dependencies,
      bin: manifest.bin,
      engines: manifest.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) if (path.startsWith('node_modules/') && !entry.dev) packages[path] = entry;
  for (const path of ['node_modules/@types/node', 'node_modules/undici-types']) packages[path] = { ...lock.packages[path], dev: true };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify(root, null, 2));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: root.name, lockfileVersion: 3, requires: true, packages }, null, 2));
};

pkg.before((context) => {
  context.work = mkdtempSync(join(tmpdir(), 'paxflow-package-'));
  const clone = join(context.work, 'paxflow');
  stageClone(clone);
  const packed = ok(run('npm', ['pack', '--json', '--pack-destination', context.work], clone), 'npm pack');
  const [info] = JSON.parse(packed.slice(packed.indexOf('[\n'))) as Array<{ filename: string; files: Array<{ path: string }> }>;
  context.tarball = join(context.work, info!.filename);
  context.files = info!.files.map((file) => file.path).sort();
  context.project = join(context.work, 'project');
  consumerProject(context.project, context.tarball);
  ok(run('npm', ['ci', '--offline'], context.project), 'npm ci --offline');
});

pkg.after(({ work }) => rmSync(work, { recursive: true, force: true }));

pkg('the tarball holds the built CLI and library, types, schemas, docs and LICENSE, and nothing else', ({ files, project }) => {
  for (const file of ['dist/paxflow.js', 'dist/index.js', 'dist/types/index.d.ts', 'schemas/workflow.schema.json', 'docs/library.md', 'README.md', 'LICENSE', 'package.json']) {
    assert.ok(files.includes(file), file);
  }
  const outside = files.filter((file) => !/^(dist|schemas|docs|workflows)\//.test(file) && !['README.md', 'LICENSE', 'package.json'].includes(file));
  assert.equal(outside, []);
  assert.equal(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts')), []);
  const installed = JSON.parse(readFileSync(join(project, 'node_modules/paxflow/package.json'), 'utf8')) as Record<string, unknown>;
  assert.is(installed.private, undefined);
  assert.equal(installed.exports, { '.': { types: './dist/types/index.d.ts', default: './dist/index.js' }, './schemas/*': './schemas/*', './package.json': './package.json' });
});

pkg('npx paxflow: --version, init, run the new folder (passes on the emulator), init again (exit 2), run --help', ({ project }) => {
  const { version } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string };
  assert.is(ok(run('npx', ['paxflow', '--version'], project), '--version'), `${version}\n`);
  assert.match(ok(run('npx', ['paxflow', 'init'], project), 'init'), /Next: npx paxflow run workflows\n$/);
  assert.ok(existsSync(join(project, readFileSync(join(project, 'workflows/onboard-and-trade.yaml'), 'utf8').split('\n')[0]!.replace(/^.*\$schema=\.\.\//, ''))), 'the schema comment points at the installed schema');
  assert.match(ok(run('npx', ['paxflow', 'run', 'workflows'], project), 'run workflows'), /PASSED 2 runs: 2 passed, 0 failed/);
  const again = run('npx', ['paxflow', 'init'], project);
  assert.is(again.status, 2);
  assert.match(again.stderr, /workflows\/onboard-and-trade\.yaml error INIT_FILE_EXISTS/);
  const help = ok(run('npx', ['paxflow', 'run', '--help'], project), 'run --help');
  assert.match(help, /^Usage: paxflow run /);
  assert.match(help, /--target local\|sandbox\|production/);
});

pkg('the library imports as paxflow in plain JavaScript and starts the emulator', ({ project }) => {
  const script = "import('paxflow').then(m => m.startSandbox({ port: 0 })).then(s => s.close().then(() => console.log(s.apiUrl)))";
  assert.match(ok(run(process.execPath, ['-e', script], project), 'node -e'), /^http:\/\/127\.0\.0\.1:\d+\/v2\n$/);
});

pkg('a .ts file importing from paxflow type-checks under moduleResolution nodenext, and its types catch mistakes', ({ project }) => {
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, types: ['node'] }, files: ['check.ts'] }),
  );
  writeFileSync(
    join(project, 'check.ts'),
    `import { runWorkflow, startSandbox, validateWorkflowFile, isInvalidInputError, type WorkflowRun, type SandboxOptions } from 'paxflow';
const options: SandboxOptions = { port: 0, approvalDelayMs: 0 };
const sandbox = await startSandbox(options);
const run: WorkflowRun = await runWorkflow('workflows/onboard-and-trade.yaml', { sandbox, vars: { market: 'BTCUSD' } });
const status: 'passed' | 'failed' | 'interrupted' = run.status;
const report: string = run.report;
const { valid, diagnostics } = await validateWorkflowFile('workflows/onboard-and-trade.yaml');
const codes: string[] = diagnostics.map((d) => d.code);
try { await runWorkflow({ version: 1 }); } catch (error) { if (isInvalidInputError(error)) console.log(error.diagnostics.length); }
// @ts-expect-error: the target is one of three names
await runWorkflow('x.yaml', { target: 'staging' });
await sandbox.close();
console.log(status, report, valid, codes);
`,
  );
  ok(run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', project], project), 'tsc');
});

pkg("docs/library.md's integrator test suite runs with node --test against the installed package", ({ project }) => {
  const doc = readFileSync(join(repo, 'docs/library.md'), 'utf8');
  const blocks = [...doc.matchAll(/<!-- file: (\S+) -->\n```\w+\n([\s\S]*?)```/g)];
  assert.equal(blocks.map((block) => block[1]), ['src/balances.mjs', 'workflows/funded-customer.yaml', 'test/balances.test.mjs']);
  for (const [, file, text] of blocks) {
    mkdirSync(dirname(join(project, file!)), { recursive: true });
    writeFileSync(join(project, file!), text!);
  }
  const output = ok(run(process.execPath, ['--test', 'test/'], project), 'node --test');
  assert.match(output, /# pass 2\n# fail 0\n/);
});

pkg.run();
