import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidInputError } from '../../src/errors.js';
import { planWorkflow } from '../../src/engine/plan.js';
import { runWorkflow } from '../../src/engine/run.js';
import { isJournalError, openRunJournal, prepareResume, readJournal } from '../../src/journal/index.js';
import { clearTokenCache } from '../../src/paxos/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { json, startTestServer } from '../_server.js';
import { stepStatuses as statuses, workflowFrom } from '../_workflow.js';
import {
  clientFor, interruptAfter, journalLines, journaledRun, journalText, loadPlan, resumeRun, targetOf, tempJournalDir,
} from '../journal/_run.js';

const ONBOARD = 'workflows/onboard-and-trade.yaml';
const isOrderPost = (call: { method: string; path: string }) => call.method === 'POST' && /\/orders$/.test(call.path);
const isDeposit = (call: { method: string; path: string }) => call.method === 'POST' && /\/deposit$/.test(call.path);

const ordersWithRef = (sandbox: SandboxHandle, refId: string) => [...sandbox.state.trading.orders.values()].filter((order) => order.refId === refId);

const codesOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInputError) return error.diagnostics.map((d) => d.code);
    if (isJournalError(error)) return [error.code];
    throw error;
  }
  return [];
};

type Context = { sandbox: SandboxHandle; dir: string };
const resume = suite<Context>('engine: resume a journaled run against the emulator');
resume.before.each(async (context) => {
  context.sandbox = await startSandbox({ approvalDelayMs: 0 });
  context.dir = tempJournalDir();
});
resume.after.each(async ({ sandbox }) => {
  await sandbox.close();
  clearTokenCache();
});

/** The onboarding guide, interrupted right after the buy order reached the emulator and before its answer did. */
const interruptedAtBuy = async ({ sandbox, dir }: Context) => {
  const plan = await loadPlan(ONBOARD);
  const paxos = await clientFor(sandbox, plan);
  const controller = new AbortController();
  const first = await journaledRun(plan, dir, {
    target: targetOf(sandbox),
    paxos: interruptAfter(paxos, controller, isOrderPost),
    signal: controller.signal,
  });
  return { plan, paxos, first };
};

resume('an order placed just before an interrupt is adopted on resume, never placed twice', async (context) => {
  const { sandbox, dir } = context;
  const { plan, paxos, first } = await interruptedAtBuy(context);
  assert.is(first.status, 'interrupted');
  assert.equal(statuses(first.steps).slice(3, 6), ['funding:passed', 'buy:interrupted', 'buy_filled:skipped']);
  const buyRef = `${first.runId}-buy`;
  assert.is(ordersWithRef(sandbox, buyRef).length, 1, 'the order reached the emulator');
  const ends = journalLines(dir, first.runId).filter((entry) => entry.type === 'step:end' && entry.id === 'buy');
  assert.equal(ends.map((entry) => entry.status), ['interrupted']);

  const { result } = await resumeRun(plan, dir, first.runId, { target: targetOf(sandbox), paxos });
  assert.is(result.status, 'passed');
  assert.is(result.runId, first.runId, 'the same run id');
  assert.ok(result.resumed);
  assert.equal(statuses(result.steps).slice(0, 5), [
    'identity:passed:restored', 'approval:passed:restored', 'account:passed:restored', 'funding:passed:restored', 'buy:passed',
  ]);
  assert.is(ordersWithRef(sandbox, buyRef).length, 1, 'exactly one order with the buy ref_id');
  assert.is(sandbox.state.trading.orders.size, 2, 'one buy and one sell in all');
  assert.is((result.steps[4]!.output as { ref_id: string }).ref_id, buyRef);
  // The exact balance holds only if the deposit and the buy each happened once.
  assert.equal(statuses(result.steps).slice(-2), ['check:passed', 'exact_balance:passed']);
  assert.is(sandbox.state.identities.size, 1);
});

