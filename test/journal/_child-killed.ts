/**
 * Child process for the kill test: runs the onboarding guide with a journal against the emulator at the
 * given URL and kills itself (SIGKILL: no handler, no flush) the moment the buy order has been answered,
 * before the step can record its end.
 * Arguments: API_URL OAUTH_URL JOURNAL_DIR RUN_ID, and PAXFLOW_TEST_CHILD=1 in the environment, so that a
 * test runner importing every file under test/ does nothing with it.
 */
import { runWorkflow } from '../../src/engine/run.js';
import { openRunJournal } from '../../src/journal/index.js';
import { createPaxosClient } from '../../src/paxos/index.js';
import type { PaxosCallOptions } from '../../src/paxos/types.js';
import { loadPlan } from './_run.js';

const killedRun = async ([apiUrl, oauthUrl, journalDir, runId]: string[]): Promise<void> => {
  const plan = await loadPlan('workflows/onboard-and-trade.yaml');
  const target = { name: 'custom', apiUrl: apiUrl!, oauthUrl: oauthUrl! };
  const real = createPaxosClient({ target, credentials: { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' }, scopes: plan.scopes });
  await real.authorize();
  const paxos = {
    ...real,
    call: async <T>(options: PaxosCallOptions): Promise<T> => {
      const value = await real.call<T>(options);
      if (options.method === 'POST' && /\/orders$/.test(options.path)) process.kill(process.pid, 'SIGKILL');
      return value;
    },
  };
  const journal = openRunJournal({ journalDir: journalDir!, runId: runId! });
  await runWorkflow(plan, { target, paxos, runId: runId!, journal });
};

if (process.env.PAXFLOW_TEST_CHILD === '1') await killedRun(process.argv.slice(2));
