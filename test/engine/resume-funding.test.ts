import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidInputError } from '../../src/errors.js';
import { clearTokenCache } from '../../src/paxos/index.js';
import { documentsOf } from '../../src/sandbox/document-store.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { transfersOf } from '../../src/sandbox/transfers.js';
import { stepStatuses as statuses } from '../_workflow.js';
import { clientFor, interruptAfter, journaledRun, loadPlan, resumeRun, targetOf, tempJournalDir } from '../journal/_run.js';

const EDD = 'workflows/enhanced-due-diligence.yaml';
const FIAT = 'workflows/fiat-funding.yaml';

type Context = { sandbox: SandboxHandle; dir: string };
const resume = suite<Context>('engine: resuming the enhanced due diligence and fiat funding workflows');
resume.before.each(async (context) => {
  context.sandbox = await startSandbox({ approvalDelayMs: 0 });
  context.dir = tempJournalDir();
});
resume.after.each(async ({ sandbox }) => {
  await sandbox.close();
  clearTokenCache();
});

const uploadedNames = (sandbox: SandboxHandle) => [...documentsOf(sandbox.state).values()].filter((record) => record.file).map((record) => record.name).sort();

resume('an upload whose step was cut short after the file arrived is adopted on resume, never uploaded twice', async ({ sandbox, dir }) => {
  const plan = await loadPlan(EDD);
  const paxos = await clientFor(sandbox, plan);
  const controller = new AbortController();
  // The step's last call lists the documents after the upload: cut there, the file is in and the step never ends.
  let lists = 0;
  const isListAfterUpload = (call: { method: string; path: string }) => call.method === 'GET' && /\/documents$/.test(call.path) && ++lists === 2;
  const first = await journaledRun(plan, dir, { target: targetOf(sandbox), paxos: interruptAfter(paxos, controller, isListAfterUpload), signal: controller.signal });
  assert.is(first.status, 'interrupted');
  assert.equal(statuses(first.steps).slice(2, 4), ['tax_and_residency:interrupted', 'funds:skipped']);
  assert.equal(uploadedNames(sandbox), ['Tax_identification_and_residency.pdf']);

  const { result } = await resumeRun(plan, dir, first.runId, { target: targetOf(sandbox), paxos });
  assert.is(result.status, 'passed');
  assert.equal(statuses(result.steps).slice(2, 5), ['tax_and_residency:passed', 'funds:passed', 'approval:passed']);
  assert.is((result.steps[2]!.output as { adopted: boolean }).adopted, true);
  assert.equal(uploadedNames(sandbox), ['Proof_of_funds.png', 'Tax_identification_and_residency.pdf']);
  assert.is(documentsOf(sandbox.state).size, 2, 'no second slot was asked for');
});

resume('a wire cut short after it was sent is RESUME_UNCERTAIN_STEP; with --force it is sent again, knowingly', async ({ sandbox, dir }) => {
  const plan = await loadPlan(FIAT);
  const paxos = await clientFor(sandbox, plan);
  const controller = new AbortController();
  const isWire = (call: { method: string; path: string }) => call.method === 'POST' && call.path === '/sandbox/fiat-deposits';
  const first = await journaledRun(plan, dir, { target: targetOf(sandbox), paxos: interruptAfter(paxos, controller, isWire), signal: controller.signal });
  assert.is(first.status, 'interrupted');
  assert.equal(statuses(first.steps).slice(3, 5), ['instructions:passed', 'wire:interrupted']);
  assert.is(transfersOf(sandbox.state).length, 1, 'the wire reached the emulator');

  let refusal: InvalidInputError | undefined;
  try {
    await resumeRun(plan, dir, first.runId, { target: targetOf(sandbox), paxos });
  } catch (error) {
    if (error instanceof InvalidInputError) refusal = error;
    else throw error;
  }
  assert.equal(refusal?.diagnostics.map((d) => [d.code, d.line]), [['RESUME_UNCERTAIN_STEP', 69]]);
  assert.is(transfersOf(sandbox.state).length, 1, 'nothing was sent by the refused resume');

  const { result } = await resumeRun(plan, dir, first.runId, { target: targetOf(sandbox), paxos, force: true });
  assert.is(transfersOf(sandbox.state).length, 2, '--force sends the wire again');
  // Two wires: the balance check of the workflow sees twice the amount and fails, as it should.
  assert.is(result.steps.find((step) => step.id === 'funded')!.status, 'failed');
});

resume.run();