resume('a run killed after the buy started (journal cut after its step:start) resumes without a second order', async (context) => {
  const { sandbox, dir } = context;
  const plan = await loadPlan(ONBOARD);
  const paxos = await clientFor(sandbox, plan);
  const done = await journaledRun(plan, dir, { target: targetOf(sandbox), paxos });
  assert.is(done.status, 'passed');

  // Everything after the buy's start never reached the journal, as if the process died there.
  const file = join(dir, done.runId, 'journal.jsonl');
  const lines = readFileSync(file, 'utf8').split('\n');
  const cut = lines.findIndex((line) => line.includes('"type":"step:start"') && line.includes('"id":"buy"'));
  writeFileSync(file, `${lines.slice(0, cut + 1).join('\n')}\n`);

  const { result, resume: state } = await resumeRun(plan, dir, done.runId, { target: targetOf(sandbox), paxos });
  assert.is(state.from, 'buy');
  assert.is(result.status, 'passed');
  assert.is(ordersWithRef(sandbox, `${done.runId}-buy`).length, 1);
  assert.is(ordersWithRef(sandbox, `${done.runId}-sell`).length, 1);
  assert.is(sandbox.state.trading.orders.size, 2);
  assert.is(result.steps.find((step) => step.id === 'exact_balance')!.status, 'passed');
});

resume('a changed definition of a completed step is refused, with its position; --force keeps the recorded result', async (context) => {
  const { sandbox, dir } = context;
  const { paxos, first } = await interruptedAtBuy(context);
  const changed = planWorkflow(workflowFrom(readFileSync(ONBOARD, 'utf8').replace('type: BROKERAGE', 'type: ROTH_IRA'), ONBOARD));
  let refusal: InvalidInputError | undefined;
  try {
    prepareResume({ journalDir: dir, runId: first.runId, plan: changed, target: targetOf(sandbox) });
  } catch (error) {
    refusal = error as InvalidInputError;
  }
  assert.instance(refusal, InvalidInputError);
  assert.equal(refusal!.diagnostics.map((d) => [d.code, d.file, d.line]), [['RESUME_DEFINITION_CHANGED', ONBOARD, changed.steps[2]!.line]]);
  assert.match(refusal!.diagnostics[0]!.message, /--force/);

  const { result, resume: state } = await resumeRun(changed, dir, first.runId, { target: targetOf(sandbox), paxos, force: true });
  assert.equal(state.overridden.map((d) => [d.code, d.severity]), [['RESUME_DEFINITION_CHANGED', 'warning']]);
  assert.is(result.status, 'passed');
  assert.is(sandbox.state.accounts.size, 1, 'the account was restored, not made again');
  // What --force accepted is journaled: the same change is not refused a second time.
  assert.equal(codesOf(() => prepareResume({ journalDir: dir, runId: first.runId, plan: changed, target: targetOf(sandbox) })), []);
});

resume('a variable a completed step read must keep its value; the target must be the same; local runs cannot resume', async (context) => {
  const { sandbox, dir } = context;
  const { first } = await interruptedAtBuy(context);
  const target = targetOf(sandbox);
  const check = (plan: Awaited<ReturnType<typeof loadPlan>>, where = target) => codesOf(() => prepareResume({ journalDir: dir, runId: first.runId, plan, target: where }));
  assert.equal(check(await loadPlan(ONBOARD, { deposit: '5000' })), ['RESUME_VARS_CHANGED']);
  // buy_price is read only by steps that have not completed: free to change.
  assert.equal(check(await loadPlan(ONBOARD, { buy_price: '1815' })), []);
  assert.equal(check(await loadPlan(ONBOARD), { ...target, apiUrl: 'http://127.0.0.1:9/v2' }), ['RESUME_TARGET_CHANGED']);
  assert.equal(check(await loadPlan(ONBOARD), { name: 'local', apiUrl: sandbox.apiUrl }), ['RESUME_LOCAL_TARGET']);
  assert.equal(codesOf(() => prepareResume({ journalDir: dir, runId: 'no-such-run', plan: {} as never, target })), ['RUN_NOT_FOUND']);
  assert.equal(codesOf(() => prepareResume({ journalDir: dir, runId: '../etc', plan: {} as never, target })), ['BAD_RUN_ID']);
  // A unique prefix of the id is enough.
  assert.is(prepareResume({ journalDir: dir, runId: first.runId.slice(0, 8), plan: await loadPlan(ONBOARD), target }).runId, first.runId);
});

