import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { seededRandom } from '../../src/sandbox/faults.js';
import { startSandbox } from '../../src/sandbox/index.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { compareDecimals } from '../../src/util/decimal.js';
import { auditCreates, moneyProblems, ONBOARD, tally } from './_audit.js';
import { bundleCli } from './_bundle.js';

// The onboarding guide run by the real CLI in a child process, killed with SIGKILL at a seeded random
// point, then resumed with --resume RUN_ID: every run must complete, and the emulator (in this process,
// so it outlives the kills) must hold each identity, account and order exactly once.
//
// The children run the CLI bundled from src/ when the suite starts (into a temporary folder; dist/ is
// neither read nor written), so what runs is the source as it is now, never a stale build, and each child
// starts in half the CPU time that tsx takes. The pairs run a few at a time.

const RUNS = 30;
const CONCURRENCY = 4;
const KILL_SEED = 7;
/** A whole run journals 24 lines: run:start, a start and an end for each of the 11 steps, run:end. */
const JOURNAL_LINES = 24;
const EXPECTED_USD = '9990.44';

type Context = { sandbox: SandboxHandle; root: string; cli: string };
const kills = suite<Context>('resilience: 30 runs killed with SIGKILL at a random point, then resumed');

kills.before(async (context) => {
  context.sandbox = await startSandbox({ port: 0, approvalDelayMs: 0 });
  context.root = mkdtempSync(join(tmpdir(), 'paxflow-kills-'));
  context.cli = await bundleCli(context.root);
});
kills.after(async ({ sandbox }) => {
  await sandbox.close();
});

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `paxflow run ONBOARD` against the emulator, in a child process; `watch` may kill it. */
const paxflow = (
  { sandbox, cli }: Context,
  journalDir: string,
  extra: string[],
  watch?: (pid: number, exited: () => boolean) => void,
): Promise<Exit> => {
  const argv = [
    cli, 'run', ONBOARD,
    '--api-url', sandbox.apiUrl, '--oauth-url', sandbox.oauthUrl, '--client-id', 'sandbox-client', '--client-secret', 'sandbox-secret',
    '--journal-dir', journalDir, ...extra,
  ];
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
  let stdout = '';
  let stderr = '';
  let done = false;
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exit = new Promise<Exit>((resolve) =>
    child.on('close', (code, signal) => {
      done = true;
      resolve({ code, signal, stdout, stderr });
    }),
  );
  watch?.(child.pid!, () => done);
  return exit;
};

/** The lines of the only run's journal in `dir` (the child made it), or [] before there is one. */
const journalOf = (dir: string): { runId?: string; lines: string[] } => {
  const [runId] = existsSync(dir) ? readdirSync(dir) : [];
  if (runId === undefined) return { lines: [] };
  const file = join(dir, runId, 'journal.jsonl');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  return { runId, lines: text.split('\n').filter((line) => line.endsWith('}')) };
};

/** Inside the deposit: a resume is refused there by design (RESUME_UNCERTAIN_STEP), so the kill waits it out. */
const inDeposit = (lines: readonly string[]): boolean => {
  const last = lines.at(-1) ?? '';
  return last.includes('"type":"step:start"') && last.includes('"id":"funding"');
};

/**
 * Kills `pid` with SIGKILL once the journal has `lines` entries and `delayMs` more have passed, outside
 * the deposit; does nothing if the child ends first. The journal is re-read only when its size changed.
 */
const killAt = (dir: string, lines: number, delayMs: number) => (pid: number, exited: () => boolean) => {
  let due: number | undefined;
  let size = -1;
  let journal: string[] = [];
  const timer = setInterval(() => {
    if (exited()) return clearInterval(timer);
    const [runId] = existsSync(dir) ? readdirSync(dir) : [];
    const now = runId === undefined ? -1 : (statSync(join(dir, runId, 'journal.jsonl'), { throwIfNoEntry: false })?.size ?? -1);
    if (now !== size) {
      size = now;
      journal = journalOf(dir).lines;
    }
    if (due === undefined && journal.length >= lines) due = Date.now() + delayMs;
    if (due === undefined || Date.now() < due) return;
    // Read again right before the kill: the child may have moved on since the last tick.
    if (inDeposit(journalOf(dir).lines)) return;
    clearInterval(timer);
    process.kill(pid, 'SIGKILL');
  }, 2);
};

