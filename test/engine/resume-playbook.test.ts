import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { clearTokenCache } from '../../src/paxos/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { clientFor, interruptAfter, journaledRun, journalLines, loadPlan, resumeRun, targetOf, tempJournalDir } from '../journal/_run.js';
import { stepStatuses as statuses } from '../_workflow.js';

type Context = { sandbox: SandboxHandle; dir: string; main: string };
const resume = suite<Context>('engine: journal and resume through playbook calls');

resume.before.each(async (context) => {
  context.sandbox = await startSandbox({ approvalDelayMs: 0 });
  context.dir = tempJournalDir();
  const folder = mkdtempSync(join(tmpdir(), 'paxflow-resume-playbook-'));
  mkdirSync(join(folder, 'playbooks'));
  copyFileSync('workflows/playbooks/onboard-person.yaml', join(folder, 'playbooks', 'onboard-person.yaml'));
  context.main = join(folder, 'main.yaml');
  const person = (id: string, first: string) =>
    `  - id: ${id}\n    uses: ./playbooks/onboard-person.yaml\n    with: { first_name: ${first}, last_name: Example, date_of_birth: "1980-01-01", email: ${first.toLowerCase()}@example.org }\n`;
  writeFileSync(
    context.main,
    `version: 1\nname: two people\nsteps:\n${person('ada', 'Ada')}${person('grace', 'Grace')}  - id: check\n    uses: getAccount\n    with: { account_id: "{{steps.grace.account_id}}" }\nfinally:\n  - id: tidy\n    uses: getIdentity\n    with: { identity_id: "{{steps.ada.identity_id}}" }\n`,
  );
});
resume.after.each(async ({ sandbox }) => {
  await sandbox.close();
  clearTokenCache();
});


resume('nested steps are journaled by their full ids; a resume restores them and adopts a create cut short', async ({ sandbox, dir, main }) => {
  const plan = await loadPlan(main);
  const paxos = await clientFor(sandbox, plan);
  const controller = new AbortController();
  let accounts = 0;
  // Cut the second account create (grace's) after the emulator made it, as a crash would.
  const first = await journaledRun(plan, dir, {
    target: targetOf(sandbox),
    paxos: interruptAfter(paxos, controller, (call) => call.method === 'POST' && /\/identity\/accounts$/.test(call.path) && ++accounts === 2),
    signal: controller.signal,
  });
  assert.is(first.status, 'interrupted');
  assert.equal(statuses(first.steps), [
    'ada.identity:passed', 'ada.approval:passed', 'ada.account:passed', 'ada:passed',
    'grace.identity:passed', 'grace.approval:passed', 'grace.account:interrupted', 'grace:interrupted',
    'check:skipped', 'tidy:passed',
  ]);
  const starts = journalLines(dir, first.runId).filter((entry) => entry.type === 'step:start');
  const refIds = Object.fromEntries(starts.map((entry) => [entry.id, (entry.ref_ids as string[])[0]]));
  assert.ok(refIds['ada.account'] && refIds['grace.account'] && refIds['ada.account'] !== refIds['grace.account'], 'each call has its own ref_id');
  assert.is(sandbox.state.accounts.size, 2, 'both accounts reached the emulator');

  const { result } = await resumeRun(plan, dir, first.runId, { target: targetOf(sandbox), paxos });
  assert.is(result.status, 'passed', JSON.stringify(result.steps.map((step) => step.error)));
  assert.equal(statuses(result.steps), [
    'ada.identity:passed:restored', 'ada.approval:passed:restored', 'ada.account:passed:restored', 'ada:passed:restored',
    'grace.identity:passed:restored', 'grace.approval:passed:restored', 'grace.account:passed', 'grace:passed',
    'check:passed', 'tidy:passed',
  ]);
  assert.is(sandbox.state.accounts.size, 2, 'the account cut short was adopted, not made again');
  assert.is((result.steps[7]!.output as { account_id: string }).account_id, (result.steps[8]!.output as { id: string }).id);
});

resume.run();
