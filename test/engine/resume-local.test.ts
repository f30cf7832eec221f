import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isUsageError } from '../../src/errors.js';
import type { Plan } from '../../src/engine/plan.js';
import type { RunEvent, RunResult } from '../../src/engine/results.js';
import { runWorkflow } from '../../src/engine/run.js';
import {
  isJournalError, listRuns, openRunJournal, prepareResume, readJournal, readRunSnapshot, resumeHint, snapshotPath,
} from '../../src/journal/index.js';
import { openTarget, type OpenTarget } from '../../src/commands/_target.js';
import { clearTokenCache, createPaxosClient } from '../../src/paxos/index.js';
import type { SandboxSnapshot } from '../../src/sandbox/index.js';
import { loadPlan, tempJournalDir } from '../journal/_run.js';
import { stepStatuses as statuses } from '../_workflow.js';

const ONBOARD = 'workflows/onboard-and-trade.yaml';


const codeOf = async (run: () => unknown): Promise<string | undefined> => {
  try {
    await run();
  } catch (error) {
    if (isJournalError(error) || isUsageError(error)) return error.code;
    throw error;
  }
  return undefined;
};

/** Sees every event of the run; `abort` is Ctrl-C. */
type Hook = (event: RunEvent, abort: () => void) => void;

const targets: OpenTarget[] = [];
/** `--target local`, as `paxflow run` opens it: an emulator in this process, from a snapshot when resuming. */
const openLocal = async (restoreFrom?: unknown): Promise<OpenTarget> => {
  const target = await openTarget({ target: 'local', ...(restoreFrom === undefined ? {} : { restoreFrom }) });
  targets.push(target);
  return target;
};

/** Opens the run's journal with the target's snapshot hook, runs the plan against it, and closes the journal. */
const runLocal = async (
  plan: Plan,
  journalDir: string,
  target: OpenTarget,
  options: { resumeId?: string; hook?: Hook; snapshot?: boolean } = {},
): Promise<RunResult> => {
  const { resumeId, hook, snapshot = true } = options;
  const paxos = createPaxosClient({ target: target.info, credentials: target.defaultCredentials!, scopes: plan.scopes });
  await paxos.authorize();
  const resume = resumeId === undefined ? undefined : prepareResume({ journalDir, runId: resumeId, plan, target: target.info });
  const journal = openRunJournal({ journalDir, ...(resume ? { resume } : {}), ...(snapshot ? { snapshot: target.snapshot! } : {}) });
  const controller = new AbortController();
  try {
    return await runWorkflow(plan, {
      target: target.info,
      paxos,
      runId: journal.runId,
      journal,
      ...(resume ? { resume } : {}),
      signal: controller.signal,
      ...(hook ? { onEvent: (event) => hook(event, () => controller.abort()) } : {}),
    });
  } finally {
    journal.close();
  }
};

/** Ctrl-C the moment the wait for the buy starts. */
const interruptAtBuyWait: Hook = (event, abort) => {
  if (event.type === 'step:start' && event.id === 'buy_filled') abort();
};