interface Outcome {
  runId: string;
  /** The last journal entry before the kill (`buy start`, `run end`), or undefined when the run finished first. */
  killedAfter: string | undefined;
  resumes: string[];
}

const lastEntry = (lines: readonly string[]): string => {
  const entry = lines.length === 0 ? undefined : (JSON.parse(lines.at(-1)!) as { type: string; id?: string });
  if (entry === undefined) return 'nothing';
  const [scope, what] = entry.type.split(':');
  return scope === 'step' ? `${entry.id} ${what}` : `${scope} ${what}`;
};

kills('every killed run resumes to completion with no duplicate identity, account or order', async (context) => {
  const { sandbox, root } = context;
  const random = seededRandom(KILL_SEED);
  const points = Array.from({ length: RUNS }, () => ({
    lines: 1 + Math.floor(random() * (JOURNAL_LINES - 1)),
    delayMs: Math.floor(random() * 25),
  }));
  const started = Date.now();
  const problems: string[] = [];

  const one = async (index: number): Promise<Outcome> => {
    const dir = join(root, String(index));
    mkdirSync(dir);
    const { lines, delayMs } = points[index]!;
    const first = await paxflow(context, dir, [], killAt(dir, lines, delayMs));
    const journal = journalOf(dir);
    const runId = journal.runId ?? `missing-${index}`;
    if (first.signal !== 'SIGKILL') {
      // It finished before the kill point came: nothing to resume.
      if (first.code !== 0) problems.push(`${runId}: ended with ${first.code} before the kill\n${first.stderr}`);
      return { runId, killedAfter: undefined, resumes: [] };
    }
    const resumes: string[] = [];
    let resumed = await paxflow(context, dir, ['--resume', runId]);
    if (resumed.code === 2 && /RESUME_UNCERTAIN_STEP/.test(resumed.stderr)) {
      // The kill came in the instant the deposit started. Do what the refusal says: check the target,
      // and run the deposit again only if it did not happen.
      resumes.push('RESUME_UNCERTAIN_STEP');
      const account = [...sandbox.state.accounts.values()].find((record) => record.ref_id === `${runId}-account`);
      const usd = account?.profile_id === undefined ? undefined : String(sandbox.state.ledger.get(account.profile_id, 'USD').available);
      if (usd === undefined || compareDecimals(usd, '0') !== 0) problems.push(`${runId}: the deposit was cut short after it happened (USD ${usd}); no resume can complete it`);
      else resumed = await paxflow(context, dir, ['--resume', runId, '--force']);
    }
    resumes.push(String(resumed.code));
    if (resumed.code !== 0 || !/^PASSED /m.test(resumed.stdout)) {
      problems.push(`${runId}: the resume exited ${resumed.code}\n${resumed.stdout}\n${resumed.stderr}`);
    }
    return { runId, killedAfter: lastEntry(journal.lines), resumes };
  };

  const outcomes: Outcome[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < RUNS) {
        const index = next++;
        outcomes[index] = await one(index);
      }
    }),
  );

  const audit = auditCreates(sandbox, outcomes.map(({ runId }) => ({ runId })));
  for (const { runId } of outcomes) problems.push(...moneyProblems(sandbox, runId, EXPECTED_USD));
  const killed = outcomes.filter((outcome) => outcome.killedAfter !== undefined);
  console.log(
    `    kill/resume: ${RUNS} runs, ${killed.length} killed with SIGKILL (after ${JSON.stringify(tally(killed.map((o) => o.killedAfter!)))}), ` +
      `${RUNS - killed.length} finished first; resumes ${JSON.stringify(tally(killed.map((o) => o.resumes.join('+'))))}; ` +
      `held ${audit.held.identity} identities, ${audit.held.account} accounts, ${audit.held.order} orders; duplicates: ${audit.duplicates} ` +
      `(${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );

  assert.is(audit.duplicates, 0, audit.problems.join('\n'));
  assert.equal([...problems, ...audit.problems], []);
  assert.ok(killed.length >= RUNS * 0.8, `only ${killed.length} of ${RUNS} runs were killed`);
});

kills.run();
