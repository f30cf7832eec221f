/**
 * Child process for the local kill test: runs the onboarding guide against its own embedded emulator
 * (`openTarget({ target: 'local' })`) with a journal that keeps the emulator's snapshot, and kills itself
 * (SIGKILL: no handler, no run end, no last snapshot) the moment the wait for the buy starts.
 * Arguments: JOURNAL_DIR RUN_ID, and PAXFLOW_TEST_CHILD=1 in the environment, so that a test runner
 * importing every file under test/ does nothing with it.
 */
import { runWorkflow } from '../../src/engine/run.js';
import { openRunJournal } from '../../src/journal/index.js';
import { openTarget } from '../../src/commands/_target.js';
import { createPaxosClient } from '../../src/paxos/index.js';
import { loadPlan } from '../journal/_run.js';

const killedRun = async ([journalDir, runId]: string[]): Promise<void> => {
  const plan = await loadPlan('workflows/onboard-and-trade.yaml');
  const target = await openTarget({ target: 'local' });
  const paxos = createPaxosClient({ target: target.info, credentials: target.defaultCredentials!, scopes: plan.scopes });
  await paxos.authorize();
  const journal = openRunJournal({ journalDir: journalDir!, runId: runId!, snapshot: target.snapshot! });
  await runWorkflow(plan, {
    target: target.info,
    paxos,
    runId: runId!,
    journal,
    onEvent: (event) => {
      if (event.type === 'step:start' && event.id === 'buy_filled') process.kill(process.pid, 'SIGKILL');
    },
  });
};

if (process.env.PAXFLOW_TEST_CHILD === '1') await killedRun(process.argv.slice(2));