resume('a cut-short create whose ref_id changes on every render is refused; --force lets it run', async ({ sandbox, dir }) => {
  const plan = planWorkflow(workflowFrom(`
version: 1
name: unstable ref_id
steps:
  - id: funding
    uses: fundProfile
    with: { profile_id: default, asset: USD, amount: "100" }
  - id: buy
    uses: placeOrder
    with: { profile_id: default, ref_id: "order-{{uuid}}", side: BUY, market: ETHUSD, type: LIMIT, price: "1", base_amount: "0.01" }
`));
  const paxos = await clientFor(sandbox, plan);
  const controller = new AbortController();
  const first = await journaledRun(plan, dir, { target: targetOf(sandbox), paxos: interruptAfter(paxos, controller, isOrderPost), signal: controller.signal });
  assert.is(first.status, 'interrupted');
  assert.equal(codesOf(() => prepareResume({ journalDir: dir, runId: first.runId, plan, target: targetOf(sandbox) })), ['RESUME_REF_ID_CHANGED']);
  const { result } = await resumeRun(plan, dir, first.runId, { target: targetOf(sandbox), paxos, force: true });
  assert.equal(statuses(result.steps), ['funding:passed:restored', 'buy:passed']);
  assert.is(sandbox.state.trading.orders.size, 2, 'forced: the order was placed again under a new ref_id');
});

resume('a deposit cut short may have happened: resuming it needs --force', async ({ sandbox, dir }) => {
  const plan = planWorkflow(workflowFrom(`
version: 1
name: deposit
steps:
  - id: funding
    uses: fundProfile
    with: { profile_id: default, asset: USD, amount: "100" }
  - id: balances
    uses: getBalances
    with: { profile_id: default }
`));
  const paxos = await clientFor(sandbox, plan);
  const controller = new AbortController();
  const first = await journaledRun(plan, dir, { target: targetOf(sandbox), paxos: interruptAfter(paxos, controller, isDeposit), signal: controller.signal });
  assert.is(first.steps[0]!.status, 'interrupted');
  assert.equal(codesOf(() => prepareResume({ journalDir: dir, runId: first.runId, plan, target: targetOf(sandbox) })), ['RESUME_UNCERTAIN_STEP']);
  const { result } = await resumeRun(plan, dir, first.runId, { target: targetOf(sandbox), paxos, force: true });
  assert.is(result.status, 'passed');
});

resume('a step interrupted before it sent anything resumes without --force', async ({ sandbox, dir }) => {
  const plan = planWorkflow(workflowFrom(`
version: 1
name: deposit
steps:
  - id: read
    uses: getBalances
    with: { profile_id: default }
  - id: funding
    uses: fundProfile
    with: { profile_id: default, asset: USD, amount: "100" }
`));
  const paxos = await clientFor(sandbox, plan);
  const controller = new AbortController();
  const first = await journaledRun(plan, dir, {
    target: targetOf(sandbox),
    paxos,
    signal: controller.signal,
    onEvent: (event) => {
      if (event.type === 'step:start' && event.id === 'funding') controller.abort();
    },
  });
  assert.equal(statuses(first.steps), ['read:passed', 'funding:interrupted']);
  const { result } = await resumeRun(plan, dir, first.runId, { target: targetOf(sandbox), paxos });
  assert.equal(statuses(result.steps), ['read:passed:restored', 'funding:passed']);
});

resume('a resume appends to the same journal; a truncated last line left by a crash is tolerated', async (context) => {
  const { sandbox, dir } = context;
  const { plan, paxos, first } = await interruptedAtBuy(context);
  const file = join(dir, first.runId, 'journal.jsonl');
  writeFileSync(file, `${readFileSync(file, 'utf8')}{"v":1,"type":"step:start","at":"2026-`);
  const { result } = await resumeRun(plan, dir, first.runId, { target: targetOf(sandbox), paxos });
  assert.is(result.status, 'passed');
  const text = journalText(dir, first.runId);
  assert.ok(text.includes('"at":"2026-\n{"v":1,"type":"run:resume"'), 'the cut line stays on a line of its own');
  const { entries, skippedLines } = readJournal(file);
  assert.is(skippedLines, 1);
  assert.is(entries.at(-1)!.type, 'run:end');
  assert.equal(
    text.split('\n').filter((line) => line.startsWith('{"v":1,"type":"run:')).map((line) => JSON.parse(line).type),
    ['run:start', 'run:end', 'run:resume', 'run:end'],
  );
});

