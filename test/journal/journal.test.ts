import { appendFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planWorkflow } from '../../src/engine/plan.js';
import { runWorkflow } from '../../src/engine/run.js';
import {
  createOutputFilter, hashStepDefinition, isJournalError, openRunJournal, prepareResume, readJournal, resolveJournalDir, withoutSensitive,
} from '../../src/journal/index.js';
import { clearTokenCache, deriveRefId } from '../../src/paxos/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { startTestServer } from '../_server.js';
import { workflowFrom } from '../_workflow.js';
import { clientFor, journaledRun, journalLines, journalText, targetOf, tempJournalDir } from './_run.js';

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    if (isJournalError(error)) return error.code;
    throw error;
  }
  return undefined;
};

// The journal must hold no personal data and no secrets: these values go in and must not come out.
const privacy = suite('journal: no personal data, no secrets');

privacy('a whole onboarding run leaves no name, email, date of birth, SSN, address or var value in the journal', async () => {
  const sandbox = await startSandbox({ approvalDelayMs: 0 });
  try {
    const canaries = {
      'first_name: Billy': 'first_name: Zebulonqx',
      'last_name: Duncan': 'last_name: Quokkaplume',
      'date_of_birth: "1960-01-01"': 'date_of_birth: "1971-03-09"',
      'email: example@somemail.org': 'email: canary.7x@leak.test',
      'phone_number: +1 555 678 1234': 'phone_number: +1 555 010 9876',
      'address1: 123 Main St': 'address1: 77 Canarywharf Lane',
      'city: New York': 'city: Canaryville',
      'description: Brokerage account for Billy Duncan': 'description: "Account {{vars.secret_note}}"',
      'expected_usd: "9990.44"': 'expected_usd: "9990.44"\n  secret_note: placeholder',
    };
    let yaml = readFileSync('workflows/onboard-and-trade.yaml', 'utf8');
    for (const [from, to] of Object.entries(canaries)) {
      assert.ok(yaml.includes(from), from);
      yaml = yaml.replace(from, to);
    }
    const secret = 'vault-secret-abc123';
    const plan = planWorkflow(workflowFrom(yaml, 'onboard.yaml'), { vars: { secret_note: secret } });
    const dir = tempJournalDir();
    const result = await journaledRun(plan, dir, { target: targetOf(sandbox), paxos: await clientFor(sandbox, plan) });
    assert.is(result.status, 'passed');

    const details = (result.steps[0]!.input as { person_details: Record<string, string> }).person_details;
    const text = journalText(dir, result.runId);
    for (const value of [
      'Zebulonqx', 'Quokkaplume', '1971-03-09', 'canary.7x@leak.test', '010 9876', 'Canarywharf', 'Canaryville', secret, 'placeholder',
      details.cip_id!, details.cip_id!.replace(/-/g, ''), details.passthrough_verification_id!,
    ]) {
      assert.not.ok(text.includes(value), `the journal holds ${value}`);
    }
    // What resume needs is there: ids, ref_ids, statuses, hashes.
    const identity = result.steps[0]!.output as { id: string };
    assert.ok(text.includes(identity.id));
    assert.ok(text.includes(`${result.runId}-identity`));
    const start = journalLines(dir, result.runId)[0]!;
    assert.equal(Object.keys(start.vars as object).sort(), ['buy_price', 'deposit', 'expected_usd', 'market', 'quantity', 'secret_note', 'sell_price']);
  } finally {
    await sandbox.close();
    clearTokenCache();
  }
});

privacy('withoutSensitive drops marked fields at any depth, in lists too, and keeps the rest', () => {
  const names = new Set(['email', 'cip_id']);
  const value = { id: '1', email: 'a@b.c', nested: { list: [{ cip_id: 'x', keep: 1 }, 2], email: { deep: true } }, when: undefined };
  assert.equal(withoutSensitive(value, names), { id: '1', nested: { list: [{ keep: 1 }, 2] } });
  assert.equal(withoutSensitive([undefined, Number.NaN, 'a'], names), [null, null, 'a']);
});

privacy('the output filter also drops credential fields, extra names and paths, and texts holding a secret, and says where', () => {
  const filter = createOutputFilter({ fields: ['account_number', 'person_details.nationality'], secrets: ['tok-123456', 'ab', 424242] }, new Set(['email']));
  const { value, dropped } = filter({
    body: { Access_Token: 'x', email: 'e', account_number: '1', note: 'bearer tok-123456!', short: 'ab', code: 424242 },
    person_details: { nationality: 'USA', country: 'USA' },
    nationality: 'kept: not under person_details',
    items: ['tok-123456', 'fine'],
  });
  assert.equal(value, {
    body: { short: 'ab' },
    person_details: { country: 'USA' },
    nationality: 'kept: not under person_details',
    items: [null, 'fine'],
  });
  assert.equal(dropped.sort(), ['body.Access_Token', 'body.account_number', 'body.code', 'body.email', 'body.note', 'items.0', 'person_details.nationality']);
});