/** What the emulator holds, by ref_id, read over HTTP like any client would. */
const holdings = async (target: OpenTarget, runId: string) => {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'sandbox-client', client_secret: 'sandbox-secret' });
  const { access_token: token } = (await (await fetch(target.info.oauthUrl!, { method: 'POST', body: form })).json()) as { access_token: string };
  const get = async (path: string) => (await (await fetch(`${target.info.apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
    items: Array<{ ref_id?: string }>;
  };
  const identities = (await get('/identity/identities')).items;
  const accounts = (await get('/identity/accounts')).items;
  const orders = (await get('/orders')).items;
  const withRef = (items: Array<{ ref_id?: string }>, ref: string) => items.filter((item) => item.ref_id === `${runId}-${ref}`).length;
  return {
    identities: [identities.length, withRef(identities, 'identity')],
    accounts: [accounts.length, withRef(accounts, 'account')],
    orders: [orders.length, withRef(orders, 'buy'), withRef(orders, 'sell')],
  };
};
const ONE_OF_EACH = { identities: [1, 1], accounts: [1, 1], orders: [2, 1, 1] };

const local = suite('engine: resume a run against the embedded emulator from its snapshot');
local.after.each(async () => {
  await Promise.all(targets.splice(0).map((target) => target.close()));
  clearTokenCache();
});

local('Ctrl-C during awaitOrder: the hint gives the resume command, and resuming in a new emulator finishes the flow', async () => {
  const dir = tempJournalDir();
  const plan = await loadPlan(ONBOARD);
  const first = await openLocal();
  const stopped = await runLocal(plan, dir, first, { hook: interruptAtBuyWait });
  await first.close();
  assert.is(stopped.status, 'interrupted');
  assert.equal(statuses(stopped.steps).slice(4, 7), ['buy:passed', 'buy_filled:interrupted', 'sell:skipped']);

  const file = snapshotPath(dir, stopped.runId);
  assert.is(statSync(file).mode & 0o777, 0o600, 'readable by its owner only, like the journal');
  const saved = readRunSnapshot(dir, stopped.runId) as SandboxSnapshot;
  assert.equal(saved.orders.map((order) => order.ref_id), [`${stopped.runId}-buy`]);
  assert.equal(resumeHint(stopped, ONBOARD, { journalDir: dir }), `To resume: paxflow run ${ONBOARD} --resume ${stopped.runId} (with the same --var options; the embedded emulator is restored from the run's snapshot)\n`);

  const second = await openLocal(readRunSnapshot(dir, stopped.runId.slice(0, 8)));
  const resumed = await runLocal(plan, dir, second, { resumeId: stopped.runId.slice(0, 8) });
  assert.is(resumed.status, 'passed');
  assert.is(resumed.runId, stopped.runId);
  assert.equal(statuses(resumed.steps), [
    'identity:passed:restored', 'approval:passed:restored', 'account:passed:restored', 'funding:passed:restored', 'buy:passed:restored',
    'buy_filled:passed', 'sell:passed', 'sell_filled:passed', 'balances:passed', 'check:passed', 'exact_balance:passed',
  ]);
  assert.equal(await holdings(second, stopped.runId), ONE_OF_EACH);
  assert.not.ok(existsSync(file), 'a run that passed keeps no snapshot');
  assert.equal(listRuns(dir).map((run) => [run.status, run.target, run.resumes]), [['passed', 'local', 1]]);
});

local('a process killed (SIGKILL) during awaitOrder leaves the snapshot of its last changing step, enough to finish the flow', async () => {
  const dir = tempJournalDir();
  const runId = randomUUID();
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/engine/_child-local-killed.ts', dir, runId], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, PAXFLOW_TEST_CHILD: '1' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
  assert.is(signal, 'SIGKILL', stderr);
  const last = readJournal(`${dir}/${runId}/journal.jsonl`).entries.at(-1)!;
  assert.equal([last.type, 'id' in last ? last.id : undefined], ['step:end', 'buy']);

  const saved = readRunSnapshot(dir, runId) as SandboxSnapshot;
  assert.equal(saved.orders.map((order) => order.ref_id), [`${runId}-buy`], 'saved at the end of the buy');

  const plan = await loadPlan(ONBOARD);
  const target = await openLocal(saved);
  const resumed = await runLocal(plan, dir, target, { resumeId: runId });
  assert.is(resumed.status, 'passed');
  assert.equal(statuses(resumed.steps).slice(4, 6), ['buy:passed:restored', 'buy_filled:passed']);
  assert.is(resumed.steps.find((step) => step.id === 'exact_balance')!.status, 'passed');
  assert.equal(await holdings(target, runId), ONE_OF_EACH);
});

local('a failed run keeps its snapshot; resumed with the value the failed step needed, it passes', async () => {
  const dir = tempJournalDir();
  const first = await openLocal();
  const failed = await runLocal(await loadPlan(ONBOARD, { expected_usd: '9990.45' }), dir, first);
  await first.close();
  assert.is(failed.status, 'failed');
  assert.is(failed.steps.at(-1)!.status, 'failed');
  assert.match(resumeHint(failed, ONBOARD, { journalDir: dir })!, /--resume/);

  const second = await openLocal(readRunSnapshot(dir, failed.runId));
  const resumed = await runLocal(await loadPlan(ONBOARD), dir, second, { resumeId: failed.runId });
  assert.is(resumed.status, 'passed');
  assert.equal(statuses(resumed.steps).slice(-2), ['check:passed:restored', 'exact_balance:passed']);
  assert.equal(await holdings(second, failed.runId), ONE_OF_EACH);
});

local('without its snapshot, or against another target, a local run is refused with RESUME_LOCAL_TARGET; a broken one with RESUME_SNAPSHOT_INVALID', async () => {
  const dir = tempJournalDir();
  const plan = await loadPlan(ONBOARD);
  const first = await openLocal();
  const stopped = await runLocal(plan, dir, first, { hook: interruptAtBuyWait, snapshot: false });
  assert.is(stopped.status, 'interrupted');
  assert.is(readRunSnapshot(dir, stopped.runId), undefined);
  const fresh = await openLocal();
  assert.is(await codeOf(() => prepareResume({ journalDir: dir, runId: stopped.runId, plan, target: fresh.info })), 'RESUME_LOCAL_TARGET');
  assert.match(resumeHint(stopped, ONBOARD, { journalDir: dir })!, /run the workflow again/);

  const kept = await runLocal(plan, dir, await openLocal(), { hook: interruptAtBuyWait });
  const custom = { name: 'custom', apiUrl: fresh.info.apiUrl, oauthUrl: fresh.info.oauthUrl! };
  assert.is(await codeOf(() => prepareResume({ journalDir: dir, runId: kept.runId, plan, target: custom })), 'RESUME_LOCAL_TARGET');
  assert.is(prepareResume({ journalDir: dir, runId: kept.runId, plan, target: fresh.info }).from, 'buy_filled');

  const file = snapshotPath(dir, kept.runId);
  writeFileSync(file, '{"v":1,');
  assert.is(await codeOf(() => readRunSnapshot(dir, kept.runId)), 'RESUME_SNAPSHOT_INVALID');
  writeFileSync(file, JSON.stringify({ v: 1, type: 'run:start' }));
  assert.is(await codeOf(() => openLocal(readRunSnapshot(dir, kept.runId))), 'RESUME_SNAPSHOT_INVALID');
  assert.is(await codeOf(() => openTarget({ apiUrl: custom.apiUrl, restoreFrom: {} })), 'BAD_ARGUMENTS');
  unlinkSync(file);
  assert.is(await codeOf(() => prepareResume({ journalDir: dir, runId: kept.runId, plan, target: fresh.info })), 'RESUME_LOCAL_TARGET');
});

local('a snapshot that cannot be written is not left behind, and the run stops at the next step', async () => {
  const dir = tempJournalDir();
  const plan = await loadPlan(ONBOARD);
  const target = await openLocal();
  let calls = 0;
  const paxos = createPaxosClient({ target: target.info, credentials: target.defaultCredentials!, scopes: plan.scopes });
  await paxos.authorize();
  const journal = openRunJournal({
    journalDir: dir,
    snapshot: () => {
      calls += 1;
      // The third save is at the end of the account step; a value JSON cannot hold stands for a full disk.
      return calls === 3 ? { big: 1n } : target.snapshot!();
    },
  });
  let result: RunResult;
  try {
    result = await runWorkflow(plan, { target: target.info, paxos, runId: journal.runId, journal });
  } finally {
    journal.close();
  }
  assert.is(result.status, 'failed');
  assert.equal(statuses(result.steps).slice(2, 5), ['account:passed', 'funding:failed', 'buy:skipped']);
  assert.is(result.steps[3]!.error?.code, 'JOURNAL_WRITE_FAILED');
  assert.not.ok(existsSync(snapshotPath(dir, result.runId)));
  assert.is(await codeOf(() => prepareResume({ journalDir: dir, runId: result.runId, plan, target: target.info })), 'RESUME_LOCAL_TARGET');
});

local.run();
