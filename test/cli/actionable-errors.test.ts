import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from './_io.js';

// Errors a user can act on: each names what is wrong, where, and what to do, with a stable code.
const errors = suite('cli: errors a user can act on');
const FLOW = 'workflows/onboard-and-trade.yaml';

/** `FILE:LINE:COL` of the step with this id, as the file is now. */
const stepAt = (file: string, id: string): string => {
  const lines = readFileSync(file, 'utf8').split('\n');
  const index = lines.findIndex((line) => new RegExp(`^\\s*- id: ${id}\\s*$`).test(line));
  return `${file}:${index + 1}:${lines[index]!.indexOf('id:') + 1}`;
};

errors('paxflow sandbox on a busy port: exit 2, "port N is in use"', async () => {
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const { port } = busy.address() as AddressInfo;
  try {
    const result = await runCli(['sandbox', '--port', String(port)]);
    assert.is(result.code, 2, result.stderr);
    assert.match(result.stderr, new RegExp(`^error PORT_IN_USE port ${port} is in use`));
  } finally {
    busy.close();
  }
});

errors('a sandbox-only step against production is refused at its line, with its id and type', async () => {
  const env = { PAXOS_CLIENT_ID: 'id', PAXOS_CLIENT_SECRET: 'secret' };
  const result = await runCli(['run', FLOW, '--target', 'production', '--allow-production'], { env });
  assert.is(result.code, 2);
  assert.ok(result.stderr.startsWith(`${stepAt(FLOW, 'funding')} error SANDBOX_ONLY_STEP step 'funding' (fundProfile) `), result.stderr);
  const other = 'workflows/onboard-with-playbook.yaml';
  const batch = await runCli(['run', FLOW, other, '--target', 'production', '--allow-production', '--reporter', 'json'], { env });
  assert.is(batch.code, 1, batch.stderr);
  const units = (JSON.parse(batch.stdout) as { runs: Array<{ problems?: Array<{ code: string; message: string; file: string; line: number; col: number }> }> }).runs;
  const places = units.map((unit) => unit.problems!.map((p) => `${p.file}:${p.line}:${p.col} ${p.code} ${p.message.slice(0, 28)}`));
  assert.equal(places.flat().sort(), [
    `${stepAt(FLOW, 'funding')} SANDBOX_ONLY_STEP step 'funding' (fundProfile)`,
    `${stepAt(other, 'funding')} SANDBOX_ONLY_STEP step 'funding' (fundProfile)`,
  ]);
});

errors('--resume with a prefix under 6 characters says a prefix needs 6', async () => {
  const result = await runCli(['run', FLOW, '--resume', 'abc']);
  assert.is(result.code, 2);
  assert.match(result.stderr, /^error RUN_NOT_FOUND .*at least 6 characters \(this one has 3\)/);
});

errors('--grep with an invalid regular expression says why', async () => {
  const result = await runCli(['run', 'workflows', '--grep', '(']);
  assert.is(result.code, 2);
  assert.match(result.stderr, /^error BAD_ARGUMENTS --grep "\(" is not a valid regular expression \(unterminated group\)/);
});

errors('CI=1 counts as CI like CI=true (CI=0, CI=false and CI= do not)', async () => {
  for (const value of ['1', 'true', 'TRUE', 'yes']) {
    const result = await runCli(['run', FLOW, '--no-redact-pii', '--dry-run'], { env: { CI: value } });
    assert.is(result.code, 2, `CI=${value}`);
    assert.match(result.stderr, /^error REDACTION_REQUIRED /);
  }
  for (const value of ['0', 'false', '']) {
    const result = await runCli(['run', FLOW, '--no-redact-pii', '--dry-run'], { env: { CI: value } });
    assert.is(result.code, 0, `CI=${value}: ${result.stderr}`);
  }
});

errors.run();
