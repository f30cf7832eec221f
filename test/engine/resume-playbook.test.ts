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

/** A fresh emulator and journal folder for each test; returns a folder for its workflow files. */
const setUp = async (context: Context, name: string): Promise<string> => {
  context.sandbox = await startSandbox({ approvalDelayMs: 0 });
  context.dir = tempJournalDir();
  return mkdtempSync(join(tmpdir(), `paxflow-${name}-`));
};
const tearDown = async ({ sandbox }: Context): Promise<void> => {
  await sandbox.close();
  clearTokenCache();
};

const resume = suite<Context>('engine: journal and resume through playbook calls');

resume.before.each(async (context) => {
  const folder = await setUp(context, 'resume-playbook');
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
resume.after.each(tearDown);


/** Runs the workflow, cut off as a crash would once the `nth` POST to `path` was answered by the emulator. */
const runCutAfter = async ({ sandbox, dir, main }: Context, path: RegExp, nth: number) => {
  const plan = await loadPlan(main);
  const paxos = await clientFor(sandbox, plan);
  const controller = new AbortController();
  let seen = 0;
  const first = await journaledRun(plan, dir, {
    target: targetOf(sandbox),
    paxos: interruptAfter(paxos, controller, (call) => call.method === 'POST' && path.test(call.path) && ++seen === nth),
    signal: controller.signal,
  });
  return { plan, paxos, first };
};

resume('nested steps are journaled by their full ids; a resume restores them and adopts a create cut short', async (context) => {
  const { sandbox, dir } = context;
  // Cut the second account create (grace's).
  const { plan, paxos, first } = await runCutAfter(context, /\/identity\/accounts$/, 2);
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

const trade = suite<Context>('engine: resume inside a playbook whose ref_ids read its inputs, vars and steps');

trade.before.each(async (context) => {
  const folder = await setUp(context, 'resume-trade');
  context.main = join(folder, 'main.yaml');
  const order = 'profile_id: default, side: "{{vars.side}}", market: ETHUSD, type: LIMIT, price: "1000", base_amount: "0.01"';
  writeFileSync(
    join(folder, 'trade.yaml'),
    `version: 1\nname: trade\ninputs:\n  tag: { type: string }\nvars:\n  side: BUY\nsteps:\n` +
      `  - id: first\n    uses: placeOrder\n    with: { ref_id: "{{inputs.tag}}-{{vars.side}}-first", ${order} }\n` +
      `  - id: second\n    uses: placeOrder\n    with: { ref_id: "{{inputs.tag}}-after-{{steps.first.id}}", ${order} }\n`,
  );
  writeFileSync(
    context.main,
    `version: 1\nname: fund and trade\nvars:\n  tag: t1\nsteps:\n  - id: fund\n    uses: fundProfile\n    with: { profile_id: default, asset: USD, amount: "100" }\n` +
      `  - id: trade\n    uses: ./trade.yaml\n    with: { tag: "{{vars.tag}}-{{run.id}}" }\n`,
  );
});
trade.after.each(tearDown);

const cutSecondOrder = async (context: Context) => {
  const { plan, paxos, first } = await runCutAfter(context, /\/orders$/, 2);
  assert.equal(statuses(first.steps), ['fund:passed', 'trade.first:passed', 'trade.second:interrupted', 'trade:interrupted']);
  assert.is(context.sandbox.state.trading.orders.size, 2, 'both orders reached the emulator');
  return { plan, paxos, runId: first.runId };
};

trade('a create cut short whose ref_id reads inputs.*, vars.* and steps.* of its playbook is adopted, not refused', async (context) => {
  const { plan, paxos, runId } = await cutSecondOrder(context);
  const { result } = await resumeRun(plan, context.dir, runId, { target: targetOf(context.sandbox), paxos });
  assert.is(result.status, 'passed', JSON.stringify(result.steps.map((step) => step.error)));
  assert.equal(statuses(result.steps), ['fund:passed:restored', 'trade.first:passed:restored', 'trade.second:passed', 'trade:passed']);
  assert.is(context.sandbox.state.trading.orders.size, 2, 'the order cut short was adopted, not placed again');
});

trade('a var that the call passes in changed since a step inside it completed: RESUME_VARS_CHANGED at that step', async (context) => {
  const { paxos, runId } = await cutSecondOrder(context);
  const changed = await loadPlan(context.main, { tag: 't2' });
  const error = await resumeRun(changed, context.dir, runId, { target: targetOf(context.sandbox), paxos }).then(
    () => undefined,
    (thrown: unknown) => thrown as { diagnostics?: Array<{ code: string; message: string; file?: string }> },
  );
  const codes = (error?.diagnostics ?? []).map((d) => `${d.code} ${d.message.split(' ').slice(0, 2).join(' ')} ${d.file}`);
  assert.ok(codes.includes(`RESUME_VARS_CHANGED step 'trade.first' ${context.main.replace('main.yaml', 'trade.yaml')}`), codes.join('\n'));
  assert.is(context.sandbox.state.trading.orders.size, 2, 'nothing was sent');
});

trade.run();
