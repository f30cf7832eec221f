import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { commandNames } from '../../src/cli.js';
import { runCli } from './_io.js';

// Every command documents itself in one place, its own module; help, --help and -h all print that text.
const help = suite('cli: help on every command');

const moduleOf = (name: string) => import(`../../src/commands/${name}.ts`) as Promise<{ help: string; OPTIONS: Record<string, unknown> }>;

help('paxflow --help lists every command, help included', async () => {
  const { code, stdout } = await runCli(['--help']);
  assert.is(code, 0);
  for (const name of [...commandNames, 'help']) assert.match(stdout, new RegExp(`^  ${name} `, 'm'), name);
  assert.ok(commandNames.includes('init'));
  for (const argv of [['help'], ['-h'], ['help', 'help']]) assert.equal(await runCli(argv), { code: 0, stdout, stderr: '' }, argv.join(' '));
});

for (const name of commandNames) {
  help(`${name}: help ${name}, ${name} --help and ${name} -h print its usage, every option and an example; exit 0`, async () => {
    const { help: text, OPTIONS } = await moduleOf(name);
    assert.match(text, new RegExp(`^Usage: paxflow ${name}\\b`));
    assert.match(text, /\nExamples?:\n {2}\S/);
    for (const option of Object.keys(OPTIONS)) assert.ok(text.includes(`--${option}`), `--${option} is documented`);
    for (const argv of [['help', name], [name, '--help'], [name, '-h'], [name, 'x.yaml', '--verbose', '-h']]) {
      const result = await runCli(argv);
      assert.equal([result.code, result.stdout, result.stderr], [0, text, ''], argv.join(' '));
    }
  });
}

help('after -- a --help is an argument, not a request for help', async () => {
  const result = await runCli(['validate', '--', '--help']);
  assert.is(result.code, 2);
  assert.match(result.stderr, /FILE_UNREADABLE/);
});

help('help for an unknown command suggests the nearest one and exits 2', async () => {
  const result = await runCli(['help', 'valdate']);
  assert.is(result.code, 2);
  assert.match(result.stderr, /^error UNKNOWN_COMMAND .*did you mean 'validate'/);
  assert.is((await runCli(['help', 'run', 'plan'])).code, 2);
});

help.run();
