import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { runCli } from '../cli/_io.js';
import { canaryForms, findLeaks, runEverywhere } from './_canary.js';
import { startEchoProxy, type EchoProxy } from './_echo-proxy.js';

// Canaries of the documents' owner and of the wire's sender: every name, address line, date of birth,
// SSN, email, bank account number and document name the two workflows send, in no output at all.
const OWNER_FIELDS = new Set([
  'first_name', 'last_name', 'date_of_birth', 'cip_id', 'email', 'address1', 'city', 'zip_code', 'account_number', 'name',
]);

interface Context {
  sandbox: SandboxHandle;
  proxy: EchoProxy;
}
const canaries = suite<Context>('canaries: the documents\' owner and the wire\'s sender stay masked');

canaries.before(async (context) => {
  context.sandbox = await startSandbox({ port: 0, approvalDelayMs: 0 });
  context.proxy = await startEchoProxy(context.sandbox.url);
});
canaries.after(async ({ sandbox, proxy }) => {
  await proxy.close();
  await sandbox.close();
});

/** The values under the owner's fields in every body sent, except the bank's own (routing details). */
const ownerValues = (bodies: readonly unknown[]): string[] => {
  const found = new Set<string>();
  const walk = (value: unknown, bank: boolean): void => {
    if (Array.isArray(value)) value.forEach((item) => walk(item, bank));
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (!bank && OWNER_FIELDS.has(key) && typeof item === 'string') found.add(item);
        else walk(item, bank || key === 'routing_details');
      }
    }
  };
  walk(bodies, false);
  return [...found];
};

const through = (proxy: EchoProxy): string[] => ['--api-url', proxy.apiUrl, '--oauth-url', proxy.oauthUrl, '--client-id', 'sandbox-client', '--client-secret', 'sandbox-secret'];

for (const [file, expected] of [
  ['workflows/enhanced-due-diligence.yaml', ['Quinn', 'Sample', '1975-05-05', 'quinn.sample@example.org', '5 Example Avenue', 'Tax_identification_and_residency.pdf', 'Proof_of_funds.png']],
  ['workflows/fiat-funding.yaml', ['Robin', 'Wirefield', '1982-02-02', '12 Ledger Lane', '000123456789']],
] as const) {
  canaries(`${file}: run with --verbose and every reporter, and plan, show none of it`, async ({ proxy }) => {
    const before = proxy.bodies.length;
    const run = await runEverywhere([file, ...through(proxy)]);
    assert.is(run.code, 0, run.stdout + run.stderr);
    const sent = ownerValues(proxy.bodies.slice(before));
    for (const value of expected) assert.ok(sent.includes(value), `the run sent ${value}`);
    const plan = await runCli(['plan', file]);
    assert.is(plan.code, 0, plan.stderr);
    const canaryList = sent.flatMap((value) => canaryForms(value));
    assert.equal(findLeaks({ ...run.outputs, plan: plan.stdout + plan.stderr }, canaryList), []);
  });
}

canaries('plan names each file the enhanced due diligence workflow will upload, with its kind and size', async () => {
  const { code, stdout } = await runCli(['plan', 'workflows/enhanced-due-diligence.yaml']);
  assert.is(code, 0);
  assert.match(stdout, /^ {5}uploads workflows\/documents\/tax-and-residency\.pdf {2}\(PDF, 597 bytes\)$/m);
  assert.match(stdout, /^ {5}uploads workflows\/documents\/proof-of-funds\.png {2}\(PNG, 69 bytes\)$/m);
});

canaries.run();