privacy('the target URL is kept without credentials or query', async () => {
  const dir = tempJournalDir();
  const plan = planWorkflow(workflowFrom('version: 1\nname: t\nsteps:\n  - id: a\n    uses: assert\n    with: { checks: [{ actual: "1", equals: "1" }] }\n'));
  const result = await journaledRun(plan, dir, { target: { name: 'custom', apiUrl: 'https://user:pw@api.example.test/v2?token=abc' } });
  assert.equal(journalLines(dir, result.runId)[0]!.target, { name: 'custom', api_url: 'https://api.example.test/v2' });
});

privacy.run();

const durability = suite('journal: durability and format');

durability('a step start is in the journal file before the step sends its first request', async () => {
  const dir = tempJournalDir();
  const seen: string[] = [];
  let runId = '';
  const server = await startTestServer({
    '/hit': (_request, response) => {
      const entries = readFileSync(join(dir, runId, 'journal.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
      seen.push(entries.map((entry) => `${entry.type}${entry.id ? `:${entry.id}` : ''}`).join(' '));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    },
  });
  try {
    const plan = planWorkflow(workflowFrom(`
version: 1
name: durable
vars: { base: "${server.url}" }
steps:
  - id: first
    uses: http
    with: { url: "{{vars.base}}/hit", method: POST }
  - id: second
    uses: http
    with: { url: "{{vars.base}}/hit" }
`));
    const journal = openRunJournal({ journalDir: dir });
    runId = journal.runId;
    try {
      await runWorkflow(plan, { target: { name: 'custom', apiUrl: `${server.url}/v2` }, runId, journal });
    } finally {
      journal.close();
    }
    assert.equal(seen, ['run:start step:start:first', 'run:start step:start:first step:end:first step:start:second']);
  } finally {
    await server.close();
  }
});

durability('the first changing step is synced; later ones only when a resume could not find their creates by ref_id', async () => {
  const dir = tempJournalDir();
  const order = 'with: { profile_id: default, side: BUY, market: ETHUSD, type: LIMIT, price: "1", base_amount: "1" }';
  const plan = planWorkflow(workflowFrom(`
version: 1
name: sync
steps:
  - id: read
    uses: getBalances
    continue_on_error: true
    with: { profile_id: default }
  - id: create
    uses: placeOrder
    continue_on_error: true
    ${order}
  - id: again
    uses: placeOrder
    continue_on_error: true
    ${order}
  - id: fresh
    uses: placeOrder
    continue_on_error: true
    with: { ref_id: "{{uuid}}", profile_id: default, side: BUY, market: ETHUSD, type: LIMIT, price: "1", base_amount: "1" }
  - id: fund
    uses: fundProfile
    with: { profile_id: default, asset: USD, amount: "1" }
`));
  // Nothing listens there: every step fails, which is all this test needs.
  const result = await journaledRun(plan, dir, { target: { name: 'custom', apiUrl: 'http://127.0.0.1:9/v2' } });
  const starts = journalLines(dir, result.runId).filter((entry) => entry.type === 'step:start');
  assert.equal(
    starts.map((entry) => [entry.id, entry.synced, entry.ref_ids_unstable ?? false]),
    [['read', false, false], ['create', true, false], ['again', false, false], ['fresh', true, true], ['fund', true, false]],
  );
  assert.equal(starts[1]!.ref_ids, [deriveRefId(result.runId, 'create')]);
  assert.equal(starts[2]!.ref_ids, [deriveRefId(result.runId, 'again')]);
});

durability('the definition hash ignores names and spelling of durations, and changes with the step', () => {
  const plan = (step: string) =>
    planWorkflow(workflowFrom(`version: 1\nname: h\nsteps:\n  - id: a\n    uses: getBalances\n${step}`)).steps[0]!;
  const base = hashStepDefinition(plan('    timeout: 60s\n    with: { profile_id: default }\n'), 'salt');
  assert.is(hashStepDefinition(plan('    name: Renamed\n    timeout: 1m\n    with: { profile_id: default }\n'), 'salt'), base);
  assert.is.not(hashStepDefinition(plan('    timeout: 2m\n    with: { profile_id: default }\n'), 'salt'), base);
  assert.is.not(hashStepDefinition(plan('    timeout: 60s\n    with: { profile_id: default, assets: [USD] }\n'), 'salt'), base);
  assert.is.not(hashStepDefinition(plan('    timeout: 60s\n    with: { profile_id: default }\n    continue_on_error: true\n'), 'salt'), base);
  assert.is.not(hashStepDefinition(plan('    timeout: 60s\n    with: { profile_id: default }\n'), 'other salt'), base);
});

durability('the reader skips a cut-off last line, or one followed by a resume, and refuses any other bad line', () => {
  const dir = tempJournalDir();
  const file = join(dir, 'journal.jsonl');
  const start = JSON.stringify({ v: 1, type: 'run:start', at: 't', run_id: 'r', workflow: { file: 'f', name: 'n' }, started_at: 't', salt: 's', steps: [], vars: {} });
  const step = JSON.stringify({ v: 1, type: 'step:start', at: 't', index: 0, id: 'a', uses: 'assert', hash: 'h', ref_ids: [], synced: true });
  const resume = JSON.stringify({ v: 1, type: 'run:resume', at: 't', force: false, steps: [], vars: {}, accepted: {} });
  const read = (text: string) => {
    writeFileSync(file, text);
    return readJournal(file);
  };
  assert.equal(read(`${start}\n${step}\n{"v":1,"type":"step:e`).skippedLines, 1);
  assert.equal(read(`${start}\n{"v":1,"ty\n${resume}\n${step}\n`).entries.map((entry) => entry.type), ['run:start', 'run:resume', 'step:start']);
  assert.is(codeOf(() => read(`${start}\n{"v":1,"ty\n${step}\n`)), 'JOURNAL_CORRUPT');
  assert.is(codeOf(() => read(`${start}\n{"v":1,"type":"step:start"}\n${step}\n`)), 'JOURNAL_CORRUPT');
  assert.is(codeOf(() => read('')), 'JOURNAL_CORRUPT');
  assert.is(codeOf(() => read(`${start}\n{"v":2,"type":"step:start"}\n`)), 'JOURNAL_UNSUPPORTED');
  assert.is(codeOf(() => readJournal(join(dir, 'missing.jsonl'))), 'RUN_NOT_FOUND');
});

durability('one process at a time per run: a live lock is refused, a dead one is taken over', async () => {
  const dir = tempJournalDir();
  const first = openRunJournal({ journalDir: dir, runId: 'locked-run' });
  try {
    assert.is(codeOf(() => openRunJournal({ journalDir: dir, runId: 'locked-run' })), 'JOURNAL_LOCKED');
  } finally {
    first.close();
  }
  const plan = planWorkflow(workflowFrom('version: 1\nname: t\nsteps:\n  - id: a\n    uses: assert\n    with: { checks: [{ actual: "1", equals: "1" }] }\n'));
  await journaledRun(plan, dir, { target: { name: 'custom', apiUrl: 'http://127.0.0.1:9/v2' }, runId: 'done-run' });
  assert.is(codeOf(() => openRunJournal({ journalDir: dir, runId: 'done-run' })), 'JOURNAL_EXISTS');

  mkdirSync(join(dir, 'stale-run'));
  writeFileSync(join(dir, 'stale-run', 'lock'), JSON.stringify({ pid: 2 ** 31 - 2, host: hostname(), at: 't' }));
  const taken = openRunJournal({ journalDir: dir, runId: 'stale-run' });
  taken.close();
  assert.is(codeOf(() => openRunJournal({ journalDir: dir, runId: '../escape' })), 'BAD_RUN_ID');
});

durability('a resume is refused when another process wrote to the journal after it was checked', async () => {
  const dir = tempJournalDir();
  const target = { name: 'custom', apiUrl: 'http://127.0.0.1:9/v2' };
  const plan = planWorkflow(workflowFrom('version: 1\nname: t\nsteps:\n  - id: a\n    uses: assert\n    with: { checks: [{ actual: "1", equals: "2" }] }\n'));
  const first = await journaledRun(plan, dir, { target });
  const resume = prepareResume({ journalDir: dir, runId: first.runId, plan, target });
  appendFileSync(join(dir, first.runId, 'journal.jsonl'), '{"v":1,"type":"run:end","at":"t","status":"failed","duration_ms":1}\n');
  assert.is(codeOf(() => openRunJournal({ journalDir: dir, resume })), 'JOURNAL_LOCKED');
  const again = openRunJournal({ journalDir: dir, resume: prepareResume({ journalDir: dir, runId: first.runId, plan, target }) });
  again.close();
});

durability('a journal opened for a run that never started leaves nothing behind', () => {
  const dir = tempJournalDir();
  openRunJournal({ journalDir: dir, runId: 'never-started' }).close();
  assert.equal(readdirSync(dir), []);
});

durability('the journal folder: --journal-dir, else $PAXFLOW_HOME/runs, else .paxflow/runs', () => {
  assert.is(resolveJournalDir({ flag: 'j', env: { PAXFLOW_HOME: '/home/p' }, cwd: '/w' }), '/w/j');
  assert.is(resolveJournalDir({ env: { PAXFLOW_HOME: '/home/p' }, cwd: '/w' }), '/home/p/runs');
  assert.is(resolveJournalDir({ env: {}, cwd: '/w' }), '/w/.paxflow/runs');
});

durability.run();
