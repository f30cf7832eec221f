import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadValidWorkflow } from '../../src/commands/_workflow.js';
import { planWorkflow } from '../../src/engine/plan.js';
import type { Plan } from '../../src/engine/plan.js';
import type { RunResult } from '../../src/engine/results.js';
import { runWorkflow, type RunOptions } from '../../src/engine/run.js';
import { openRunJournal, prepareResume } from '../../src/journal/index.js';
import type { ResumeState } from '../../src/journal/index.js';
import { createPaxosClient } from '../../src/paxos/index.js';
import type { PaxosApiClient } from '../../src/paxos/index.js';
import type { PaxosCallOptions } from '../../src/paxos/types.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import type { TargetInfo } from '../../src/steps/define.js';

/** A fresh, empty journal folder. */
export const tempJournalDir = (): string => mkdtempSync(join(tmpdir(), 'paxflow-journal-'));

export const loadPlan = async (file: string, vars: Record<string, unknown> = {}): Promise<Plan> =>
  planWorkflow(await loadValidWorkflow(file, process.cwd()), { vars });

export const targetOf = (sandbox: SandboxHandle): TargetInfo => ({ name: 'custom', apiUrl: sandbox.apiUrl, oauthUrl: sandbox.oauthUrl });

/** A real client for the emulator, authorized for the plan's scopes. */
export const clientFor = async (sandbox: SandboxHandle, plan: Plan): Promise<PaxosApiClient> => {
  const paxos = createPaxosClient({
    target: targetOf(sandbox),
    credentials: { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' },
    scopes: plan.scopes,
  });
  await paxos.authorize();
  return paxos;
};

/**
 * The client, except that the first call `cutAfter` matches is sent and answered, and then the run is
 * interrupted as if Ctrl-C came while the answer was on its way: the step cannot know it happened.
 */
export const interruptAfter = (paxos: PaxosApiClient, controller: AbortController, cutAfter: (call: PaxosCallOptions) => boolean): PaxosApiClient => {
  let cut = false;
  return {
    ...paxos,
    call: async <T>(options: PaxosCallOptions): Promise<T> => {
      const value = await paxos.call<T>(options);
      if (!cut && cutAfter(options)) {
        cut = true;
        controller.abort();
        throw new Error('the answer was lost');
      }
      return value;
    },
  };
};

/** Runs `plan` with a new journal in `journalDir`, closing it afterwards. */
export const journaledRun = async (plan: Plan, journalDir: string, options: Omit<RunOptions, 'journal'>): Promise<RunResult> => {
  const journal = openRunJournal({ journalDir, ...(options.runId === undefined ? {} : { runId: options.runId }) });
  try {
    return await runWorkflow(plan, { ...options, runId: journal.runId, journal });
  } finally {
    journal.close();
  }
};

/** What `paxflow run FILE --resume RUN_ID [--force]` does with the journal, in code. */
export const resumeRun = async (
  plan: Plan,
  journalDir: string,
  runId: string,
  options: Omit<RunOptions, 'journal' | 'resume' | 'runId'> & { force?: boolean },
): Promise<{ result: RunResult; resume: ResumeState }> => {
  const { force = false, ...runOptions } = options;
  const resume = prepareResume({ journalDir, runId, plan, target: options.target, env: options.env ?? {}, force });
  const journal = openRunJournal({ journalDir, resume });
  try {
    return { result: await runWorkflow(plan, { ...runOptions, journal, resume }), resume };
  } finally {
    journal.close();
  }
};

export const journalText = (journalDir: string, runId: string): string => readFileSync(join(journalDir, runId, 'journal.jsonl'), 'utf8');

export const journalLines = (journalDir: string, runId: string): Array<Record<string, unknown>> =>
  journalText(journalDir, runId)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
