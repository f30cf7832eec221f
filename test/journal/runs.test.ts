import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planWorkflow } from '../../src/engine/plan.js';
import { runWorkflow } from '../../src/engine/run.js';
import { listRuns, openRunJournal, resumeHint } from '../../src/journal/index.js';
import { runCli } from '../cli/_io.js';
import { workflowFrom } from '../_workflow.js';
import { journaledRun, tempJournalDir } from './_run.js';

const target = { name: 'custom', apiUrl: 'http://127.0.0.1:9/v2' };
const planOf = (actual: string) =>
  planWorkflow(workflowFrom(`version: 1\nname: check ${actual}\nsteps:\n  - id: a\n    uses: assert\n    with: { checks: [{ actual: "${actual}", equals: "1" }] }\n  - id: b\n    uses: assert\n    with: { checks: [{ actual: "1", equals: "1" }] }\n`, `check-${actual}.yaml`));

/** Runs of every status, one after another (so their start times differ), oldest first. */
const makeRuns = async (dir: string) => {
  const passed = await journaledRun(planOf('1'), dir, { target });
  await sleep(5);
  const failed = await journaledRun(planOf('2'), dir, { target });
  await sleep(5);
  const interrupted = await journaledRun(planOf('1'), dir, { target, signal: AbortSignal.abort() });
  await sleep(5);
  const killed = await journaledRun(planOf('1'), dir, { target });
  const file = join(dir, killed.runId, 'journal.jsonl');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/\{"v":1,"type":"run:end".*\n$/, ''));
  await sleep(5);
  // Still open: this process holds the run's lock, as a run in progress does.
  const running = openRunJournal({ journalDir: dir, runId: 'in-progress-run' });
  await runWorkflow(planOf('1'), { target, runId: running.runId, journal: { ...running, runEnd: () => undefined } });
  return { passed, failed, interrupted, killed, running };
};

const runs = suite('journal: paxflow runs');

runs('lists runs newest first with their status, completed steps and where a resume would start', async () => {
  const dir = tempJournalDir();
  const made = await makeRuns(dir);
  try {
    const listed = listRuns(dir);
    assert.equal(
      listed.map((run) => [run.runId, run.status, `${run.steps?.completed}/${run.steps?.total}`, run.resumeFrom]),
      [
        ['in-progress-run', 'running', '2/2', undefined],
        [made.killed.runId, 'incomplete', '2/2', undefined],
        [made.interrupted.runId, 'interrupted', '0/2', 'a'],
        [made.failed.runId, 'failed', '0/2', 'a'],
        [made.passed.runId, 'passed', '2/2', undefined],
      ],
    );
    assert.equal(listed[4]!.workflow, { file: 'check-1.yaml', name: 'check 1' });
    assert.equal(listRuns(dir, { limit: 2 }).map((run) => run.runId), ['in-progress-run', made.killed.runId]);
  } finally {
    made.running.close();
  }
  assert.is(listRuns(dir)[0]!.status, 'incomplete', 'no longer running once its process let go');
});

runs('an unreadable journal is listed as such, not fatal', async () => {
  const dir = tempJournalDir();
  const ok = await journaledRun(planOf('1'), dir, { target });
  writeFileSync(join(dir, ok.runId, 'journal.jsonl'), 'not json\nnot json either\n');
  assert.equal(listRuns(dir).map((run) => [run.status, run.error]), [['unreadable', 'JOURNAL_CORRUPT']]);
  assert.equal(listRuns(join(dir, 'missing')), []);
});

runs('paxflow runs prints a table, newest first; --json and --limit; PAXFLOW_HOME', async () => {
  const dir = tempJournalDir();
  const first = await journaledRun(planOf('1'), join(dir, 'runs'), { target });
  await sleep(5);
  const second = await journaledRun(planOf('2'), join(dir, 'runs'), { target });

  const table = await runCli(['runs', '--journal-dir', join(dir, 'runs')]);
  assert.is(table.code, 0);
  const lines = table.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^RUN\s+STATUS\s+STARTED\s+STEPS\s+WORKFLOW$/);
  assert.ok(lines[1]!.startsWith(`${second.runId}  failed `), lines[1]);
  assert.ok(lines[2]!.startsWith(`${first.runId}  passed `), lines[2]);
  assert.match(lines[2]!, / 2\/2 +check 1 \(check-1\.yaml, custom\)$/);

  const json = await runCli(['runs', '--json', '--limit', '1'], { env: { PAXFLOW_HOME: dir } });
  assert.is(json.code, 0);
  const parsed = JSON.parse(json.stdout) as { journalDir: string; runs: Array<{ runId: string; status: string }> };
  assert.equal(parsed.runs.map((run) => [run.runId, run.status]), [[second.runId, 'failed']]);
  assert.is(parsed.journalDir, join(dir, 'runs'));

  assert.match((await runCli(['runs', '--journal-dir', join(dir, 'none')])).stdout, /^no runs in /);
  const bad = await runCli(['runs', '--limit', 'many']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /error BAD_ARGUMENTS /);
  assert.is((await runCli(['runs', 'extra'])).code, 2);
});

runs('the resume hint names the file and run id, quoted for the shell, for runs that did not pass and can be resumed', () => {
  assert.is(resumeHint({ status: 'passed', runId: 'r', target }, 'w.yaml'), undefined);
  assert.match(resumeHint({ status: 'failed', runId: 'r', target: { name: 'local', apiUrl: 'x' } }, 'w.yaml')!, /run the workflow again/);
  assert.is(
    resumeHint({ status: 'interrupted', runId: 'r-1', target }, 'my flows/w.yaml'),
    "To resume: paxflow run 'my flows/w.yaml' --resume r-1 (with the same --target, --var and credential options)\n",
  );
});

runs.run();