resume('the run id and run.started_at of the first attempt are what templates see on resume', async ({ sandbox, dir }) => {
  const plan = planWorkflow(workflowFrom(`
version: 1
name: started_at
steps:
  - id: first
    uses: getBalances
    with: { profile_id: default }
  - id: second
    uses: assert
    with:
      checks:
        - actual: "{{run.id}}/{{run.started_at}}"
          equals: "x"
`));
  const paxos = await clientFor(sandbox, plan);
  const first = await journaledRun(plan, dir, { target: targetOf(sandbox), paxos });
  assert.is(first.status, 'failed');
  const { result } = await resumeRun(plan, dir, first.runId, { target: targetOf(sandbox), paxos });
  assert.is(result.steps[1]!.error?.code, 'ASSERTION_FAILED');
  assert.ok(result.steps[1]!.error!.message.includes(`${first.runId}/${first.startedAt}`));
});

resume.run();

const kept = suite('engine: resume with outputs the journal does not keep');

kept('a step that reads a personal field or a secret of a completed step cannot be resumed, even with --force', async () => {
  const secret = 'tok-9f8e7d6c';
  const server = await startTestServer({ '/me': json(200, { id: 'u1', email: 'who@example.test', session: `s-${secret}` }) });
  try {
    const dir = tempJournalDir();
    const target = { name: 'custom', apiUrl: `${server.url}/v2` };
    const yaml = (read: string) => `
version: 1
name: kept
vars: { base: "${server.url}" }
steps:
  - id: me
    uses: http
    with: { url: "{{vars.base}}/me" }
  - id: next
    uses: assert
    with: { checks: [{ actual: "{{${read}}}", exists: true }] }
`;
    const plan = planWorkflow(workflowFrom(yaml('steps.me.body.id')));
    const controller = new AbortController();
    const journal = openRunJournal({ journalDir: dir, redaction: { secrets: [secret] } });
    try {
      await runWorkflow(plan, {
        target,
        runId: journal.runId,
        journal,
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === 'step:start' && event.id === 'next') controller.abort();
        },
      });
    } finally {
      journal.close();
    }
    const text = journalText(dir, journal.runId);
    assert.not.ok(text.includes('who@example.test') || text.includes(secret));
    assert.ok(text.includes('"dropped":["body.email","body.session"]'));

    const codes = (read: string) =>
      codesOf(() => prepareResume({ journalDir: dir, runId: journal.runId, plan: planWorkflow(workflowFrom(yaml(read))), target, force: true }));
    assert.equal(codes('steps.me.body.id'), []);
    assert.equal(codes('steps.me.body.email'), ['RESUME_OUTPUT_NOT_KEPT']);
    assert.equal(codes('steps.me.body.session'), ['RESUME_OUTPUT_NOT_KEPT']);
    assert.equal(codes('json steps.me.body'), ['RESUME_OUTPUT_NOT_KEPT']);
  } finally {
    await server.close();
  }
});

kept.run();

// Engine behaviour that needs no emulator: a journal that cannot be written stops the run before any request.
const engine = suite('engine: journal hooks');

for (const kind of ['throws', 'rejects'] as const) engine(`a step whose start cannot be journaled (the hook ${kind}) fails unsent, and the run stops even past continue_on_error`, async () => {
  const plan = planWorkflow(workflowFrom(`
version: 1
name: broken journal
steps:
  - id: one
    uses: http
    continue_on_error: true
    with: { url: "http://127.0.0.1:9/never" }
  - id: two
    uses: assert
    with: { checks: [{ actual: "1", equals: "1" }] }
`));
  const calls: string[] = [];
  const result = await runWorkflow(plan, {
    target: { name: 'custom', apiUrl: 'http://127.0.0.1:9/v2' },
    journal: {
      runStart: () => void calls.push('runStart'),
      stepStart: () => {
        const error = Object.assign(new Error('disk full'), { code: 'ENOSPC' });
        if (kind === 'rejects') return Promise.reject(error);
        throw error;
      },
      stepEnd: () => void calls.push('stepEnd'),
      runEnd: () => void calls.push('runEnd'),
    },
  });
  assert.is(result.status, 'failed');
  assert.equal(statuses(result.steps), ['one:failed', 'two:skipped']);
  assert.is(result.steps[0]!.error?.code, 'JOURNAL_WRITE_FAILED');
  assert.is(result.steps[0]!.attempts, 0);
  assert.equal(calls, ['runStart', 'runEnd']);
});

engine.run();
